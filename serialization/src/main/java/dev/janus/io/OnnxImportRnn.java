package dev.janus.io;

import static dev.janus.io.OnnxPrims.add;
import static dev.janus.io.OnnxPrims.ap;
import static dev.janus.io.OnnxPrims.bin;
import static dev.janus.io.OnnxPrims.mul;
import static dev.janus.io.OnnxPrims.scalar;
import static dev.janus.io.OnnxPrims.sub;
import static dev.janus.io.OnnxPrims.un;

import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX RNN, GRU and LSTM unrolled over their (static) sequence length into Janus primitives, forward, reverse
 * or bidirectional, in both layouts. The input projection of all steps is one matmul; each step adds the
 * recurrent matmul and applies the gates in the specification's order (LSTM iofc, GRU zrh).
 */
final class OnnxImportRnn {
    private OnnxImportRnn() {}

    static List<Tensor> apply(OnnxNode n) {
        return switch (n.op()) {
            case "RNN" -> recurrent(n, 1);
            case "GRU" -> recurrent(n, 3);
            case "LSTM" -> recurrent(n, 4);
            default -> OnnxImportEinsum.apply(n);
        };
    }

    /** What one direction runs with: its weights [G·H, I] and [G·H, H], summed biases and peepholes. */
    private record Cell(Tensor w, Tensor r, Tensor wb, Tensor rb, Tensor p, List<String> activations) {}

