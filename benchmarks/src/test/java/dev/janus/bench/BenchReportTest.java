package dev.janus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** The report merges JMH-shaped entries from both sides into tables, targets and a chart. */
class BenchReportTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final BenchReport.Environment ENV = new BenchReport.Environment("2026-01-01 00:00 UTC",
            "benchmarks/run.sh --quick", "Test CPU", 2, "0.1 0.2 0.3", "0.4 0.5 0.6", "OpenJDK 17", "1 fork", "1.0", 2);

    /** One JMH-shaped entry; {@code raw} in {@code unit} per call. */
    static ObjectNode entry(String benchmark, String workload, String unit, Double bytes, double... raw) {
        ObjectNode e = JSON.createObjectNode();
        e.put("benchmark", benchmark);
        e.putObject("params").put("workload", workload);
        ObjectNode m = e.putObject("primaryMetric");
        m.put("score", raw[0]);
        m.put("scoreUnit", unit);
        ArrayNode fork = m.putArray("rawData").addArray();
        for (double v : raw) {
            fork.add(v);
        }
        ObjectNode secondary = e.putObject("secondaryMetrics");
        if (bytes != null) {
            secondary.putObject("gc.alloc.rate.norm").put("score", bytes);
        }
        return e;
    }

    static BenchReport sample() {
        ArrayNode jmh = JSON.createArrayNode();
        jmh.add(entry("dev.janus.bench.TracedVsEagerBenchmark.forwardEager", "mlp_b1", "us/op", 15000.0, 40, 44, 90));
        jmh.add(entry("dev.janus.bench.TracedVsEagerBenchmark.forwardTraced", "mlp_b1", "us/op", 2600.0, 20, 21, 22));
        jmh.add(entry("dev.janus.bench.TracedVsEagerBenchmark.forwardOnnxRuntime", "mlp_b1", "us/op", 650.0, 25, 26));
        jmh.add(entry("dev.janus.bench.TraceTimeBenchmark.traceWarm", "rnn", "ms/op", 1e6, 60, 70, 80));
        ArrayNode torch = JSON.createArrayNode();
        ObjectNode t = entry("torch.forwardEager", "mlp_b1", "us/op", null, 30, 31, 32);
        t.put("torchVersion", "1.13.0").put("blas", "openblas").put("path", "mkldnn");
        t.putArray("notes").add("TorchScript trace_mkldnn: RuntimeError: unsupported");
        torch.add(t);
        torch.add(entry("torch.forwardTorchScript", "mlp_b1", "us/op", null, 10, 10, 10));
        BenchReport r = new BenchReport();
        r.add(jmh);
        r.add(torch);
        return r;
    }

    @Test
    void figure_isTheMedianInMicroseconds() {
        BenchReport r = sample();
        assertEquals(44, r.median("forwardEager/mlp_b1"), 1e-9);
        assertEquals(25.5, r.median("forwardOnnxRuntime/mlp_b1"), 1e-9);
        assertEquals(70_000, r.median("traceWarm/rnn"), 1e-9);
        assertTrue(Double.isNaN(r.median("forwardEager/lstm")));
    }

    @Test
    void targets_sayWhatHoldsWithRatios() {
        BenchReport.Target vsEager = find(sample(), "traced ≥ 1.5× faster than eager", "mlp_b1");
        assertEquals("2.10×", vsEager.measured());
        assertEquals(Boolean.TRUE, vsEager.met());
        BenchReport.Target vsScript = find(sample(), "traced no slower than TorchScript", "mlp_b1");
        assertEquals("0.48×", vsScript.measured());
        assertEquals(Boolean.FALSE, vsScript.met());
        assertEquals(Boolean.FALSE, find(sample(), "warm tracing time under 50 ms", "rnn").met());
        assertNull(find(sample(), "traced faster than PyTorch eager", "lstm").met());
    }

    @Test
    void markdown_hasTheComparisonRowAndTheMachine() {
        String md = sample().markdown(ENV, "chart.svg");
        assertTrue(md.contains("| MLP 784-512-256-10 forward, batch 1 | 44.0 µs | 21.0 µs | 2.10× | 25.5 µs | 31.0 µs (mkldnn) "
                + "| 10.0 µs | 1.21× | 1.48× | **0.48×** |"), md);
        assertTrue(md.contains("\"Test CPU\", 2 logical CPUs"), md);
        assertTrue(md.contains("`benchmarks/run.sh --quick`"), md);
        assertTrue(md.contains("| 15.0 KB | 2600 B | 5.77× |"), md);
        assertTrue(md.contains("- TorchScript trace_mkldnn: RuntimeError: unsupported"), md);
        assertTrue(md.startsWith(BenchReport.BEGIN) && md.endsWith(BenchReport.END + "\n"));
    }

    @Test
    void insert_appendsOnceThenReplacesOnlyTheGeneratedSection() {
        String doc = "# Benchmarks\n\nolder section\n";
        String once = BenchReport.insert(doc, BenchReport.BEGIN + "\nfirst\n" + BenchReport.END + "\n");
        String twice = BenchReport.insert(once + "\n## a later hand-written section\n",
                BenchReport.BEGIN + "\nsecond\n" + BenchReport.END + "\n");
        assertTrue(once.startsWith(doc));
        assertTrue(twice.contains("older section") && twice.contains("second") && twice.contains("a later hand-written"));
        assertFalse(twice.contains("first"));
    }

    @Test
    void svg_isWellFormedXml() throws Exception {
        String svg = sample().svg();
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertTrue(svg.contains("21.0 µs") && svg.contains("n/a"));
    }

    @Test
    void time_picksAUnit() {
        assertEquals("0.33 µs", BenchReport.time(0.325));
        assertEquals("1.86 ms", BenchReport.time(1857));
        assertEquals("n/a", BenchReport.time(Double.NaN));
        assertEquals("**0.50×**", BenchReport.ratio(1, 2));
    }

    private static BenchReport.Target find(BenchReport r, String goal, String workload) {
        BenchReport.Target t = r.targets().stream().filter(x -> x.goal().equals(goal) && x.workload().equals(workload))
                .findFirst().orElse(null);
        assertNotNull(t, goal + " " + workload);
        return t;
    }
}
