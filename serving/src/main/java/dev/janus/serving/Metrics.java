package dev.janus.serving;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counters and histograms, written in Prometheus' text format by {@link #render(Supplier)}: requests by model,
 * API and status; errors; request latency; batch sizes; and (from the registry) the state of every model
 * version. Requests for unknown models count under {@code model=""}, so clients cannot add label values.
 */
final class Metrics {
    /** Latency bucket bounds, seconds. */
    static final double[] LATENCY_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10};
    /** Batch size bucket bounds, rows. */
    static final double[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
    private final Map<String, ModelMetrics> models = new ConcurrentHashMap<>();
    /** HTTP requests being handled now. */
    final AtomicInteger inFlight = new AtomicInteger();

    /** A histogram: cumulative counts are computed when rendered. */
    static final class Histogram {
        final double[] bounds;
        final LongAdder[] counts;
        final LongAdder sumMicros = new LongAdder();
        final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length + 1];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            counts[i].increment();
            count.increment();
            sumMicros.add(Math.round(v * 1e6));
        }

        void render(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts[i].sum();
                String le = i < bounds.length ? format(bounds[i]) : "+Inf";
                out.append(name).append("_bucket{").append(labels).append(",le=\"").append(le).append("\"} ")
                        .append(cumulative).append('\n');
            }
            out.append(name).append("_sum{").append(labels).append("} ").append(format(sumMicros.sum() / 1e6))
                    .append('\n');
            out.append(name).append("_count{").append(labels).append("} ").append(count.sum()).append('\n');
        }
    }

    /** One model's latency and batch size histograms. */
    static final class ModelMetrics {
        final Histogram latency = new Histogram(LATENCY_BOUNDS);
        final Histogram batchSizes = new Histogram(BATCH_BOUNDS);

        void observeBatch(long rows) {
            batchSizes.observe(rows);
        }
    }

    ModelMetrics forModel(String model) {
        return models.computeIfAbsent(model, m -> new ModelMetrics());
    }

    /** Counts one answered request; {@code model} is "" when it named no known model. */
    void request(String model, String api, int status, long nanos) {
        String key = "model=\"" + model + "\",api=\"" + api + "\",code=\"" + status + "\"";
        requests.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (api.equals("predict") && !model.isEmpty()) {
            forModel(model).latency.observe(nanos / 1e9);
        }
    }

    /** The text exposition; {@code versions} adds the model version gauge lines. */
    String render(Supplier<String> versions) {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP janus_requests_total Requests answered, by model, API and HTTP status.\n");
        out.append("# TYPE janus_requests_total counter\n");
        requests.forEach((k, v) -> out.append("janus_requests_total{").append(k).append("} ").append(v.sum())
                .append('\n'));
        out.append("# HELP janus_request_errors_total Requests answered with a 4xx or 5xx status, by model and "
                + "status.\n");
        out.append("# TYPE janus_request_errors_total counter\n");
        Map<String, Long> errors = new ConcurrentSkipListMap<>();
        requests.forEach((k, v) -> {
            int code = Integer.parseInt(k.substring(k.lastIndexOf("code=\"") + 6, k.length() - 1));
            if (code >= 400) {
                String model = k.substring(0, k.indexOf(','));
                errors.merge(model + ",code=\"" + code + "\"", v.sum(), Long::sum);
            }
        });
        errors.forEach((k, v) -> out.append("janus_request_errors_total{").append(k).append("} ").append(v)
                .append('\n'));
        out.append("# HELP janus_predict_latency_seconds Time from a predict request's arrival to its answer.\n");
        out.append("# TYPE janus_predict_latency_seconds histogram\n");
        new ConcurrentSkipListMap<>(models).forEach((m, mm) -> mm.latency.render(out, "janus_predict_latency_seconds",
                "model=\"" + m + "\""));
        out.append("# HELP janus_batch_size Rows per model run (1 when a request ran alone).\n");
        out.append("# TYPE janus_batch_size histogram\n");
        new ConcurrentSkipListMap<>(models).forEach((m, mm) -> mm.batchSizes.render(out, "janus_batch_size",
                "model=\"" + m + "\""));
        out.append("# HELP janus_requests_in_flight HTTP requests being handled (this one included).\n");
        out.append("# TYPE janus_requests_in_flight gauge\n");
        out.append("janus_requests_in_flight ").append(inFlight.get()).append('\n');
        out.append("# HELP janus_model_version_state 1 for each model version in the state it is in.\n");
        out.append("# TYPE janus_model_version_state gauge\n");
        out.append(versions.get());
        return out.toString();
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