    private static List<Tensor> recurrent(OnnxNode n, int gates) {
        Tensor x = n.in(0);
        if (!x.dtype().isFloating()) {
            throw n.unsupported("Janus computes it on floating tensors only");
        }
        boolean batchFirst = n.i("layout", 0) != 0;
        if (batchFirst) {
            x = OnnxPrims.permute(x, 1, 0, 2);
        }
        long seq = x.shape().dim(0);
        if (seq == 0) {
            throw n.unsupported("an empty sequence");
        }
        checkLengths(n, seq);
        String direction = n.s("direction", "forward");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        long hidden = n.in(2).shape().dim(2);
        List<Tensor> ys = new ArrayList<>();
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            Cell cell = cell(n, gates, d, hidden);
            Tensor h = initial(n, 5, d, x, hidden, batchFirst);
            Tensor c = gates == 4 ? initial(n, 6, d, x, hidden, batchFirst) : null;
            Tensor proj = projectInputs(x, cell);
            Tensor[] outs = new Tensor[(int) seq];
            for (long step = 0; step < seq; step++) {
                long t = reverse ? seq - 1 - step : step;
                Tensor xt = OnnxPrims.squeeze(OnnxPrims.slice(proj, 0, t, t + 1, 1), 0);
                Tensor[] next = step(n, gates, cell, xt, h, c);
                h = next[0];
                c = next[1];
                outs[(int) t] = OnnxPrims.unsqueeze(h, 0);
            }
            ys.add(OnnxPrims.concat(0, outs));
            hs.add(OnnxPrims.unsqueeze(h, 0));
            cs.add(c == null ? null : OnnxPrims.unsqueeze(c, 0));
        }
        Tensor y = ys.size() == 1 ? OnnxPrims.unsqueeze(ys.get(0), 1)
                : OnnxPrims.concat(1, OnnxPrims.unsqueeze(ys.get(0), 1), OnnxPrims.unsqueeze(ys.get(1), 1));
        Tensor yh = hs.size() == 1 ? hs.get(0) : OnnxPrims.concat(0, hs.get(0), hs.get(1));
        Tensor yc = gates != 4 ? null : cs.size() == 1 ? cs.get(0) : OnnxPrims.concat(0, cs.get(0), cs.get(1));
        if (batchFirst) {
            y = OnnxPrims.permute(y, 2, 0, 1, 3);
            yh = OnnxPrims.permute(yh, 1, 0, 2);
            yc = yc == null ? null : OnnxPrims.permute(yc, 1, 0, 2);
        }
        List<Tensor> out = new ArrayList<>(List.of(y, yh));
        if (yc != null) {
            out.add(yc);
        }
        return out;
    }

    /** sequence_lens must be constant and equal to the sequence length (no per-batch masking). */
    private static void checkLengths(OnnxNode n, long seq) {
        if (!n.has(4)) {
            return;
        }
        for (long len : n.constLongs(4)) {
            if (len != seq) {
                throw n.unsupported("sequence_lens shorter than the sequence (" + len + " < " + seq + ")");
            }
        }
    }

    private static Tensor direction(Tensor t, int d) {
        return OnnxPrims.squeeze(OnnxPrims.slice(t, 0, d, d + 1, 1), 0);
    }

    private static Cell cell(OnnxNode n, int gates, int d, long hidden) {
        Tensor w = direction(n.in(1), d);
        Tensor r = direction(n.in(2), d);
        Tensor wb = null;
        Tensor rb = null;
        if (n.has(3)) {
            Tensor b = direction(n.in(3), d);
            wb = OnnxPrims.slice(b, 0, 0, gates * hidden, 1);
            rb = OnnxPrims.slice(b, 0, gates * hidden, 2 * gates * hidden, 1);
        }
        Tensor p = gates == 4 && n.has(7) ? direction(n.in(7), d) : null;
        List<String> acts = activations(n, gates, d);
        return new Cell(w, r, wb, rb, p, acts);
    }

    private static List<String> activations(OnnxNode n, int gates, int d) {
        int per = gates == 1 ? 1 : gates == 3 ? 2 : 3;
        List<String> defaults = gates == 1 ? List.of("Tanh") : gates == 3 ? List.of("Sigmoid", "Tanh")
                : List.of("Sigmoid", "Tanh", "Tanh");
        var attr = n.attr("activations");
        if (attr == null) {
            return defaults;
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < per; k++) {
            out.add(new String(attr.strings().get(d * per + k), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Tensor initial(OnnxNode n, int input, int d, Tensor x, long hidden, boolean batchFirst) {
        if (!n.has(input)) {
            return OnnxPrims.expand(scalar(0, x), x.shape().dim(1), hidden);
        }
        Tensor s = n.in(input);
        return batchFirst ? OnnxPrims.squeeze(OnnxPrims.slice(s, 1, d, d + 1, 1), 1) : direction(s, d);
    }

    /** X·Wᵀ (+ Wb) for every step at once: [seq, batch, G·H]. */
    private static Tensor projectInputs(Tensor x, Cell cell) {
        long seq = x.shape().dim(0);
        long batch = x.shape().dim(1);
        Tensor flat = OnnxPrims.reshape(x, seq * batch, x.shape().dim(2));
        Tensor p = ap(Op.MATMUL, Attrs.of("transA", false, "transB", true), flat, cell.w());
        if (cell.wb() != null) {
            p = add(p, cell.wb());
        }
        return OnnxPrims.reshape(p, seq, batch, p.shape().dim(1));
    }

    private static Tensor gate(Tensor all, int k, long hidden) {
        return OnnxPrims.slice(all, 1, k * hidden, (k + 1) * hidden, 1);
    }

    private static Tensor recurrentTerm(Tensor h, Cell cell) {
        Tensor p = ap(Op.MATMUL, Attrs.of("transA", false, "transB", true), h, cell.r());
        return cell.rb() != null ? add(p, cell.rb()) : p;
    }

    /** One step: returns (h, c) (c null outside LSTM). */
    private static Tensor[] step(OnnxNode n, int gates, Cell cell, Tensor xt, Tensor h, Tensor c) {
        long hidden = h.shape().dim(1);
        List<String> act = cell.activations();
        return switch (gates) {
            case 1 -> new Tensor[] {activate(n, act.get(0), add(xt, recurrentTerm(h, cell))), null};
            case 3 -> new Tensor[] {gru(n, cell, xt, h, hidden), null};
            default -> lstm(n, cell, xt, h, c, hidden);
        };
    }

    private static Tensor gru(OnnxNode n, Cell cell, Tensor xt, Tensor h, long hidden) {
        List<String> act = cell.activations();
        Tensor rw = ap(Op.MATMUL, Attrs.of("transA", false, "transB", true), h, cell.r());
        Tensor z = activate(n, act.get(0), add(gate(xt, 0, hidden), withBias(gate(rw, 0, hidden), cell.rb(), 0, hidden)));
        Tensor r = activate(n, act.get(0), add(gate(xt, 1, hidden), withBias(gate(rw, 1, hidden), cell.rb(), 1, hidden)));
        Tensor rh = OnnxPrims.slice(cell.r(), 0, 2 * hidden, 3 * hidden, 1);
        Tensor candidate;
        if (n.i("linear_before_reset", 0) != 0) {
            candidate = add(gate(xt, 2, hidden), mul(r, withBias(gate(rw, 2, hidden), cell.rb(), 2, hidden)));
        } else {
            Tensor rhTerm = ap(Op.MATMUL, Attrs.of("transA", false, "transB", true), mul(r, h), rh);
            candidate = add(gate(xt, 2, hidden), withBias(rhTerm, cell.rb(), 2, hidden));
        }
        Tensor hh = activate(n, act.get(1), candidate);
        return add(mul(sub(scalar(1, z), z), hh), mul(z, h));
    }

    private static Tensor withBias(Tensor t, Tensor bias, int k, long hidden) {
        return bias == null ? t : add(t, OnnxPrims.slice(bias, 0, k * hidden, (k + 1) * hidden, 1));
    }

    private static Tensor[] lstm(OnnxNode n, Cell cell, Tensor xt, Tensor h, Tensor c, long hidden) {
        List<String> act = cell.activations();
        Tensor all = add(xt, recurrentTerm(h, cell));
        Tensor p = cell.p();
        Tensor i = gate(all, 0, hidden);
        Tensor o = gate(all, 1, hidden);
        Tensor f = gate(all, 2, hidden);
        Tensor g = gate(all, 3, hidden);
        if (p != null) {
            i = add(i, mul(OnnxPrims.slice(p, 0, 0, hidden, 1), c));
            f = add(f, mul(OnnxPrims.slice(p, 0, 2 * hidden, 3 * hidden, 1), c));
        }
        i = activate(n, act.get(0), i);
        f = n.i("input_forget", 0) != 0 ? sub(scalar(1, i), i) : activate(n, act.get(0), f);
        Tensor cNext = add(mul(f, c), mul(i, activate(n, act.get(1), g)));
        if (p != null) {
            o = add(o, mul(OnnxPrims.slice(p, 0, hidden, 2 * hidden, 1), cNext));
        }
        o = activate(n, act.get(0), o);
        return new Tensor[] {mul(o, activate(n, act.get(2), cNext)), cNext};
    }

    /** An activation by its ONNX name, after the optional clip of its input. */
    private static Tensor activate(OnnxNode n, String name, Tensor x) {
        float clip = n.f("clip", 0f);
        Tensor in = x;
        if (n.attr("clip") != null) {
            in = bin(Op.MAXIMUM, bin(Op.MINIMUM, in, scalar(clip, in)), scalar(-clip, in));
        }
        return switch (name) {
            case "Sigmoid" -> un(Op.SIGMOID, in);
            case "Tanh" -> un(Op.TANH, in);
            case "Relu" -> un(Op.RELU, in);
            default -> throw n.unsupported("activation '" + name + "' (Sigmoid, Tanh and Relu are supported)");
        };
    }
}
