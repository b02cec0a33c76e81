package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.GraphFunction;
import dev.janus.ops.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the loader: valid archives (an MLP, a small CNN, the seed RNN with a LOOP node) are damaged
 * thousands of times — truncated, bit-flipped, their JSON edited (op names, attribute types and values, shapes,
 * value ids, dtypes, dynamic dims, deleted fields), their weights header edited (huge sizes and offsets) — and
 * re-zipped. Every load must either throw {@link ModelFormatException}, or succeed and compute; a load of damaged
 * bytes (truncation, bit flips) that succeeds must give exactly the original outputs. No other exception, no
 * OutOfMemoryError, no StackOverflowError, no hang.
 */
class ModelArchiveFuzzTest {
    @TempDir
    Path dir;

    /** A valid archive and what it computes. */
    record Seed(String name, Map<String, byte[]> entries, byte[] zip, Tensor[] inputs, float[][] expected) {}

    enum Kind {
        TRUNCATE(true), BIT_FLIPS(true), BYTE_RUN(true),
        OP_NAME(false), ATTR_TYPE(false), ATTR_VALUE(false), SHAPE(false), VALUE_ID(false), DTYPE(false),
        DYNAMIC(false), DELETE_FIELD(false), REPLACE_VALUE(false), META(false), WEIGHTS_HEADER(false),
        WEIGHTS_LENGTH(false), ENTRY_NAMES(false);

        /** Damage to the bytes (a succeeding load must then compute exactly what the original did). */
        final boolean damage;

        Kind(boolean damage) {
            this.damage = damage;
        }
    }

    /** Tallies of one fuzz run. */
    static final class Stats {
        int tried;
        int rejected;
        int harmless;
        int validButDifferent;
        long maxNanos;
        final List<String> failures = new ArrayList<>();
        final int[] perKind = new int[Kind.values().length];
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedArchives_loadCorrectlyOrFailWithModelFormatException() throws IOException {
        run(2_000, 20240611L);
    }

    @Test
    @Tag("slow")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void mutatedArchives_manyMore() throws IOException {
        run(Integer.getInteger("janus.fuzz.count", 100_000), Long.getLong("janus.fuzz.seed", System.nanoTime()));
    }

    private void run(int count, long seed) throws IOException {
        List<Seed> seeds = List.of(seed("mlp", ArchiveModels.mlp(1)), seed("cnn", ArchiveModels.smallCnn(2)),
                seed("rnn", ArchiveModels.seedRnn(3, 3)));
        Random rnd = new Random(seed);
        Stats stats = new Stats();
        Path file = dir.resolve("fuzz.janus");
        long start = System.nanoTime();
        for (int i = 0; stats.tried < count; i++) {
            Seed s = seeds.get(rnd.nextInt(seeds.size()));
            Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
            byte[] bytes;
            try {
                bytes = mutate(s, kind, rnd);
            } catch (RuntimeException notApplicable) {
                continue; // e.g. no attribute to edit in this graph: pick again
            }
            Files.write(file, bytes);
            stats.tried++;
            stats.perKind[kind.ordinal()]++;
            check(s, kind, file, stats, "#" + i + " " + kind + " on " + s.name() + " (seed " + seed + ")");
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("archive fuzz: %d mutations in %d ms (seed %d): %d rejected with ModelFormatException, %d "
                + "harmless (same outputs), %d valid but different models; slowest load %.1f ms; per kind %s%n",
                stats.tried, ms, seed, stats.rejected, stats.harmless, stats.validButDifferent, stats.maxNanos / 1e6,
                perKind(stats));
        assertTrue(stats.failures.isEmpty(), stats.failures.size() + " failures, first ones:\n"
                + String.join("\n", stats.failures.subList(0, Math.min(10, stats.failures.size()))));
        assertTrue(stats.rejected > count / 4, "most mutations should be caught");
    }

    private static String perKind(Stats s) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            m.put(k.name(), s.perKind[k.ordinal()]);
        }
        return m.toString();
    }

    private Seed seed(String name, ArchiveModels.Example e) throws IOException {
        Path f = dir.resolve(name + ".janus");
        ModelArchive.save(GraphFunction.of(e.graph(), "forward"), f);
        Tensor[] out = new CompiledGraph(e.graph()).run(e.inputs());
        float[][] expected = new float[out.length][];
        for (int i = 0; i < out.length; i++) {
            expected[i] = out[i].toFloatArray();
        }
        return new Seed(name, ArchiveBytes.entries(f), Files.readAllBytes(f), e.inputs(), expected);
    }

