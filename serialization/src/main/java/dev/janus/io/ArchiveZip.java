package dev.janus.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The reading side of an archive's zip container, distrustful of every number in it: only the known entry
 * names (so no path traversal), each once; an entry's declared size is checked against a limit, against its
 * compressed size (deflate cannot expand more than about 1032:1, so more is a zip bomb) and against the file;
 * reading stops one byte past the declared size, and at the end the size and CRC-32 must match the
 * declaration (so a flipped bit in the data is an error, not silently different weights). Every failure,
 * including the JDK's own zip errors, is a {@link ModelFormatException} naming the entry.
 */
final class ArchiveZip implements Closeable {
    /** Deflate's largest expansion is about 1032:1; a declaration beyond this ratio (plus slack) is refused. */
    static final long MAX_DEFLATE_RATIO = 1100;
    private static final long RATIO_SLACK = 1 << 16;

    private final String file;
    private final long fileSize;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();

    private ArchiveZip(String file, long fileSize, ZipFile zip) {
        this.file = file;
        this.fileSize = fileSize;
        this.zip = zip;
    }

    /** Opens {@code path} and checks its entry list: exactly {@code names}, each once. */
    static ArchiveZip open(Path path, List<String> names) throws IOException {
        long size = Files.size(path);
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (FileSystemException e) {
            throw e; // missing, unreadable: not a format problem
        } catch (IOException | RuntimeException e) {
            // NOTE: a damaged end record surfaces as ZipException, EOFException or another IOException
            throw new ModelFormatException(path + ": not a valid zip archive: " + e, e);
        }
        ArchiveZip a = new ArchiveZip(path.toString(), size, zip);
        try {
            a.checkEntries(names);
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e instanceof ModelFormatException m ? m
                    : new ModelFormatException(path + ": not a valid zip archive: " + e.getMessage(), e);
        }
        return a;
    }

    private void checkEntries(List<String> names) throws ModelFormatException {
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
            ZipEntry e = en.nextElement();
            String name = e.getName();
            if (name.contains("..") || name.startsWith("/") || name.contains("\\") || name.contains(":")) {
                throw new ModelFormatException(file + ": entry '" + name + "' is a path outside the archive "
                        + "(path traversal); an archive holds only " + names);
            }
            if (!names.contains(name)) {
                throw new ModelFormatException(file + ": unexpected entry '" + name + "'; an archive holds only " + names);
            }
            if (entries.put(name, e) != null) {
                throw new ModelFormatException(file + ": entry '" + name + "' appears twice");
            }
        }
        for (String n : names) {
            if (!entries.containsKey(n)) {
                throw new ModelFormatException(file + ": entry '" + n + "' is missing");
            }
        }
    }

    /** Reads one entry from its (checked) stream, given the entry's declared size. */
    @FunctionalInterface
    interface EntryReader<T> {
        T read(InputStream in, long declaredSize) throws IOException;
    }

    /** The whole entry, at most {@code limit} bytes. */
    byte[] readAll(String name, long limit) throws IOException {
        return read(name, limit, (in, size) -> in.readAllBytes());
    }

    /**
     * Runs {@code reader} on the entry's bytes, then checks that exactly the declared number of bytes was there
     * and that their CRC-32 matches. {@code limit} bounds the declared size, and so what is read.
     */
    <T> T read(String name, long limit, EntryReader<T> reader) throws IOException {
        ZipEntry e = entries.get(name);
        long size = checkDeclaration(name, e, limit);
        String where = file + "!" + name;
        try (CheckedStream in = new CheckedStream(zip.getInputStream(e), size, e.getCrc(), where)) {
            T value = reader.read(in, size);
            in.finish();
            return value;
        } catch (ModelFormatException m) {
            throw m;
        } catch (IOException | RuntimeException x) {
            // NOTE: the JDK reports corrupt zip data as ZipException, EOFException, or (rarely) an unchecked
            // exception from its decoder; all of them mean the file is damaged.
            throw new ModelFormatException(where + ": corrupt data: " + x, x);
        }
    }

    private long checkDeclaration(String name, ZipEntry e, long limit) throws ModelFormatException {
        long size = e.getSize();
        long compressed = e.getCompressedSize();
        String where = file + "!" + name;
        if (size < 0 || compressed < 0) {
            throw new ModelFormatException(where + ": the entry does not declare its size");
        }
        if (size > limit) {
            throw new ModelFormatException(where + ": declares " + size + " bytes, over the limit of " + limit
                    + " (ModelArchive.Limits)");
        }
        if (compressed > fileSize) {
            throw new ModelFormatException(where + ": declares " + compressed + " compressed bytes in a file of "
                    + fileSize);
        }
        switch (e.getMethod()) {
            case ZipEntry.STORED -> {
                if (size != compressed) {
                    throw new ModelFormatException(where + ": a stored entry declares " + size + " bytes but "
                            + compressed + " stored");
                }
            }
            case ZipEntry.DEFLATED -> {
                if (size > compressed * MAX_DEFLATE_RATIO + RATIO_SLACK) {
                    throw new ModelFormatException(where + ": declares " + size + " bytes from " + compressed
                            + " compressed ones, more than deflate can expand (a zip bomb?)");
                }
            }
            default -> throw new ModelFormatException(where + ": unsupported compression method " + e.getMethod());
        }
        return size;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Counts and checksums what passes; never reads more than one byte past the declared size. */
    private static final class CheckedStream extends InputStream {
        private final InputStream in;
        private final long declared;
        private final long crc;
        private final String where;
        private final CRC32 actual = new CRC32();
        private long count;

        CheckedStream(InputStream in, long declared, long crc, String where) {
            this.in = in;
            this.declared = declared;
            this.crc = crc;
            this.where = where;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, (int) Math.min(len, declared + 1 - count));
            if (n > 0) {
                count += n;
                actual.update(b, off, n);
                if (count > declared) {
                    throw new ModelFormatException(where + ": holds more than its declared " + declared + " bytes");
                }
            }
            return n;
        }

        /** Reads what the consumer left (a valid entry has nothing left) and checks size and CRC. */
        void finish() throws IOException {
            byte[] rest = new byte[8192];
            while (read(rest, 0, rest.length) >= 0) {
                // drains, bounded by declared + 1 bytes in all
            }
            if (count != declared) {
                throw new ModelFormatException(where + ": holds " + count + " bytes but declares " + declared);
            }
            if (actual.getValue() != crc) {
                throw new ModelFormatException(where + ": CRC-32 mismatch (the data is damaged)");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
