package dev.janus.backend.cuda.kernels;

import dev.janus.ops.AttrType;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import java.util.Map;

/**
 * A custom op's own CUDA C ({@code CustomOp.cudaSource()}), launched like a generated kernel. The contract, which
 * {@code docs/custom-ops.md} shows: the source defines
 * <pre>{@code extern "C" __global__ void <symbol>(T* out, const T* in0, ..., long long n, long long n0, ...,
 *         <attributes>)}</pre>
 * where {@code symbol} is the op's name with every character other than a letter or digit turned into {@code _}
 * ({@code my.swish → my_swish}), {@code n} the output's element count, {@code n0...} each input's, and the
 * attributes follow in declaration order: FLOAT as {@code double}, INT/LONG as {@code long long}, BOOL as
 * {@code long long} 0 or 1. A kernel reads and writes the dtypes its shape rule accepts; the backend launches a
 * grid of at least {@code n} threads, so a grid-stride loop over {@code n} is the simple way to write it.
 */
public record CustomKernel(String name, String kernel) implements GeneratedKernel {
    /** The kernel of {@code op}; fails naming the op when its source lacks the expected symbol. */
    public static CustomKernel of(CustomOp op) {
        String source = op.cudaSource().orElseThrow(() -> new IllegalArgumentException(
                "custom op '" + op.name() + "' has no CUDA source"));
        String symbol = symbol(op.name());
        if (!source.matches("(?s).*\\b" + symbol + "\\s*\\(.*")) {
            throw new IllegalArgumentException("custom op '" + op.name() + "': its CUDA source must define extern \"C\" "
                    + "__global__ void " + symbol + "(...) (the op's name with non-alphanumerics as '_')");
        }
        return new CustomKernel(symbol, source);
    }

    /** {@code my.swish → my_swish}. */
    public static String symbol(String opName) {
        return opName.replaceAll("[^A-Za-z0-9]", "_");
    }

    /**
     * The long arguments after the pointers: {@code n}, each input's element count, then the attributes (a
     * FLOAT's double by its bits, which fill the same 8-byte parameter slot as a {@code double}).
     */
    public static long[] scalarArgs(CustomOp op, Attrs attrs, long outNumel, long[] inputNumels) {
        Map<String, AttrType> declared = op.attributes();
        long[] args = new long[1 + inputNumels.length + declared.size()];
        args[0] = outNumel;
        System.arraycopy(inputNumels, 0, args, 1, inputNumels.length);
        int k = 1 + inputNumels.length;
        for (Map.Entry<String, AttrType> a : declared.entrySet()) {
            String name = a.getKey();
            args[k++] = switch (a.getValue()) {
                case FLOAT -> Double.doubleToRawLongBits(attrs.d(name));
                case INT -> attrs.i(name);
                case LONG -> attrs.l(name);
                case BOOL -> attrs.b(name) ? 1 : 0;
                case STRING, INTS, LONGS, DTYPE -> throw new IllegalArgumentException("custom op '" + op.name()
                        + "': attribute '" + name + "' is " + a.getValue() + ", which a CUDA kernel cannot take as an "
                        + "argument; give the op only FLOAT, INT, LONG and BOOL attributes to run its CUDA source");
            };
        }
        return args;
    }
}
