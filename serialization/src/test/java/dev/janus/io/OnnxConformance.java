package dev.janus.io;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Graph;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProtoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs the ONNX backend node test cases (the Debian package {@code libonnx-testdata}: one directory per case
 * with {@code model.onnx} and {@code test_data_set_0/input_N.pb, output_N.pb}) through the importer and
 * {@link CompiledGraph}, and classifies each case as passed, failed or unsupported.
 */
final class OnnxConformance {
    /** Where the Debian package installs the node cases; {@code -Djanus.onnx.testdata=DIR} overrides it. */
    static final String DEFAULT_DIR = "/usr/share/libonnx-testdata/data/node";

    enum Outcome { PASSED, FAILED, UNSUPPORTED }

    /** One case's result: the ONNX op it exercises, the outcome and, unless it passed, why. */
    record Result(String name, String op, Outcome outcome, String detail, List<String> fixed) {}

    /** The input an importer message asks to be a constant ({@code input 1 ('shape') must be a constant}). */
    private static final java.util.regex.Pattern NEEDS_CONSTANT =
            java.util.regex.Pattern.compile("input \\d+ \\('([^']+)'\\) must be a constant");

    /** Tolerances per dtype, in one place: |actual - expected| ≤ atol + rtol·|expected|. */
    static double[] tolerance(DType t) {
        return switch (t) {
            case FLOAT32 -> new double[] {1e-5, 1e-4};
            case FLOAT64 -> new double[] {1e-7, 1e-6};
            case BOOL, INT32, INT64 -> new double[] {0, 0};
        };
    }

    private OnnxConformance() {}

    static Path dataDir() {
        return Path.of(System.getProperty("janus.onnx.testdata", DEFAULT_DIR));
    }

    static List<Path> cases(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
    }