    private static void check(Seed s, Kind kind, Path file, Stats stats, String what) {
        long t0 = System.nanoTime();
        try {
            LoadedModel m = ModelArchive.load(file);
            Tensor[] out;
            try {
                out = m.run(s.inputs());
            } catch (IllegalArgumentException signatureChanged) {
                if (kind.damage) {
                    stats.failures.add(what + ": loaded a damaged archive with another signature: " + signatureChanged);
                } else {
                    stats.validButDifferent++;
                }
                return;
            }
            boolean same = out.length == s.expected().length;
            for (int i = 0; same && i < out.length; i++) {
                same = Arrays.equals(out[i].toFloatArray(), s.expected()[i]);
            }
            if (same) {
                stats.harmless++;
            } else if (kind.damage) {
                stats.failures.add(what + ": loaded damaged bytes and computed something else");
            } else {
                stats.validButDifferent++;
            }
        } catch (ModelFormatException expected) {
            stats.rejected++;
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                stats.failures.add(what + ": ModelFormatException without a message");
            }
        } catch (Throwable t) { // NOTE: the property under test: nothing but ModelFormatException escapes
            java.io.StringWriter trace = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(trace));
            stats.failures.add(what + ": " + trace.toString().lines().limit(12).reduce("", (a, b) -> a + "\n  " + b));
        } finally {
            stats.maxNanos = Math.max(stats.maxNanos, System.nanoTime() - t0);
        }
    }

    // ---- mutations ----

    static byte[] mutate(Seed s, Kind kind, Random rnd) {
        byte[] zip = s.zip().clone();
        return switch (kind) {
            case TRUNCATE -> Arrays.copyOf(zip, rnd.nextInt(zip.length));
            case BIT_FLIPS -> {
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    zip[rnd.nextInt(zip.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                yield zip;
            }
            case BYTE_RUN -> {
                int at = rnd.nextInt(zip.length);
                for (int k = at; k < Math.min(zip.length, at + 1 + rnd.nextInt(16)); k++) {
                    zip[k] = (byte) rnd.nextInt(256);
                }
                yield zip;
            }
            case META -> ArchiveBytes.zip(ArchiveBytes.editJson(s.entries(), "meta.json", m -> editMeta(m, rnd)));
            case WEIGHTS_HEADER -> weights(s, rnd);
            case WEIGHTS_LENGTH -> {
                byte[] w = s.entries().get("weights.safetensors").clone();
                long len = rnd.nextBoolean() ? rnd.nextLong() : ArchiveBytes.u32(w, 0) + rnd.nextInt(64) - 32;
                for (int k = 0; k < 8; k++) {
                    w[k] = (byte) (len >>> (8 * k));
                }
                Map<String, byte[]> e = new LinkedHashMap<>(s.entries());
                e.put("weights.safetensors", w);
                yield ArchiveBytes.zip(e);
            }
            case ENTRY_NAMES -> entryNames(s, rnd);
            default -> ArchiveBytes.zip(ArchiveBytes.editJson(s.entries(), "graph.json", g -> editGraph(g, kind, rnd)));
        };
    }

    private static void editGraph(ObjectNode g, Kind kind, Random rnd) {
        List<Slot> slots = new ArrayList<>();
        collect(g, slots);
        switch (kind) {
            case OP_NAME -> pick(slots, "op", rnd).set(rnd.nextInt(3) == 0 ? text("x" + rnd.nextInt(99))
                    : text(Op.values()[rnd.nextInt(Op.values().length)].opName()));
            case ATTR_TYPE -> pick(slots, "type", rnd).set(text(List.of("bool", "int", "long", "double", "string",
                    "dtype", "int[]", "long[]", "float", "").get(rnd.nextInt(10))));
            case ATTR_VALUE -> pick(slots, "value", rnd).set(randomJson(rnd));
            case SHAPE -> editInts(pick(slots, "shape", rnd), rnd);
            case VALUE_ID -> {
                Slot id = rnd.nextBoolean() ? pick(slots, "id", rnd) : pickInArray(slots, rnd, "inputs", "outputs");
                id.set(JsonNodeFactory.instance.numberNode(rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(40) - 2));
            }
            case DTYPE -> pick(slots, "dtype", rnd).set(text(List.of("f32", "f64", "i32", "i64", "bool", "F32", "f16")
                    .get(rnd.nextInt(7))));
            case DYNAMIC -> {
                Slot shape = pick(slots, "shape", rnd);
                ArrayNode dyn = shape.parent.putArray("dynamic");
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    dyn.add(rnd.nextInt(5) - 1);
                }
            }
            case DELETE_FIELD -> {
                Slot victim = slots.get(rnd.nextInt(slots.size()));
                if (victim.field == null) {
                    throw new IllegalStateException("array element");
                }
                victim.parent.remove(victim.field);
            }
            case REPLACE_VALUE -> slots.get(rnd.nextInt(slots.size())).set(randomJson(rnd));
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private static void editMeta(ObjectNode m, Random rnd) {
        switch (rnd.nextInt(5)) {
            case 0 -> m.put("formatVersion", List.of("2.0", "1.1", "0.9", "1", "x.y", "99999999999.0").get(rnd.nextInt(6)));
            case 1 -> m.put("opsetVersion", rnd.nextInt(5) - 1);
            case 2 -> m.remove(List.of("format", "formatVersion", "janusVersion", "opsetVersion", "created", "function")
                    .get(rnd.nextInt(6)));
            case 3 -> m.put("created", "yesterday");
            default -> m.set(List.of("format", "function", "janusVersion").get(rnd.nextInt(3)), randomJson(rnd));
        }
    }

    private static byte[] weights(Seed s, Random rnd) {
        byte[] w = s.entries().get("weights.safetensors");
        ObjectNode header = ArchiveBytes.safetensorsHeader(w);
        List<String> names = new ArrayList<>();
        header.fieldNames().forEachRemaining(names::add);
        ObjectNode t = (ObjectNode) header.get(names.get(rnd.nextInt(names.size())));
        long huge = List.of(1L << 31, 1L << 40, Long.MAX_VALUE, -1L, 3L).get(rnd.nextInt(5));
        switch (rnd.nextInt(4)) {
            case 0 -> ((ArrayNode) t.get("shape")).set(0, JsonNodeFactory.instance.numberNode(huge));
            case 1 -> ((ArrayNode) t.get("data_offsets")).set(1, JsonNodeFactory.instance.numberNode(huge));
            case 2 -> ((ArrayNode) t.get("data_offsets")).set(0, JsonNodeFactory.instance.numberNode(huge));
            default -> t.put("dtype", List.of("F64", "I32", "BOOL", "F16", "").get(rnd.nextInt(5)));
        }
        Map<String, byte[]> e = new LinkedHashMap<>(s.entries());
        e.put("weights.safetensors", ArchiveBytes.withSafetensorsHeader(w, header));
        return ArchiveBytes.zip(e);
    }

    private static byte[] entryNames(Seed s, Random rnd) {
        Map<String, byte[]> e = new LinkedHashMap<>(s.entries());
        List<String> names = new ArrayList<>(e.keySet());
        String victim = names.get(rnd.nextInt(names.size()));
        switch (rnd.nextInt(3)) {
            case 0 -> e.remove(victim);
            case 1 -> e.put(List.of("../" + victim, "/" + victim, "x/" + victim, victim + ".bak").get(rnd.nextInt(4)),
                    e.remove(victim));
            default -> e.put("extra.bin", new byte[rnd.nextInt(100)]);
        }
        return ArchiveBytes.zip(e);
    }

    // ---- JSON tree helpers ----

    /** A place in the JSON tree: a field of an object or an element of an array. */
    record Slot(ObjectNode parent, String field, ArrayNode array, int index, JsonNode value) {
        void set(JsonNode v) {
            if (parent != null) {
                parent.set(field, v);
            } else {
                array.set(index, v);
            }
        }
    }

    private static void collect(JsonNode n, List<Slot> out) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                out.add(new Slot(o, e.getKey(), null, -1, e.getValue()));
                collect(e.getValue(), out);
            }
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(null, null, a, i, a.get(i)));
                collect(a.get(i), out);
            }
        }
    }

    private static Slot pick(List<Slot> slots, String field, Random rnd) {
        List<Slot> matching = slots.stream().filter(s -> field.equals(s.field)).toList();
        return matching.get(rnd.nextInt(matching.size()));
    }

    /** An int element of an array held in one of {@code fields}. */
    private static Slot pickInArray(List<Slot> slots, Random rnd, String... fields) {
        List<Slot> arrays = slots.stream().filter(s -> Arrays.asList(fields).contains(s.field) && s.value.isArray()).toList();
        List<Slot> ints = new ArrayList<>();
        for (Slot s : arrays) {
            for (int i = 0; i < s.value.size(); i++) {
                if (s.value.get(i).isInt()) {
                    ints.add(new Slot(null, null, (ArrayNode) s.value, i, s.value.get(i)));
                }
            }
        }
        return ints.get(rnd.nextInt(ints.size()));
    }

    private static void editInts(Slot shape, Random rnd) {
        ArrayNode a = (ArrayNode) shape.value;
        switch (rnd.nextInt(4)) {
            case 0 -> a.add(rnd.nextInt(4));
            case 1 -> {
                if (a.size() > 0) {
                    a.remove(rnd.nextInt(a.size()));
                }
            }
            default -> {
                if (a.size() > 0) {
                    long v = List.of(0L, 1L, -1L, 7L, 1L << 40, Long.MAX_VALUE).get(rnd.nextInt(6));
                    a.set(rnd.nextInt(a.size()), JsonNodeFactory.instance.numberNode(v));
                }
            }
        }
    }

    private static JsonNode text(String s) {
        return JsonNodeFactory.instance.textNode(s);
    }

    private static JsonNode randomJson(Random rnd) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (rnd.nextInt(9)) {
            case 0 -> f.numberNode(rnd.nextInt(10) - 3);
            case 1 -> f.numberNode(rnd.nextLong());
            case 2 -> f.numberNode(rnd.nextDouble());
            case 3 -> f.booleanNode(rnd.nextBoolean());
            case 4 -> f.textNode("s" + rnd.nextInt(10));
            case 5 -> f.nullNode();
            case 6 -> f.arrayNode().add(rnd.nextInt(4)).add(rnd.nextInt(4));
            case 7 -> f.objectNode();
            default -> f.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
        };
    }
}
