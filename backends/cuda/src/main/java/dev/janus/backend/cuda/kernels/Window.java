package dev.janus.backend.cuda.kernels;

/**
 * The geometry of a sliding window over NCHW images, as the kernels of {@link WindowWriter} take it: {@code n}
 * images of {@code c} channels and {@code h}×{@code w}, a {@code kh}×{@code kw} window with stride, zero padding and
 * dilation, giving {@code oh}×{@code ow} window positions.
 */
public record Window(long n, long c, long h, long w, long kh, long kw, long sh, long sw, long ph, long pw, long dh,
        long dw, long oh, long ow) {
    /** The same geometry over {@code count} images (a chunk of the batch). */
    public Window images(long count) {
        return new Window(count, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
    }

    /** Window positions per image plane. */
    public long p() {
        return oh * ow;
    }

    /** Rows of the column matrix: {@code c·kh·kw}. */
    public long rows() {
        return c * kh * kw;
    }

    /** The geometry arguments after a kernel's element count, in the order every window kernel declares them. */
    public long[] scalarArgs(long count) {
        return new long[] {count, n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow};
    }
}
