package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** explain() shows the graph with its source lines, the guards, and the retraces. */
class TraceExplainTest {
    @Test
    void explain_showsGuardsGraphWithLinesAndRetraces() {
        TraceModels.Rnn rnn = new TraceModels.Rnn(4, 7);
        Tensor h = Tensor.randn(new Generator(1), 4, 1);
        TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), TraceModels.Rnn::forward,
                rnn, h, 5);
        f.call(Tensor.randn(new Generator(2), 4, 2), 3);
        String text = f.explain();
        assertTrue(text.startsWith("traced Rnn.forward: 2 traces, 2 graphs cached"), text);
        assertTrue(text.contains("  arg 0 (h): dim 1 == 2\n"), text);
        assertTrue(text.contains("  arg 1 (steps): dynamic Integer\n"), text);
        assertTrue(text.contains("  receiver: training mode == true\n"), text);
        assertTrue(text.contains("graph(%h:f32[4, 2], %steps:i64[])"), text);
        assertTrue(text.contains("= tanh(") && text.contains("# " + SourceLines.at("TraceModels.java", "@seed-body")), text);
        assertTrue(text.contains("retraces:\n  1. arg 0 (h): dim 1 was 1, now 2\n"), text);
    }
}
