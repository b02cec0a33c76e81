package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import dev.janus.Shape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CUDA C source of elementwise, reduction, convolution and pooling kernels, generated once per structure — value dtypes, steps, output rank and
 * how each input is read — and cached: shapes with the same structure share one kernel and differ only in its
 * {@link KernelSource#scalarArgs}.
 *
 * <pre>{@code
 * KernelSource k = CudaKernels.source(KernelSpec.fromProgram(program));
 * String cuda = k.fullSource(); // for NVRTC
 * }</pre>
 */
public final class CudaKernels {
    private static final ConcurrentHashMap<String, GeneratedKernel> SOURCES = new ConcurrentHashMap<>();

    private CudaKernels() {}

    /** The kernel for {@code spec}, generated on first use of its structure. */
    public static KernelSource source(KernelSpec spec) {
        List<Access> accesses = new ArrayList<>();
        for (Shape s : spec.inputShapes()) {
            accesses.add(Access.of(s, spec.outShape()));
        }
        int rank = accesses.contains(Access.STRIDED) ? spec.outShape().rank() : 0;
        String key = spec.inputTypes() + " " + accesses + " rank " + rank + " " + spec.steps();
        return (KernelSource) SOURCES.computeIfAbsent(key, k -> {
            String name = "janus_ew_" + hash(k);
            return new KernelSource(name, KernelWriter.write(spec, accesses, name), rank, accesses);
        });
    }

    /** The kernel for a reduction, generated on first use of its structure. */
    public static ReduceSource reduction(ReduceSpec spec) {
        String key = "reduce " + spec.op().opName() + " " + spec.inType() + " -> " + spec.outType() + " kept "
                + spec.keptAxes().size() + " reduced " + spec.reducedAxes().size();
        GeneratedKernel k = SOURCES.computeIfAbsent(key, text -> {
            String name = "janus_red_" + hash(text);
            return new ReduceSource(name, ReduceWriter.write(spec, name));
        });
        return (ReduceSource) k;
    }

    /** The convolution or pooling kernel of {@code kind} for {@code dtype} (float32 or float64), generated once. */
    public static WindowKernel window(WindowKernel.Kind kind, DType dtype) {
        if (!dtype.isFloating()) {
            throw new UnsupportedKernelException("window kernel " + kind + " needs float32 or float64 data, got " + dtype);
        }
        String key = "window " + kind + " " + dtype;
        return (WindowKernel) SOURCES.computeIfAbsent(key, text -> {
            String name = "janus_win_" + kind.name().toLowerCase(java.util.Locale.ROOT) + "_" + dtype.shortName() + "_"
                    + hash(text);
            return new WindowKernel(name, WindowWriter.write(kind, dtype, name));
        });
    }

    /** The GATHER ({@code gather}) or SCATTER_ADD kernel for these dtypes and rank, generated once. */
    public static IndexKernel index(boolean gather, DType value, DType index, int rank) {
        String key = (gather ? "gather " : "scatter_add ") + value + " by " + index + " rank " + rank;
        return (IndexKernel) SOURCES.computeIfAbsent(key, text -> {
            String name = (gather ? "janus_gather_" : "janus_scatter_add_") + hash(text);
            return new IndexKernel(name, gather ? IndexWriter.gather(value, index, rank, name)
                    : IndexWriter.scatterAdd(value, index, rank, name), gather);
        });
    }

    /** Number of distinct kernel structures generated so far. */
    public static int cachedCount() {
        return SOURCES.size();
    }

    private static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
