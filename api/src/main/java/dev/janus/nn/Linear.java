package dev.janus.nn;

import dev.janus.Tensor;

/**
 * A fully connected layer {@code y = x·Wᵀ + b}, with W of shape [out, in] and PyTorch's default
 * initialization.
 *
 * <pre>{@code Linear fc = new Linear(784, 10); Tensor logits = fc.forward(x);   // x: [batch, 784]}</pre>
 */
public class Linear extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int in;
    private final int out;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean withBias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        weight = registerParameter("weight", Tensor.zeros(out, in));
        bias = withBias ? registerParameter("bias", Tensor.zeros(out)) : null;
        Init.pytorchDefault(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(x, weight, bias);
    }

    @Override
    protected String describe() {
        return "Linear(" + in + " → " + out + (bias == null ? ", no bias" : "") + ")";
    }
}
