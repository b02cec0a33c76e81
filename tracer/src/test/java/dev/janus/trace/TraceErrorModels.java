package dev.janus.trace;

import dev.janus.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Methods that each use one construct the tracer refuses; the refused line carries a marker comment. */
final class TraceErrorModels {
    static int calls;
    Tensor last;

    record Pair(Tensor a, Tensor b) {} // @record

    Tensor putField(Tensor x) {
        Tensor y = x.relu();
        last = y; // @putfield
        return y;
    }

    Tensor putStatic(Tensor x) {
        calls = calls + 1; // @putstatic
        return x;
    }

    Tensor monitor(Tensor x) {
        synchronized (this) { // @monitor
            return x.relu();
        }
    }

    Tensor tryCatch(Tensor x) {
        try {
            return x.relu().div(x.sum()); // @try
        } catch (RuntimeException e) {
            return x;
        }
    }

    Tensor print(Tensor x) {
        System.out.println("tracing " + x.shape()); // @print
        return x;
    }

    Tensor file(Tensor x) {
        if (Files.exists(Path.of("weights.bin"))) { // @file
            return x.neg();
        }
        return x;
    }

    Tensor escapingLambda(Tensor x) {
        List<Tensor> parts = new ArrayList<>(List.of(x, x.neg()));
        parts.replaceAll(t -> t.relu()); // @lambda
        return parts.get(0).add(parts.get(1));
    }

    Tensor recordToString(Tensor x) {
        String s = helperDescribe(new Pair(x, x));
        return s.isEmpty() ? x : x.neg();
    }

    private static String helperDescribe(Pair p) {
        return p.toString();
    }

    Tensor throwOnData(Tensor x) {
        if (x.sum().item() < -100) {
            throw new IllegalStateException("diverged"); // @throw
        }
        return x.relu();
    }

    Tensor breakOnData(Tensor h, int steps) {
        for (int t = 0; t < steps; t++) {
            h = h.tanh().add(1.0);
            if (h.sum().item() > 50) { // @break
                break;
            }
        }
        return h;
    }

    Tensor concatNumber(Tensor x) {
        String label = "sum=" + x.sum().item(); // @concat
        return label.isEmpty() ? x : x.neg();
    }

    Tensor readValues(Tensor x) {
        float[] v = x.toFloatArray(); // @values
        return x.mul((double) v[0]);
    }

    /** A list that existed before tracing: the graph could not fill it. */
    private final List<Tensor> history = new ArrayList<>();

    Tensor appendInLoop(Tensor x, int n) {
        for (int i = 0; i < n; i++) {
            x = x.tanh();
            history.add(x); // @append
        }
        return x;
    }

    Tensor appendTwice(Tensor x, int n) {
        List<Tensor> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            outs.add(x);
            x = x.tanh();
            outs.add(x); // @append-twice
        }
        return Tensor.stack(0, outs);
    }

    int sizeOfScanned(Tensor x, int n) {
        List<Tensor> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            x = x.tanh();
            outs.add(x);
        }
        return outs.size(); // @scanned-size
    }

    Tensor nullCarried(Tensor x, int n) {
        Tensor last = null;
        for (int i = 0; i < n; i++) { // @null-carried
            last = x.mul((double) 2);
        }
        return last == null ? x : last;
    }

    Tensor switchOnData(Tensor x) {
        switch ((int) x.sum().itemLong()) { // @switch
            case 0:
                return x;
            default:
                return x.neg();
        }
    }

    Tensor breakMidLoop(Tensor x) {
        for (int i = 0; i < 10; i++) {
            x = x.mul(0.5);
            if (x.abs().sum().item() < 1) { // @break-mid
                break;
            }
            x = x.add(1.0);
        }
        return x;
    }
}
