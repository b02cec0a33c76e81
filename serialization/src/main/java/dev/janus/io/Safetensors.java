package dev.janus.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format, so PyTorch users open Janus weights with the {@code safetensors}
 * library and the other way round: an 8-byte little-endian header length, a JSON header
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, "__metadata__": {...}}}, padded
 * with spaces to a multiple of 8), then the raw little-endian tensor data. Writes are atomic (temporary
 * file, fsync, rename); reads validate every offset and size against the file before allocating anything.
 *
 * <pre>{@code
 * Safetensors.save(model.stateDict(), Path.of("model.safetensors"));
 * model.loadStateDict(Safetensors.load(Path.of("model.safetensors")), true);
 * }</pre>
 */
public final class Safetensors {
    /** Duplicate names in a header are an error, not "last one wins". */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Headers above this size are refused (the format's reference implementation uses 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** Writes {@code tensors} (in map order) with optional string metadata, atomically. */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        AtomicFiles.write(file, out -> write(tensors, metadata, out));
    }

    /** Writes the whole file to {@code out} (which the caller flushes and closes). */
    static void write(Map<String, Tensor> tensors, Map<String, String> metadata, OutputStream out) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = t.numel() * t.dtype().byteSize();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", code(t.dtype()));
            entry.put("shape", t.shape().dims());
            entry.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        for (Tensor t : tensors.values()) {
            ByteBuffer b = encode(t);
            out.write(b.array(), 0, b.limit());
        }
    }

    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, null, file);
    }

    /** Reads every tensor of a safetensors file, in header order. */
    public static Map<String, Tensor> load(Path file) throws IOException {
        return read(file).tensors();
    }

    /** The header's {@code __metadata__} strings (empty when there are none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long headerLen = headerLength(file.toString(), ch.size(), readAt(ch, 0, (int) Math.min(8, ch.size())));
            return metadata(file.toString(), parseHeader(file.toString(), readAt(ch, 8, (int) headerLen)));
        }
    }

    /** The tensors and the metadata of one file, read together. */
    record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Reads a whole file: tensors in header order and its metadata. */
    static Contents read(Path file) throws IOException {
        String where = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long headerLen = headerLength(where, size, readAt(ch, 0, (int) Math.min(8, size)));
            Map<String, Object> header = parseHeader(where, readAt(ch, 8, (int) headerLen));
            long dataStart = 8 + headerLen;
            List<Entry> entries = entries(where, header, size - dataStart);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer data = readAt(ch, dataStart + e.begin, (int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                out.put(e.name, decode(data, e.dtype, e.shape));
            }
            return new Contents(out, metadata(where, header));
        }
    }

    /**
     * Reads a file of {@code size} bytes from a stream (an archive's entry) without seeking: the header is checked
     * against {@code size} before any tensor is allocated, and a stream that ends early is an error. Reads exactly
     * {@code size} bytes when it succeeds. {@code where} names the file in messages.
     */
    static Contents read(InputStream in, long size, String where) throws IOException {
        long headerLen = headerLength(where, size, readExactly(in, (int) Math.min(8, size), where));
        Map<String, Object> header = parseHeader(where, readExactly(in, (int) headerLen, where));
        List<Entry> entries = entries(where, header, size - 8 - headerLen);
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> Long.compare(a.begin, b.begin));
        Map<String, Tensor> decoded = new java.util.HashMap<>();
        for (Entry e : byOffset) {
            ByteBuffer data = readExactly(in, (int) (e.end - e.begin), where).order(ByteOrder.LITTLE_ENDIAN);
            decoded.put(e.name, decode(data, e.dtype, e.shape));
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            out.put(e.name, decoded.get(e.name));
        }
        return new Contents(out, metadata(where, header));
    }

    /** The header length from the first 8 bytes, checked against the file size and {@link #MAX_HEADER}. */
    private static long headerLength(String where, long size, ByteBuffer first8) throws ModelFormatException {
        if (size < 8 || first8.remaining() < 8) {
            throw new ModelFormatException(where + ": too short for a safetensors file (" + size + " bytes)");
        }
        long headerLen = first8.order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen < 2 || headerLen > MAX_HEADER || headerLen > size - 8) {
            throw new ModelFormatException(where + ": header length " + headerLen + " does not fit a file of " + size
                    + " bytes");
        }
        return headerLen;
    }

    private static Map<String, String> metadata(String where, Map<String, Object> header) throws ModelFormatException {
        Object meta = header.get("__metadata__");
        Map<String, String> out = new LinkedHashMap<>();
        if (meta == null) {
            return out;
        }
        if (!(meta instanceof Map<?, ?> m)) {
            throw new ModelFormatException(where + ": '__metadata__' is not an object of strings");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String v)) {
                throw new ModelFormatException(where + ": metadata '" + e.getKey() + "' is not a string");
            }
            out.put(String.valueOf(e.getKey()), v);
        }
        return out;
    }

    private static ByteBuffer readExactly(InputStream in, int length, String where) throws IOException {
        byte[] b = in.readNBytes(length);
        if (b.length < length) {
            throw new ModelFormatException(where + ": truncated (the data ends " + (length - b.length)
                    + " bytes early)");
        }
        return ByteBuffer.wrap(b);
    }

    private record Entry(String name, DType dtype, Shape shape, long begin, long end) {}

    private static Map<String, Object> parseHeader(String file, ByteBuffer bytes) throws ModelFormatException {
        try {
            return JSON.readValue(StandardCharsets.UTF_8.decode(bytes).toString(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new ModelFormatException(file + ": the header is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static List<Entry> entries(String file, Map<String, Object> header, long dataSize) throws ModelFormatException {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String where = file + ": tensor '" + e.getKey() + "'";
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new ModelFormatException(where + " is not an object");
            }
            DType dtype = dtype(where, m.get("dtype"));
            long[] dims = longs(where, "shape", m.get("shape"), -1);
            long[] offsets = longs(where, "data_offsets", m.get("data_offsets"), 2);
            Shape shape;
            long bytes;
            try {
                shape = Shape.of(dims);
                bytes = Math.multiplyExact(shape.numel(), dtype.byteSize());
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw new ModelFormatException(where + " has an invalid shape " + java.util.Arrays.toString(dims));
            }
            if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataSize) {
                throw new ModelFormatException(where + " has data offsets " + java.util.Arrays.toString(offsets)
                        + " outside the " + dataSize + " data bytes");
            }
            if (offsets[1] - offsets[0] != bytes) {
                throw new ModelFormatException(where + " declares " + (offsets[1] - offsets[0]) + " bytes but "
                        + dtype.shortName() + shape + " needs " + bytes);
            }
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(where + " is too large for one Janus tensor (" + bytes + " bytes)");
            }
            entries.add(new Entry(e.getKey(), dtype, shape, offsets[0], offsets[1]));
        }
        checkLayout(file, entries, dataSize);
        return entries;
    }

    /** The data must be covered exactly: no overlaps and no holes, as the format requires. */
    private static void checkLayout(String file, List<Entry> entries, long dataSize) throws ModelFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare(a.begin, b.begin));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin != at) {
                throw new ModelFormatException(file + ": tensor '" + e.name + "' starts at byte " + e.begin
                        + " but the previous data ends at " + at + " (overlap or hole)");
            }
            at = e.end;
        }
        if (at != dataSize) {
            throw new ModelFormatException(file + ": tensors cover " + at + " data bytes but the file has " + dataSize);
        }
    }

    private static DType dtype(String where, Object code) throws ModelFormatException {
        if (code instanceof String s) {
            switch (s) {
                case "F32": return DType.FLOAT32;
                case "F64": return DType.FLOAT64;
                case "I32": return DType.INT32;
                case "I64": return DType.INT64;
                case "BOOL": return DType.BOOL;
                default: break;
            }
        }
        throw new ModelFormatException(where + " has unsupported dtype " + code + " (Janus reads F32, F64, I32, I64, BOOL)");
    }

    private static String code(DType t) {
        return switch (t) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT32 -> "I32";
            case INT64 -> "I64";
            case BOOL -> "BOOL";
        };
    }

    private static long[] longs(String where, String field, Object v, int expectedLength) throws ModelFormatException {
        if (!(v instanceof List<?> list) || expectedLength >= 0 && list.size() != expectedLength || list.size() > 64) {
            throw new ModelFormatException(where + " has a bad '" + field + "': " + v);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Integer || list.get(i) instanceof Long)) {
                throw new ModelFormatException(where + " has a non-integer in '" + field + "': " + v);
            }
            out[i] = ((Number) list.get(i)).longValue();
        }
        return out;
    }

    /** {@code t}'s values as raw little-endian bytes (bools as 0/1 bytes): safetensors' and ONNX's raw layout. */
    static ByteBuffer encode(Tensor t) {
        int n = (int) t.numel();
        ByteBuffer b = ByteBuffer.allocate(n * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> b.asFloatBuffer().put(t.toFloatArray());
            case FLOAT64 -> b.asDoubleBuffer().put(t.toDoubleArray());
            case INT32 -> b.asIntBuffer().put(t.toIntArray());
            case INT64 -> b.asLongBuffer().put(t.toLongArray());
            case BOOL -> {
                for (boolean v : t.toBooleanArray()) {
                    b.put((byte) (v ? 1 : 0));
                }
                b.flip();
            }
        }
        return b.position(0).limit(b.capacity());
    }

    private static Tensor decode(ByteBuffer b, DType dtype, Shape shape) {
        int n = (int) shape.numel();
        Tensor t = switch (dtype) {
            case FLOAT32 -> { float[] a = new float[n]; b.asFloatBuffer().get(a); yield Tensor.of(a, shape); }
            case FLOAT64 -> { double[] a = new double[n]; b.asDoubleBuffer().get(a); yield Tensor.of(a, shape); }
            case INT32 -> { int[] a = new int[n]; b.asIntBuffer().get(a); yield Tensor.of(a).reshape(shape.dims()); }
            case INT64 -> { long[] a = new long[n]; b.asLongBuffer().get(a); yield Tensor.of(a).reshape(shape.dims()); }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b.get(i) != 0;
                }
                yield Tensor.of(a).reshape(shape.dims());
            }
        };
        return t;
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new ModelFormatException("unexpected end of file at byte " + (position + b.position()));
            }
        }
        return b.flip();
    }
}
