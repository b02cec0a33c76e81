package dev.janus.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Test helpers that take archives apart, edit their entries and zip them again, or patch the zip bytes. */
final class ArchiveBytes {
    static final ObjectMapper JSON = new ObjectMapper();

    private ArchiveBytes() {}

    /** The entries of a valid archive, in order. */
    static Map<String, byte[]> entries(Path archive) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                out.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    /** A zip of {@code entries}: JSON deflated, everything else stored, with correct sizes and CRCs. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                if (e.getKey().endsWith(".safetensors")) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCompressedSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ObjectNode json(byte[] bytes) {
        try {
            return (ObjectNode) JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries with {@code name}'s JSON edited by {@code edit}. */
    static Map<String, byte[]> editJson(Map<String, byte[]> entries, String name, Consumer<ObjectNode> edit) {
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        ObjectNode j = json(entries.get(name));
        edit.accept(j);
        out.put(name, bytes(j));
        return out;
    }

    /** A safetensors file's header as JSON, and the data after it. */
    static ObjectNode safetensorsHeader(byte[] file) {
        long len = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return json(new String(file, 8, (int) len, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code file} with its header replaced (padded to a multiple of 8), the data unchanged. */
    static byte[] withSafetensorsHeader(byte[] file, JsonNode header) {
        long oldLen = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] json = bytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + file.length - 8 - (int) oldLen).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.position() < 8 + padded) {
            out.put((byte) ' ');
        }
        out.put(file, 8 + (int) oldLen, file.length - 8 - (int) oldLen);
        return out.array();
    }

    /** Offsets of the central-directory records in {@code zip} (signature PK\1\2), for patching. */
    static int centralRecord(byte[] zip, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = zip.length - 46; i >= 0; i--) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                int nameLen = u16(zip, i + 28);
                if (nameLen == n.length && java.util.Arrays.equals(zip, i + 46, i + 46 + nameLen, n, 0, n.length)) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("no central record for " + name);
    }

    /** Offset of the local header (PK\3\4) of {@code name}. */
    static int localHeader(byte[] zip, String name) {
        return (int) u32(zip, centralRecord(zip, name) + 42);
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    static void put32(byte[] b, int at, long v) {
        for (int k = 0; k < 4; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }

    /** Sets the uncompressed size {@code name} declares, in the central directory and its local header. */
    static void declareSize(byte[] zip, String name, long size) {
        put32(zip, centralRecord(zip, name) + 24, size);
        put32(zip, localHeader(zip, name) + 22, size);
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length) in the bytes: renames entries. */
    static void replaceAll(byte[] zip, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + f.length <= zip.length; i++) {
            if (java.util.Arrays.equals(zip, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, zip, i, t.length);
            }
        }
    }
}
