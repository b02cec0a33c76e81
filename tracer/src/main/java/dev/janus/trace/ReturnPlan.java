package dev.janus.trace;

import dev.janus.Tensor;
import dev.janus.trace.TraceValue.Concrete;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Type;

/**
 * The shape of a traced method's result: a tensor, a list or array of tensors, or a number. The graph's
 * outputs are its tensors (a number as a 0-d tensor); {@link #rebuild} turns a run's outputs back into the
 * Java value the method returns.
 */
final class ReturnPlan {
    /** What the method returns; {@code SCANNED_LIST} is a list filled by a data-dependent loop, stacked in the graph. */
    private enum Form { TENSOR, LIST, SCANNED_LIST, ARRAY, NUMBER }

    private final Form form;
    private final Type type;

    private ReturnPlan(Form form, Type type) {
        this.form = form;
        this.type = type;
    }

    /** The plan for returned value {@code v} of declared type {@code type}, adding the graph outputs to {@code outs}. */
    static ReturnPlan of(TraceValue v, Type type, List<Tensor> outs, String method, TraceSession session) {
        if (v instanceof Concrete c && c.value() instanceof Tensor t) {
            outs.add(t);
            return new ReturnPlan(Form.TENSOR, type);
        } else if (v instanceof Concrete c && c.value() != null && session.scannedList(c.value()) != null) {
            outs.add(ScannedLists.stacked(session.scannedList(c.value()), 0));
            return new ReturnPlan(Form.SCANNED_LIST, type);
        } else if (v instanceof Concrete c && c.value() instanceof List<?> l && allTensors(l)) {
            l.forEach(x -> outs.add((Tensor) x));
            return new ReturnPlan(Form.LIST, type);
        } else if (v instanceof Concrete c && c.value() instanceof Tensor[] a && allTensors(Arrays.asList(a))) {
            outs.addAll(Arrays.asList(a));
            return new ReturnPlan(Form.ARRAY, type);
        }
        char kind = numberKind(v);
        if (kind == 0) {
            throw new TraceException(method + " returns " + (v == null ? "nothing" : Values.describe(v)) + "; a traced "
                    + "method returns a Tensor, a List or array of tensors, or a number");
        }
        outs.add(Scalars.tensorOf(v, kind));
        return new ReturnPlan(Form.NUMBER, type);
    }

    private static char numberKind(TraceValue v) {
        if (v instanceof TraceValue.Sym s) {
            return s.kind();
        } else if (v instanceof TraceValue.Cmp) {
            return 'I';
        } else if (v instanceof Concrete c && (c.value() instanceof Integer || c.value() instanceof Long
                || c.value() instanceof Float || c.value() instanceof Double)) {
            return Values.numberKind(c.value());
        }
        return 0;
    }

    private static boolean allTensors(List<?> l) {
        return !l.isEmpty() && l.stream().allMatch(Tensor.class::isInstance);
    }

    Object rebuild(Tensor[] outs) {
        return switch (form) {
            case TENSOR -> outs[0];
            case LIST -> new ArrayList<>(Arrays.asList(outs));
            case SCANNED_LIST -> unstacked(outs[0]);
            case ARRAY -> outs.clone();
            case NUMBER -> number(outs[0]);
        };
    }

    private static List<Tensor> unstacked(Tensor t) {
        List<Tensor> out = new ArrayList<>();
        for (long i = 0; i < t.dim(0); i++) {
            out.add(t.select(0, i));
        }
        return out;
    }

    private Object number(Tensor t) {
        return switch (type.getDescriptor()) {
            case "Z", "Ljava/lang/Boolean;" -> t.item() != 0;
            case "I", "Ljava/lang/Integer;" -> (int) t.itemLong();
            case "J", "Ljava/lang/Long;" -> t.itemLong();
            case "F", "Ljava/lang/Float;" -> (float) t.item();
            default -> t.item();
        };
    }
}
