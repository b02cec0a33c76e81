package dev.janus.data;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of tensors that share their first dimension, like {@code torch.utils.data.TensorDataset}: sample
 * {@code i} is the list of every tensor's row {@code i}. {@link #examples} gives (input, target) pairs.
 *
 * <pre>{@code
 * TensorDataset rows = new TensorDataset(Tensor.randn(g, 100, 3), Tensor.randint(g, 0, 2, 100));
 * List<Tensor> row = rows.get(7);          // [f32[3], i64[]]
 * }</pre>
 */
public final class TensorDataset implements Dataset<List<Tensor>> {
    private final List<Tensor> tensors;

    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        }
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i].rank() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is a scalar; each tensor needs "
                        + "a first dimension to index rows by");
            }
            if (tensors[i].dim(0) != tensors[0].dim(0)) {
                throw new IllegalArgumentException("TensorDataset: tensors must share their first dimension, but "
                        + "tensor 0 has shape " + tensors[0].shape() + " and tensor " + i + " has " + tensors[i].shape());
            }
        }
        if (tensors[0].dim(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TensorDataset: " + tensors[0].dim(0) + " rows do not fit an int index");
        }
        this.tensors = List.of(tensors);
    }

    /** (input, target) pairs from two tensors with the same number of rows. */
    public static Dataset<Example> examples(Tensor inputs, Tensor targets) {
        TensorDataset rows = new TensorDataset(inputs, targets);
        return new Dataset<>() {
            @Override
            public int size() {
                return rows.size();
            }

            @Override
            public Example get(int index) {
                List<Tensor> r = rows.get(index);
                return new Example(r.get(0), r.get(1));
            }
        };
    }

    /** The tensors this dataset indexes, in order. */
    public List<Tensor> tensors() {
        return tensors;
    }

    @Override
    public int size() {
        return (int) tensors.get(0).dim(0);
    }

    @Override
    public List<Tensor> get(int index) {
        Dataset.checkIndex(index, size());
        List<Tensor> row = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            row.add(t.select(0, index));
        }
        return List.copyOf(row);
    }
}
