package dev.janus.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.janus.Tensor;
import dev.janus.graph.GraphFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Model archives ({@code *.janus}): a recorded function saved so that it runs without the classes that
 * produced it. The archive is a zip of three entries: {@code meta.json} (format and op-set versions,
 * producer, creation time, function name), {@code graph.json} (the graph: nodes, typed attributes, value
 * types with dynamic dims, subgraphs, source lines, and the signature) and {@code weights.safetensors} (its
 * parameters and constants). The layout is documented in {@code docs/formats.md}.
 *
 * <pre>{@code
 * ModelArchive.save(GraphFunction.of(graph, "forward"), Path.of("lenet.janus"));
 * LoadedModel m = ModelArchive.load(Path.of("lenet.janus"));
 * Tensor logits = m.run(images)[0];
 * }</pre>
 *
 * <p>Saving is atomic (temporary file, fsync, rename). Loading validates everything before anything runs
 * (see {@link #load(Path, Limits)}), and never uses Java deserialization.
 */
public final class ModelArchive {
    /** The archive format written; readers accept any {@code 1.x}. */
    public static final String FORMAT_VERSION = "1.0";
    /** The op set graphs are written in: bump when an op's meaning or attributes change. */
    public static final int OPSET_VERSION = 1;
    /** The {@code format} field of meta.json. */
    static final String FORMAT = "janus-model";
    static final String META = "meta.json";
    static final String GRAPH = "graph.json";
    static final String WEIGHTS = "weights.safetensors";
    static final List<String> ENTRIES = List.of(META, GRAPH, WEIGHTS);
    /** The Janus version of this build, recorded in archives and checkpoints. */
    static final String JANUS_VERSION = readVersion();

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ModelArchive() {}

    /**
     * Bounds on what a load reads and builds; anything over a bound is a {@link ModelFormatException}.
     *
     * @param maxMetaBytes    meta.json's size
     * @param maxGraphBytes   graph.json's size
     * @param maxWeightsBytes weights.safetensors' size
     * @param maxElements     elements of any one value's recorded type (bounds what running the graph allocates
     *                        at its recorded shapes)
     */
    public record Limits(long maxMetaBytes, long maxGraphBytes, long maxWeightsBytes, long maxElements) {
        /** 64 KiB of metadata, 64 MiB of graph, 16 GiB of weights, 2^28 elements a value. */
        public static final Limits DEFAULT = new Limits(64L << 10, 64L << 20, 16L << 30, 1L << 28);

        public Limits {
            if (maxMetaBytes < 1 || maxGraphBytes < 1 || maxWeightsBytes < 1 || maxElements < 1) {
                throw new IllegalArgumentException("archive limits must be positive");
            }
        }
    }

    /**
     * Saves {@code fn}'s graph, weights and signature to {@code path}, replacing it atomically. Throws
     * {@link IllegalArgumentException} for a graph that does not verify or cannot be written (an attribute
     * outside the op set's table).
     */
    public static void save(GraphFunction fn, Path path) throws IOException {
        GraphWriter.Written w = GraphWriter.write(fn.graph());
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] meta = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta(fn.name(), created));
        byte[] graph = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(w.json());
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            deflated(zip, META, meta, created);
            deflated(zip, GRAPH, graph, created);
            stored(zip, WEIGHTS, w.weights(), created);
            zip.finish(); // NOTE: not close(): AtomicFiles still has to fsync the file under it
        });
    }

    private static ObjectNode meta(String function, Instant created) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        m.put("janusVersion", JANUS_VERSION);
        m.put("opsetVersion", OPSET_VERSION);
        m.put("created", created.toString());
        m.put("function", function);
        return m;
    }

    private static void deflated(ZipOutputStream zip, String name, byte[] data, Instant time) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.DEFLATED);
        e.setTime(time.toEpochMilli());
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * The weights are stored uncompressed (floats barely compress), which a zip requires sized and checksummed
     * up front: they are encoded once to count and checksum, then again into the archive.
     */
    private static void stored(ZipOutputStream zip, String name, Map<String, Tensor> weights, Instant time)
            throws IOException {
        CRC32 crc = new CRC32();
        long[] size = {0};
        Safetensors.write(weights, null, new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
                size[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
                size[0] += len;
            }
        });
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setTime(time.toEpochMilli());
        e.setSize(size[0]);
        e.setCompressedSize(size[0]);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        Safetensors.write(weights, null, zip);
        zip.closeEntry();
    }

    /** Loads an archive with the {@link Limits#DEFAULT default limits}. */
    public static LoadedModel load(Path path) throws IOException {
        return load(path, Limits.DEFAULT);
    }

    /**
     * Loads and validates an archive, then compiles its graph. Checked before anything runs: the zip's entries
     * (only the three known names, each once, sizes within {@code limits} and consistent with their compressed
     * sizes, CRC-32s), the format and op-set versions (a newer major format is refused with a message saying
     * so), every field of graph.json (op names, attribute types, dtypes, shapes, dynamic dims, value ids
     * defined once and referenced only after their definition), the weights' offsets and sizes against the
     * entry, the tensors against the values they hold, the graph's verification (every node's type against its
     * op's shape rule, subgraph scoping) and the signature.
     *
     * @throws ModelFormatException for any problem with the file, naming the entry and the field
     */
    public static LoadedModel load(Path path, Limits limits) throws IOException {
        try (ArchiveZip zip = ArchiveZip.open(path, ENTRIES)) {
            ArchiveInfo info = info(zip.readAll(META, limits.maxMetaBytes()), path);
            JsonNode graph = parse(zip.readAll(GRAPH, limits.maxGraphBytes()), path + "!" + GRAPH);
            String weightsName = path + "!" + WEIGHTS;
            Map<String, Tensor> weights = zip.read(WEIGHTS, limits.maxWeightsBytes(),
                    (InputStream in, long size) -> Safetensors.read(in, size, weightsName).tensors());
            GraphReader.Read read;
            try {
                read = GraphReader.read(graph, weights, limits.maxElements());
            } catch (ModelFormatException e) {
                throw new ModelFormatException(path + "!" + e.getMessage(), e);
            }
            return new LoadedModel(read.graph(), read.signature(), info);
        }
    }

    /** Reads only meta.json (cheap: no graph, no weights). */
    public static ArchiveInfo info(Path path) throws IOException {
        try (ArchiveZip zip = ArchiveZip.open(path, ENTRIES)) {
            return info(zip.readAll(META, Limits.DEFAULT.maxMetaBytes()), path);
        }
    }

    private static ArchiveInfo info(byte[] bytes, Path path) throws ModelFormatException {
        String where = path + "!" + META;
        JsonNode m = parse(bytes, where);
        if (!m.isObject()) {
            throw new ModelFormatException(where + ": must be a JSON object");
        }
        String format = text(m, "format", where);
        if (!format.equals(FORMAT)) {
            throw new ModelFormatException(where + ": format is '" + format + "', expected '" + FORMAT + "'");
        }
        String version = text(m, "formatVersion", where);
        checkFormatVersion(version, where);
        JsonNode opset = m.get("opsetVersion");
        if (opset == null || !opset.isIntegralNumber() || !opset.canConvertToInt() || opset.intValue() < 1) {
            throw new ModelFormatException(where + ": opsetVersion must be a positive int, got " + opset);
        }
        if (opset.intValue() > OPSET_VERSION) {
            throw new ModelFormatException(where + ": the graph uses op set " + opset.intValue() + " but this Janus ("
                    + JANUS_VERSION + ") knows op set " + OPSET_VERSION + "; load it with a newer Janus");
        }
        Instant created;
        try {
            created = Instant.parse(text(m, "created", where));
        } catch (DateTimeParseException e) {
            throw new ModelFormatException(where + ": created is not an ISO-8601 instant: " + m.get("created"), e);
        }
        return new ArchiveInfo(version, text(m, "janusVersion", where), opset.intValue(), created,
                text(m, "function", where));
    }

    /** {@code MAJOR.MINOR}: a newer major is refused with a clear message; newer minors only add optional fields. */
    private static void checkFormatVersion(String version, String where) throws ModelFormatException {
        String major = FORMAT_VERSION.substring(0, FORMAT_VERSION.indexOf('.'));
        if (!version.matches("[0-9]{1,9}\\.[0-9]{1,9}")) {
            throw new ModelFormatException(where + ": formatVersion '" + version + "' is not MAJOR.MINOR");
        }
        int theirs = Integer.parseInt(version.substring(0, version.indexOf('.')));
        if (theirs > Integer.parseInt(major)) {
            throw new ModelFormatException(where + ": the archive has format version " + version + ", written by a "
                    + "newer Janus; this Janus (" + JANUS_VERSION + ") reads format " + major + ".x. Load it with a newer "
                    + "Janus, or save it again with this one");
        }
        if (theirs < 1) {
            throw new ModelFormatException(where + ": format version " + version + " is not a released format");
        }
    }

    private static JsonNode parse(byte[] bytes, String where) throws ModelFormatException {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new ModelFormatException(where + ": empty");
            }
            return n;
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new ModelFormatException(where + ": not valid JSON: " + why, e);
        }
    }

    private static String text(JsonNode m, String field, String where) throws ModelFormatException {
        JsonNode f = m.get(field);
        if (f == null || !f.isTextual()) {
            throw new ModelFormatException(where + ": '" + field + "' must be a string, got " + f);
        }
        return f.textValue();
    }

    private static String readVersion() {
        try (InputStream in = ModelArchive.class.getResourceAsStream("janus-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
