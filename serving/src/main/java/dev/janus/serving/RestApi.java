package dev.janus.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.janus.DType;
import dev.janus.io.Signature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API, independent of the HTTP server: a request's method, path and body in, a {@link Reply} out.
 *
 * <ul>
 *   <li>{@code GET /v1/models/<name>[/versions/<v>]}: version status, as TensorFlow Serving reports it;</li>
 *   <li>{@code GET /v1/models/<name>[/versions/<v>]/metadata}: the signature;</li>
 *   <li>{@code POST /v1/models/<name>[/versions/<v>]:predict}: see {@link PredictCodec};</li>
 *   <li>{@code GET /metrics} (Prometheus text), {@code GET /ready}, {@code GET /live}.</li>
 * </ul>
 *
 * Every error is {@code {"error": "..."}} with a 4xx or 5xx status; unexpected failures are logged with their
 * stack trace and answered with a message that has none.
 */
final class RestApi {
    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    private static final Pattern MODEL_PATH = Pattern.compile(
            "/v1/models/([^/:]+)(?:/versions/([0-9]{1,18}))?(/metadata|:predict)?");
    static final String JSON_TYPE = "application/json";

    /** An HTTP answer. */
    record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, byte[] body) {
            return new Reply(status, JSON_TYPE, body);
        }

        static Reply error(int status, String message) {
            return json(status, writeJson(g -> {
                g.writeStartObject();
                g.writeStringField("error", message);
                g.writeEndObject();
            }));
        }
    }

    private final ModelRegistry registry;
    private final Metrics metrics;
    private final BooleanSupplier ready;
    private final long timeoutNanos;

    RestApi(ModelRegistry registry, Metrics metrics, BooleanSupplier ready, long timeoutNanos) {
        this.registry = registry;
        this.metrics = metrics;
        this.ready = ready;
        this.timeoutNanos = timeoutNanos;
    }

    /** Answers one request; never throws. {@code startNanos} is when it arrived, for the latency metric. */
    Reply handle(String method, String path, byte[] body, long startNanos) {
        Matcher m = MODEL_PATH.matcher(path);
        String model = "";
        String api = "other";
        Reply reply;
        try {
            if (m.matches()) {
                api = m.group(3) == null ? "status" : m.group(3).equals(":predict") ? "predict" : "metadata";
                model = registry.find(m.group(1)) != null ? m.group(1) : "";
                reply = model(method, m.group(1), m.group(2) == null ? null : Long.valueOf(m.group(2)), api, body,
                        startNanos);
            } else {
                api = switch (path) {
                    case "/metrics", "/ready", "/live" -> path.substring(1);
                    default -> "other";
                };
                reply = operational(method, path);
            }
        } catch (ApiException e) {
            reply = Reply.error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            long id = System.nanoTime();
            log.error("request {} {} failed (error id {})", method, path, id, e);
            reply = Reply.error(500, "internal error (id " + id + " in the server log)");
        }
        metrics.request(model, api, reply.status(), System.nanoTime() - startNanos);
        return reply;
    }

    private Reply operational(String method, String path) {
        switch (path) {
            case "/live" -> {
                requireMethod(method, "GET");
                return Reply.json(200, "{\"status\":\"live\"}".getBytes(StandardCharsets.UTF_8));
            }
            case "/ready" -> {
                requireMethod(method, "GET");
                return ready.getAsBoolean() ? Reply.json(200, "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8))
                        : Reply.error(503, "not ready: models are loading, or the server is shutting down");
            }
            case "/metrics" -> {
                requireMethod(method, "GET");
                return new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render(registry::renderStates).getBytes(StandardCharsets.UTF_8));
            }
            default -> throw ApiException.notFound("no such endpoint: " + method + " "
                    + JsonTensors.abbreviate(path) + "; the API is /v1/models/<name>[/versions/<v>][/metadata|:predict]"
                    + ", /metrics, /ready and /live");
        }
    }

    private Reply model(String method, String name, Long version, String api, byte[] body, long startNanos) {
        if (api.equals("predict")) {
            requireMethod(method, "POST");
            return predict(name, version, body, startNanos);
        }
        requireMethod(method, "GET");
        ModelRegistry.Model model = registry.find(name);
        if (model == null) {
            throw ApiException.notFound("model '" + name + "' is not served");
        }
        return api.equals("status") ? status(model, version) : metadata(name, version);
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiException(405, method + " is not allowed here; use " + allowed);
        }
    }

    private Reply predict(String name, Long version, byte[] body, long startNanos) {
        ModelRegistry.Model model = registry.find(name);
        if (model == null) {
            throw ApiException.notFound("model '" + name + "' is not served");
        }
        model.arriving.incrementAndGet();
        boolean arrived = false;
        try {
            PredictCodec.Request request = PredictCodec.parse(body);
            ServableVersion v = registry.acquire(name, version);
            CompletableFuture<HostArray[]> result;
            try {
                HostArray[] inputs = PredictCodec.bind(request, v.loaded.signature(), v.loaded.name());
                result = v.predict(inputs, startNanos + timeoutNanos);
            } catch (RuntimeException e) {
                v.release();
                throw e;
            }
            result.whenComplete((r, e) -> v.release());
            model.arriving.decrementAndGet();
            arrived = true;
            return Reply.json(200, PredictCodec.encode(request.rows(), v.loaded.signature(), await(result, startNanos)));
        } finally {
            if (!arrived) {
                model.arriving.decrementAndGet();
            }
        }
    }

    private HostArray[] await(CompletableFuture<HostArray[]> result, long startNanos) {
        try {
            return result.get(Math.max(0, startNanos + timeoutNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(504, "the request timed out before its prediction finished");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the server is shutting down");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException a) {
                throw a;
            }
            if (cause instanceof IllegalArgumentException) {
                throw ApiException.badRequest("the model cannot run on this input: " + firstLine(cause.getMessage()));
            }
            throw new IllegalStateException("the model failed", cause);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** {@code {"model_version_status": [{"version": "3", "state": "AVAILABLE", "status": {...}}]}}. */
    private static Reply status(ModelRegistry.Model model, Long version) {
        List<ModelRegistry.VersionStatus> statuses = model.statuses.values().stream()
                .filter(s -> version == null || s.version() == version).toList();
        if (statuses.isEmpty()) {
            throw ApiException.notFound(version == null ? "model '" + model.name + "' has no versions"
                    : "model '" + model.name + "' has no version " + version);
        }
        return Reply.json(200, writeJson(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("model_version_status");
            for (ModelRegistry.VersionStatus s : statuses) {
                g.writeStartObject();
                g.writeStringField("version", Long.toString(s.version()));
                g.writeStringField("state", s.state().name());
                g.writeObjectFieldStart("status");
                g.writeStringField("error_code", s.error().isEmpty() ? "OK" : "INVALID_ARGUMENT");
                g.writeStringField("error_message", s.error());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /** TensorFlow Serving's metadata layout, with the signature as {@code serving_default}. */
    private Reply metadata(String name, Long version) {
        ServableVersion v = registry.acquire(name, version);
        try {
            Signature sig = v.loaded.signature();
            return Reply.json(200, writeJson(g -> {
                g.writeStartObject();
                g.writeObjectFieldStart("model_spec");
                g.writeStringField("name", name);
                g.writeStringField("signature_name", "");
                g.writeStringField("version", Long.toString(v.version));
                g.writeEndObject();
                g.writeObjectFieldStart("metadata");
                g.writeObjectFieldStart("signature_def");
                g.writeObjectFieldStart("signature_def");
                g.writeObjectFieldStart("serving_default");
                writeSlots(g, "inputs", sig.inputs());
                writeSlots(g, "outputs", sig.outputs());
                g.writeStringField("method_name", "tensorflow/serving/predict");
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
                g.writeObjectFieldStart("janus");
                g.writeStringField("function", v.loaded.name());
                g.writeStringField("signature", sig.toString());
                g.writeStringField("format_version", v.loaded.info().formatVersion());
                g.writeStringField("janus_version", v.loaded.info().janusVersion());
                g.writeBooleanField("batched", v.batched());
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
            }));
        } finally {
            v.release();
        }
    }

    private static void writeSlots(JsonGenerator g, String field, List<Signature.Slot> slots) throws IOException {
        g.writeObjectFieldStart(field);
        for (Signature.Slot s : slots) {
            g.writeObjectFieldStart(s.name());
            g.writeStringField("dtype", tfDtype(s.spec().dtype()));
            g.writeObjectFieldStart("tensor_shape");
            g.writeArrayFieldStart("dim");
            long[] dims = s.spec().shape().dims();
            for (int d = 0; d < dims.length; d++) {
                g.writeStartObject();
                g.writeStringField("size", s.isDynamic(d) ? "-1" : Long.toString(dims[d]));
                g.writeStringField("name", "");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("unknown_rank", false);
            g.writeEndObject();
            g.writeStringField("name", s.name());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static String tfDtype(DType t) {
        return switch (t) {
            case BOOL -> "DT_BOOL";
            case INT32 -> "DT_INT32";
            case INT64 -> "DT_INT64";
            case FLOAT32 -> "DT_FLOAT";
            case FLOAT64 -> "DT_DOUBLE";
        };
    }

    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] writeJson(JsonWriter w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = PredictCodec.JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
