package dev.janus.data;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * MNIST-format image classification data (MNIST, Fashion-MNIST, KMNIST: same files, same layout) from an
 * images file ({@code [N, H, W]} ubyte) and a labels file ({@code [N]} ubyte). Sample {@code i} is an
 * {@link Example} whose input is the transform applied to the float32 {@code [H, W]} image with values
 * 0..255, and whose target is the int64 label of shape {@code ()}.
 *
 * <pre>{@code
 * Dataset<Example> test = MnistDataset.load(Path.of("/usr/share/datasets/fashion-mnist"), MnistDataset.Split.TEST,
 *         new ToTensor().andThen(new Normalize(0.2860, 0.3530)));
 * test.get(0).input();   // f32[1, 28, 28]
 * }</pre>
 *
 * <p>{@code get(i)} alone draws random augmentation from a generator seeded with {@code i}, so it is
 * reproducible (and the same on every call); a {@link DataLoader} passes a fresh per-sample generator each
 * epoch through {@link #get(int, Generator)}.
 */
public final class MnistDataset implements Dataset<Example> {
    /** Which half of the standard files; the value is the file name prefix. */
    public enum Split {
        /** {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}. */
        TRAIN("train"),
        /** {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private final IdxArray images;
    private final IdxArray labels;
    private final Transform transform;

    private MnistDataset(IdxArray images, IdxArray labels, Transform transform) {
        this.images = images;
        this.labels = labels;
        this.transform = Objects.requireNonNull(transform, "transform");
    }

    /** Reads an images file and a labels file (gzip-compressed or not); {@code transform} may be null. */
    public static MnistDataset load(Path imagesFile, Path labelsFile, Transform transform) throws IOException {
        IdxArray images = IdxReader.read(imagesFile);
        IdxArray labels = IdxReader.read(labelsFile);
        if (images.type() != IdxArray.ElementType.UBYTE || images.shape().rank() != 3) {
            throw new MalformedDataException(imagesFile, "expected [N, H, W] ubyte images, found " + images.shape()
                    + " " + images.type().name().toLowerCase());
        }
        if (labels.type() != IdxArray.ElementType.UBYTE || labels.shape().rank() != 1) {
            throw new MalformedDataException(labelsFile, "expected [N] ubyte labels, found " + labels.shape() + " "
                    + labels.type().name().toLowerCase());
        }
        if (images.length() != labels.length()) {
            throw new MalformedDataException(labelsFile, labels.length() + " labels do not match the "
                    + images.length() + " images of " + imagesFile);
        }
        return new MnistDataset(images, labels, transform == null ? Transform.identity() : transform);
    }

    /**
     * Reads the standard file pair of {@code split} from {@code dir}, e.g. {@code t10k-images-idx3-ubyte.gz}
     * and {@code t10k-labels-idx1-ubyte.gz}; the uncompressed names are tried first.
     */
    public static MnistDataset load(Path dir, Split split, Transform transform) throws IOException {
        return load(find(dir, split.prefix + "-images-idx3-ubyte"), find(dir, split.prefix + "-labels-idx1-ubyte"), transform);
    }

    private static Path find(Path dir, String name) throws IOException {
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.resolve(name) + "[.gz]", null, "neither the file nor its .gz exists");
    }

    /** The same data with another transform (the files are not read again). */
    public MnistDataset withTransform(Transform newTransform) {
        return new MnistDataset(images, labels, newTransform == null ? Transform.identity() : newTransform);
    }

    /** The images as read, {@code [N, H, W]}. */
    public IdxArray images() {
        return images;
    }

    /** The labels as read, {@code [N]}. */
    public IdxArray labels() {
        return labels;
    }

    @Override
    public int size() {
        return images.length();
    }

    @Override
    public Example get(int index) {
        return get(index, new Generator(index));
    }

    @Override
    public Example get(int index, Generator g) {
        Dataset.checkIndex(index, size());
        Tensor input = transform.apply(images.itemFloat32(index), g);
        return new Example(input, Tensor.scalar(labels.itemLong(index), DType.INT64));
    }
}
