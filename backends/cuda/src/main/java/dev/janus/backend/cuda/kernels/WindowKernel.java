package dev.janus.backend.cuda.kernels;

/**
 * The generated CUDA C of one convolution or pooling helper ({@link WindowWriter}): im2col, col2im, the axis swap
 * around the GEMMs, max pooling and its gradient, one per kind and dtype. Every argument after the pointers is a
 * {@code long long}; {@link Window#scalarArgs} gives the geometry part.
 */
public record WindowKernel(String name, String kernel) implements GeneratedKernel {
    /** What a window kernel computes; its pointers and longs are listed in {@link WindowWriter}. */
    public enum Kind {
        /** cols[C·kh·kw, N, OH·OW] from x[N, C, H, W], zero where the window reads padding */
        IM2COL,
        /** x[N, C, H, W] as the sum of the column entries each element feeds: the adjoint of IM2COL */
        COL2IM,
        /** out[D0, D1, P] = in[D1, D0, P]: the layout change between NCHW and the GEMM's [O, N·P] */
        SWAP,
        /** SWAP plus bias[D1] added to every element: the convolution's last step */
        SWAP_BIAS,
        /** max pooling: Java's Math.max over the window, padding as -∞ */
        MAX_POOL,
        /** max pooling's gradient, each position taking the windows whose argmax it is (general NaN rule) */
        MAX_POOL_GRAD,
        /** the gradient with the CPU's 2×2 fast path's rule: the first NaN of a window wins, not the last */
        MAX_POOL_GRAD_FIRST_NAN
    }
}
