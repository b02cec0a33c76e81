package dev.janus.data;

import static dev.janus.data.IdxFiles.gzip;
import static dev.janus.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST-format datasets: synthetic files, a loader over them, and the real Fashion-MNIST test split. */
class MnistDatasetTest {
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    private void writeSplit(String prefix, int n, boolean compressed) throws IOException {
        byte[] images = IdxFiles.images(n, 4, 4);
        byte[] labels = IdxFiles.labels(n);
        String suffix = compressed ? ".gz" : "";
        write(dir, prefix + "-images-idx3-ubyte" + suffix, compressed ? gzip(images) : images);
        write(dir, prefix + "-labels-idx1-ubyte" + suffix, compressed ? gzip(labels) : labels);
    }

    @Test
    void load_syntheticSplit_givesTransformedExamples() throws IOException {
        writeSplit("t10k", 12, true);
        MnistDataset ds = MnistDataset.load(dir, MnistDataset.Split.TEST, new ToTensor());
        assertEquals(12, ds.size());
        Example e = ds.get(3);
        assertEquals(Shape.of(1, 4, 4), e.input().shape());
        assertEquals(30f / 255f, e.input().toFloatArray()[0], 1e-6f);
        assertEquals(DType.INT64, e.target().dtype());
        assertEquals(Shape.scalar(), e.target().shape());
        assertEquals(3L, e.target().itemLong());
        Example raw = ds.withTransform(null).get(3);
        assertEquals(Shape.of(4, 4), raw.input().shape());
        assertEquals(31f, raw.input().toFloatArray()[1]);
    }

    @Test
    void load_missingFiles_namesThePath() throws IOException {
        writeSplit("train", 2, false);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistDataset.load(dir, MnistDataset.Split.TEST, null));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void load_countMismatch_namesBothFiles() throws IOException {
        Path images = write(dir, "img", IdxFiles.images(5, 2, 2));
        Path labels = write(dir, "lab", IdxFiles.labels(4));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> MnistDataset.load(images, labels, null));
        assertTrue(e.getMessage().contains("4 labels") && e.getMessage().contains("5 images")
                && e.getMessage().contains(images.toString()) && e.getMessage().contains(labels.toString()), e.getMessage());
    }

    @Test
    void load_labelsPassedAsImages_isAnError() throws IOException {
        Path labels = write(dir, "lab", IdxFiles.labels(4));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> MnistDataset.load(labels, labels, null));
        assertTrue(e.getMessage().contains("[N, H, W]"), e.getMessage());
    }

    @Test
    void loader_withRandomAugmentation_isReproducibleAcrossWorkers() throws IOException {
        writeSplit("train", 30, false);
        Transform augment = new ToTensor().andThen(new RandomCrop(4, 1)).andThen(new RandomHorizontalFlip(0.5));
        MnistDataset ds = MnistDataset.load(dir, MnistDataset.Split.TRAIN, augment);
        List<float[]> inline = batches(ds, 0);
        List<float[]> threaded = batches(ds, 3);
        for (int b = 0; b < inline.size(); b++) {
            assertArrayEquals(inline.get(b), threaded.get(b), "batch " + b);
        }
    }

    private static List<float[]> batches(MnistDataset ds, int workers) {
        List<float[]> out = new ArrayList<>();
        try (DataLoader<Example, Example> loader = DataLoader.ofExamples(ds).batchSize(8).shuffle(true).seed(9)
                .numWorkers(workers).build()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Example b : loader) {
                    out.add(b.input().toFloatArray());
                    out.add(b.target().toFloatArray());
                }
            }
        }
        return out;
    }

    @Test
    void fashionMnist_testSplit_has10000ImagesOf28x28AndLabels0to9() throws IOException {
        assumeTrue(Files.isRegularFile(FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz"))
                && Files.isRegularFile(FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST is not installed at " + FASHION_MNIST + " (Debian package dataset-fashion-mnist)");
        MnistDataset ds = MnistDataset.load(FASHION_MNIST, MnistDataset.Split.TEST, new ToTensor());
        assertEquals(10000, ds.size());
        assertEquals(Shape.of(10000, 28, 28), ds.images().shape());
        long[] labels = ds.labels().toInt64().toLongArray();
        int[] perClass = new int[10];
        for (long y : labels) {
            assertTrue(y >= 0 && y <= 9, "label " + y);
            perClass[(int) y]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        Tensor pixels = ds.images().toFloat32();
        assertEquals(0.0, pixels.min().item());
        assertEquals(255.0, pixels.max().item());
        try (DataLoader<Example, Example> loader = DataLoader.ofExamples(ds).batchSize(1000).numWorkers(2).seed(0).build()) {
            int n = 0;
            for (Example b : loader) {
                assertEquals(Shape.of(1000, 1, 28, 28), b.input().shape());
                n++;
            }
            assertEquals(10, n);
        }
    }
}
