package dev.janus.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.spi.ElementwiseProgram.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElementwiseProgramTest {
    private static final Attrs NT = Attrs.of("transA", false, "transB", true);

    @Test
    void constructor_gemmEpilogue_isWellFormedFloatArithmetic() {
        ElementwiseProgram p = program(Shape.of(64, 512), List.of(Shape.of(64, 784), Shape.of(512, 784), Shape.of(512)),
                Step.of(Op.MATMUL, NT, 0, 1), Step.of(Op.ADD, 3, 2), Step.of(Op.RELU, 4));
        assertTrue(p.startsWithMatmul());
        assertTrue(p.isFloatArithmetic());
    }

    @Test
    void constructor_comparisonOrIntegers_wellFormedButNotFloatArithmetic() {
        assertFalse(program(Shape.of(3), List.of(Shape.of(3)), Step.of(Op.GT, 0, 0)).isFloatArithmetic());
        assertFalse(new ElementwiseProgram(DType.INT64, Shape.of(3), List.of(Shape.of(3)), List.of(Step.of(Op.NEG, 0)))
                .isFloatArithmetic());
    }

    @Test
    void constructor_forwardReference_namesTheStep() {
        assertRejected("step 1 (mul): argument 1 is value 3", Shape.of(4), List.of(Shape.of(4)),
                Step.of(Op.NEG, 0), Step.of(Op.MUL, 1, 3));
    }

    @Test
    void constructor_wrongArity_namesTheStep() {
        assertRejected("step 0 (relu): takes 1 argument(s), got 2", Shape.of(4), List.of(Shape.of(4)), Step.of(Op.RELU, 0, 0));
    }

    @Test
    void constructor_matmulAfterStep0_isRejected() {
        assertRejected("step 1 (matmul): a matmul may only be step 0", Shape.of(2, 2), List.of(Shape.of(2, 2)),
                Step.of(Op.NEG, 0), Step.of(Op.MATMUL, NT, 0, 0));
    }

    @Test
    void constructor_reduction_isRejected() {
        assertRejected("step 0 (sum): not an elementwise op", Shape.of(4), List.of(Shape.of(4)), Step.of(Op.SUM, 0));
    }

    @Test
    void constructor_stepResultNotOutputShape_isRejected() {
        assertRejected("step 0 (neg): its result has shape [1, 4], not the output shape [3, 4]", Shape.of(3, 4),
                List.of(Shape.of(3, 4), Shape.of(1, 4)), Step.of(Op.NEG, 1));
    }

    @Test
    void constructor_inputNotBroadcastable_isRejected() {
        assertRejected("input 1 of shape [5] does not broadcast", Shape.of(3, 4), List.of(Shape.of(3, 4), Shape.of(5)),
                Step.of(Op.NEG, 0));
        assertRejected("step 0 (add): shapes [3, 4] and [5] do not broadcast", Shape.of(3, 4),
                List.of(Shape.of(3, 4), Shape.of(5)), Step.of(Op.ADD, 0, 1));
    }

    @Test
    void constructor_matmulBadOperands_isRejected() {
        assertRejected("step 0 (matmul): inner dimensions differ", Shape.of(2, 3), List.of(Shape.of(2, 4), Shape.of(3, 5)),
                Step.of(Op.MATMUL, NT, 0, 1));
        assertRejected("step 0 (matmul): needs boolean attribute 'transA'", Shape.of(2, 3),
                List.of(Shape.of(2, 4), Shape.of(3, 4)), Step.of(Op.MATMUL, 0, 1));
        assertRejected("step 0 (matmul): the product has shape [2, 3], not the output shape [2, 5]", Shape.of(2, 5),
                List.of(Shape.of(2, 4), Shape.of(3, 4)), Step.of(Op.MATMUL, NT, 0, 1));
    }

    @Test
    void step_equalsByArgumentContent() {
        assertEquals(Step.of(Op.ADD, 0, 1), Step.of(Op.ADD, new int[] {0, 1}));
        assertEquals(Step.of(Op.ADD, 0, 1).hashCode(), Step.of(Op.ADD, 0, 1).hashCode());
    }

    private static ElementwiseProgram program(Shape out, List<Shape> inputs, Step... steps) {
        return new ElementwiseProgram(DType.FLOAT32, out, inputs, List.of(steps));
    }

    private static void assertRejected(String message, Shape out, List<Shape> inputs, Step... steps) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program(out, inputs, steps));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
