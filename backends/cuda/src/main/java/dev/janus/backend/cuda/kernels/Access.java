package dev.janus.backend.cuda.kernels;

import dev.janus.Shape;

/** How a kernel reads one input at flat output index {@code i}. */
enum Access {
    /** as many elements as the output, in the same order (equal shapes, or shapes that differ by leading 1s): {@code in[i]} */
    FULL,
    /** one element broadcast everywhere: {@code in[0]} */
    SCALAR,
    /** broadcast along some axes: {@code in[offset]}, the offset computed from i's coordinates and the input's strides */
    STRIDED;

    /** NOTE: broadcasting only repeats elements, so an input as large as the output is read in the output's order. */
    static Access of(Shape in, Shape out) {
        if (in.numel() == out.numel()) {
            return FULL;
        }
        return in.numel() == 1 ? SCALAR : STRIDED;
    }
}