    static Result run(Path caseDir, Set<String> knownOps) {
        String name = caseDir.getFileName().toString();
        ModelProto m;
        try {
            m = OnnxProtoReader.read(Files.readAllBytes(caseDir.resolve("model.onnx")));
        } catch (IOException e) {
            return new Result(name, "?", Outcome.FAILED, "unreadable: " + e.getMessage(), List.of());
        }
        String op = opOf(name, m, knownOps);
        Map<String, Tensor> fixed = new java.util.LinkedHashMap<>();
        try {
            byte[] bytes = Files.readAllBytes(caseDir.resolve("model.onnx"));
            List<String> inputNames = new ArrayList<>();
            Set<String> initialized = new java.util.HashSet<>();
            m.graph().initializers().forEach(t -> initialized.add(t.name()));
            m.graph().inputs().stream().filter(v -> !initialized.contains(v.name())).forEach(v -> inputNames.add(v.name()));
            List<Tensor> inputs;
            List<Tensor> expected;
            try {
                inputs = tensors(caseDir.resolve("test_data_set_0"), "input_");
                expected = tensors(caseDir.resolve("test_data_set_0"), "output_");
            } catch (ModelFormatException e) {
                Onnx.importModel(bytes, "model.onnx"); // sequence or optional test data: the import says why
                throw e;
            }
            Graph g = importFixing(bytes, inputNames, inputs, fixed);
            List<Tensor> fed = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (!fixed.containsKey(inputNames.get(i))) {
                    fed.add(inputs.get(i));
                }
            }
            Tensor[] actual = new CompiledGraph(g).run(fed.toArray(new Tensor[0]));
            String mismatch = compare(expected, actual);
            return mismatch == null ? new Result(name, op, Outcome.PASSED, "", List.copyOf(fixed.keySet()))
                    : new Result(name, op, Outcome.FAILED, mismatch, List.copyOf(fixed.keySet()));
        } catch (UnsupportedOperationException e) {
            return new Result(name, op, Outcome.UNSUPPORTED, e.getMessage(), List.copyOf(fixed.keySet()));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return new Result(name, op, Outcome.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    List.copyOf(fixed.keySet()));
        }
    }

    /**
     * Imports the model; when the importer needs a graph input as a constant (a shape, axes, bounds), fixes
     * that input to the case's value and tries again. Such cases are counted with their fixed inputs listed.
     */
    private static Graph importFixing(byte[] bytes, List<String> names, List<Tensor> values, Map<String, Tensor> fixed)
            throws IOException {
        while (true) {
            try {
                return Onnx.importModel(bytes, "model.onnx", fixed);
            } catch (UnsupportedOperationException e) {
                java.util.regex.Matcher mt = NEEDS_CONSTANT.matcher(String.valueOf(e.getMessage()));
                if (!mt.find()) {
                    throw e;
                }
                int at = names.indexOf(mt.group(1));
                if (at >= 0 && at < values.size() && !fixed.containsKey(mt.group(1))) {
                    fixed.put(mt.group(1), values.get(at));
                } else if (!fixIntegerInputs(names, values, fixed)) {
                    throw e; // computed from graph inputs: fix the integer ones (sizes, counts), once
                }
            }
        }
    }

    private static boolean fixIntegerInputs(List<String> names, List<Tensor> values, Map<String, Tensor> fixed) {
        boolean any = false;
        for (int i = 0; i < Math.min(names.size(), values.size()); i++) {
            if (values.get(i).dtype().isIntegral() && !fixed.containsKey(names.get(i))) {
                fixed.put(names.get(i), values.get(i));
                any = true;
            }
        }
        return any;
    }

    /** The op types of every model, to name the op an expanded (multi-node) case exercises. */
    static Set<String> opTypes(List<Path> cases) {
        Set<String> ops = new TreeSet<>();
        for (Path c : cases) {
            try {
                OnnxProtoReader.read(Files.readAllBytes(c.resolve("model.onnx"))).graph().nodes()
                        .forEach(n -> ops.add(n.opType()));
            } catch (IOException e) {
                // an unreadable model is reported by run()
            }
        }
        return ops;
    }

    /** The op a case tests: its only op type, else the longest known op whose name starts the case's name. */
    private static String opOf(String name, ModelProto m, Set<String> knownOps) {
        Set<String> types = new TreeSet<>();
        for (NodeProto n : m.graph().nodes()) {
            types.add(n.opType());
        }
        types.remove("Constant");
        if (types.size() == 1) {
            return types.iterator().next();
        }
        String flat = name.replaceFirst("^test_", "").replace("_", "").toLowerCase(Locale.ROOT);
        String best = null;
        for (String op : knownOps) {
            if (flat.startsWith(op.toLowerCase(Locale.ROOT)) && (best == null || op.length() > best.length())) {
                best = op;
            }
        }
        return best != null ? best : m.graph().nodes().isEmpty() ? "?" : m.graph().nodes().get(0).opType();
    }

    private static List<Tensor> tensors(Path dir, String prefix) throws IOException {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; Files.exists(dir.resolve(prefix + i + ".pb")); i++) {
            byte[] bytes = Files.readAllBytes(dir.resolve(prefix + i + ".pb"));
            out.add(OnnxTensors.fromProto(OnnxProtoReader.readTensor(bytes), prefix + i + ".pb"));
        }
        return out;
    }

    /** Null when equal within the dtype's tolerance, else what differs. */
    private static String compare(List<Tensor> expected, Tensor[] actual) {
        if (expected.size() != actual.length) {
            return actual.length + " outputs, expected " + expected.size();
        }
        for (int i = 0; i < actual.length; i++) {
            Tensor e = expected.get(i);
            Tensor a = actual[i];
            if (e.dtype() != a.dtype() || !e.shape().equals(a.shape())) {
                return "output " + i + " is " + a.dtype().shortName() + a.shape() + ", expected " + e.dtype().shortName()
                        + e.shape();
            }
            double[] tol = tolerance(e.dtype());
            double[] ev = e.cast(DType.FLOAT64).toDoubleArray();
            double[] av = a.cast(DType.FLOAT64).toDoubleArray();
            for (int k = 0; k < ev.length; k++) {
                boolean same = ev[k] == av[k] || Double.isNaN(ev[k]) && Double.isNaN(av[k])
                        || Math.abs(av[k] - ev[k]) <= tol[0] + tol[1] * Math.abs(ev[k]);
                if (!same) {
                    return "output " + i + " element " + k + " is " + av[k] + ", expected " + ev[k];
                }
            }
        }
        return null;
    }

    /** The Markdown report: counts, then one row per ONNX op with its cases' outcomes. */
    static String report(List<Result> results) {
        Map<String, int[]> perOp = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> why = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int[] total = new int[3];
        for (Result r : results) {
            perOp.computeIfAbsent(r.op(), k -> new int[3])[r.outcome().ordinal()]++;
            total[r.outcome().ordinal()]++;
            if (r.outcome() != Outcome.PASSED) {
                why.putIfAbsent(r.op(), shorten(r.detail()));
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# ONNX import conformance\n\n");
        sb.append("Generated by `OnnxConformanceTest` from the ONNX 1.12 backend node test cases (Debian package\n");
        sb.append("`libonnx-testdata`): each case's `model.onnx` is imported with `Onnx.importModel`, run with\n");
        sb.append("`CompiledGraph` on `test_data_set_0/input_N.pb` and compared with `output_N.pb` (f32: 1e-5 + 1e-4·|x|,\n");
        sb.append("f64: 1e-7 + 1e-6·|x|, integers and bools exact). *Unsupported* means the importer refused the model\n");
        sb.append("with an `UnsupportedOperationException` (an op, attribute or element type Janus does not have).\n");
        sb.append("Regenerate with\n\n");
        sb.append("```\nmvn -o -pl serialization -am test -Dtest=OnnxConformanceTest -Dsurefire.failIfNoSpecifiedTests=false \\\n");
        sb.append("    -Djanus.onnx.conformanceDoc=$PWD/docs/onnx-conformance.md \\\n");
        sb.append("    -Djanus.onnx.passingList=$PWD/serialization/src/test/resources/onnx-conformance-passing.txt\n```\n\n");
        long withFixed = results.stream().filter(r -> r.outcome() == Outcome.PASSED && !r.fixed().isEmpty()).count();
        sb.append("Where the importer needs a graph input as a constant (a Reshape's shape, a Slice's bounds, reduction\n");
        sb.append("axes: Janus graphs have static shapes), the case is imported again with that input fixed to the case's\n");
        sb.append("value (`Onnx.importModel(bytes, name, fixedInputs)`); " + withFixed + " of the passing cases need that.\n\n");
        sb.append("The twelve window cases (Hann, Hamming, Blackman, and their `_expanded` function forms) fail because the\n");
        sb.append("test data's expected outputs were computed with π ≈ 3.1415 (a relative error of 3·10⁻⁵); Janus uses π.\n\n");
        sb.append("The cases that pass are listed in `serialization/src/test/resources/onnx-conformance-passing.txt`;\n");
        sb.append("the test fails when one of them stops passing.\n\n");
        sb.append(String.format("**%d cases: %d passed, %d failed, %d unsupported.**%n%n", results.size(), total[0], total[1],
                total[2]));
        sb.append("| ONNX op | cases | passed | failed | unsupported | first reason (failed or unsupported) |\n");
        sb.append("|---|---:|---:|---:|---:|---|\n");
        perOp.forEach((op, c) -> sb.append(String.format("| %s | %d | %d | %d | %d | %s |%n", op, c[0] + c[1] + c[2], c[0],
                c[1], c[2], why.getOrDefault(op, ""))));
        return sb.toString();
    }

    private static String shorten(String s) {
        String one = s == null ? "" : s.replace('\n', ' ').replace("|", "\\|");
        one = one.replaceAll("ONNX op '[A-Za-z]+'( \\(node '[^']*'\\))?: ", "");
        return one.length() > 110 ? one.substring(0, 107) + "..." : one;
    }
}
