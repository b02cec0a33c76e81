package dev.janus.data;

import static dev.janus.data.IdxFiles.gzip;
import static dev.janus.data.IdxFiles.idx;
import static dev.janus.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IDX files written by the test: raw and gzip, every element type, and corrupt variants. */
class IdxReaderTest {
    @TempDir
    Path dir;

    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void read_ubyteImages_rawOrGzip(boolean compressed) throws IOException {
        byte[] raw = idx(0x08, new int[] {3, 2, 2}, PIXELS);
        // NOTE: the name says nothing about compression; the reader looks at the first bytes.
        Path f = write(dir, "images.bin", compressed ? gzip(raw) : raw);
        IdxArray a = IdxReader.read(f);
        assertEquals(IdxArray.ElementType.UBYTE, a.type());
        assertEquals(Shape.of(3, 2, 2), a.shape());
        assertEquals(3, a.length());
        Tensor all = a.toFloat32();
        assertEquals(DType.FLOAT32, all.dtype());
        assertEquals(255f, all.toFloatArray()[11]);
        assertArrayEquals(new float[] {8, 9, 10, 255}, a.itemFloat32(2).toFloatArray());
        assertEquals(Shape.of(2, 2), a.itemFloat32(2).shape());
        assertEquals(255L, a.toInt64().toLongArray()[11]);
    }

    @Test
    void read_ubyteLabels_asInt64() throws IOException {
        IdxArray a = IdxReader.read(write(dir, "labels", idx(0x08, new int[] {4}, new byte[] {3, 1, 4, 1})));
        Tensor y = a.toInt64();
        assertEquals(DType.INT64, y.dtype());
        assertArrayEquals(new long[] {3, 1, 4, 1}, y.toLongArray());
        assertEquals(4L, a.itemLong(2));
    }

    @Test
    void read_otherElementTypes() throws IOException {
        ByteBuffer ints = ByteBuffer.allocate(8).putInt(-7).putInt(1 << 20);
        assertArrayEquals(new long[] {-7, 1 << 20}, IdxReader.read(write(dir, "i", idx(0x0C, new int[] {2}, ints.array()))).toInt64().toLongArray());
        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -2).putShort((short) 300);
        assertArrayEquals(new long[] {-2, 300}, IdxReader.read(write(dir, "s", idx(0x0B, new int[] {2}, shorts.array()))).toInt64().toLongArray());
        assertArrayEquals(new long[] {-1, 5}, IdxReader.read(write(dir, "b", idx(0x09, new int[] {2}, new byte[] {-1, 5}))).toInt64().toLongArray());
        ByteBuffer floats = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2.25f);
        assertArrayEquals(new float[] {1.5f, -2.25f}, IdxReader.read(write(dir, "f", idx(0x0D, new int[] {1, 2}, floats.array()))).toFloat32().toFloatArray());
        ByteBuffer doubles = ByteBuffer.allocate(16).putDouble(0.125).putDouble(3);
        IdxArray d = IdxReader.read(write(dir, "d", idx(0x0E, new int[] {2}, doubles.array())));
        assertArrayEquals(new float[] {0.125f, 3f}, d.toFloat32().toFloatArray());
        assertThrows(IllegalStateException.class, d::toInt64);
    }

    private MalformedDataException corrupt(String name, byte[] bytes) throws IOException {
        Path f = write(dir, name, bytes);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
        assertEquals(f, e.file());
        return e;
    }

    private static void assertMentions(Exception e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void read_badMagic_saysNotIdx() throws IOException {
        assertMentions(corrupt("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 1}), "not an IDX file", "0x89");
    }

    @Test
    void read_unknownElementType_namesTheCode() throws IOException {
        assertMentions(corrupt("type", idx(0x07, new int[] {1}, new byte[] {1})), "unknown element type", "0x07");
    }

    @Test
    void read_tooShortForHeader_saysTruncated() throws IOException {
        assertMentions(corrupt("short", new byte[] {0, 0}), "truncated");
        byte[] headerCut = Arrays.copyOf(idx(0x08, new int[] {3, 2, 2}, PIXELS), 9);
        assertMentions(corrupt("header", headerCut), "truncated header", "rank 3");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void read_truncatedData_saysHowMuchIsMissing(boolean compressed) throws IOException {
        byte[] cut = Arrays.copyOf(idx(0x08, new int[] {3, 2, 2}, PIXELS), 4 + 12 + 7);
        assertMentions(corrupt("cut", compressed ? gzip(cut) : cut), "truncated data", "[3, 2, 2]", "12 bytes", "only 7");
    }

    @Test
    void read_trailingBytes_isAnError() throws IOException {
        byte[] extra = idx(0x08, new int[] {2}, new byte[] {1, 2, 3, 4, 5});
        assertMentions(corrupt("extra", extra), "3 unexpected bytes");
    }

    @Test
    void read_negativeDimension_isAnError() throws IOException {
        assertMentions(corrupt("neg", idx(0x08, new int[] {-1}, new byte[0])), "negative size");
    }

    @Test
    void read_truncatedGzipStream_saysGzip() throws IOException {
        byte[] z = gzip(idx(0x08, new int[] {3, 2, 2}, PIXELS));
        assertMentions(corrupt("cut.gz", Arrays.copyOf(z, z.length - 12)), "gzip");
    }
}
