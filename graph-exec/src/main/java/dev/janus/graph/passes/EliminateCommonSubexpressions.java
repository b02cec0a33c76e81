package dev.janus.graph.passes;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphRewriter;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges nodes that compute the same thing: the same op with equal attributes on the same input values. The
 * first one stays and later uses of the others read it. Equal constants (same type, same elements) are merged
 * first, so two {@code x.mul(2.0)} calls, which record two scalar constants, become one node:
 *
 * <pre>
 * before:
 *   const %1:f32[] = 2.0
 *   const %3:f32[] = 2.0
 *   %2:f32[2, 3] = mul(%x, %1)   # Net.java:12
 *   %4:f32[2, 3] = mul(%x, %3)   # Net.java:13
 *   %5:f32[2, 3] = add(%2, %4)   # Net.java:14
 * after:
 *   const %1:f32[] = 2.0
 *   const %3:f32[] = 2.0
 *   %2:f32[2, 3] = mul(%x, %1)   # Net.java:12
 *   %5:f32[2, 3] = add(%2, %2)   # Net.java:14
 * </pre>
 *
 * <p>The inputs of {@code add}, {@code mul}, the (in)equality tests and the logical ops are compared as an
 * unordered pair, since IEEE addition and multiplication are commutative bit for bit. The constant and nodes
 * merged away are left unused for {@link EliminateDeadCode}.
 *
 * <p>Soundness limits: merging assumes every op is pure and deterministic, which holds for every current
 * primitive (none is random: random tensors are made outside the graph). A random primitive, once added, must
 * be excluded here. Parameters are never merged, even two holding equal values, because they are live.
 * Constants of more than {@link #MAX_COMPARED_ELEMENTS} elements are compared by identity only (comparing
 * contents would copy them).
 */
public final class EliminateCommonSubexpressions implements Pass {
    @Override
    public boolean appliesInsideSubgraphs() {
        return true;
    }

    /** Constants up to this many elements are merged when their contents are equal. */
    public static final long MAX_COMPARED_ELEMENTS = 1L << 16;

    @Override
    public Graph apply(Graph graph) {
        GraphRewriter r = new GraphRewriter(graph);
        mergeConstants(graph, r);
        Map<Key, Value> seen = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (n.isControl()) {
                r.emit(n); // control nodes are kept whole; their subgraphs are optimized on their own
                continue;
            }
            Key key = Key.of(n, r);
            Value earlier = seen.get(key);
            if (earlier != null) {
                r.replace(n.output(), earlier);
            } else {
                seen.put(key, r.emit(n).output());
            }
        }
        return r.build();
    }

    private static void mergeConstants(Graph graph, GraphRewriter r) {
        Map<ConstantKey, Value> seen = new HashMap<>();
        for (Map.Entry<Value, Tensor> c : graph.constants().entrySet()) {
            if (c.getValue().numel() > MAX_COMPARED_ELEMENTS) {
                continue;
            }
            ConstantKey key = new ConstantKey(c.getKey().spec(), ConstantValues.bits(c.getValue()));
            Value earlier = seen.putIfAbsent(key, c.getKey());
            if (earlier != null) {
                r.replace(c.getKey(), earlier);
            }
        }
    }

    /** What a node computes: its op, attributes and (resolved) inputs, which compare by identity. */
    private record Key(Op op, Attrs attrs, List<Value> inputs) {
        static Key of(Node n, GraphRewriter r) {
            List<Value> in = new ArrayList<>(n.inputs().size());
            for (Value v : n.inputs()) {
                in.add(r.resolve(v));
            }
            if (commutative(n.op())) {
                in.sort(Comparator.comparingInt(Value::id));
            }
            return new Key(n.op(), n.attrs(), in);
        }

        private static boolean commutative(Op op) {
            return switch (op) {
                case ADD, MUL, EQ, NE, AND, OR, XOR -> true;
                default -> false;
            };
        }
    }

    /** A constant's type and exact contents. */
    private record ConstantKey(TensorSpec spec, long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ConstantKey k && spec.equals(k.spec) && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return 31 * spec.hashCode() + Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return spec + Arrays.toString(bits);
        }
    }
}
