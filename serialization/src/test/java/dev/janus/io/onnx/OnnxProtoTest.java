package dev.janus.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.janus.io.ModelFormatException;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.io.onnx.OnnxProto.AttributeType;
import dev.janus.io.onnx.OnnxProto.Dim;
import dev.janus.io.onnx.OnnxProto.GraphProto;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProto.OperatorSetId;
import dev.janus.io.onnx.OnnxProto.TensorProto;
import dev.janus.io.onnx.OnnxProto.TypeProto;
import dev.janus.io.onnx.OnnxProto.ValueInfoProto;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written ONNX message codec: round trips, both repeated-field encodings, and hostile input. */
class OnnxProtoTest {
    private static ModelProto sample() {
        TensorProto raw = TensorProto.raw("w", OnnxProto.FLOAT, new long[] {2, 2}, new byte[16]);
        TensorProto typed = new TensorProto("c", OnnxProto.INT64, new long[] {3}, null, new float[0], new int[0],
                new long[] {-1, 0, 1L << 40}, new double[0], new long[0], List.of(), false);
        GraphProto body = new GraphProto("then", List.of(new NodeProto("", "Identity", "", List.of("x"), List.of("y"), List.of())),
                List.of(), List.of(), List.of(new ValueInfoProto("y", TypeProto.tensor(OnnxProto.FLOAT, null))), List.of());
        NodeProto n = new NodeProto("n0", "If", "", List.of("cond", ""), List.of("out"), List.of(
                AttributeProto.ofGraph("then_branch", body), AttributeProto.ofInt("i", -5), AttributeProto.ofFloat("f", 0.25f),
                AttributeProto.ofInts("ints", 1, -2, 3), AttributeProto.ofString("s", "héllo"),
                AttributeProto.ofTensor("t", typed)));
        ValueInfoProto in = new ValueInfoProto("x", TypeProto.tensor(OnnxProto.FLOAT, List.of(Dim.named("batch"), Dim.of(4),
                new Dim(-1, null))));
        GraphProto g = new GraphProto("main", List.of(n), List.of(raw), List.of(in), List.of(in), List.of());
        return new ModelProto(8, List.of(new OperatorSetId("", 17)), "janus", "0.1", g, Map.of("k", "v"));
    }

    @Test
    void writeThenRead_keepsEveryField() throws Exception {
        ModelProto m = sample();
        byte[] bytes = OnnxProtoWriter.toBytes(m);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        OnnxProtoWriter.write(m, streamed);
        assertArrayEquals(bytes, streamed.toByteArray(), "stream and array encodings agree");
        ModelProto back = OnnxProtoReader.read(bytes);
        assertEquals(8, back.irVersion());
        assertEquals(17, back.defaultOpset());
        assertEquals(Map.of("k", "v"), back.metadata());
        GraphProto g = back.graph();
        assertEquals(List.of(Dim.named("batch"), Dim.of(4), new Dim(-1, null)), g.inputs().get(0).type().dims());
        NodeProto n = g.nodes().get(0);
        assertEquals(List.of("cond", ""), n.inputs());
        assertEquals(-5, n.attribute("i").i());
        assertEquals(0.25f, n.attribute("f").f());
        assertArrayEquals(new long[] {1, -2, 3}, n.attribute("ints").ints());
        assertEquals("héllo", n.attribute("s").stringValue());
        assertArrayEquals(new long[] {-1, 0, 1L << 40}, n.attribute("t").t().int64Data());
        assertEquals("Identity", n.attribute("then_branch").g().nodes().get(0).opType());
        assertEquals(AttributeType.GRAPH, n.attribute("then_branch").type());
        assertArrayEquals(new byte[16], g.initializers().get(0).rawData());
    }

    @Test
    void repeatedFields_packedAndUnpacked_bothRead() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED); // dims, packed
        out.writeUInt32NoTag(2);
        out.writeInt64NoTag(2);
        out.writeInt64NoTag(3);
        out.writeInt64(2, OnnxProto.FLOAT);
        for (int i = 0; i < 6; i++) {
            out.writeFloat(4, i); // float_data, one tag per element
        }
        out.flush();
        TensorProto t = OnnxProtoReader.readTensor(bytes.toByteArray());
        assertArrayEquals(new long[] {2, 3}, t.dims());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.floatData());
    }

    @Test
    void garbage_isAFormatErrorNeverACrash() {
        Random r = new Random(42);
        for (int k = 0; k < 2000; k++) {
            byte[] junk = new byte[r.nextInt(64)];
            r.nextBytes(junk);
            readOrFormatError(junk);
        }
        byte[] good = OnnxProtoWriter.toBytes(sample());
        for (int cut = 0; cut < good.length; cut++) {
            readOrFormatError(Arrays.copyOf(good, cut));
        }
        for (int k = 0; k < 500; k++) {
            byte[] flipped = good.clone();
            flipped[r.nextInt(flipped.length)] ^= (byte) (1 << r.nextInt(8));
            readOrFormatError(flipped);
        }
    }

    private static void readOrFormatError(byte[] bytes) {
        try {
            OnnxProtoReader.read(bytes);
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        } catch (RuntimeException | Error e) {
            fail("decoding " + bytes.length + " bytes threw " + e, e);
        }
    }

    @Test
    void hugeDeclaredLength_isRefusedBeforeAllocating() {
        byte[] bytes = {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x00};
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxProtoReader.read(bytes));
        assertTrue(e.getMessage().contains("ModelProto.graph"), e.getMessage());
    }

    @Test
    void deeplyNestedSubgraphs_areRefused() {
        GraphProto g = new GraphProto("leaf", List.of(), List.of(), List.of(), List.of(), List.of());
        for (int i = 0; i < OnnxProtoReader.MAX_DEPTH + 5; i++) {
            NodeProto n = new NodeProto("", "If", "", List.of("c"), List.of("o"), List.of(AttributeProto.ofGraph("then_branch", g)));
            g = new GraphProto("g" + i, List.of(n), List.of(), List.of(), List.of(), List.of());
        }
        byte[] bytes = OnnxProtoWriter.toBytes(new ModelProto(8, List.of(), "", "", g, Map.of()));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxProtoReader.read(bytes));
        assertTrue(e.getMessage().contains("nest"), e.getMessage());
    }

    @Test
    void negativeDimAndWrongWireType_areFormatErrors() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeInt64(1, -3);
        out.flush();
        assertTrue(assertThrows(ModelFormatException.class, () -> OnnxProtoReader.readTensor(bytes.toByteArray()))
                .getMessage().contains("negative dim"));
        ByteArrayOutputStream wrong = new ByteArrayOutputStream();
        CodedOutputStream w = CodedOutputStream.newInstance(wrong);
        w.writeFixed64(2, 7); // data_type must be a varint
        w.flush();
        assertTrue(assertThrows(ModelFormatException.class, () -> OnnxProtoReader.readTensor(wrong.toByteArray()))
                .getMessage().contains("TensorProto.data_type"));
    }
}
