package dev.janus.io;

import java.time.Instant;

/**
 * What meta.json says about an archive.
 *
 * @param formatVersion the archive format, {@code "1.0"}; a newer major version is refused with a clear error
 * @param janusVersion  the Janus version that wrote it
 * @param opsetVersion  the op-set version its graph uses ({@link ModelArchive#OPSET_VERSION} when written)
 * @param created       when it was written
 * @param function      the saved function's name ({@code "forward"})
 */
public record ArchiveInfo(String formatVersion, String janusVersion, int opsetVersion, Instant created,
        String function) {}
