package example.custom;

// BEGIN custom-ops walkthrough (docs/custom-ops.md shows this file from here; SwishNetTest keeps the two equal)
import dev.janus.Tensor;
import dev.janus.nn.Linear;
import dev.janus.ops.AttrType;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;

public class SwishNet {
    /** swish with a slope: y = x · sigmoid(beta · x) */
    public static final CustomOp SWISH_BETA = CustomOp.define("my.swish")
            .attr("beta", AttrType.FLOAT, 1.0)              // name, type, default
            .shape((in, a) -> in[0])                         // output type: that of the input
            .cpu((in, out, a) -> {                            // the CPU kernel, any floating dtype
                double beta = a.d("beta");
                for (int i = 0; i < out.numel(); i++) {
                    double x = in[0].get(i);
                    out.set(i, x / (1 + Math.exp(-beta * x)));
                }
            })
            .vjp((ctx, g) -> {                                // the gradient, with Tensor ops
                Tensor bx = ctx.input(0).mul(ctx.attrs().d("beta"));
                Tensor s = bx.sigmoid();
                return new Tensor[] {g.mul(s.add(bx.mul(s).mul(s.rsub(1.0))))};
            })
            .register();

    final Linear fc = new Linear(8, 4);

    public Tensor forward(Tensor x) {
        return SWISH_BETA.apply(fc.forward(x), Attrs.of("beta", 1.5)).tanh();
    }
}
// END custom-ops walkthrough
