package dev.janus.ops;

import dev.janus.DType;
import dev.janus.Shape;

/** The static type of a tensor value: element type and shape. Printed as {@code f32[2, 3]}. */
public record TensorSpec(DType dtype, Shape shape) {
    @Override
    public String toString() {
        return dtype.shortName() + shape;
    }
}
