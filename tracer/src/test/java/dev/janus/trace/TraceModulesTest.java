package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User modules, private and static helpers are inlined, and nodes carry the user's source lines. */
class TraceModulesTest {
    private final TraceModels.Net net = new TraceModels.Net();
    private final Tensor x = Tensor.randn(new Generator(11), 5, 8);

    /** The graph text line that records {@code op} first, e.g. {@code %7:f32[5, 16] = tanh(%6)   # ...}. */
    private static String lineOf(String graph, String op) {
        return Arrays.stream(graph.split("\n")).filter(l -> l.contains("= " + op + "(")).findFirst().orElseThrow(
                () -> new AssertionError("no " + op + " node in\n" + graph));
    }

    @Test
    void nestedUserModules_inlined_matchEager() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Net::forward, net, x);
        assertArrayEquals(net.forward(x).toFloatArray(), f.call(x).toFloatArray(), 1e-5f);
        Tensor other = Tensor.randn(new Generator(12), 5, 8);
        assertArrayEquals(net.forward(other).toFloatArray(), f.call(other).toFloatArray(), 1e-5f);
        assertEquals(1, f.traceCount());
    }

    @Test
    void nodes_carryTheUserLinesTheyCameFrom() {
        String g = Tracer.trace(TraceModels.Net::forward, net, x).graph().toString();
        assertTrue(lineOf(g, "tanh").endsWith("# " + SourceLines.at("TraceModels.java", "@squash")), g);
        assertTrue(lineOf(g, "sum").endsWith("# " + SourceLines.at("TraceModels.java", "@center")), g); // mean = sum / n
        assertTrue(g.contains("# " + SourceLines.at("TraceModels.java", "@block-residual")), g);
        assertTrue(lineOf(g, "matmul").endsWith("# " + SourceLines.at("TraceModels.java", "@block-fc1")), g);
    }

    @Test
    void parameters_areNamedByTheirModulePaths() {
        String g = Tracer.trace(TraceModels.Net::forward, net, x).graph().toString();
        for (String name : List.of("%first.fc1.weight", "%second.fc2.bias", "%head.weight")) {
            assertTrue(g.contains(name), name + " in\n" + g);
        }
    }

    @Test
    void weightsChangedAfterTracing_areReadByReference() {
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Net::forward, net, x);
        try (var noGrad = dev.janus.Janus.noGrad()) {
            net.head.bias.assign(net.head.bias.add(1.0));
        }
        assertArrayEquals(net.forward(x).toFloatArray(), f.call(x).toFloatArray(), 1e-5f);
    }

    @Test
    void lambdaForm_tracesTheMethodItCalls() {
        TracedFunction<Tensor> f = Tracer.trace((TraceModels.Net n, Tensor in) -> n.forward(in).relu(), net, x);
        assertArrayEquals(net.forward(x).relu().toFloatArray(), f.call(x).toFloatArray(), 1e-5f);
    }

    @Test
    void superCallIntoALibraryLayer_runsTheLibraryMethodNotTheOverride() {
        TraceModels.ScaledLinear layer = new TraceModels.ScaledLinear();
        Tensor in = Tensor.randn(new Generator(5), 4, 3);
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.ScaledLinear::forward, layer, in);
        assertArrayEquals(layer.forward(in).toFloatArray(), f.call(in).toFloatArray(), 1e-6f);
        assertTrue(f.graph().toString().contains("# " + SourceLines.at("TraceModels.java", "@super")), f.graph().toString());
    }

    @Test
    void staticMethodByName_isTraced() {
        TracedFunction<Object> f = Tracer.trace(TraceModels.Net.class, "center", x);
        assertArrayEquals(TraceModels.Net.center(x).toFloatArray(), ((Tensor) f.call(x)).toFloatArray(), 1e-6f);
    }

    @Test
    void libraryLayerItself_isExecutedOnSymbolicInputs() {
        dev.janus.nn.Linear fc = new dev.janus.nn.Linear(8, 2);
        TracedFunction<Object> f = Tracer.trace(fc, "forward", x);
        assertArrayEquals(fc.forward(x).toFloatArray(), ((Tensor) f.call(x)).toFloatArray(), 1e-6f);
        assertTrue(f.graph().toString().contains("%weight"), f.graph().toString());
    }

    @Test
    void argumentOfTheWrongType_isRejectedNamingIt() {
        TraceModels.Rnn rnn = new TraceModels.Rnn(2, 1);
        Tensor h = Tensor.randn(new Generator(1), 2, 1);
        TracedFunction<Tensor> f = Tracer.trace(TraceModels.Rnn::forward, rnn, h, 2);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> f.call(h, 2L));
        assertTrue(e.getMessage().contains("argument 1 (steps) is a int parameter, got Long"), e.getMessage());
    }
}
