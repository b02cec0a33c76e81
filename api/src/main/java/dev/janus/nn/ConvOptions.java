package dev.janus.nn;

import dev.janus.Tensor;
import java.util.Arrays;

/** Validation, padding and description helpers shared by the convolution layers. */
final class ConvOptions {
    private ConvOptions() {}

    static void checkChannels(String layer, int in, int out, int groups) {
        if (in <= 0 || out <= 0 || groups <= 0) {
            throw new IllegalArgumentException(layer + " needs positive sizes, got in=" + in + ", out=" + out
                    + ", groups=" + groups);
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": in=" + in + " and out=" + out + " must both be divisible by groups="
                    + groups);
        }
    }

    static int[] positive(String what, int[] v, int n) {
        if (v.length != n || Arrays.stream(v).anyMatch(e -> e <= 0)) {
            throw new IllegalArgumentException(what + " needs " + n + " positive values, got " + Arrays.toString(v));
        }
        return v.clone();
    }

    static int[] nonNegative(String what, int[] v) {
        if (Arrays.stream(v).anyMatch(e -> e < 0)) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + Arrays.toString(v));
        }
        return v.clone();
    }

    static String checkMode(String mode) {
        if (!"zeros".equals(mode) && !"reflect".equals(mode)) {
            throw new IllegalArgumentException("padding mode must be 'zeros' or 'reflect', got '" + mode + "'");
        }
        return mode;
    }

    /** Padding before and after each spatial axis: {@code {before[], after[]}}. */
    static int[][] pads(boolean same, int[] padding, int[] kernel, int[] stride, int[] dilation) {
        if (!same) {
            return new int[][] {padding, padding};
        }
        if (Arrays.stream(stride).anyMatch(s -> s != 1)) {
            throw new IllegalArgumentException("padding 'same' needs stride 1, got " + Arrays.toString(stride));
        }
        int[] before = new int[kernel.length];
        int[] after = new int[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            int total = dilation[i] * (kernel[i] - 1);
            before[i] = total / 2;
            after[i] = total - before[i];
        }
        return new int[][] {before, after};
    }

    static boolean symmetricZeros(int[][] pads, String mode) {
        return "zeros".equals(mode) && Arrays.equals(pads[0], pads[1]);
    }

    /** Pads the trailing spatial axes of {@code x} explicitly (for reflect or asymmetric padding). */
    static Tensor pad(Tensor x, int[][] pads, String mode) {
        int n = pads[0].length;
        long[] p = new long[2 * n];
        for (int i = 0; i < n; i++) {
            p[2 * i] = pads[0][n - 1 - i];
            p[2 * i + 1] = pads[1][n - 1 - i];
        }
        return x.pad(p, "zeros".equals(mode) ? "constant" : "reflect", 0);
    }

    /** {@code 5} for a square size, {@code 3×5} otherwise. */
    static String size(int[] v) {
        return Arrays.stream(v).allMatch(e -> e == v[0]) ? Integer.toString(v[0])
                : String.join("×", Arrays.stream(v).mapToObj(Integer::toString).toArray(String[]::new));
    }

    static String extras(boolean same, int[] padding, int[] dilation, int groups, String mode, boolean noBias) {
        StringBuilder sb = new StringBuilder();
        if (same) {
            sb.append(", padding same");
        } else if (Arrays.stream(padding).anyMatch(p -> p != 0)) {
            sb.append(", padding ").append(size(padding));
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            sb.append(", dilation ").append(size(dilation));
        }
        if (groups != 1) {
            sb.append(", groups ").append(groups);
        }
        if (!"zeros".equals(mode)) {
            sb.append(", ").append(mode).append(" padding");
        }
        return noBias ? sb.append(", no bias").toString() : sb.toString();
    }
}
