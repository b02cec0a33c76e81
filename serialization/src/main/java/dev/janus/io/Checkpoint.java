package dev.janus.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.nn.Module;
import dev.janus.optim.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Training checkpoints: everything needed to resume training exactly where it stopped — the model's
 * parameters and buffers, the optimizer's state (hyper-parameters, step counts, moment buffers), the
 * random generators' states, and the epoch and step. Resuming from a checkpoint gives bit-for-bit the same
 * training as never stopping.
 *
 * <pre>{@code
 * Checkpoint.save(Path.of("run/last.ckpt"), model, opt, epoch, step, shuffleRng);
 * ...
 * Checkpoint.Progress p = Checkpoint.load(Path.of("run/last.ckpt"), model, opt, shuffleRng);
 * }</pre>
 *
 * <p>The file is one safetensors file (PyTorch's {@code safetensors} opens it): tensors {@code model/<name>}
 * and {@code optimizer/state/<index>/<buffer>}, and in the metadata the format, the Janus version, epoch,
 * step, generator states and the optimizer's state dict as typed JSON (layout in {@code docs/formats.md}).
 * It is written atomically: a temporary file in the same directory, fsync, rename. If writing fails the
 * previous checkpoint is untouched.
 */
public final class Checkpoint {
    /** The checkpoint format written; readers accept any {@code 1.x}. */
    public static final String FORMAT_VERSION = "1.0";
    static final String FORMAT = "janus-checkpoint";
    private static final String MODEL = "model/";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private Checkpoint() {}

    /**
     * Where training stood when the checkpoint was written.
     *
     * @param epoch the epoch, as the caller counts it
     * @param step  the optimizer step, as the caller counts it
     */
    public record Progress(long epoch, long step) {}

    /**
     * Writes a checkpoint to {@code path}, replacing it atomically. {@code opt} may be null (weights only);
     * {@code rngs} are the generators whose states to keep (data shuffling, dropout, augmentation).
     */
    public static void save(Path path, Module model, Optimizer opt, long epoch, long step, Generator... rngs)
            throws IOException {
        save(path, model, opt, epoch, step, rngs, UnaryOperator.identity());
    }

    /** As {@link #save}, the file's stream wrapped by {@code decorate} (tests inject failures with it). */
    static void save(Path path, Module model, Optimizer opt, long epoch, long step, Generator[] rngs,
            UnaryOperator<OutputStream> decorate) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> tensors.put(MODEL + name, t));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("formatVersion", FORMAT_VERSION);
        meta.put("janusVersion", ModelArchive.JANUS_VERSION);
        meta.put("epoch", Long.toString(epoch));
        meta.put("step", Long.toString(step));
        ArrayNode states = JsonNodeFactory.instance.arrayNode();
        for (Generator g : rngs) {
            states.add(g.state());
        }
        meta.put("rngs", JSON.writeValueAsString(states));
        if (opt != null) {
            Map<String, Tensor> optTensors = new LinkedHashMap<>();
            JsonNode dict = TypedValues.encode(opt.stateDict(), "optimizer", optTensors);
            tensors.putAll(optTensors);
            meta.put("optimizer", JSON.writeValueAsString(dict));
        }
        AtomicFiles.write(path, out -> Safetensors.write(tensors, meta, out), decorate);
    }

    /**
     * Restores a checkpoint into {@code model}, {@code opt} (null to skip the optimizer state) and
     * {@code rngs} (as many as were saved, in the same order), and returns its epoch and step. Nothing is
     * changed unless the whole checkpoint fits.
     *
     * @throws ModelFormatException     when the file is not a valid checkpoint
     * @throws IllegalArgumentException when it does not fit the model, optimizer or generators given
     */
    public static Progress load(Path path, Module model, Optimizer opt, Generator... rngs) throws IOException {
        Safetensors.Contents c = Safetensors.read(path);
        Map<String, String> meta = c.metadata();
        String where = path.toString();
        checkFormat(meta, where);
        long epoch = longField(meta, "epoch", where);
        long step = longField(meta, "step", where);
        long[] states = rngStates(meta, where);
        if (states.length != rngs.length) {
            throw new IllegalArgumentException(where + ": the checkpoint holds " + states.length + " generator states "
                    + "but " + rngs.length + " generators were given");
        }
        Map<String, Tensor> modelDict = new LinkedHashMap<>();
        c.tensors().forEach((k, t) -> {
            if (k.startsWith(MODEL)) {
                modelDict.put(k.substring(MODEL.length()), t);
            }
        });
        List<String> used = new ArrayList<>();
        Map<String, Object> optDict = optimizerDict(meta, c.tensors(), used, where);
        for (String k : c.tensors().keySet()) {
            if (!k.startsWith(MODEL) && !used.contains(k)) {
                throw new ModelFormatException(where + ": tensor '" + k + "' belongs to neither the model nor the optimizer");
            }
        }
        checkFits(model, modelDict, where);
        if (opt != null) {
            if (optDict == null) {
                throw new IllegalArgumentException(where + ": the checkpoint has no optimizer state (saved with opt = null)");
            }
            opt.loadStateDict(optDict);
        }
        model.loadStateDict(modelDict, true);
        for (int i = 0; i < rngs.length; i++) {
            rngs[i].setState(states[i]);
        }
        return new Progress(epoch, step);
    }

    private static void checkFormat(Map<String, String> meta, String where) throws ModelFormatException {
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFormatException(where + ": not a Janus checkpoint (metadata format is " + meta.get("format")
                    + ", expected " + FORMAT + ")");
        }
        String v = String.valueOf(meta.get("formatVersion"));
        if (!v.matches("[0-9]{1,9}\\.[0-9]{1,9}")) {
            throw new ModelFormatException(where + ": formatVersion '" + v + "' is not MAJOR.MINOR");
        }
        if (Integer.parseInt(v.substring(0, v.indexOf('.'))) != 1) {
            throw new ModelFormatException(where + ": checkpoint format " + v + " is not one this Janus ("
                    + ModelArchive.JANUS_VERSION + ") reads (1.x); load it with the Janus that wrote it or a newer one");
        }
    }

    private static long longField(Map<String, String> meta, String key, String where) throws ModelFormatException {
        try {
            return Long.parseLong(meta.get(key));
        } catch (NumberFormatException e) {
            throw new ModelFormatException(where + ": metadata '" + key + "' is not an integer: " + meta.get(key), e);
        }
    }

    private static long[] rngStates(Map<String, String> meta, String where) throws ModelFormatException {
        JsonNode a = parse(meta.get("rngs"), where + ": metadata 'rngs'");
        if (!a.isArray()) {
            throw new ModelFormatException(where + ": metadata 'rngs' must be an array of generator states");
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode s = a.get(i);
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw new ModelFormatException(where + ": generator state " + i + " is not a long: " + s);
            }
            out[i] = s.longValue();
        }
        return out;
    }

    private static Map<String, Object> optimizerDict(Map<String, String> meta, Map<String, Tensor> tensors,
            List<String> used, String where) throws ModelFormatException {
        if (!meta.containsKey("optimizer")) {
            return null;
        }
        String at = where + ": metadata 'optimizer'";
        Object dict = TypedValues.decode(parse(meta.get("optimizer"), at), tensors, used, at);
        if (!(dict instanceof Map<?, ?> m)) {
            throw new ModelFormatException(at + " is not a map");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new ModelFormatException(at + " has a key that is not a string: " + e.getKey());
            }
            out.put(k, e.getValue());
        }
        return out;
    }

    /** The same entries and shapes as the model's state dict, checked before anything is changed. */
    private static void checkFits(Module model, Map<String, Tensor> dict, String where) {
        Map<String, Tensor> own = model.stateDict();
        List<String> problems = new ArrayList<>();
        own.forEach((k, t) -> {
            Tensor saved = dict.get(k);
            if (saved == null) {
                problems.add("missing '" + k + "'");
            } else if (!saved.shape().equals(t.shape())) {
                problems.add("'" + k + "' is " + saved.shape() + " in the checkpoint but " + t.shape() + " in the model");
            }
        });
        dict.keySet().stream().filter(k -> !own.containsKey(k)).forEach(k -> problems.add("unexpected '" + k + "'"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + ": the checkpoint does not fit " + model.getClass().getSimpleName()
                    + ": " + String.join("; ", problems));
        }
    }

    private static JsonNode parse(String json, String where) throws ModelFormatException {
        if (json == null) {
            throw new ModelFormatException(where + " is missing");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
