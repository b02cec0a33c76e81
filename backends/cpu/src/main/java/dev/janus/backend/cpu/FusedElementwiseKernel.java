package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.ops.Op;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.FusedKernel;

/**
 * A compiled program on the CPU: optionally a GEMM straight into the output, then one pass of the generated
 * loop over the output's rows (in place when the loop reads the product back), split across cores above
 * {@link Parallel}'s threshold.
 */
final class FusedElementwiseKernel implements FusedKernel {
    private final ElementwiseProgram program;
    private final BroadcastLayout layout;
    private final ElementwiseLoop loop;
    private final boolean staged;
    /** Rough cost of one output element relative to a copy, for {@link Parallel}. */
    private final long cost;

    FusedElementwiseKernel(ElementwiseProgram program, BroadcastLayout layout, ElementwiseLoop loop, boolean staged) {
        this.program = program;
        this.layout = layout;
        this.loop = loop;
        this.staged = staged;
        long c = 0;
        for (ElementwiseProgram.Step s : program.steps()) {
            c += cost(s.op());
        }
        this.cost = c;
    }

    /** Per-element cost of a step, on the scale of the unfused kernels' {@link Parallel} costs. */
    private static long cost(Op op) {
        if (op == Op.POW) {
            return 16;
        }
        return StepCode.inFloat(op) || op == Op.MATMUL ? 1 : 8; // the product is only read back here
    }

    /** The shared generated loop (tests check that equal structures share one class). */
    ElementwiseLoop loop() {
        return loop;
    }

    @Override
    public void run(Buffer[] inputs, Buffer out) {
        CpuBuffer o = check(inputs, out);
        Object[] arrays = new Object[inputs.length + 1];
        arrays[0] = o.array;
        for (int i = 0; i < inputs.length; i++) {
            CpuBuffer in = (CpuBuffer) inputs[i];
            arrays[i + 1] = layout.materialized(i)
                    ? MovementKernels.expand(in, program.inputShapes().get(i).dims(), program.outShape().dims()).array
                    : in.array;
        }
        if (program.startsWithMatmul()) {
            matmul(inputs, o);
        }
        if (!program.startsWithMatmul() || program.steps().size() > 1) {
            sweep(arrays);
        }
        o.written();
    }

    private void matmul(Buffer[] inputs, CpuBuffer out) {
        ElementwiseProgram.Step s = program.steps().get(0);
        int a = s.arg(0);
        int b = s.arg(1);
        MatmulKernels.matmulInto((CpuBuffer) inputs[a], program.inputShapes().get(a).dims(), s.attrs().b("transA"),
                (CpuBuffer) inputs[b], program.inputShapes().get(b).dims(), s.attrs().b("transB"),
                program.outShape().dims(), out);
    }

    /** Runs the loop over all rows; when rows are few and long, over blocks of columns too. */
    private void sweep(Object[] arrays) {
        int rows = layout.rows();
        int cols = layout.cols();
        if (rows == 0 || cols == 0) {
            return;
        }
        int perRowBlocks = 1;
        if (rows < 4L * Parallel.threads() && (long) cols * cost > Parallel.SERIAL_THRESHOLD) {
            long byWork = (long) cols * cost / (Parallel.SERIAL_THRESHOLD / 2);
            perRowBlocks = (int) Math.min(Math.min(cols, 4L * Parallel.threads()), Math.max(1, byWork));
        }
        if (perRowBlocks == 1) {
            Parallel.range(rows, cols * cost, (from, to) -> loop.run(arrays, scratch(cols), from, to, 0, cols, cols));
            return;
        }
        int blocks = perRowBlocks;
        Parallel.range(rows * blocks, (long) cols / blocks * cost, (from, to) -> {
            Object scratch = scratch(cols);
            for (int item = from; item < to; item++) {
                int r = item / blocks;
                int b = item % blocks;
                loop.run(arrays, scratch, r, r + 1, (int) ((long) cols * b / blocks), (int) ((long) cols * (b + 1) / blocks),
                        cols);
            }
        });
    }

    /** The calling thread's scratch rows for a staged loop (output and each input), else null. */
    private Object scratch(int cols) {
        return staged ? RowScratch.get(program.dtype(), program.numInputs() + 1, cols) : null;
    }

    private CpuBuffer check(Buffer[] inputs, Buffer out) {
        DType t = program.dtype();
        if (inputs.length != program.numInputs()) {
            throw new IllegalArgumentException("the fused program takes " + program.numInputs() + " inputs, got "
                    + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != t || inputs[i].numel() != program.inputShapes().get(i).numel()) {
                throw new IllegalArgumentException("fused input " + i + " must be " + t.shortName()
                        + program.inputShapes().get(i) + ", got a " + inputs[i].dtype().shortName() + " buffer of "
                        + inputs[i].numel() + " elements");
            }
            if (inputs[i] == out) {
                throw new IllegalArgumentException("the fused output buffer is also input " + i);
            }
        }
        if (out.dtype() != t || out.numel() != program.outShape().numel()) {
            throw new IllegalArgumentException("the fused output must be " + t.shortName() + program.outShape()
                    + ", got a " + out.dtype().shortName() + " buffer of " + out.numel() + " elements");
        }
        return (CpuBuffer) out;
    }
}
