package dev.janus.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {}

    /** The bytes of an IDX file: header for {@code typeCode} and {@code dims}, then {@code payload}. */
    static byte[] idx(int typeCode, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** {@code n} images of {@code h x w} ubyte pixels where pixel j of image i is {@code (i * 10 + j) % 256}. */
    static byte[] images(int n, int h, int w) {
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h * w; j++) {
                px[i * h * w + j] = (byte) ((i * 10 + j) % 256);
            }
        }
        return idx(0x08, new int[] {n, h, w}, px);
    }

    /** Labels {@code i % 10}. */
    static byte[] labels(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) (i % 10);
        }
        return idx(0x08, new int[] {n}, v);
    }
}
