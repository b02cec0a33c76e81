package dev.janus.backend.cpu;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.D2F;
import static org.objectweb.asm.Opcodes.DCONST_1;
import static org.objectweb.asm.Opcodes.F2D;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IALOAD;
import static org.objectweb.asm.Opcodes.IASTORE;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.IF_ICMPGE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.IMUL;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V17;

import dev.janus.DType;
import dev.janus.backend.cpu.BroadcastLayout.Access;
import dev.janus.ops.Op;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Writes the bytecode of one {@link ElementwiseLoop} class for a {@link LoopKey}. The method it generates
 * reads like this hand-written loop (for {@code relu(x * y)} in float32, x and y FULL):
 *
 * <pre>{@code
 * float[] out = (float[]) arrays[0], x = (float[]) arrays[1], y = (float[]) arrays[2];
 * for (int r = rowFrom; r < rowTo; r++) {
 *     int base = r * cols;
 *     for (int j = colFrom; j < colTo; j++) {
 *         float s0 = x[base + j] * y[base + j];
 *         float s1 = Math.max(s0, 0f);
 *         out[base + j] = s1;
 *     }
 * }
 * }</pre>
 *
 * <p>The inner loop is a plain counted loop with no per-element branches for arithmetic, relu, max and min,
 * so C2 unrolls and vectorizes it. Each step computes exactly what the unfused kernel in
 * {@link ElementwiseKernels} computes — float32 arithmetic, relu, neg and abs in float, everything else
 * widened to double, through the same {@link Math} and {@link SpecialFunctions} methods, then rounded (see
 * {@link StepCode}) — so fused results are bit-identical to running the steps one by one.
 *
 * <p>NOTE: when an input is ROW ({@code bias[j]}), the loop is "staged": each row of the FULL inputs is first
 * copied into a scratch row, the loop computes into a scratch output row, and that row is copied out. JDK
 * 17's C2 vectorizes a loop only when all its float-array indices share one offset; {@code bias[j]} next to
 * {@code out[base + j]} ran scalar (~34 µs for [64, 512] bias + relu), the staged loop, whose indices are all
 * {@code [j]}, vectorizes (~7 µs, row copies included).
 */
final class LoopGenerator {
    /** The generated classes' name; {@code defineHiddenClass} makes each one unique. */
    static final String CLASS_NAME = "dev/janus/backend/cpu/GeneratedElementwiseLoop";

    // parameters of run(Object[] arrays, Object scratch, int rowFrom, int rowTo, int colFrom, int colTo, int cols)
    private static final int ARRAYS = 1;
    private static final int SCRATCH = 2;
    private static final int ROW_FROM = 3;
    private static final int ROW_TO = 4;
    private static final int COL_FROM = 5;
    private static final int COL_TO = 6;
    private static final int COLS = 7;
    private static final int OUT = 8;
    private static final int FIRST_INPUT = 9;

    private final LoopKey key;
    private final boolean staged;
    private final Type elem;
    private final int width;
    private final int row;
    private final int base;
    private final int col;
    private final int firstValue;
    private MethodVisitor mv;

    private LoopGenerator(LoopKey key) {
        this.key = key;
        this.staged = key.staged();
        this.elem = key.dtype() == DType.FLOAT32 ? Type.FLOAT_TYPE : Type.DOUBLE_TYPE;
        this.width = elem.getSize();
        int afterStages = FIRST_INPUT + 2 * key.inputs() + 1; // inputs, then their scratch rows, then out's
        this.row = afterStages;
        this.base = row + 1;
        this.col = row + 2;
        this.firstValue = row + 3;
    }

    /** The class file of a final class implementing {@link ElementwiseLoop} for {@code key}. */
    static byte[] generate(LoopKey key) {
        return new LoopGenerator(key).classFile();
    }

