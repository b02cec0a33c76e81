package dev.janus.graph.passes;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphRewriter;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies algebraic identities that remove or merge nodes without changing any result:
 *
 * <table>
 * <caption>rewrites</caption>
 * <tr><td>{@code x * 1}, {@code 1 * x}, {@code x + 0}, {@code 0 + x}, {@code x - 0}, {@code x / 1}</td><td>{@code x}</td></tr>
 * <tr><td>{@code neg(neg(x))}</td><td>{@code x}</td></tr>
 * <tr><td>{@code permute(permute(x, p), q)}</td><td>{@code permute(x, p∘q)}, or {@code x} when that is the identity</td></tr>
 * <tr><td>{@code reshape(reshape(x, s), t)}</td><td>{@code reshape(x, t)}, or {@code x} when {@code t} is x's shape</td></tr>
 * <tr><td>{@code cast(x, dtype)} with x already of {@code dtype}</td><td>{@code x}</td></tr>
 * <tr><td>{@code matmul(permute(a, swap last two axes), b)}</td><td>{@code matmul(a, b)} with {@code transA} flipped (and likewise for b)</td></tr>
 * </table>
 *
 * <p>A 1 or 0 is a constant whose elements all equal it (a scalar, usually), and the rule applies only when
 * the node's result has exactly x's type, so a constant that broadcasts x to a larger shape, or a node whose
 * dtype differs, is kept. For example, {@code x.t().t().mul(1.0).matmul(w.t())}:
 *
 * <pre>
 * before:
 *   const %4:f32[] = 1.0
 *   %2:f32[3, 2] = permute(%x) {perm=[1, 0]}   # Net.java:12
 *   %3:f32[2, 3] = permute(%2) {perm=[1, 0]}   # Net.java:12
 *   %5:f32[2, 3] = mul(%3, %4)   # Net.java:12
 *   %6:f32[3, 4] = permute(%w) {perm=[1, 0]}   # Net.java:12
 *   %7:f32[2, 4] = matmul(%5, %6) {transA=false, transB=false}   # Net.java:12
 * after:
 *   const %4:f32[] = 1.0
 *   %2:f32[3, 2] = permute(%x) {perm=[1, 0]}   # Net.java:12
 *   %6:f32[3, 4] = permute(%w) {perm=[1, 0]}   # Net.java:12
 *   %7:f32[2, 4] = matmul(%x, %w) {transA=false, transB=true}   # Net.java:12
 * </pre>
 *
 * <p>Rewritten nodes keep their value and source line; the rules see the already-simplified inputs, so chains
 * ({@code neg(neg(neg(x)))}, three permutes) collapse in one run. Nodes and constants left without users stay
 * for {@link EliminateDeadCode}.
 *
 * <p>Soundness limits: {@code x + 0 → x} is exact except for the sign of zero ({@code -0.0 + 0.0} is
 * {@code +0.0}; the simplified graph returns {@code -0.0}, which compares equal). Folding a transpose into
 * matmul's flags lets the GEMM kernel read the operand transposed; a kernel may then sum in another order, so
 * results can differ in the last bits. Only constants of at most {@link #MAX_IDENTITY_ELEMENTS} elements are
 * checked for being all ones or zeros, and parameters never are (they are live). {@code cast} chains are not
 * merged ({@code f64 → f32 → f64} rounds), nor is {@code x * 0} (NaN and infinity times 0 are NaN).
 */
public final class SimplifyAlgebra implements Pass {
    @Override
    public boolean appliesInsideSubgraphs() {
        return true;
    }

    /** Constants up to this many elements are checked for being all ones or all zeros. */
    public static final long MAX_IDENTITY_ELEMENTS = 4096;

    @Override
    public Graph apply(Graph graph) {
        GraphRewriter r = new GraphRewriter(graph);
        for (Node n : graph.nodes()) {
            if (n.isControl()) {
                r.emit(n); // control nodes are kept whole; their subgraphs are optimized on their own
                continue;
            }
            Node m = combine(resolved(n, r), r);
            Value same = passThrough(m, r);
            if (same != null && same.spec().equals(n.output().spec())) {
                r.replace(n.output(), same);
            } else {
                r.emit(m);
            }
        }
        return r.build();
    }

    private static Node resolved(Node n, GraphRewriter r) {
        List<Value> in = new ArrayList<>(n.inputs().size());
        for (Value v : n.inputs()) {
            in.add(r.resolve(v));
        }
        return new Node(n.op(), n.attrs(), in, n.output(), n.location());
    }

    /** {@code n} with its input's producer merged into it (permute∘permute, reshape∘reshape, transposes into matmul). */
    private static Node combine(Node n, GraphRewriter r) {
        return switch (n.op()) {
            case PERMUTE -> composePermutes(n, r);
            case RESHAPE -> {
                Node p = producedBy(r, input(n, 0), Op.RESHAPE);
                yield p == null ? n : with(n, n.attrs(), input(p, 0));
            }
            case MATMUL -> foldTransposes(n, r);
            default -> n;
        };
    }

    private static Node composePermutes(Node n, GraphRewriter r) {
        Node p = producedBy(r, input(n, 0), Op.PERMUTE);
        if (p == null) {
            return n;
        }
        return with(n, Attrs.of("perm", compose(p.attrs().ints("perm"), n.attrs().ints("perm"))), input(p, 0));
    }

    /** The value {@code n} equals (one of its inputs), or null. */
    private static Value passThrough(Node n, GraphRewriter r) {
        return switch (n.op()) {
            case MUL -> identityOperand(n, r, 1, true);
            case ADD -> identityOperand(n, r, 0, true);
            case SUB -> identityOperand(n, r, 0, false);
            case DIV -> identityOperand(n, r, 1, false);
            case NEG -> {
                Node p = producedBy(r, input(n, 0), Op.NEG);
                yield p == null ? null : input(p, 0);
            }
            case PERMUTE -> isIdentity(normalized(n.attrs().ints("perm"))) ? input(n, 0) : null;
            case RESHAPE -> Arrays.equals(n.attrs().longs("shape"), input(n, 0).spec().shape().dims()) ? input(n, 0) : null;
            case CAST -> n.attrs().dtype("dtype") == input(n, 0).spec().dtype() ? input(n, 0) : null;
            default -> null;
        };
    }

    /** x for {@code op(x, c)} (and {@code op(c, x)} when {@code commutes}) where c is all {@code identity}. */
    private static Value identityOperand(Node n, GraphRewriter r, double identity, boolean commutes) {
        if (isAll(r, input(n, 1), identity) && input(n, 0).spec().equals(n.output().spec())) {
            return input(n, 0);
        }
        if (commutes && isAll(r, input(n, 0), identity) && input(n, 1).spec().equals(n.output().spec())) {
            return input(n, 1);
        }
        return null;
    }

    private static boolean isAll(GraphRewriter r, Value v, double value) {
        Tensor c = r.constant(v);
        return c != null && ConstantValues.allEqual(c, value, MAX_IDENTITY_ELEMENTS);
    }

    private static Node foldTransposes(Node n, GraphRewriter r) {
        Value a = input(n, 0);
        Value b = input(n, 1);
        boolean ta = n.attrs().b("transA");
        boolean tb = n.attrs().b("transB");
        Node pa = transposeOfLastTwo(r, a);
        if (pa != null) {
            a = input(pa, 0);
            ta = !ta;
        }
        Node pb = transposeOfLastTwo(r, b);
        if (pb != null) {
            b = input(pb, 0);
            tb = !tb;
        }
        if (a == input(n, 0) && b == input(n, 1)) {
            return n;
        }
        Attrs attrs = replaced(replaced(n.attrs(), "transA", ta), "transB", tb);
        return new Node(Op.MATMUL, attrs, List.of(a, b), n.output(), n.location());
    }

    private static Node transposeOfLastTwo(GraphRewriter r, Value v) {
        Node p = producedBy(r, v, Op.PERMUTE);
        return p != null && swapsLastTwo(p.attrs().ints("perm")) ? p : null;
    }

    private static Node producedBy(GraphRewriter r, Value v, Op op) {
        Node p = r.producer(v);
        return p != null && p.op() == op ? p : null;
    }

    private static Value input(Node n, int i) {
        return n.inputs().get(i);
    }

    private static Node with(Node n, Attrs attrs, Value input) {
        return new Node(n.op(), attrs, List.of(input), n.output(), n.location());
    }

    private static Attrs replaced(Attrs a, String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(a.asMap());
        m.put(name, value);
        Object[] pairs = new Object[2 * m.size()];
        int i = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return Attrs.of(pairs);
    }

    /** The permutation {@code permute(permute(x, first), second)} applies to x's axes. */
    static int[] compose(int[] first, int[] second) {
        int[] p = normalized(first);
        int[] q = normalized(second);
        int[] out = new int[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = p[q[i]];
        }
        return out;
    }

    private static int[] normalized(int[] perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = perm[i] < 0 ? perm[i] + perm.length : perm[i];
        }
        return out;
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static boolean swapsLastTwo(int[] perm) {
        int[] p = normalized(perm);
        int n = p.length;
        if (n < 2 || p[n - 2] != n - 1 || p[n - 1] != n - 2) {
            return false;
        }
        return isIdentity(Arrays.copyOf(p, n - 2));
    }
}
