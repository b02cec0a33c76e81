package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.janus.graph.GraphFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damaged or hostile archive is refused with a ModelFormatException that says what and where. */
class ModelArchiveHardeningTest {
    @TempDir
    Path dir;
    Map<String, byte[]> mlp;
    Map<String, byte[]> rnn;

    @BeforeEach
    void saveValidArchives() throws IOException {
        Path m = dir.resolve("mlp.janus");
        ModelArchive.save(GraphFunction.of(ArchiveModels.mlp(1).graph(), "forward"), m);
        mlp = ArchiveBytes.entries(m);
        Path r = dir.resolve("rnn.janus");
        ModelArchive.save(GraphFunction.of(ArchiveModels.seedRnn(2, 3).graph(), "forward"), r);
        rnn = ArchiveBytes.entries(r);
    }

    private void assertRejected(byte[] zip, String... fragments) throws IOException {
        assertRejected(zip, ModelArchive.Limits.DEFAULT, fragments);
    }

    private void assertRejected(byte[] zip, ModelArchive.Limits limits, String... fragments) throws IOException {
        Path f = dir.resolve("bad.janus");
        Files.write(f, zip);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.load(f, limits));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
    }

    private void assertGraphRejected(Map<String, byte[]> entries, Consumer<ObjectNode> edit, String... fragments)
            throws IOException {
        assertRejected(ArchiveBytes.zip(ArchiveBytes.editJson(entries, "graph.json", edit)), fragments);
    }

    private static ObjectNode node(ObjectNode graphJson, int i) {
        return (ObjectNode) graphJson.get("graph").get("nodes").get(i);
    }

    private static ObjectNode firstNode(ObjectNode graphJson, String op) {
        for (var n : graphJson.get("graph").get("nodes")) {
            if (n.get("op").textValue().equals(op)) {
                return (ObjectNode) n;
            }
        }
        throw new AssertionError("no " + op);
    }

    @Test
    void newerMajorFormat_refusedWithUpgradeMessage() throws IOException {
        assertRejected(ArchiveBytes.zip(ArchiveBytes.editJson(mlp, "meta.json", m -> m.put("formatVersion", "2.0"))),
                "meta.json", "format version 2.0", "newer Janus");
        assertRejected(ArchiveBytes.zip(ArchiveBytes.editJson(mlp, "meta.json", m -> m.put("opsetVersion", 99))),
                "op set 99");
        assertRejected(ArchiveBytes.zip(ArchiveBytes.editJson(mlp, "meta.json", m -> m.remove("created"))),
                "'created' must be a string");
    }

    @Test
    void newerMinorFormat_loads() throws IOException {
        Path f = dir.resolve("minor.janus");
        Files.write(f, ArchiveBytes.zip(ArchiveBytes.editJson(mlp, "meta.json", m -> m.put("formatVersion", "1.7"))));
        ModelArchive.load(f);
    }

    @Test
    void unknownOp_namesTheNode() throws IOException {
        assertGraphRejected(mlp, g -> node(g, 1).put("op", "gelu_fast"), "graph.json", "graph.nodes[1].op",
                "unknown op 'gelu_fast'");
    }

    @Test
    void attributeOfTheWrongType_namesNodeAndAttribute() throws IOException {
        assertGraphRejected(mlp, g -> ((ObjectNode) firstNode(g, "matmul").get("attrs").get("transB"))
                .put("type", "int").put("value", 1), "(matmul).attrs", "'transB'", "has type int but the op reads it as bool");
        assertGraphRejected(mlp, g -> ((ObjectNode) firstNode(g, "matmul").get("attrs").get("transB"))
                .put("value", 1), "'transB' must be a boolean");
        assertGraphRejected(mlp, g -> ((ObjectNode) firstNode(g, "matmul").get("attrs")).remove("transA"),
                "attribute 'transA' of 'matmul' is missing");
        assertGraphRejected(mlp, g -> ((ObjectNode) firstNode(g, "matmul").get("attrs")).putObject("alpha")
                .put("type", "double").put("value", 2.0), "'alpha' is not an attribute of 'matmul'");
        assertGraphRejected(mlp, g -> ((ObjectNode) firstNode(g, "matmul").get("attrs").get("transB"))
                .put("type", "complex"), "unknown type \"complex\"");
    }

    @Test
    void danglingAndDuplicateValueIds_refused() throws IOException {
        assertGraphRejected(mlp, g -> ((ArrayNode) node(g, 0).get("inputs")).set(0, 12345),
                "graph.nodes[0] (matmul).inputs[0]", "value id 12345 is not defined", "dangling");
        assertGraphRejected(mlp, g -> ((ObjectNode) node(g, 1).get("outputs").get(0)).put("id",
                node(g, 0).get("outputs").get(0).get("id").intValue()), "is defined twice");
        assertGraphRejected(mlp, g -> ((ArrayNode) g.get("graph").get("outputs")).set(0, 777),
                "graph.outputs[0]", "dangling");
        assertGraphRejected(mlp, g -> ((ArrayNode) node(g, 0).get("inputs")).set(0,
                node(g, 2).get("outputs").get(0).get("id").intValue()), "not defined before it is used");
    }

    @Test
    void shapeThatDisagreesWithTheOp_refusedByVerification() throws IOException {
        assertGraphRejected(mlp, g -> ((ArrayNode) node(g, 0).get("outputs").get(0).get("shape")).set(1, 9),
                "graph.json", "graph verification", "declares");
        assertGraphRejected(mlp, g -> ((ArrayNode) node(g, 0).get("outputs").get(0).get("shape")).set(1, -3),
                "invalid shape");
        assertGraphRejected(mlp, g -> ((ArrayNode) node(g, 0).get("outputs").get(0).get("shape")).set(1, 1L << 40),
                "over the limit");
        assertGraphRejected(mlp, g -> ((ObjectNode) node(g, 0).get("outputs").get(0)).putArray("dynamic").add(5),
                "axis 5 is outside rank 2");
        assertGraphRejected(mlp, g -> ((ObjectNode) node(g, 0).get("outputs").get(0)).put("dtype", "f16"),
                "must be a dtype");
    }

    @Test
    void missingFields_namedByPath() throws IOException {
        assertGraphRejected(mlp, g -> node(g, 0).remove("inputs"), "graph.nodes[0] (matmul).inputs is missing");
        assertGraphRejected(mlp, g -> ((ObjectNode) g.get("graph")).remove("nodes"), "graph.nodes is missing");
        assertGraphRejected(mlp, g -> g.remove("signature"), "signature is missing");
        assertGraphRejected(rnn, g -> firstNode(g, "loop").remove("subgraphs"), "control op 'loop' needs its subgraphs");
    }

    @Test
    void loopBodyEdits_refusedByVerification() throws IOException {
        assertGraphRejected(rnn, g -> ((ObjectNode) firstNode(g, "loop").get("subgraphs").get(0)).putArray("outputs"),
                "loop node");
        assertGraphRejected(rnn, g -> firstNode(g, "loop").put("op", "if"), "if node");
    }

    @Test
    void mixedOperandDtypes_refusedByTheShapeRules() throws IOException {
        // found by the fuzz test: add(f32[4, 2], bool[]) used to verify (the shape rules promoted) though the CPU
        // kernel needs one dtype; the shape rules now require it
        assertGraphRejected(rnn, g -> {
            ObjectNode body = (ObjectNode) firstNode(g, "loop").get("subgraphs").get(0);
            int cond = body.get("inputs").get(1).get("id").intValue();
            for (var n : body.get("nodes")) {
                if (n.get("op").textValue().equals("add")) {
                    ((ArrayNode) n.get("inputs")).set(1, cond);
                }
            }
        }, "= add(", "operands must have one dtype");
    }

    @Test
    void signatureThatDisagreesWithTheGraph_refused() throws IOException {
        assertGraphRejected(mlp, g -> ((ObjectNode) g.get("signature").get("inputs").get(0)).putArray("dynamic"),
                "signature.inputs[0]", "declares value");
        assertGraphRejected(rnn, g -> ((ObjectNode) g.get("signature").get("inputs").get(1)).put("name", "h0"),
                "'h0' is empty or used twice");
    }

    @Test
    void deeplyNestedSubgraphs_refusedBeforeRecursing() throws IOException {
        assertGraphRejected(rnn, g -> {
            // if nodes nested 40 deep, each reading the top-level input h0 and defining nothing
            int h0 = g.get("graph").get("inputs").get(0).get("id").intValue();
            ObjectNode chain = null;
            for (int depth = 0; depth < 40; depth++) {
                ObjectNode sub = ArchiveBytes.JSON.createObjectNode();
                sub.putArray("inputs");
                sub.putArray("parameters");
                sub.putArray("constants");
                ArrayNode nodes = sub.putArray("nodes");
                if (chain != null) {
                    nodes.add(chain);
                }
                sub.putArray("outputs");
                chain = ArchiveBytes.JSON.createObjectNode().put("op", "if");
                chain.putArray("inputs").add(h0);
                ObjectNode empty = sub.deepCopy();
                empty.putArray("nodes");
                chain.putArray("subgraphs").add(sub).add(empty);
                chain.putArray("outputs");
            }
            ((ArrayNode) g.get("graph").get("nodes")).insert(0, chain);
        }, "nest deeper than 16");
        StringBuilder deep = new StringBuilder();
        deep.append("[".repeat(100_000)).append("]".repeat(100_000));
        Map<String, byte[]> e = new LinkedHashMap<>(mlp);
        e.put("graph.json", deep.toString().getBytes(StandardCharsets.UTF_8));
        assertRejected(ArchiveBytes.zip(e), "graph.json", "not valid JSON", "nesting depth");
    }

    @Test
    void notJson_trailingGarbage_duplicateKeys_refused() throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>(mlp);
        e.put("graph.json", "{\"graph\": ".getBytes(StandardCharsets.UTF_8));
        assertRejected(ArchiveBytes.zip(e), "graph.json: not valid JSON");
        e.put("graph.json", (new String(mlp.get("graph.json"), StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8));
        assertRejected(ArchiveBytes.zip(e), "not valid JSON", "Trailing token");
        e.put("graph.json", "{\"graph\": {}, \"graph\": {}}".getBytes(StandardCharsets.UTF_8));
        assertRejected(ArchiveBytes.zip(e), "Duplicate field 'graph'");
    }

    @Test
    void weightsThatDoNotMatchTheGraph_refused() throws IOException {
        byte[] w = mlp.get("weights.safetensors");
        ObjectNode header = ArchiveBytes.safetensorsHeader(w);
        ObjectNode bias = (ObjectNode) header.get("fc2.bias");
        ((ArrayNode) bias.get("shape")).removeAll().add(1).add(3);
        Map<String, byte[]> e = new LinkedHashMap<>(mlp);
        e.put("weights.safetensors", ArchiveBytes.withSafetensorsHeader(w, header));
        assertRejected(ArchiveBytes.zip(e), "graph.parameters[3]", "is stored as tensor 'fc2.bias' of type f32[1, 3]");
        assertGraphRejected(mlp, g -> ((ObjectNode) g.get("graph").get("parameters").get(0)).put("tensor", "nope"),
                "no tensor 'nope' in weights.safetensors");
        Path plain = dir.resolve("w.safetensors");
        Files.write(plain, w);
        Map<String, dev.janus.Tensor> extra = new LinkedHashMap<>(Safetensors.load(plain));
        extra.put("stowaway", dev.janus.Tensor.zeros(2));
        Safetensors.save(extra, plain);
        e.put("weights.safetensors", Files.readAllBytes(plain));
        assertRejected(ArchiveBytes.zip(e), "tensor 'stowaway' belongs to no parameter or constant");
    }

    @Test
    void hugeDeclaredSizesInTheWeightsHeader_refusedWithoutAllocating() throws IOException {
        byte[] w = mlp.get("weights.safetensors");
        ObjectNode header = ArchiveBytes.safetensorsHeader(w);
        ObjectNode weight = (ObjectNode) header.get("fc1.weight");
        ((ArrayNode) weight.get("shape")).removeAll().add(1L << 20).add(1L << 20);
        ((ArrayNode) weight.get("data_offsets")).removeAll().add(0).add(4L << 40);
        Map<String, byte[]> e = new LinkedHashMap<>(mlp);
        e.put("weights.safetensors", ArchiveBytes.withSafetensorsHeader(w, header));
        assertRejected(ArchiveBytes.zip(e), "weights.safetensors", "tensor 'fc1.weight' has data offsets");
        byte[] hugeHeader = w.clone();
        ArchiveBytes.put32(hugeHeader, 0, 0x7fffffffL);
        e.put("weights.safetensors", hugeHeader);
        assertRejected(ArchiveBytes.zip(e), "header length 2147483647 does not fit");
    }

    @Test
    void unexpectedEntries_pathTraversal_duplicates_missing_refused() throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>(mlp);
        e.put("evil.sh", new byte[] {1});
        assertRejected(ArchiveBytes.zip(e), "unexpected entry 'evil.sh'");
        e = new LinkedHashMap<>(mlp);
        e.put("../../etc/meta.json", new byte[] {1});
        assertRejected(ArchiveBytes.zip(e), "'../../etc/meta.json'", "path traversal");
        e = new LinkedHashMap<>(mlp);
        e.remove("meta.json");
        assertRejected(ArchiveBytes.zip(e), "entry 'meta.json' is missing");
        e = new LinkedHashMap<>(mlp);
        e.put("meta.jsoX", mlp.get("meta.json"));
        byte[] twice = ArchiveBytes.zip(e);
        ArchiveBytes.replaceAll(twice, "meta.jsoX", "meta.json");
        assertRejected(twice, "entry 'meta.json' appears twice");
    }

    @Test
    void zipBombs_declaredOrActual_stopAtTheLimit() throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>(mlp);
        byte[] spaces = new byte[4 << 20];
        Arrays.fill(spaces, (byte) ' ');
        byte[] json = mlp.get("graph.json");
        System.arraycopy(json, 0, spaces, 0, json.length);
        e.put("graph.json", spaces);
        ModelArchive.Limits small = new ModelArchive.Limits(1 << 16, 1 << 20, 1 << 20, 1 << 20);
        byte[] declared = ArchiveBytes.zip(e);
        assertRejected(declared, small, "graph.json: declares 4194304 bytes, over the limit of 1048576");
        byte[] lying = declared.clone();
        ArchiveBytes.declareSize(lying, "graph.json", json.length);
        assertRejected(lying, small, "graph.json: holds more than its declared " + json.length + " bytes");
        byte[] ratio = declared.clone();
        ArchiveBytes.declareSize(ratio, "graph.json", 900_000_000L);
        assertRejected(ratio, new ModelArchive.Limits(1 << 16, 1L << 31, 1 << 20, 1 << 20),
                "more than deflate can expand");
    }

    @Test
    void damagedBytes_truncationAndBitFlips_refused() throws IOException {
        byte[] good = ArchiveBytes.zip(mlp);
        assertRejected(Arrays.copyOf(good, good.length / 2), "not a valid zip archive");
        assertRejected(new byte[0], "not a valid zip archive");
        byte[] flipped = good.clone();
        int data = ArchiveBytes.localHeader(flipped, "weights.safetensors") + 30 + "weights.safetensors".length()
                + mlp.get("weights.safetensors").length - 10; // in the last tensor's data
        flipped[data] ^= 0x10;
        assertRejected(flipped, "weights.safetensors: CRC-32 mismatch");
    }
}
