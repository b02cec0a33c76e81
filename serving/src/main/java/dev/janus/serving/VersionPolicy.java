package dev.janus.serving;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which of the version directories found on disk a model serves, as in TensorFlow Serving. A request without a
 * version goes to the highest served version.
 *
 * <pre>{@code
 * VersionPolicy.latest();              // the highest version only (the default)
 * VersionPolicy.parse("latest:2");     // the two highest
 * VersionPolicy.parse("3,5");          // exactly versions 3 and 5 (pinned), whatever else appears
 * }</pre>
 */
public sealed interface VersionPolicy {
    /** The {@code count} highest versions on disk. */
    record Latest(int count) implements VersionPolicy {
        public Latest {
            if (count < 1) {
                throw new IllegalArgumentException("latest:N needs N >= 1, got " + count);
            }
        }

        @Override
        public SortedSet<Long> select(NavigableSet<Long> onDisk) {
            TreeSet<Long> out = new TreeSet<>();
            for (Long v : onDisk.descendingSet()) {
                if (out.size() == count) {
                    break;
                }
                out.add(v);
            }
            return out;
        }

        @Override
        public String toString() {
            return count == 1 ? "latest" : "latest:" + count;
        }
    }

    /** Exactly these versions (those of them that exist on disk). */
    record Pinned(SortedSet<Long> versions) implements VersionPolicy {
        public Pinned {
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("a pinned version policy needs at least one version");
            }
            versions = Collections.unmodifiableSortedSet(new TreeSet<>(versions));
        }

        @Override
        public SortedSet<Long> select(NavigableSet<Long> onDisk) {
            TreeSet<Long> out = new TreeSet<>(versions);
            out.retainAll(onDisk);
            return out;
        }

        @Override
        public String toString() {
            return String.join(",", versions.stream().map(String::valueOf).toList());
        }
    }

    /** The versions to serve among those on disk. */
    SortedSet<Long> select(NavigableSet<Long> onDisk);

    /** Serve the highest version. */
    static VersionPolicy latest() {
        return new Latest(1);
    }

    /** Serve exactly these versions. */
    static VersionPolicy pinned(long... versions) {
        TreeSet<Long> set = new TreeSet<>();
        for (long v : versions) {
            set.add(v);
        }
        return new Pinned(set);
    }

    /** Parses {@code latest}, {@code latest:N} or a comma-separated list of versions. */
    static VersionPolicy parse(String text) {
        String s = text.trim();
        try {
            if (s.equals("latest")) {
                return latest();
            }
            if (s.startsWith("latest:")) {
                return new Latest(Integer.parseInt(s.substring("latest:".length())));
            }
            TreeSet<Long> set = new TreeSet<>();
            for (String part : s.split(",")) {
                long v = Long.parseLong(part.trim());
                if (v < 0) {
                    throw new NumberFormatException();
                }
                set.add(v);
            }
            return new Pinned(set);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version policy '" + text + "': expected latest, latest:N or versions "
                    + "like 3,5");
        }
    }
}
