package dev.janus.data;

import dev.janus.Shape;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, an element-type code, the rank,
 * then one big-endian 32-bit size per dimension and the values. Gzip-compressed files are recognised by
 * their first two bytes ({@code 1f 8b}) whatever their name. Anything malformed throws a
 * {@link MalformedDataException} naming the file and the problem.
 *
 * <pre>{@code
 * IdxArray labels = IdxReader.read(Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"));
 * Tensor y = labels.toInt64();   // i64[10000]
 * }</pre>
 */
public final class IdxReader {
    private IdxReader() {}

    /** Reads the whole file. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            boolean gzip = isGzip(raw);
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            try {
                return parse(file, in);
            } catch (ZipException | EOFException e) {
                throw new MalformedDataException(file, "the gzip stream is corrupt or truncated (" + e.getMessage() + ")", e);
            }
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static IdxArray parse(Path file, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new MalformedDataException(file, "truncated: " + magic.length + " bytes, an IDX header needs at least 4");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new MalformedDataException(file, String.format("not an IDX file: it starts with 0x%02x 0x%02x, "
                    + "expected 0x00 0x00 then the element type and the rank", magic[0] & 0xFF, magic[1] & 0xFF));
        }
        IdxArray.ElementType type = IdxArray.ElementType.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new MalformedDataException(file, String.format("unknown element type code 0x%02x (expected 0x08 "
                    + "ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)", magic[2] & 0xFF));
        }
        long[] dims = readDims(file, in, magic[3] & 0xFF);
        byte[] data = readData(file, in, type, dims);
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new MalformedDataException(file, extra + " unexpected bytes after the " + data.length
                    + " data bytes declared by dimensions " + Arrays.toString(dims));
        }
        return new IdxArray(file, type, dims, data);
    }

    private static long[] readDims(Path file, InputStream in, int rank) throws IOException {
        if (rank == 0) {
            throw new MalformedDataException(file, "rank 0: an IDX array needs at least one dimension");
        }
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) {
            throw new MalformedDataException(file, "truncated header: rank " + rank + " needs " + 4 * rank
                    + " bytes of dimension sizes, only " + header.length + " present");
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) {
                throw new MalformedDataException(file, "dimension " + i + " has negative size " + dims[i]);
            }
        }
        return dims;
    }

    private static byte[] readData(Path file, InputStream in, IdxArray.ElementType type, long[] dims) throws IOException {
        long elements = 1;
        for (long d : dims) {
            elements = d == 0 ? 0 : Math.min(elements * d, Long.MAX_VALUE / 16);
        }
        long bytes = elements * type.size();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new MalformedDataException(file, "dimensions " + Arrays.toString(dims) + " of " + type.name().toLowerCase()
                    + " need " + bytes + " bytes; at most 2^31 - 9 fit in one array");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw new MalformedDataException(file, "truncated data: dimensions " + Shape.of(dims) + " of "
                    + type.name().toLowerCase() + " need " + bytes + " bytes, only " + data.length + " present");
        }
        return data;
    }
}
