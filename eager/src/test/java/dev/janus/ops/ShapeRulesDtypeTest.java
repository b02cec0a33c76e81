package dev.janus.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** Primitives take operands of one dtype; Tensor's methods promote by casting before they dispatch. */
class ShapeRulesDtypeTest {
    private static TensorSpec spec(DType t, long... dims) {
        return new TensorSpec(t, Shape.of(dims));
    }

    @Test
    void mixedOperandDtypes_areRejectedByTheRules() {
        for (Op op : new Op[] {Op.ADD, Op.DIV, Op.LT, Op.MAXIMUM}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ShapeRules.infer(op, Attrs.NONE, spec(DType.FLOAT32, 2, 3), spec(DType.FLOAT64, 3)));
            assertTrue(e.getMessage().contains("op '" + op.opName() + "': operands must have one dtype"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ShapeRules.infer(Op.WHERE, Attrs.NONE,
                spec(DType.BOOL, 3), spec(DType.FLOAT32, 3), spec(DType.INT64, 3)));
        assertThrows(IllegalArgumentException.class, () -> ShapeRules.infer(Op.MATMUL,
                Attrs.of("transA", false, "transB", false), spec(DType.FLOAT32, 2, 3), spec(DType.FLOAT64, 3, 4)));
    }

    @Test
    void tensorMethods_stillPromote_byCastingFirst() {
        Tensor sum = Tensor.of(new float[] {1.5f, 2f}, 2).add(Tensor.of(new long[] {1, 2}));
        assertEquals(DType.FLOAT32, sum.dtype());
        assertEquals(DType.FLOAT64, Tensor.of(new float[] {1f}, 1).mul(Tensor.of(new double[] {2.0})).dtype());
        assertEquals(DType.BOOL, Tensor.of(new long[] {1, 5}).lt(Tensor.of(new double[] {2.0, 2.0})).dtype());
    }
}
