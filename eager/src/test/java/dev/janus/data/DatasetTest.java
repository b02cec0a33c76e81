package dev.janus.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Datasets, subsets and collate functions. */
class DatasetTest {
    private static Tensor arange(int n, long... shape) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void tensorDataset_rowsShareFirstDimension() {
        TensorDataset ds = new TensorDataset(arange(12, 4, 3), Tensor.of(new long[] {5, 6, 7, 8}));
        assertEquals(4, ds.size());
        List<Tensor> row = ds.get(2);
        assertArrayEquals(new float[] {6, 7, 8}, row.get(0).toFloatArray());
        assertEquals(7L, row.get(1).itemLong());
        assertEquals(Shape.scalar(), row.get(1).shape());
    }

    @Test
    void tensorDataset_mismatchedRows_throwsNamingShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(arange(6, 3, 2), arange(4, 4)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void tensorDataset_indexOutOfRange_throwsNamingSize() {
        TensorDataset ds = new TensorDataset(arange(3, 3));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ds.get(3));
        assertTrue(e.getMessage().contains("3 samples"), e.getMessage());
    }

    @Test
    void tensorDatasetExamples_pairsInputsAndTargets() {
        Dataset<Example> ds = TensorDataset.examples(arange(6, 3, 2), Tensor.of(new long[] {0, 1, 0}));
        Example e = ds.get(1);
        assertArrayEquals(new float[] {2, 3}, e.input().toFloatArray());
        assertEquals(1L, e.target().itemLong());
    }

    @Test
    void randomSplit_partsAreDisjointAndReproducible() {
        TensorDataset ds = new TensorDataset(arange(10, 10));
        List<Subset<List<Tensor>>> a = Subset.randomSplit(ds, new int[] {7, 3}, new Generator(5));
        List<Subset<List<Tensor>>> b = Subset.randomSplit(ds, new int[] {7, 3}, new Generator(5));
        assertArrayEquals(a.get(0).indices(), b.get(0).indices());
        int[] all = IntStream.concat(Arrays.stream(a.get(0).indices()), Arrays.stream(a.get(1).indices())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 10).toArray(), all);
        int i = a.get(1).indices()[2];
        assertEquals(i, (int) a.get(1).get(2).get(0).item());
    }

    @Test
    void randomSplit_lengthsNotAddingUp_throws() {
        TensorDataset ds = new TensorDataset(arange(10, 10));
        assertThrows(IllegalArgumentException.class, () -> Subset.randomSplit(ds, new int[] {7, 2}, new Generator(5)));
    }

    @Test
    void collateExamples_stacksInputsAndTargets() {
        Example a = new Example(arange(4, 2, 2), Tensor.scalar(3, DType.INT64));
        Example b = new Example(arange(4, 2, 2).add(10.0), Tensor.scalar(4, DType.INT64));
        Example batch = Collate.examples(List.of(a, b));
        assertEquals(Shape.of(2, 2, 2), batch.input().shape());
        assertArrayEquals(new long[] {3, 4}, batch.target().toLongArray());
        assertEquals(13f, batch.input().toFloatArray()[7]);
    }

    @Test
    void collateRows_stacksEachPosition() {
        TensorDataset ds = new TensorDataset(arange(6, 3, 2), Tensor.of(new long[] {7, 8, 9}));
        List<Tensor> batch = Collate.rows(List.of(ds.get(0), ds.get(2)));
        assertEquals(Shape.of(2, 2), batch.get(0).shape());
        assertArrayEquals(new long[] {7, 9}, batch.get(1).toLongArray());
    }

    @Test
    void collateTensors_unequalShapes_throws() {
        assertThrows(IllegalArgumentException.class, () -> Collate.tensors(List.of(arange(2, 2), arange(3, 3))));
        assertThrows(IllegalArgumentException.class, () -> Collate.tensors(List.of()));
    }
}
