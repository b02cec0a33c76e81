package dev.janus.io.tensorboard;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads TensorBoard event files for the tests, sharing no code with the writer: its own TFRecord parser and
 * CRC32C (a bitwise-computed table, not {@code java.util.zip.CRC32C}), and protobuf decoding by field number
 * with {@link CodedInputStream}, the field numbers written out again from TensorFlow's .proto files.
 */
final class EventFileReader {
    private EventFileReader() {}

    /** A corrupted record: a length or data CRC that does not match. */
    static final class CorruptRecordException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptRecordException(String message) {
            super(message);
        }
    }

    record Event(double wallTime, long step, String fileVersion, byte[] graphDef, List<Value> values) {}

    /** One Summary.Value; the fields it lacks are null. */
    record Value(String tag, Float simpleValue, Histo histo, TensorVal tensor, String pluginName) {}

    record Histo(double min, double max, double num, double sum, double sumSquares, List<Double> bucketLimit,
            List<Double> bucket) {}

    record TensorVal(int dtype, List<Long> dims, List<String> strings) {}

    record NodeDef(String name, String op, List<String> inputs, Map<String, byte[]> attrs) {}

    static List<Event> readEvents(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        for (byte[] record : readRecords(Files.readAllBytes(file))) {
            events.add(event(record));
        }
        return events;
    }

    // ---- TFRecord framing ----

    static List<byte[]> readRecords(byte[] bytes) throws CorruptRecordException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (buf.hasRemaining()) {
            int start = buf.position();
            if (buf.remaining() < 12) {
                throw new CorruptRecordException("truncated record header at byte " + start);
            }
            byte[] header = new byte[8];
            buf.get(header);
            check(header, buf.getInt(), "length", start);
            long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (length < 0 || length > buf.remaining() - 4) {
                throw new CorruptRecordException("record at byte " + start + " claims " + length + " bytes");
            }
            byte[] data = new byte[(int) length];
            buf.get(data);
            check(data, buf.getInt(), "data", start);
            records.add(data);
        }
        return records;
    }

    private static void check(byte[] data, int stored, String what, int recordStart) throws CorruptRecordException {
        int expected = masked(crc32c(data));
        if (expected != stored) {
            throw new CorruptRecordException(String.format("CRC mismatch in the %s of the record at byte %d: stored %08x, "
                    + "computed %08x", what, recordStart, stored, expected));
        }
    }

    static int masked(int crc) {
        return Integer.rotateRight(crc, 15) + 0xa282ead8;
    }

    private static final int[] CRC_TABLE = crcTable();

    /** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven with a table computed bit by bit. */
    static int crc32c(byte[] data) {
        int crc = ~0;
        for (byte b : data) {
            crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
        }
        return ~crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            table[i] = c;
        }
        return table;
    }

    // ---- protobuf messages (event.proto, summary.proto, tensor.proto, graph.proto, node_def.proto) ----

    private static Event event(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        double wallTime = 0;
        long step = 0;
        String fileVersion = null;
        byte[] graphDef = null;
        List<Value> values = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> wallTime = in.readDouble();
                case 2 -> step = in.readInt64();
                case 3 -> fileVersion = in.readString();
                case 4 -> graphDef = in.readByteArray();
                case 5 -> values.addAll(summary(in.readByteArray()));
                default -> in.skipField(tag);
            }
        }
        return new Event(wallTime, step, fileVersion, graphDef, values);
    }

    private static List<Value> summary(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        List<Value> values = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                values.add(value(in.readByteArray()));
            } else {
                in.skipField(tag);
            }
        }
        return values;
    }

    private static Value value(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String tagName = null;
        Float simple = null;
        Histo histo = null;
        TensorVal tensor = null;
        String plugin = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> tagName = in.readString();
                case 2 -> simple = in.readFloat();
                case 5 -> histo = histo(in.readByteArray());
                case 8 -> tensor = tensor(in.readByteArray());
                case 9 -> plugin = pluginName(in.readByteArray());
                default -> in.skipField(tag);
            }
        }
        return new Value(tagName, simple, histo, tensor, plugin);
    }

    private static String pluginName(byte[] metadata) throws IOException {
        byte[] pluginData = firstBytes(metadata, 1);
        if (pluginData == null) {
            return null;
        }
        byte[] name = firstBytes(pluginData, 1);
        return name == null ? null : new String(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Histo histo(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        double[] stats = new double[5];
        List<Double> limits = new ArrayList<>();
        List<Double> buckets = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field >= 1 && field <= 5) {
                stats[field - 1] = in.readDouble();
            } else if (field == 6 || field == 7) {
                readDoubles(in, tag, field == 6 ? limits : buckets);
            } else {
                in.skipField(tag);
            }
        }
        return new Histo(stats[0], stats[1], stats[2], stats[3], stats[4], limits, buckets);
    }

    /** A repeated double, packed or not (parsers must accept both). */
    private static void readDoubles(CodedInputStream in, int tag, List<Double> out) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                out.add(in.readDouble());
            }
            in.popLimit(limit);
        } else {
            out.add(in.readDouble());
        }
    }

    private static TensorVal tensor(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int dtype = 0;
        List<Long> dims = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> dtype = in.readEnum();
                case 2 -> dims.addAll(shape(in.readByteArray()));
                case 8 -> strings.add(in.readStringRequireUtf8());
                default -> in.skipField(tag);
            }
        }
        return new TensorVal(dtype, dims, strings);
    }

    /** TensorShapeProto: the sizes of its {@code dim} messages. */
    static List<Long> shape(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        List<Long> dims = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 2) {
                CodedInputStream dim = CodedInputStream.newInstance(in.readByteArray());
                long size = 0;
                for (int t = dim.readTag(); t != 0; t = dim.readTag()) {
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        size = dim.readInt64();
                    } else {
                        dim.skipField(t);
                    }
                }
                dims.add(size);
            } else {
                in.skipField(tag);
            }
        }
        return dims;
    }

    /** GraphDef's nodes. */
    static List<NodeDef> graphDef(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        List<NodeDef> nodes = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                nodes.add(nodeDef(in.readByteArray()));
            } else {
                in.skipField(tag);
            }
        }
        return nodes;
    }

    private static NodeDef nodeDef(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = null;
        String op = null;
        List<String> inputs = new ArrayList<>();
        Map<String, byte[]> attrs = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> op = in.readString();
                case 3 -> inputs.add(in.readString());
                case 5 -> {
                    byte[] entry = in.readByteArray();
                    byte[] key = firstBytes(entry, 1);
                    byte[] value = firstBytes(entry, 2);
                    attrs.put(new String(key, java.nio.charset.StandardCharsets.UTF_8), value == null ? new byte[0] : value);
                }
                default -> in.skipField(tag);
            }
        }
        return new NodeDef(name, op, inputs, attrs);
    }

    /** An AttrValue holding {@code list(shape)}: each shape's dim sizes. */
    static List<List<Long>> listOfShapes(byte[] attrValue) throws IOException {
        byte[] list = firstBytes(attrValue, 1);
        List<List<Long>> shapes = new ArrayList<>();
        if (list == null) {
            return shapes;
        }
        CodedInputStream in = CodedInputStream.newInstance(list);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 7) {
                shapes.add(shape(in.readByteArray()));
            } else {
                in.skipField(tag);
            }
        }
        return shapes;
    }

    /** An AttrValue's {@code type} (field 6), or -1 when it has none. */
    static int attrType(byte[] attrValue) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(attrValue);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 6 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                return in.readEnum();
            }
            in.skipField(tag);
        }
        return -1;
    }

    /** An AttrValue's string {@code s} (field 2), or null. */
    static String attrString(byte[] attrValue) throws IOException {
        byte[] s = firstBytes(attrValue, 2);
        return s == null ? null : new String(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The first length-delimited field {@code field} of a message, or null. */
    private static byte[] firstBytes(byte[] message, int field) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                return in.readByteArray();
            }
            in.skipField(tag);
        }
        return null;
    }
}
