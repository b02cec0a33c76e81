package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ONNX backend node cases (Debian package {@code libonnx-testdata}) through import and CompiledGraph: every
 * case listed in {@code onnx-conformance-passing.txt} must pass. With {@code -Djanus.onnx.conformanceDoc=FILE}
 * it also writes the per-op report ({@code docs/onnx-conformance.md}); with
 * {@code -Djanus.onnx.passingList=FILE} the list of passing cases.
 */
class OnnxConformanceTest {
    @Test
    void nodeCases_listedAsPassing_keepPassing() throws IOException {
        Path dir = OnnxConformance.dataDir();
        assumeTrue(Files.isDirectory(dir), "the ONNX node test cases are not installed at " + dir
                + " (apt-get install libonnx-testdata, or -Djanus.onnx.testdata=DIR)");
        List<Path> cases = OnnxConformance.cases(dir);
        Set<String> ops = OnnxConformance.opTypes(cases);
        List<OnnxConformance.Result> results = new ArrayList<>();
        for (Path c : cases) {
            results.add(OnnxConformance.run(c, ops));
        }
        String doc = System.getProperty("janus.onnx.conformanceDoc");
        if (doc != null) {
            Files.writeString(Path.of(doc), OnnxConformance.report(results));
        }
        String list = System.getProperty("janus.onnx.passingList");
        if (list != null) {
            Files.writeString(Path.of(list), results.stream().filter(r -> r.outcome() == OnnxConformance.Outcome.PASSED)
                    .map(OnnxConformance.Result::name).collect(Collectors.joining("\n", "", "\n")));
        }
        Set<String> mustPass = passingList();
        List<String> broken = new ArrayList<>();
        for (OnnxConformance.Result r : results) {
            if (mustPass.contains(r.name()) && r.outcome() != OnnxConformance.Outcome.PASSED) {
                broken.add(r.name() + " (" + r.outcome() + ": " + r.detail() + ")");
            }
        }
        if (System.getProperty("janus.onnx.verbose") != null) {
            results.stream().filter(r -> r.outcome() != OnnxConformance.Outcome.PASSED)
                    .forEach(r -> System.out.println(r.outcome() + " " + r.name() + " [" + r.op() + "] " + r.detail()));
        }
        assertTrue(broken.isEmpty(), broken.size() + " cases that passed before no longer pass:\n" + String.join("\n", broken));
    }

    private static Set<String> passingList() throws IOException {
        try (InputStream in = OnnxConformanceTest.class.getResourceAsStream("/onnx-conformance-passing.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).collect(Collectors.toSet());
        }
    }
}
