package dev.janus.io.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is its length (uint64, little
 * endian), the masked CRC32C of those 8 bytes, the data, and the masked CRC32C of the data.
 *
 * <pre>{@code new RecordWriter(out).write(eventBytes);}</pre>
 */
final class RecordWriter {
    /** TFRecord's mask constant; masking keeps a CRC of data that itself holds CRCs from looking valid. */
    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;

    RecordWriter(OutputStream out) {
        this.out = out;
    }

    void write(byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(length);
        out.write(le32(maskedCrc32c(length)));
        out.write(data);
        out.write(le32(maskedCrc32c(data)));
    }

    /** TFRecord's masked CRC32C: the CRC rotated right by 15 bits plus {@link #MASK_DELTA}. */
    static int maskedCrc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
