package dev.janus.serving;

import dev.janus.Tensor;
import dev.janus.io.LoadedModel;
import dev.janus.io.ModelArchive;
import dev.janus.io.Signature;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the model base path and keeps the registry in step with it: every folder {@code <name>/<version>/}
 * holding one {@code *.janus} archive is a candidate; the model's version policy picks which to serve. A new
 * version is loaded (which validates the archive), warmed up with one run on zeros, and published; the versions
 * it replaces unload once their requests finish. A version that fails is rejected with a logged reason (and its
 * status says why); what was serving keeps serving. A rejected file is not retried until it changes.
 */
final class VersionWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VersionWatcher.class);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");
    /** Statuses of versions that ended are kept for this many versions per model. */
    private static final int KEPT_STATUSES = 16;

    /** A file as it was when it failed to load; a different fingerprint means it changed and is retried. */
    private record Fingerprint(Path file, long size, FileTime modified) {}

    private final ServingConfig cfg;
    private final ModelRegistry registry;
    private final Metrics metrics;
    private final Map<String, Map<Long, Fingerprint>> rejected = new HashMap<>();
    private final Set<String> withVersions = new HashSet<>();
    private ScheduledExecutorService timer;
    private boolean warnedMissingBase;

    VersionWatcher(ServingConfig cfg, ModelRegistry registry, Metrics metrics) {
        this.cfg = cfg;
        this.registry = registry;
        this.metrics = metrics;
    }

    /** Scans every {@code pollInterval} from now on. */
    synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "janus-model-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = cfg.pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::scanLogged, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void scanLogged() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.error("scanning {} failed", cfg.modelBasePath(), e);
        }
    }

    /** Models that have at least one version folder with an archive (the last scan's view). */
    synchronized Set<String> modelsWithVersions() {
        return Set.copyOf(withVersions);
    }

    /** One scan: loads new versions, retires replaced ones, forgets models whose folder is gone. */
    synchronized void scan() {
        Path base = cfg.modelBasePath();
        if (!Files.isDirectory(base)) {
            if (!warnedMissingBase) {
                log.warn("model base path {} is not a folder; serving nothing until it is", base);
                warnedMissingBase = true;
            }
            return;
        }
        warnedMissingBase = false;
        Set<String> seen = new HashSet<>();
        for (Path dir : list(base)) {
            String name = dir.getFileName().toString();
            if (Files.isDirectory(dir) && MODEL_NAME.matcher(name).matches()) {
                seen.add(name);
                scanModel(name, dir);
            }
        }
        for (String name : registry.names()) {
            if (!seen.contains(name)) {
                log.info("model folder {} is gone; unloading the model", name);
                registry.remove(name);
                rejected.remove(name);
            }
        }
        withVersions.retainAll(seen);
    }

    private void scanModel(String name, Path dir) {
        NavigableMap<Long, Path> onDisk = versionsOnDisk(name, dir);
        if (onDisk.isEmpty()) {
            withVersions.remove(name);
        } else {
            withVersions.add(name);
        }
        ModelRegistry.Model model = registry.getOrCreate(name);
        SortedSet<Long> wanted = cfg.policyFor(name).select(onDisk.navigableKeySet());
        NavigableMap<Long, ServableVersion> current = model.served();
        NavigableMap<Long, ServableVersion> next = new TreeMap<>();
        for (long v : wanted) {
            ServableVersion sv = current.get(v);
            if (sv == null) {
                sv = tryLoad(model, v, onDisk.get(v));
            }
            if (sv != null) {
                next.put(v, sv);
            }
        }
        if (next.isEmpty() && !current.isEmpty()) {
            next.putAll(current); // nothing wanted could be served: keep what serves now
        }
        if (!next.equals(current)) {
            registry.publish(model, next);
            log.info("model {} now serves versions {}", name, next.keySet());
        }
        trimStatuses(model);
    }

    /** Version folders with exactly one archive; a folder with several is reported and skipped. */
    private NavigableMap<Long, Path> versionsOnDisk(String name, Path dir) {
        NavigableMap<Long, Path> out = new TreeMap<>();
        for (Path vdir : list(dir)) {
            String v = vdir.getFileName().toString();
            if (!Files.isDirectory(vdir) || !VERSION.matcher(v).matches()) {
                continue;
            }
            List<Path> archives = new ArrayList<>();
            for (Path f : list(vdir)) {
                if (f.getFileName().toString().endsWith(".janus") && Files.isRegularFile(f)) {
                    archives.add(f);
                }
            }
            if (archives.size() == 1) {
                out.put(Long.parseLong(v), archives.get(0));
            } else if (archives.size() > 1 && worthTrying(name, Long.parseLong(v), archives.get(0))) {
                reject(registry.getOrCreate(name), Long.parseLong(v), "the folder holds " + archives.size()
                        + " .janus archives; a version folder must hold one");
            }
        }
        return out;
    }

    /** Loads, validates and warms up one version, or rejects it (null). */
    private ServableVersion tryLoad(ModelRegistry.Model model, long version, Path file) {
        if (!worthTrying(model.name, version, file)) {
            return null;
        }
        registry.status(model, version, ModelRegistry.State.LOADING, "");
        long t0 = System.nanoTime();
        try {
            LoadedModel loaded = ModelArchive.load(file);
            warmUp(loaded);
            ServableVersion sv = new ServableVersion(model.name, version, loaded, cfg.batchingFor(model.name),
                    metrics.forModel(model.name), model.arriving::get);
            rejected.get(model.name).remove(version);
            log.info("loaded {} version {} from {} in {} ms: {}{}", model.name, version, cfg.modelBasePath().relativize(file),
                    (System.nanoTime() - t0) / 1_000_000, loaded.signature(), sv.batched() ? ", batched" : "");
            return sv;
        } catch (IOException | RuntimeException e) {
            reject(model, version, reason(e));
            return null;
        }
    }

    /** Runs the model once on zeros of its signature (dynamic dims as 1), so a broken graph fails here. */
    static void warmUp(LoadedModel m) {
        Signature sig = m.signature();
        if (sig.inputs().isEmpty()) {
            throw new IllegalArgumentException("the model has no inputs; there is nothing to predict from");
        }
        Tensor[] in = new Tensor[sig.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            Signature.Slot s = sig.inputs().get(i);
            long[] dims = s.spec().shape().dims().clone();
            for (int d = 0; d < dims.length; d++) {
                dims[d] = s.isDynamic(d) ? 1 : dims[d];
            }
            in[i] = Tensor.zeros(s.spec().dtype(), dims);
        }
        try {
            m.run(in);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the warm-up run on zeros failed: " + e.getMessage(), e);
        }
    }

    /** True when {@code file} was not rejected before as it is now; remembers it as the one being tried. */
    private boolean worthTrying(String model, long version, Path file) {
        Fingerprint now = fingerprint(file);
        Fingerprint before = rejected.getOrDefault(model, Map.of()).get(version);
        if (now.equals(before)) {
            return false;
        }
        rejected.computeIfAbsent(model, k -> new HashMap<>()).put(version, now);
        return true;
    }

    private void reject(ModelRegistry.Model model, long version, String reason) {
        log.warn("rejected {} version {}: {}", model.name, version, reason);
        registry.status(model, version, ModelRegistry.State.END, reason);
    }

    /** An exception's message without the server's folder names. */
    private String reason(Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Path base = cfg.modelBasePath();
        return msg.replace(base.toAbsolutePath().normalize() + File.separator, "").replace(base + File.separator, "");
    }

    private static Fingerprint fingerprint(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Fingerprint(file, a.size(), a.lastModifiedTime());
        } catch (IOException e) {
            return new Fingerprint(file, -1, FileTime.fromMillis(0));
        }
    }

    private static void trimStatuses(ModelRegistry.Model model) {
        int kept = 0;
        for (var it = model.statuses.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().state() == ModelRegistry.State.END && ++kept > KEPT_STATUSES) {
                it.remove();
            }
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            log.warn("cannot list {}: {}", dir, e.getMessage());
        }
        out.sort(null);
        return out;
    }

    /** Stops polling. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
