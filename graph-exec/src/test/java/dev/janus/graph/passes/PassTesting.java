package dev.janus.graph.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.Executor;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers for the pass tests: types, golden text without source lines, and running graphs. */
final class PassTesting {
    private PassTesting() {}

    static TensorSpec f32(long... dims) {
        return new TensorSpec(DType.FLOAT32, Shape.of(dims));
    }

    /** The IR text without its {@code   # File.java:N} comments. */
    static String withoutLocations(Graph g) {
        return g.toString().replaceAll(" {3}# [^\\n]*", "");
    }

    /** Lines joined with newlines, ending in one, as {@link Graph#toString()} writes them. */
    static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /** The op names of {@code g}'s nodes, in order. */
    static List<String> ops(Graph g) {
        List<String> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            out.add(n.op().opName());
        }
        return out;
    }

    /** Random inputs for {@code g}: normal floats, integers in [0, 3). */
    static Tensor[] randomInputs(Graph g, long seed) {
        Generator gen = new Generator(seed);
        Tensor[] out = new Tensor[g.inputs().size()];
        for (int i = 0; i < out.length; i++) {
            TensorSpec s = g.inputs().get(i).spec();
            out[i] = s.dtype().isFloating() ? Tensor.randn(gen, s.dtype(), s.shape().dims())
                    : Tensor.randint(gen, 0, 3, s.shape().dims()).cast(s.dtype());
        }
        return out;
    }

    /** Runs both graphs on the same random inputs (three draws) and checks their outputs agree within {@code tol}. */
    static void assertSameResults(Graph before, Graph after, double tol) {
        assertEquals(before.inputs(), after.inputs(), "a pass must keep the graph's inputs");
        assertEquals(before.outputs().size(), after.outputs().size(), "a pass must keep the number of outputs");
        for (long seed = 1; seed <= 3; seed++) {
            Tensor[] in = randomInputs(before, seed);
            Tensor[] expected = new Executor(before).run(in);
            Tensor[] actual = new Executor(after).run(in);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i].dtype(), actual[i].dtype());
                assertEquals(expected[i].shape(), actual[i].shape());
                assertArrayEquals(expected[i].toDoubleArray(), actual[i].toDoubleArray(), tol, "output " + i);
            }
        }
    }
}
