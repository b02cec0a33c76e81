package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.GraphFunction;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redeployment: an archive runs in a fresh JVM whose class path holds only the runtime (api, eager, the CPU
 * backend with JavaCPP/OpenBLAS, graph-exec, serialization, Jackson): no test classes, no model classes, no
 * ASM, no JUnit. Its outputs equal the in-process ones bit for bit.
 */
class ModelArchiveRedeployTest {
    /** What the runtime class path may hold: the runtime modules (as class folders or jars) and their jars. */
    private static final Pattern RUNTIME = Pattern.compile(".*("
            + "/(api|eager|backends/cpu|graph-exec|serialization)/target/classes"
            + "|/janus-(api|eager|backend-cpu|graph-exec|serialization)-[^/]*\\.jar"
            + "|/jackson-(core|databind|annotations)-[^/]*\\.jar"
            + "|/(javacpp|openblas)(-platform)?-[^/]*\\.jar"
            + "|/protobuf-java-[^/]*\\.jar"
            + "|/slf4j-api-[^/]*\\.jar)");
    private static final Pattern NOT_RUNTIME = Pattern.compile(".*(test-classes|junit|opentest4j|apiguardian|/asm"
            + "|surefire|/examples/|/tracer/|janus-tracer|/onnxruntime/).*");

    @TempDir
    Path dir;

    /** This JVM's class path without test classes, JUnit and ASM. */
    static List<String> runtimeClassPath() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String unix = entry.replace(File.separatorChar, '/');
            if (!entry.isEmpty() && !NOT_RUNTIME.matcher(unix).matches()) {
                out.add(entry);
            }
        }
        return out;
    }

    @Test
    void runtimeClassPath_holdsOnlyTheRuntimeModulesAndTheirJars() {
        List<String> cp = runtimeClassPath();
        for (String entry : cp) {
            assertTrue(RUNTIME.matcher(entry.replace(File.separatorChar, '/')).matches(), "not a runtime jar: " + entry);
        }
        for (String module : List.of("api", "eager", "cpu", "graph-exec", "serialization", "jackson-databind", "openblas")) {
            assertTrue(cp.stream().anyMatch(e -> e.contains(module)), module + " missing from " + cp);
        }
        cp.forEach(e -> System.out.printf("  %9d  %s%n", size(e), Path.of(e).getFileName()));
        long bytes = cp.stream().mapToLong(ModelArchiveRedeployTest::size).sum();
        System.out.printf("runtime class path: %d entries, %.1f MB (class folders counted file by file)%n", cp.size(),
                bytes / 1e6);
    }

    @Test
    void lenetArchive_runsInAFreshJvm_withTheSameOutputs() throws Exception {
        ArchiveModels.Example m = ArchiveModels.lenet(21);
        Path archive = dir.resolve("lenet.janus");
        ModelArchive.save(GraphFunction.of(m.graph(), "forward"), archive);
        Tensor[] inProcess = ModelArchive.load(archive).run(m.inputs());
        float[] fresh = runFresh(archive, Map.of("x", m.inputs()[0])).get("output0").toFloatArray();
        assertArrayEquals(inProcess[0].toFloatArray(), fresh, "bitwise");
        assertEquals(30, fresh.length);
    }

    @Test
    void seedRnnArchive_runsInAFreshJvm_forTwoTripCounts() throws Exception {
        ArchiveModels.Example m = ArchiveModels.seedRnn(22, 0);
        Path archive = dir.resolve("rnn.janus");
        ModelArchive.save(GraphFunction.of(m.graph(), "forward"), archive);
        LoadedModel inProcess = ModelArchive.load(archive);
        Tensor h0 = m.inputs()[0];
        float[] previous = null;
        for (long steps : new long[] {3, 11}) {
            Tensor trips = Tensor.scalar(steps, DType.INT64);
            float[] expected = inProcess.run(h0, trips)[0].toFloatArray();
            float[] fresh = runFresh(archive, Map.of("h0", h0, "T", trips)).get("output0").toFloatArray();
            assertArrayEquals(expected, fresh, "T = " + steps + ", bitwise");
            assertArrayEquals(ArchiveModels.eagerRnn(m.graph(), h0, steps).toFloatArray(), fresh, 1e-6f);
            assertFalse(java.util.Arrays.equals(previous, fresh), "different T, different state");
            previous = fresh;
        }
    }

    @Test
    void fusedArchive_runsInAFreshJvmWithoutAsm() throws Exception {
        ArchiveModels.Example m = ArchiveModels.mlp(23);
        dev.janus.graph.Graph fused = dev.janus.graph.passes.PassManager.forExecution().apply(m.graph());
        Path archive = dir.resolve("fused.janus");
        ModelArchive.save(GraphFunction.of(fused, "forward"), archive);
        float[] expected = ModelArchive.load(archive).run(m.inputs())[0].toFloatArray();
        assertArrayEquals(expected, runFresh(archive, Map.of("x", m.inputs()[0])).get("output0").toFloatArray());
    }

    /** Runs {@link RunArchive} in a new JVM on the runtime class path; returns the outputs it wrote. */
    private Map<String, Tensor> runFresh(Path archive, Map<String, Tensor> inputs) throws IOException, InterruptedException {
        return runFreshIn(dir, archive, inputs);
    }

    /** {@link #runFresh} with its scratch files in {@code dir}. */
    Map<String, Tensor> runFreshIn(Path dir, Path archive, Map<String, Tensor> inputs) throws IOException,
            InterruptedException {
        Path in = Files.createTempFile(dir, "inputs", ".safetensors");
        Path out = dir.resolve("outputs.safetensors");
        Files.deleteIfExists(out);
        Safetensors.save(inputs, in);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", String.join(File.pathSeparator, runtimeClassPath()),
                RunArchive.class.getName(), archive.toString(), in.toString(), out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fresh JVM timed out: " + log);
        assertEquals(0, p.exitValue(), "fresh JVM failed:\n" + log);
        // SLF4J says once that no logging provider is bound (the runtime ships the API only); then RunArchive speaks
        assertTrue(log.lines().anyMatch(l -> l.startsWith("forward(")), log);
        return Safetensors.load(out);
    }

    private static long size(String entry) {
        Path p = Path.of(entry);
        try (Stream<Path> files = Files.isDirectory(p) ? Files.walk(p) : Stream.of(p)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
