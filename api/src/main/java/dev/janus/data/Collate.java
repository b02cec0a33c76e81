package dev.janus.data;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Collate functions: they turn the list of samples of one batch into a batch by stacking along a new first
 * dimension, like PyTorch's {@code default_collate}. Pass one to {@link DataLoader#builder(Dataset,
 * java.util.function.Function)}, or write your own {@code Function<List<T>, B>}.
 *
 * <pre>{@code
 * Example batch = Collate.examples(List.of(a, b));   // inputs [2, ...], targets [2, ...]
 * }</pre>
 */
public final class Collate {
    private Collate() {}

    /** Stacks tensors of equal shape {@code s} into one of shape {@code [n, s...]}. */
    public static Tensor tensors(List<Tensor> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty batch");
        }
        return Tensor.stack(0, samples);
    }

    /** Stacks the inputs and the targets of the examples separately. */
    public static Example examples(List<Example> samples) {
        List<Tensor> inputs = new ArrayList<>(samples.size());
        List<Tensor> targets = new ArrayList<>(samples.size());
        for (Example e : samples) {
            inputs.add(e.input());
            targets.add(e.target());
        }
        return new Example(tensors(inputs), tensors(targets));
    }

    /** Stacks position by position: rows of {@code k} tensors become {@code k} batched tensors. */
    public static List<Tensor> rows(List<List<Tensor>> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty batch");
        }
        int width = samples.get(0).size();
        List<Tensor> out = new ArrayList<>(width);
        for (int k = 0; k < width; k++) {
            List<Tensor> column = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                List<Tensor> row = samples.get(i);
                if (row.size() != width) {
                    throw new IllegalArgumentException("cannot collate rows of different lengths: row 0 has " + width
                            + " tensors, row " + i + " has " + row.size());
                }
                column.add(row.get(k));
            }
            out.add(tensors(column));
        }
        return List.copyOf(out);
    }
}
