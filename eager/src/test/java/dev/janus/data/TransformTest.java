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
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ToTensor, Normalize, RandomCrop, RandomHorizontalFlip and composition. */
class TransformTest {
    private static Tensor arange(int n, long... shape) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void toTensor_grayImage_addsChannelAndScales() {
        Tensor x = new ToTensor().apply(Tensor.of(new int[] {0, 51, 255, 102}, 2, 2), null);
        assertEquals(DType.FLOAT32, x.dtype());
        assertEquals(Shape.of(1, 2, 2), x.shape());
        assertArrayEquals(new float[] {0f, 0.2f, 1f, 0.4f}, x.toFloatArray(), 1e-6f);
    }

    @Test
    void toTensor_hwcImage_becomesChw() {
        // [H=1, W=2, C=3]: pixel 0 = (0, 51, 102), pixel 1 = (153, 204, 255)
        Tensor x = new ToTensor().apply(Tensor.of(new float[] {0, 51, 102, 153, 204, 255}, 1, 2, 3), null);
        assertEquals(Shape.of(3, 1, 2), x.shape());
        assertArrayEquals(new float[] {0f, 0.6f, 0.2f, 0.8f, 0.4f, 1f}, x.toFloatArray(), 1e-6f);
        Tensor fromBytes = ToTensor.fromBytes(new byte[] {0, 51, 102, (byte) 153, (byte) 204, (byte) 255}, 1, 2, 3);
        assertArrayEquals(x.toFloatArray(), fromBytes.toFloatArray(), 1e-6f);
        assertEquals(x.shape(), fromBytes.shape());
    }

    @Test
    void toTensor_wrongRank_throws() {
        assertThrows(IllegalArgumentException.class, () -> new ToTensor().apply(Tensor.zeros(4), null));
        assertThrows(IllegalArgumentException.class, () -> ToTensor.fromBytes(new byte[5], 2, 2, 1));
    }

    @Test
    void normalize_perChannel() {
        Tensor x = Tensor.ones(2, 1, 2);
        Tensor y = new Normalize(new double[] {0.5, 2.0}, new double[] {0.5, 4.0}).apply(x, null);
        assertArrayEquals(new float[] {1f, 1f, -0.25f, -0.25f}, y.toFloatArray(), 1e-6f);
        Tensor batched = new Normalize(new double[] {0.5, 2.0}, new double[] {0.5, 4.0}).apply(Tensor.ones(3, 2, 1, 2), null);
        assertEquals(Shape.of(3, 2, 1, 2), batched.shape());
    }

    @Test
    void normalize_singleMeanStd_appliesEverywhere() {
        Tensor y = new Normalize(1.0, 2.0).apply(Tensor.of(new float[] {3, 5}), null);
        assertArrayEquals(new float[] {1f, 2f}, y.toFloatArray(), 1e-6f);
    }

    @Test
    void normalize_wrongChannelCountOrZeroStd_throws() {
        Normalize n = new Normalize(new double[] {0, 0, 0}, new double[] {1, 1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.apply(Tensor.ones(1, 4, 4), null));
        assertTrue(e.getMessage().contains("[1, 4, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(0, 0));
    }

    @Test
    void randomCrop_sameSeed_sameCrop() {
        Tensor img = arange(36, 1, 6, 6);
        RandomCrop crop = new RandomCrop(4, 1);
        Tensor a = crop.apply(img, new Generator(11));
        Tensor b = crop.apply(img, new Generator(11));
        assertEquals(Shape.of(1, 4, 4), a.shape());
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    }

    @Test
    void randomCrop_isAWindowOfThePaddedInput() {
        Tensor img = arange(16, 4, 4).add(1.0);
        Tensor padded = img.pad(2, 2, 2, 2);
        Set<String> offsets = new HashSet<>();
        Generator g = new Generator(3);
        for (int trial = 0; trial < 40; trial++) {
            float[] crop = new RandomCrop(3, 2).apply(img, g).toFloatArray();
            offsets.add(findWindow(padded, crop, 3));
        }
        assertTrue(offsets.size() > 5, "offsets vary: " + offsets);
        assertTrue(offsets.stream().noneMatch(o -> o.equals("none")), offsets.toString());
    }

    private static String findWindow(Tensor padded, float[] crop, int size) {
        for (int top = 0; top + size <= padded.dim(0); top++) {
            for (int left = 0; left + size <= padded.dim(1); left++) {
                if (Arrays.equals(crop, padded.narrow(0, top, size).narrow(1, left, size).toFloatArray())) {
                    return top + "," + left;
                }
            }
        }
        return "none";
    }

    @Test
    void randomCrop_largerThanInput_throws() {
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(5, 0).apply(Tensor.ones(1, 4, 4), new Generator(1)));
    }

    @Test
    void randomHorizontalFlip_probabilityOneAndZero() {
        Tensor img = arange(6, 1, 2, 3);
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, new RandomHorizontalFlip(1).apply(img, new Generator(1)).toFloatArray());
        assertArrayEquals(img.toFloatArray(), new RandomHorizontalFlip(0).apply(img, new Generator(1)).toFloatArray());
    }

    @Test
    void randomHorizontalFlip_halfTheTime_reproducibly() {
        Tensor img = arange(2, 1, 2);
        RandomHorizontalFlip flip = new RandomHorizontalFlip(0.5);
        Generator g = new Generator(8);
        Generator same = new Generator(8);
        int flipped = 0;
        for (int i = 0; i < 1000; i++) {
            float first = flip.apply(img, g).toFloatArray()[0];
            assertEquals(first, flip.apply(img, same).toFloatArray()[0]);
            flipped += first == 1f ? 1 : 0;
        }
        assertEquals(0.5, flipped / 1000.0, 0.06);
    }

    @Test
    void compose_appliesLeftToRightSharingTheGenerator() {
        Transform t = Transform.compose(Transform.of(x -> x.add(1.0)), Transform.of(x -> x.mul(2.0)));
        assertArrayEquals(new float[] {4f}, t.apply(Tensor.of(new float[] {1}), null).toFloatArray());
        Transform random = new RandomCrop(2, 0).andThen(new RandomHorizontalFlip(0.5));
        Tensor img = arange(16, 1, 4, 4);
        assertArrayEquals(random.apply(img, new Generator(5)).toFloatArray(), random.apply(img, new Generator(5)).toFloatArray());
        Set<String> outcomes = new HashSet<>();
        for (int seed = 0; seed < 30; seed++) {
            outcomes.add(Arrays.toString(random.apply(img, new Generator(seed)).toFloatArray()));
        }
        assertTrue(outcomes.size() > 4, "different seeds give different augmentations: " + outcomes.size());
    }
}
