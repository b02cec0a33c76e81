package dev.janus.ops;

/**
 * The primitive ops: everything a backend must implement. Everything else in Janus (softmax, GELU, layer
 * norm, losses, pooling by averages, reflect padding, split, stack, ...) is a composite written with
 * {@link dev.janus.Tensor} methods over these, and gets gradients, tracing and export for free.
 *
 * <p>Shape/dtype rules live in {@link ShapeRules}, gradient rules in {@link Gradients}; both are
 * {@code switch} expressions over this enum with no {@code default}, so adding a constant without its rules
 * does not compile. Serialization uses {@link #opName()}, never the ordinal.
 */
public enum Op {
    // ---- elementwise unary (no attributes) ----
    /** -x */
    NEG(Kind.UNARY),
    /** |x| */
    ABS(Kind.UNARY),
    /** -1, 0 or 1 by the sign of x (0 for NaN-free zero). */
    SIGN(Kind.UNARY),
    /** e^x */
    EXP(Kind.UNARY),
    /** natural logarithm */
    LOG(Kind.UNARY),
    /** log(1 + x), accurate near 0 */
    LOG1P(Kind.UNARY),
    /** e^x - 1, accurate near 0 */
    EXPM1(Kind.UNARY),
    /** square root */
    SQRT(Kind.UNARY),
    /** 1 / sqrt(x) */
    RSQRT(Kind.UNARY),
    SIN(Kind.UNARY),
    COS(Kind.UNARY),
    TAN(Kind.UNARY),
    TANH(Kind.UNARY),
    /** 1 / (1 + e^-x), computed without overflow */
    SIGMOID(Kind.UNARY),
    /** max(x, 0) */
    RELU(Kind.UNARY),
    /** the Gauss error function */
    ERF(Kind.UNARY),
    FLOOR(Kind.UNARY),
    CEIL(Kind.UNARY),
    /** round half to even, like numpy and PyTorch */
    ROUND(Kind.UNARY),
    /** logical not of a bool tensor */
    NOT(Kind.UNARY),
    /** x != x, as bool */
    IS_NAN(Kind.UNARY),
    /** x is +inf or -inf, as bool */
    IS_INF(Kind.UNARY),
    /** identity on values, zero gradient: {@code detach()} inside a recorded graph (JAX's stop_gradient) */
    STOP_GRADIENT(Kind.UNARY),
    /** convert to attribute {@code dtype} (float to int truncates toward zero; nonzero to bool is true) */
    CAST(Kind.UNARY),

    // ---- elementwise binary, numpy broadcasting ----
    ADD(Kind.BINARY),
    SUB(Kind.BINARY),
    MUL(Kind.BINARY),
    /** true division; integers divide as floats */
    DIV(Kind.BINARY),
    /** a^b */
    POW(Kind.BINARY),
    /** elementwise max; NaN wins */
    MAXIMUM(Kind.BINARY),
    /** elementwise min; NaN wins */
    MINIMUM(Kind.BINARY),
    EQ(Kind.BINARY),
    NE(Kind.BINARY),
    LT(Kind.BINARY),
    LE(Kind.BINARY),
    GT(Kind.BINARY),
    GE(Kind.BINARY),
    /** logical and of bool tensors */
    AND(Kind.BINARY),
    OR(Kind.BINARY),
    XOR(Kind.BINARY),

    /** where(cond, a, b): a where cond is true, else b; all three broadcast */
    WHERE(Kind.TERNARY),

    // ---- reductions: attributes {@code axes} (int[], empty = all) and {@code keepDim} ----
    SUM(Kind.REDUCE),
    PROD(Kind.REDUCE),
    MAX(Kind.REDUCE),
    MIN(Kind.REDUCE),
    /** index of the first maximum along attribute {@code axis}, as i64 */
    ARGMAX(Kind.REDUCE),
    /** index of the first minimum along attribute {@code axis}, as i64 */
    ARGMIN(Kind.REDUCE),
    /** running sum along attribute {@code axis} */
    CUMSUM(Kind.SCAN),