    private byte[] classFile() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // never needed: every local keeps one type
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, CLASS_NAME, null, "java/lang/Object",
                new String[] {Type.getInternalName(ElementwiseLoop.class)});
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        mv = cw.visitMethod(ACC_PUBLIC, "run", "([Ljava/lang/Object;Ljava/lang/Object;IIIII)V", null, null);
        mv.visitCode();
        runBody();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private int inputArray(int i) {
        return FIRST_INPUT + i;
    }

    /** Scratch row of FULL input i (staged loops only). */
    private int inputStage(int i) {
        return FIRST_INPUT + key.inputs() + i;
    }

    /** Scratch row of the output (staged loops only). */
    private int outStage() {
        return FIRST_INPUT + 2 * key.inputs();
    }

    /** Slot of the once-loaded (SCALAR) or per-row (COL) value of input i. */
    private int inputValue(int i) {
        return firstValue + i * width;
    }

    /** Slot of step k's result. */
    private int stepValue(int k) {
        return firstValue + (key.inputs() + k) * width;
    }

    private boolean isFull(int i) {
        return key.access().get(i) == Access.FULL;
    }

    private void runBody() {
        String arrayType = "[" + elem.getDescriptor();
        loadFromArrays(0, OUT, arrayType);
        if (staged) {
            loadStage(0, outStage());
        }
        for (int i = 0; i < key.inputs(); i++) {
            if (key.access().get(i) != Access.UNUSED) {
                loadFromArrays(i + 1, inputArray(i), arrayType);
            }
            if (staged && isFull(i)) {
                loadStage(i + 1, inputStage(i));
            }
            if (key.access().get(i) == Access.SCALAR) {
                loadElement(inputArray(i), () -> mv.visitInsn(ICONST_0), inputValue(i));
            }
        }
        mv.visitVarInsn(ILOAD, ROW_FROM);
        mv.visitVarInsn(ISTORE, row);
        countedLoop(row, ROW_TO, this::rowBody);
        mv.visitInsn(RETURN);
    }

    private void rowBody() {
        mv.visitVarInsn(ILOAD, row);
        mv.visitVarInsn(ILOAD, COLS);
        mv.visitInsn(IMUL);
        mv.visitVarInsn(ISTORE, base);
        for (int i = 0; i < key.inputs(); i++) {
            if (key.access().get(i) == Access.COL) {
                loadElement(inputArray(i), () -> mv.visitVarInsn(ILOAD, row), inputValue(i));
            }
        }
        if (staged) {
            for (int i = 0; i < key.inputs(); i++) {
                if (isFull(i)) {
                    copyRow(inputArray(i), true, inputStage(i), false);
                }
            }
            if (key.readsOut()) {
                copyRow(OUT, true, outStage(), false);
            }
        }
        mv.visitVarInsn(ILOAD, COL_FROM);
        mv.visitVarInsn(ISTORE, col);
        countedLoop(col, COL_TO, this::elementBody);
        if (staged) {
            copyRow(outStage(), false, OUT, true);
        }
    }

    /** {@code System.arraycopy} of columns {@code [colFrom, colTo)} of this row between a full array and a scratch row. */
    private void copyRow(int from, boolean fromFull, int to, boolean toFull) {
        mv.visitVarInsn(ALOAD, from);
        pushColumnStart(fromFull);
        mv.visitVarInsn(ALOAD, to);
        pushColumnStart(toFull);
        mv.visitVarInsn(ILOAD, COL_TO);
        mv.visitVarInsn(ILOAD, COL_FROM);
        mv.visitInsn(ISUB);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
    }

    private void pushColumnStart(boolean full) {
        mv.visitVarInsn(ILOAD, COL_FROM);
        if (full) {
            mv.visitVarInsn(ILOAD, base);
            mv.visitInsn(IADD);
        }
    }

    /** {@code for (; counter < local[limit]; counter++) body} */
    private void countedLoop(int counter, int limit, Runnable body) {
        Label test = new Label();
        Label end = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, counter);
        mv.visitVarInsn(ILOAD, limit);
        mv.visitJumpInsn(IF_ICMPGE, end);
        body.run();
        mv.visitIincInsn(counter, 1);
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(end);
    }

    private void loadFromArrays(int index, int slot, String arrayType) {
        mv.visitVarInsn(ALOAD, ARRAYS);
        mv.visitLdcInsn(index);
        mv.visitInsn(AALOAD);
        mv.visitTypeInsn(CHECKCAST, arrayType);
        mv.visitVarInsn(ASTORE, slot);
    }

    private void loadStage(int index, int slot) {
        mv.visitVarInsn(ALOAD, SCRATCH);
        mv.visitTypeInsn(CHECKCAST, "[[" + elem.getDescriptor());
        mv.visitLdcInsn(index);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(ASTORE, slot);
    }

    /** {@code local[target] = array[index]} */
    private void loadElement(int array, Runnable pushIndex, int target) {
        mv.visitVarInsn(ALOAD, array);
        pushIndex.run();
        mv.visitInsn(elem.getOpcode(IALOAD));
        mv.visitVarInsn(elem.getOpcode(ISTORE), target);
    }

    /** Pushes the array and index of output element (r, j), or of FULL input i's element when {@code i >= 0}. */
    private void pushFullElementAddress(int i) {
        if (staged) {
            mv.visitVarInsn(ALOAD, i < 0 ? outStage() : inputStage(i));
            mv.visitVarInsn(ILOAD, col);
        } else {
            mv.visitVarInsn(ALOAD, i < 0 ? OUT : inputArray(i));
            mv.visitVarInsn(ILOAD, base);
            mv.visitVarInsn(ILOAD, col);
            mv.visitInsn(IADD);
        }
    }

    private void elementBody() {
        for (int k = 0; k < key.steps(); k++) {
            if (key.ops().get(k) == Op.MATMUL) {
                pushFullElementAddress(-1); // the product, already in the output
                mv.visitInsn(elem.getOpcode(IALOAD));
            } else {
                step(key.ops().get(k), key.args().get(k));
            }
            mv.visitVarInsn(elem.getOpcode(ISTORE), stepValue(k));
        }
        pushFullElementAddress(-1);
        mv.visitVarInsn(elem.getOpcode(ILOAD), stepValue(key.steps() - 1));
        mv.visitInsn(elem.getOpcode(IASTORE));
    }

    /** Pushes one step's result. */
    private void step(Op op, List<Integer> args) {
        boolean single = elem == Type.FLOAT_TYPE;
        boolean widen = single && !StepCode.inFloat(op);
        if (op == Op.RSQRT) {
            mv.visitInsn(DCONST_1); // 1 / sqrt(x), like the unfused kernel
        }
        for (int v : args) {
            pushValue(v);
            if (widen) {
                mv.visitInsn(F2D);
            }
        }
        StepCode.emit(mv, op, single && !widen ? Type.FLOAT_TYPE : Type.DOUBLE_TYPE, single);
        if (widen) {
            mv.visitInsn(D2F);
        }
    }

    private void pushValue(int v) {
        if (v >= key.inputs()) {
            mv.visitVarInsn(elem.getOpcode(ILOAD), stepValue(v - key.inputs()));
            return;
        }
        switch (key.access().get(v)) {
            case FULL -> {
                pushFullElementAddress(v);
                mv.visitInsn(elem.getOpcode(IALOAD));
            }
            case ROW -> {
                mv.visitVarInsn(ALOAD, inputArray(v));
                mv.visitVarInsn(ILOAD, col);
                mv.visitInsn(elem.getOpcode(IALOAD));
            }
            case COL, SCALAR -> mv.visitVarInsn(elem.getOpcode(ILOAD), inputValue(v));
            case UNUSED -> throw new IllegalStateException("input " + v + " is read but was laid out as unused");
        }
    }
}
