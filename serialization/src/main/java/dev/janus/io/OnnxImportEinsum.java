package dev.janus.io;

import static dev.janus.io.OnnxImportOps.one;
import static dev.janus.io.OnnxPrims.ap;

import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Einsum without ellipses or repeated letters within one operand: operands are combined pairwise, each
 * pair as one batched matmul (letters in both and the result are batch axes, in both only are contracted),
 * letters no later operand or the result needs are summed first.
 */
final class OnnxImportEinsum {
    private OnnxImportEinsum() {}

    static List<Tensor> apply(OnnxNode n) {
        if (!n.op().equals("Einsum")) {
            throw n.unsupported("no Janus mapping for this ONNX op");
        }
        String eq = n.s("equation", "").replace(" ", "");
        if (eq.contains(".")) {
            throw n.unsupported("ellipses in the equation '" + eq + "'");
        }
        String[] sides = eq.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        if (terms.length != n.inputCount()) {
            throw n.malformed("equation '" + eq + "' names " + terms.length + " operands, the node has " + n.inputCount());
        }
        String out = sides.length > 1 ? sides[1] : implicitOutput(terms);
        for (String t : terms) {
            if (t.chars().distinct().count() != t.length()) {
                throw n.unsupported("a repeated letter in '" + t + "' (diagonals)");
            }
        }
        Tensor acc = n.in(0);
        String accTerm = terms[0];
        for (int k = 1; k < terms.length; k++) {
            String later = out + String.join("", java.util.Arrays.copyOfRange(terms, k + 1, terms.length));
            Operand r = pair(n, new Operand(acc, accTerm), new Operand(n.in(k), terms[k]), later);
            acc = r.t;
            accTerm = r.term;
        }
        Operand last = sumUnused(new Operand(acc, accTerm), out);
        return one(OnnxPrims.permute(last.t, order(last.term, out)));
    }

    private record Operand(Tensor t, String term) {}

    /** Letters appearing once over all operands, in alphabetical order (the implicit output). */
    private static String implicitOutput(String[] terms) {
        String all = String.join("", terms);
        StringBuilder sb = new StringBuilder();
        all.chars().distinct().sorted().filter(c -> all.indexOf(c) == all.lastIndexOf(c)).forEach(c -> sb.append((char) c));
        return sb.toString();
    }

    /** Sums the letters of {@code x} that {@code keep} does not contain. */
    private static Operand sumUnused(Operand x, String keep) {
        List<Integer> axes = new ArrayList<>();
        StringBuilder left = new StringBuilder();
        for (int i = 0; i < x.term.length(); i++) {
            if (keep.indexOf(x.term.charAt(i)) < 0) {
                axes.add(i);
            } else {
                left.append(x.term.charAt(i));
            }
        }
        if (axes.isEmpty()) {
            return x;
        }
        return new Operand(OnnxPrims.reduce(Op.SUM, x.t, axes.stream().mapToInt(Integer::intValue).toArray(), false),
                left.toString());
    }

    /** a ⊗ b as a matmul of [batch, left, contracted] by [batch, contracted, right]. */
    private static Operand pair(OnnxNode n, Operand a, Operand b, String later) {
        a = sumUnused(a, b.term + later);
        b = sumUnused(b, a.term + later);
        StringBuilder batch = new StringBuilder();
        StringBuilder contracted = new StringBuilder();
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        for (char c : a.term.toCharArray()) {
            boolean inB = b.term.indexOf(c) >= 0;
            (inB ? later.indexOf(c) >= 0 ? batch : contracted : left).append(c);
        }
        for (char c : b.term.toCharArray()) {
            if (a.term.indexOf(c) < 0) {
                right.append(c);
            }
        }
        for (char c : (batch.toString() + contracted).toCharArray()) {
            if (size(a, c) != size(b, c)) {
                throw n.unsupported("letter '" + c + "' has sizes " + size(a, c) + " and " + size(b, c) + " (broadcasting)");
            }
        }
        if (!a.t.dtype().isFloating()) {
            throw n.unsupported("Janus multiplies floating tensors only");
        }
        String bt = batch.toString();
        String lt = left.toString();
        String ct = contracted.toString();
        String rt = right.toString();
        Tensor x = OnnxPrims.reshape(OnnxPrims.permute(a.t, order(a.term, bt + lt + ct)), prod(a, bt), prod(a, lt), prod(a, ct));
        Tensor y = OnnxPrims.reshape(OnnxPrims.permute(b.t, order(b.term, bt + ct + rt)), prod(b, bt), prod(b, ct), prod(b, rt));
        Tensor p = ap(Op.MATMUL, Attrs.of("transA", false, "transB", false), x, y);
        String term = bt + lt + rt;
        long[] dims = new long[term.length()];
        for (int i = 0; i < dims.length; i++) {
            char c = term.charAt(i);
            dims[i] = a.term.indexOf(c) >= 0 ? size(a, c) : size(b, c);
        }
        return new Operand(OnnxPrims.reshape(p, dims), term);
    }

    private static long size(Operand x, char c) {
        return x.t.shape().dim(x.term.indexOf(c));
    }

    private static long prod(Operand x, String letters) {
        long p = 1;
        for (char c : letters.toCharArray()) {
            p *= size(x, c);
        }
        return p;
    }

    /** The permutation taking axes labelled {@code from} to the order {@code to}. */
    private static int[] order(String from, String to) {
        int[] perm = new int[to.length()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = from.indexOf(to.charAt(i));
        }
        return perm;
    }
}
