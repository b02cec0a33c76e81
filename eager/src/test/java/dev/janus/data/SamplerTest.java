package dev.janus.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Samplers: orders, seeds, epochs, weights and batching. */
class SamplerTest {
    private static int[] epoch(Sampler s) {
        return StreamSupport.stream(s.spliterator(), false).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void sequentialSampler_visitsInOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, epoch(new SequentialSampler(4)));
        assertEquals(0, epoch(new SequentialSampler(0)).length);
    }

    @Test
    void randomSampler_eachEpochIsAPermutation() {
        RandomSampler s = new RandomSampler(50, 1);
        for (int e = 0; e < 3; e++) {
            assertArrayEquals(IntStream.range(0, 50).toArray(), Arrays.stream(epoch(s)).sorted().toArray());
        }
    }

    @Test
    void randomSampler_sameSeed_sameSequenceOfEpochs() {
        RandomSampler a = new RandomSampler(20, 42);
        RandomSampler b = new RandomSampler(20, new Generator(42));
        int[] a0 = epoch(a);
        int[] a1 = epoch(a);
        assertArrayEquals(a0, epoch(b));
        assertArrayEquals(a1, epoch(b));
        assertFalse(Arrays.equals(a0, a1), "a new permutation each epoch");
        assertFalse(Arrays.equals(a0, epoch(new RandomSampler(20, 43))), "another seed, another order");
    }

    @Test
    void subsetRandomSampler_yieldsOnlyItsIndices() {
        int[] subset = {3, 9, 4, 17};
        SubsetRandomSampler s = new SubsetRandomSampler(subset, new Generator(7));
        assertEquals(4, s.size());
        assertArrayEquals(new int[] {3, 4, 9, 17}, Arrays.stream(epoch(s)).sorted().toArray());
        assertArrayEquals(epoch(new SubsetRandomSampler(subset, new Generator(7))), epoch(new SubsetRandomSampler(subset, new Generator(7))));
    }

    @Test
    void weightedRandomSampler_withReplacement_followsWeights() {
        WeightedRandomSampler s = new WeightedRandomSampler(new double[] {1, 0, 3}, 20_000, true, new Generator(3));
        int[] counts = new int[3];
        for (int i : epoch(s)) {
            counts[i]++;
        }
        assertEquals(0, counts[1], "a zero weight is never drawn");
        assertEquals(0.25, counts[0] / 20_000.0, 0.02);
        assertEquals(0.75, counts[2] / 20_000.0, 0.02);
    }

    @Test
    void weightedRandomSampler_withoutReplacement_drawsDistinctPositiveIndices() {
        double[] w = {5, 0, 1, 1, 0, 2};
        WeightedRandomSampler s = new WeightedRandomSampler(w, 4, false, new Generator(9));
        for (int e = 0; e < 20; e++) {
            int[] drawn = epoch(s);
            assertArrayEquals(new int[] {0, 2, 3, 5}, Arrays.stream(drawn).sorted().toArray());
        }
        int heavyFirst = 0;
        WeightedRandomSampler t = new WeightedRandomSampler(new double[] {9, 1}, 1, false, new Generator(1));
        for (int e = 0; e < 2000; e++) {
            heavyFirst += epoch(t)[0] == 0 ? 1 : 0;
        }
        assertEquals(0.9, heavyFirst / 2000.0, 0.03);
    }

    @Test
    void weightedRandomSampler_badArguments_throw() {
        Generator g = new Generator(1);
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[] {1, 0}, 2, false, g));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[] {1, -1}, 1, true, g));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[] {0, 0}, 1, true, g));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[] {1, Double.NaN}, 1, true, g));
    }

    @Test
    void batchSampler_groupsAndDropsLast() {
        List<int[]> keep = new ArrayList<>();
        new BatchSampler(new SequentialSampler(5), 2, false).forEach(keep::add);
        assertEquals(3, keep.size());
        assertArrayEquals(new int[] {4}, keep.get(2));
        assertEquals(3, new BatchSampler(new SequentialSampler(5), 2, false).size());
        List<int[]> drop = new ArrayList<>();
        BatchSampler dropping = new BatchSampler(new SequentialSampler(5), 2, true);
        dropping.forEach(drop::add);
        assertEquals(2, drop.size());
        assertEquals(2, dropping.size());
        assertArrayEquals(new int[] {2, 3}, drop.get(1));
        assertFalse(new BatchSampler(new SequentialSampler(0), 2, false).iterator().hasNext());
    }
}
