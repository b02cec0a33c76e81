package dev.janus.data;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The contents of one IDX file (the MNIST format): an element type, dimensions and the big-endian values,
 * kept as raw bytes so that a 60000-image file stays at one byte per pixel until a sample is asked for.
 * {@link IdxReader#read} makes these.
 *
 * <pre>{@code
 * IdxArray images = IdxReader.read(Path.of("t10k-images-idx3-ubyte.gz"));
 * Tensor first = images.itemFloat32(0);   // f32[28, 28], values 0..255
 * }</pre>
 */
public final class IdxArray {
    /** IDX element types, with their type code in the header and their size in bytes. */
    public enum ElementType {
        /** Unsigned 8-bit integers (MNIST pixels and labels). */
        UBYTE(0x08, 1),
        /** Signed 8-bit integers. */
        BYTE(0x09, 1),
        /** Signed 16-bit big-endian integers. */
        SHORT(0x0B, 2),
        /** Signed 32-bit big-endian integers. */
        INT(0x0C, 4),
        /** 32-bit big-endian IEEE floats. */
        FLOAT(0x0D, 4),
        /** 64-bit big-endian IEEE floats. */
        DOUBLE(0x0E, 8);

        private final int code;
        private final int size;

        ElementType(int code, int size) {
            this.code = code;
            this.size = size;
        }

        public int code() {
            return code;
        }

        public int size() {
            return size;
        }

        public boolean isInteger() {
            return this != FLOAT && this != DOUBLE;
        }

        /** The type with header code {@code code}, or null. */
        static ElementType ofCode(int code) {
            return Arrays.stream(values()).filter(t -> t.code == code).findFirst().orElse(null);
        }
    }

    private final Path source;
    private final ElementType type;
    private final long[] dims;
    private final byte[] data;
    private final int itemElements;

    IdxArray(Path source, ElementType type, long[] dims, byte[] data) {
        this.source = source;
        this.type = type;
        this.dims = dims.clone();
        this.data = data;
        this.itemElements = (int) Shape.of(dims).numel(1, dims.length);
    }

    /** The file this was read from. */
    public Path source() {
        return source;
    }

    public ElementType type() {
        return type;
    }

    /** The dimensions, e.g. {@code [10000, 28, 28]}. */
    public Shape shape() {
        return Shape.of(dims);
    }

    /** The number of items along the first dimension (images, labels). */
    public int length() {
        return (int) dims[0];
    }

    /** Everything as float32, with this array's shape. */
    public Tensor toFloat32() {
        return Tensor.of(floats(0, data.length / type.size), shape());
    }

    /** Everything as int64 (integer element types only), with this array's shape. */
    public Tensor toInt64() {
        requireInteger();
        long[] out = new long[data.length / type.size];
        Arrays.setAll(out, this::longAt);
        return Tensor.of(out, dims);
    }

    /** Item {@code i} along the first dimension as float32, e.g. one {@code [28, 28]} image. */
    public Tensor itemFloat32(int i) {
        Dataset.checkIndex(i, length());
        return Tensor.of(floats(i * itemElements, itemElements), Shape.of(Arrays.copyOfRange(dims, 1, dims.length)));
    }

    /** Element {@code i} of a one-dimensional integer array, e.g. one label. */
    public long itemLong(int i) {
        requireInteger();
        if (dims.length != 1) {
            throw new IllegalStateException(source + ": itemLong needs a one-dimensional array, this one is " + shape());
        }
        Dataset.checkIndex(i, length());
        return longAt(i);
    }

    private void requireInteger() {
        if (!type.isInteger()) {
            throw new IllegalStateException(source + " holds " + type + " values, not integers");
        }
    }

    private float[] floats(int from, int count) {
        float[] out = new float[count];
        if (type == ElementType.UBYTE) {
            for (int j = 0; j < count; j++) {
                out[j] = data[from + j] & 0xFF;
            }
        } else {
            for (int j = 0; j < count; j++) {
                out[j] = (float) doubleAt(from + j);
            }
        }
        return out;
    }

    private long longAt(int element) {
        int at = element * type.size;
        return switch (type) {
            case UBYTE -> data[at] & 0xFF;
            case BYTE -> data[at];
            case SHORT -> ByteBuffer.wrap(data).getShort(at);
            case INT -> ByteBuffer.wrap(data).getInt(at);
            case FLOAT, DOUBLE -> throw new IllegalStateException(source + " holds " + type + " values, not integers");
        };
    }

    private double doubleAt(int element) {
        int at = element * type.size;
        return switch (type) {
            case UBYTE, BYTE, SHORT, INT -> longAt(element);
            case FLOAT -> ByteBuffer.wrap(data).getFloat(at);
            case DOUBLE -> ByteBuffer.wrap(data).getDouble(at);
        };
    }
}
