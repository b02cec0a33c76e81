package dev.janus.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Trainer#fit} returns: one value per epoch for each logged quantity, like Keras's History. */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<Double> epochSeconds = new ArrayList<>();

    void record(Map<String, Double> logs, double seconds) {
        logs.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        epochSeconds.add(seconds);
    }

    /** The per-epoch values of {@code key} (e.g. {@code loss}, {@code val_accuracy}). */
    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no '" + key + "' in history; have " + values.keySet());
        }
        return Collections.unmodifiableList(v);
    }

    /** The value of {@code key} after the last epoch. */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    public Map<String, List<Double>> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** Wall-clock seconds of each epoch (training and validation). */
    public List<Double> epochSeconds() {
        return Collections.unmodifiableList(epochSeconds);
    }

    public int epochs() {
        return epochSeconds.size();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
