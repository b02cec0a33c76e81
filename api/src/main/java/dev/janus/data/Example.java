package dev.janus.data;

import dev.janus.Tensor;
import java.util.Objects;

/**
 * One supervised sample (or, after {@link Collate#examples}, one batch): an input and its target. Readers
 * such as {@link MnistDataset} and {@link CsvDataset} produce these.
 *
 * <pre>{@code
 * Example e = new Example(Tensor.of(new float[] {1, 2}), Tensor.scalar(0, DType.INT64));
 * }</pre>
 *
 * @param input the model input, e.g. a float32 {@code [C, H, W]} image
 * @param target what the model should predict, e.g. an int64 class label of shape {@code ()}
 */
public record Example(Tensor input, Tensor target) {
    public Example {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
    }
}