    // ---- movement: every output is contiguous ----
    /** same elements, attribute {@code shape} (long[], already resolved, no -1) */
    RESHAPE(Kind.MOVEMENT),
    /** reorder axes by attribute {@code perm} */
    PERMUTE(Kind.MOVEMENT),
    /** broadcast to attribute {@code shape} (materialized) */
    EXPAND(Kind.MOVEMENT),
    /** per-axis {@code starts}, {@code stops}, {@code steps} (long[], steps positive, bounds resolved) */
    SLICE(Kind.MOVEMENT),
    /** constant padding: {@code before}, {@code after} (long[] per axis, non-negative), {@code value} */
    PAD(Kind.MOVEMENT),
    /** reverse the order along attribute {@code axes} */
    FLIP(Kind.MOVEMENT),
    /** join any number of inputs along attribute {@code axis} */
    CONCAT(Kind.MOVEMENT),

    // ---- indexing ----
    /** out[i][j] = x[index[i][j]][j] along attribute {@code axis}; index is i64 and has the output's shape */
    GATHER(Kind.INDEX),
    /** copy of self with src added at positions given by index along attribute {@code axis} */
    SCATTER_ADD(Kind.INDEX),

    // ---- linear algebra ----
    /**
     * matrix product of rank ≥ 2 inputs with broadcast batch dimensions; attributes {@code transA},
     * {@code transB} use an operand's last two axes transposed (BLAS flags, so no copy is made)
     */
    MATMUL(Kind.LINALG),

    // ---- neural-network primitives (NCHW); attributes stride, padding, dilation (int[2]), groups ----
    /** 2-D convolution of x[N,C,H,W] with w[O,C/groups,kh,kw], plus an optional third input bias[O] */
    CONV2D(Kind.NN),
    /** transposed convolution of x[N,C,H,W] with w[C,O/groups,kh,kw]; extra attribute outputPadding */
    CONV_TRANSPOSE2D(Kind.NN),
    /** gradient of CONV2D's weight from (x, gradOut); attribute weightShape */
    CONV2D_WEIGHT_GRAD(Kind.NN),
    /** max pooling; attributes kernel, stride, padding, dilation (int[2]) */
    MAX_POOL2D(Kind.NN),
    /** gradient of MAX_POOL2D from (gradOut, x); same attributes */
    MAX_POOL2D_GRAD(Kind.NN),

    // ---- Fourier transforms; complex values are a trailing dimension of size 2 (re, im) ----
    /** complex-to-complex DFT along attribute {@code axis}; attribute {@code inverse} scales by 1/n */
    FFT(Kind.FFT),
    /** real-to-complex DFT along {@code axis}: n real values give n/2+1 complex ones */
    RFFT(Kind.FFT),
    /** complex-to-real inverse of RFFT along {@code axis} with output length attribute {@code n} */
    IRFFT(Kind.FFT),

    // ---- graph structure: nodes with subgraphs, run by the graph executor (ONNX's If and Loop) ----
    /**
     * input cond (a bool scalar): runs subgraph 0 when it is true, else subgraph 1; the branches take no
     * inputs (they read enclosing values), return the same types, and those are the node's outputs
     */
    IF(Kind.CONTROL),
    /**
     * inputs (tripCount: i64 scalar, cond: bool scalar, carried...); the body takes (i, cond, carried...) and
     * returns (cond, carried..., scanned...); the node outputs the final carried values, then each scanned
     * value stacked along a new first axis. ONNX semantics.
     */
    LOOP(Kind.CONTROL),
    /** a chain of elementwise ops (optionally after a matmul) in subgraph 0, compiled into one kernel */
    FUSED(Kind.CONTROL),

    // ---- user-defined ----
    /**
     * an op registered at run time ({@link CustomOps}): attribute {@code op} names it, the rest are its own;
     * its shape rule, gradient and kernels come from the registry
     */
    CUSTOM(Kind.CUSTOM);

    /**
     * The family an op belongs to; backends group their kernels by it. {@link #CONTROL} ops have no shape
     * rule, gradient or kernel of their own: their types come from their subgraphs and the graph executor
     * runs them. {@link #CUSTOM} ops take their rules and kernels from {@link CustomOps}.
     */
    public enum Kind { UNARY, BINARY, TERNARY, REDUCE, SCAN, MOVEMENT, INDEX, LINALG, NN, FFT, CONTROL, CUSTOM }

    private final Kind kind;

    Op(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The stable name used in files and IR text, e.g. {@code scatter_add}. */
    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Looks an op up by its stable name. */
    public static Op byName(String name) {
        try {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown op '" + name + "'", e);
        }
    }

    /** True for ops whose output is bool and carries no gradient. */
    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE, AND, OR, XOR, NOT, IS_NAN, IS_INF -> true;
            default -> false;
        };
    }
}
