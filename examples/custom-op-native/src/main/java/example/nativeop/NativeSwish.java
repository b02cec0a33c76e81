package example.nativeop;

import dev.janus.Tensor;
import dev.janus.ops.AttrType;
import dev.janus.ops.CustomOp;

/** The custom op {@code native.swish}: its CPU kernel is the C++ function behind {@link SwishNative}. */
public final class NativeSwish {
    private NativeSwish() {}

    public static final CustomOp OP = CustomOp.define("native.swish")
            .attr("beta", AttrType.FLOAT, 1.0)
            .shape((in, a) -> {
                if (!in[0].dtype().isFloating()) {
                    throw new IllegalArgumentException("needs f32 or f64, got " + in[0]);
                }
                return in[0];
            })
            .cpu((in, out, a) -> {
                switch (out.dtype()) {
                    case FLOAT32 -> SwishNative.swish(in[0].f32(), out.f32(), out.numel(), a.d("beta"));
                    case FLOAT64 -> SwishNative.swish(in[0].f64(), out.f64(), out.numel(), a.d("beta"));
                    default -> throw new IllegalStateException("the shape rule admits floating types only");
                }
            })
            .vjp((ctx, g) -> {
                Tensor bx = ctx.input(0).mul(ctx.attrs().d("beta"));
                Tensor s = bx.sigmoid();
                return new Tensor[] {g.mul(s.add(bx.mul(s).mul(s.rsub(1.0))))};
            })
            .register();
}
