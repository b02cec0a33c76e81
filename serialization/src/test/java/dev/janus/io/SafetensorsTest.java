package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file built byte by byte from the format description, independent of the writer. */
    private static byte[] handBuilt(String headerJson, byte[] data) {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(json.length).put(json).put(data).array();
    }

    private static byte[] littleEndianFloats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void save_layoutMatchesFormat() throws IOException {
        Path f = dir.resolve("a.safetensors");
        Safetensors.save(Map.of("w", Tensor.of(new float[] {1.5f, -2f}, 2)), f);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = b.getLong();
        assertEquals(0, headerLen % 8, "header is padded to 8 bytes");
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8).trim();
        assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(8 + headerLen + 8, bytes.length);
        assertEquals(1.5f, b.getFloat(8 + (int) headerLen));
        assertEquals(-2f, b.getFloat(12 + (int) headerLen));
    }

    @Test
    void load_handBuiltFile_readsValues() throws IOException {
        Path f = dir.resolve("h.safetensors");
        String header = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        Files.write(f, handBuilt(header, littleEndianFloats(1, 2, 3, 4)));
        Map<String, Tensor> t = Safetensors.load(f);
        assertArrayEquals(new float[] {1, 2}, t.get("a").toFloatArray());
        assertArrayEquals(new float[] {3, 4}, t.get("b").toFloatArray());
        assertArrayEquals(new long[] {1, 2}, t.get("b").shape().dims());
        assertEquals("pt", Safetensors.metadata(f).get("format"));
    }

    @Test
    void saveLoad_everyDtypeAndScalar_roundTrips() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("f32", Tensor.of(new float[] {1, -2, 3.5f, Float.NaN}, 2, 2));
        in.put("f64", Tensor.of(new double[] {Math.PI, -1e300}));
        in.put("i32", Tensor.of(new int[] {7, -8}));
        in.put("i64", Tensor.of(new long[] {Long.MAX_VALUE, -1}));
        in.put("bool", Tensor.of(new boolean[] {true, false, true}));
        in.put("scalar", Tensor.scalar(2.5, DType.FLOAT32));
        in.put("empty", Tensor.zeros(0, 3));
        Path f = dir.resolve("all.safetensors");
        Safetensors.save(in, Map.of("producer", "janus"), f);
        Map<String, Tensor> out = Safetensors.load(f);
        assertEquals(in.keySet(), out.keySet());
        for (String k : in.keySet()) {
            assertEquals(in.get(k).dtype(), out.get(k).dtype(), k);
            assertEquals(in.get(k).shape(), out.get(k).shape(), k);
            assertArrayEquals(in.get(k).toDoubleArray(), out.get(k).toDoubleArray(), k);
        }
        assertArrayEquals(new long[] {Long.MAX_VALUE, -1}, out.get("i64").toLongArray());
        assertEquals("janus", Safetensors.metadata(f).get("producer"));
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
    }

    private void assertRejected(String header, byte[] data, String expectedFragment) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, handBuilt(header, data));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.load(f));
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }

    @Test
    void load_offsetsBeyondData_rejected() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", littleEndianFloats(1, 2), "outside");
    }

    @Test
    void load_sizeMismatch_rejected() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", littleEndianFloats(1, 2), "needs 12");
    }

    @Test
    void load_overlap_rejected() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", littleEndianFloats(1, 2), "overlap");
    }

    @Test
    void load_unknownDtype_rejected() throws IOException {
        assertRejected("{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", littleEndianFloats(1, 2), "F16");
    }

    @Test
    void load_hugeHeaderLength_rejectedWithoutAllocating() throws IOException {
        Path f = dir.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2).array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.load(f));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void load_notJson_rejected() throws IOException {
        assertRejected("{not json}", new byte[0], "JSON");
    }
}
