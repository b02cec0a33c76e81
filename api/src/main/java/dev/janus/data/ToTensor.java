package dev.janus.data;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;

/**
 * Pixel values 0..255 in {@code [H, W]} or {@code [H, W, C]} (height, width, channels) layout become
 * float32 {@code [C, H, W]} in {@code [0, 1]}, like torchvision's {@code ToTensor}. Janus has no uint8
 * dtype, so the input is any numeric tensor holding byte values (as {@link IdxReader} returns them), or
 * raw bytes through {@link #fromBytes}.
 *
 * <pre>{@code
 * Tensor img = new ToTensor().apply(Tensor.of(new float[] {0, 255}, 1, 2), null);   // f32[1, 1, 2]: 0, 1
 * }</pre>
 */
public final class ToTensor implements Transform {
    @Override
    public Tensor apply(Tensor x, Generator g) {
        Tensor chw = switch (x.rank()) {
            case 2 -> x.unsqueeze(0);
            case 3 -> x.permute(2, 0, 1);
            default -> throw new IllegalArgumentException("ToTensor expects [H, W] or [H, W, C] pixels, got shape "
                    + x.shape());
        };
        return chw.cast(DType.FLOAT32).div(255.0);
    }

    /**
     * Unsigned bytes in {@code [H, W, C]} order (as image files and IDX store them) as float32
     * {@code [C, H, W]} in {@code [0, 1]}.
     */
    public static Tensor fromBytes(byte[] pixels, int height, int width, int channels) {
        if ((long) height * width * channels != pixels.length || height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("ToTensor.fromBytes: " + pixels.length + " bytes do not fill [H="
                    + height + ", W=" + width + ", C=" + channels + "]");
        }
        int plane = height * width;
        float[] out = new float[pixels.length];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                out[c * plane + p] = (pixels[p * channels + c] & 0xFF) / 255f;
            }
        }
        return Tensor.of(out, channels, height, width);
    }
}
