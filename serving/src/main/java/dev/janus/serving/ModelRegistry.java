package dev.janus.serving;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The served versions of every model: a read-copy-update holder per model. Requests read the current immutable
 * map of versions and count themselves on the version they use ({@link #acquire}); the watcher builds a new
 * map and publishes it with one volatile write ({@link #publish}), then retires the versions it dropped, which
 * unload when their last request is done.
 */
final class ModelRegistry {
    /** TensorFlow Serving's version states. */
    enum State {
        /** The archive is being read, validated and warmed up. */
        LOADING,
        /** Serving requests. */
        AVAILABLE,
        /** Replaced; finishing the requests it already has. */
        UNLOADING,
        /** Unloaded, or rejected ({@code error} says why). */
        END
    }

    /** What {@code GET /v1/models/<name>} reports for one version. */
    record VersionStatus(long version, State state, String error) {}

    /** One model: its served versions, their states, and how many of its requests are being decoded. */
    static final class Model {
        final String name;
        private volatile NavigableMap<Long, ServableVersion> served = Collections.emptyNavigableMap();
        final Map<Long, VersionStatus> statuses = new ConcurrentSkipListMap<>(Collections.reverseOrder());
        /** Requests for this model read but not yet queued: a batch waits for them. */
        final AtomicInteger arriving = new AtomicInteger();

        Model(String name) {
            this.name = name;
        }

        /** The versions served now (immutable). */
        NavigableMap<Long, ServableVersion> served() {
            return served;
        }
    }

    private final Map<String, Model> models = new ConcurrentHashMap<>();

    /** The model named {@code name}, or null. */
    Model find(String name) {
        return models.get(name);
    }

    /** The model named {@code name}, created empty if needed (by the watcher). */
    Model getOrCreate(String name) {
        return models.computeIfAbsent(name, Model::new);
    }

    /** The model names, sorted. */
    Iterable<String> names() {
        return new TreeMap<>(models).keySet();
    }

    /**
     * The version a request runs on, counted as in use until {@link ServableVersion#release()}: {@code version},
     * or the highest served one when it is null.
     *
     * @throws ApiException 404 when the model or version is not served
     */
    ServableVersion acquire(String name, Long version) {
        Model m = models.get(name);
        if (m == null) {
            throw ApiException.notFound("model '" + name + "' is not served");
        }
        while (true) {
            NavigableMap<Long, ServableVersion> snapshot = m.served;
            ServableVersion v = version == null ? lastValue(snapshot) : snapshot.get(version);
            if (v == null) {
                throw ApiException.notFound(version == null ? "model '" + name + "' has no version available"
                        : "model '" + name + "' has no version " + version + " available; served: "
                                + snapshot.keySet());
            }
            if (v.tryAcquire()) {
                return v;
            }
            Thread.onSpinWait(); // it was retired after we read the map: the next read sees its successor
        }
    }

    private static ServableVersion lastValue(NavigableMap<Long, ServableVersion> m) {
        Map.Entry<Long, ServableVersion> e = m.lastEntry();
        return e == null ? null : e.getValue();
    }

    /** Makes {@code next} the served versions of {@code m}; versions no longer in it unload when idle. */
    void publish(Model m, NavigableMap<Long, ServableVersion> next) {
        NavigableMap<Long, ServableVersion> old = m.served;
        m.served = Collections.unmodifiableNavigableMap(new TreeMap<>(next));
        for (ServableVersion v : next.values()) {
            m.statuses.put(v.version, new VersionStatus(v.version, State.AVAILABLE, ""));
        }
        for (ServableVersion v : old.values()) {
            if (next.get(v.version) != v) {
                m.statuses.put(v.version, new VersionStatus(v.version, State.UNLOADING, ""));
                v.unloaded().thenRun(() -> m.statuses.computeIfPresent(v.version,
                        (k, s) -> s.state() == State.UNLOADING ? new VersionStatus(k, State.END, "") : s));
                v.retire();
            }
        }
    }

    /** Records a version's state outside publishing (loading, rejected). */
    void status(Model m, long version, State state, String error) {
        m.statuses.put(version, new VersionStatus(version, state, error));
    }

    /** Stops serving {@code name} and forgets it. */
    void remove(String name) {
        Model m = models.remove(name);
        if (m != null) {
            publish(m, Collections.emptyNavigableMap());
        }
    }

    /** True when every model that has version folders serves at least one version. */
    boolean allServing(Iterable<String> modelsWithVersions) {
        for (String name : modelsWithVersions) {
            Model m = models.get(name);
            if (m == null || m.served.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The {@code janus_model_version_state} gauge lines. */
    String renderStates() {
        StringBuilder out = new StringBuilder();
        for (String name : names()) {
            Model m = models.get(name);
            if (m == null) {
                continue;
            }
            for (VersionStatus s : m.statuses.values()) {
                out.append("janus_model_version_state{model=\"").append(name).append("\",version=\"")
                        .append(s.version()).append("\",state=\"").append(s.state()).append("\"} 1\n");
            }
        }
        return out.toString();
    }

    /** Retires every version (shutdown). */
    void retireAll() {
        for (String name : names()) {
            remove(name);
        }
    }
}
