package dev.janus.backend.cpu;

/**
 * A generated fused elementwise loop (see {@link LoopGenerator}); instances are stateless and shared.
 * {@code arrays[0]} is the output array, {@code arrays[1 + i]} input i's array, as laid out by a
 * {@link BroadcastLayout} whose rows are {@code cols} elements long.
 */
interface ElementwiseLoop {
    /**
     * Computes output rows {@code [rowFrom, rowTo)}, columns {@code [colFrom, colTo)} of each. A staged loop
     * ({@link LoopKey#staged()}) needs {@code scratch}: a {@code float[][]} or {@code double[][]} of the
     * program's dtype with rows 0 (the output) and 1 + i for each FULL input i, each at least {@code cols}
     * long; other loops ignore it.
     */
    void run(Object[] arrays, Object scratch, int rowFrom, int rowTo, int colFrom, int colTo, int cols);
}
