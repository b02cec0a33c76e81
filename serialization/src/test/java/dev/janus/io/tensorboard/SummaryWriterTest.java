package dev.janus.io.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Tensor;
import dev.janus.io.tensorboard.EventFileReader.Event;
import dev.janus.io.tensorboard.EventFileReader.Histo;
import dev.janus.io.tensorboard.EventFileReader.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event files read back with the independent {@link EventFileReader}: framing, CRCs, scalars, histograms, text. */
class SummaryWriterTest {
    @TempDir
    Path dir;

    /** Every Summary.Value in the file with its event's step, in file order. */
    private static List<Object[]> values(Path file) throws IOException {
        List<Object[]> out = new ArrayList<>();
        for (Event e : EventFileReader.readEvents(file)) {
            for (Value v : e.values()) {
                out.add(new Object[] {e.step(), v});
            }
        }
        return out;
    }

    @Test
    void crc32c_knownAnswer_matchesCastagnoliCheckValue() {
        byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, EventFileReader.crc32c(digits));
        assertEquals(EventFileReader.masked(0xE3069283), RecordWriter.maskedCrc32c(digits));
    }

    @Test
    void newWriter_fileNameAndFirstRecord_followTensorBoardConvention() throws IOException {
        long before = System.currentTimeMillis() / 1000;
        try (SummaryWriter w = new SummaryWriter(dir.resolve("run1"))) {
            String name = w.file().getFileName().toString();
            assertTrue(name.matches("events\\.out\\.tfevents\\.\\d+\\.[A-Za-z0-9._-]+"), name);
            long seconds = Long.parseLong(name.split("\\.")[3]);
            assertTrue(seconds >= before && seconds <= before + 60, name);
            assertEquals(dir.resolve("run1"), w.file().getParent());
        }
        Path file = Files.list(dir.resolve("run1")).findFirst().orElseThrow();
        List<Event> events = EventFileReader.readEvents(file);
        assertEquals(1, events.size());
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        assertTrue(Math.abs(events.get(0).wallTime() - System.currentTimeMillis() / 1000.0) < 60, "wall time in seconds");
    }

    @Test
    void twoWriters_sameDirectory_writeSeparateFiles() {
        try (SummaryWriter a = new SummaryWriter(dir); SummaryWriter b = new SummaryWriter(dir)) {
            assertNotEquals(a.file(), b.file());
        }
    }

    @Test
    void addScalar_tagsValuesAndSteps_readBackInOrder() throws IOException {
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addScalar("train/loss", 2.5, 0);
            w.addScalar("train/loss", 0.0, 1);
            w.addScalar("val/acc", 0.875, 7);
            file = w.file();
        }
        List<Object[]> vs = values(file);
        assertEquals(3, vs.size());
        Object[][] expected = {{0L, "train/loss", 2.5f}, {1L, "train/loss", 0.0f}, {7L, "val/acc", 0.875f}};
        for (int i = 0; i < 3; i++) {
            Value v = (Value) vs.get(i)[1];
            assertEquals(expected[i][0], vs.get(i)[0]);
            assertEquals(expected[i][1], v.tag());
            assertEquals(expected[i][2], v.simpleValue(), "simple_value of value " + i + " (written even when zero: it sits in a oneof)");
            assertNull(v.histo());
        }
    }

    @Test
    void addHistogram_statsAndBuckets_describeTheValues() throws IOException {
        double[] data = {-3, -1, 0, 0.5, 0.5, 0.5, 2, 1000};
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addHistogram("w", data, 4);
            file = w.file();
        }
        Histo h = ((Value) values(file).get(0)[1]).histo();
        assertEquals(4L, values(file).get(0)[0]);
        assertEquals(-3, h.min());
        assertEquals(1000, h.max());
        assertEquals(8, h.num());
        assertEquals(999.5, h.sum(), 1e-9);
        assertEquals(9 + 1 + 0.75 + 4 + 1e6, h.sumSquares(), 1e-6);
        assertEquals(h.bucketLimit().size(), h.bucket().size());
        assertEquals(h.num(), h.bucket().stream().mapToDouble(Double::doubleValue).sum(), "bucket counts add up to num");
        for (int i = 1; i < h.bucketLimit().size(); i++) {
            assertTrue(h.bucketLimit().get(i) > h.bucketLimit().get(i - 1), "limits increase");
        }
        // each bucket counts exactly the values in [previous limit, limit)
        for (int i = 0; i < h.bucket().size(); i++) {
            double lo = i == 0 ? Double.NEGATIVE_INFINITY : h.bucketLimit().get(i - 1);
            double hi = h.bucketLimit().get(i);
            long inside = java.util.Arrays.stream(data).filter(v -> v >= lo && v < hi).count();
            assertEquals(inside, h.bucket().get(i), "bucket " + i + " [" + lo + ", " + hi + ")");
        }
        assertTrue(h.bucket().size() < 40, "empty runs are merged and empty ends dropped: " + h.bucket().size());
    }

    @Test
    void addHistogram_tensorAndFloatArray_giveTheSameHistogram() throws IOException {
        float[] data = {0.25f, -0.5f, 1.5f, 1.5f};
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addHistogram("t", Tensor.of(data, 2, 2), 1);
            w.addHistogram("f", data, 1);
            file = w.file();
        }
        Histo t = ((Value) values(file).get(0)[1]).histo();
        Histo f = ((Value) values(file).get(1)[1]).histo();
        assertEquals(4, t.num());
        assertEquals(f, t);
    }

    @Test
    void addHistogram_nanOrEmpty_refusedNamingTheTag() {
        try (SummaryWriter w = new SummaryWriter(dir)) {
            var nan = assertThrows(IllegalArgumentException.class, () -> w.addHistogram("fc/w", new double[] {1, Double.NaN}, 3));
            assertTrue(nan.getMessage().contains("fc/w") && nan.getMessage().contains("NaN"), nan.getMessage());
            var empty = assertThrows(IllegalArgumentException.class, () -> w.addHistogram("e", new float[0], 0));
            assertTrue(empty.getMessage().contains("'e'"), empty.getMessage());
        }
    }

    @Test
    void addText_stringTensorForTextPlugin_roundTripsUtf8() throws IOException {
        String text = "lr = 0.01 — **batch** 64 ✓";
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addText("config", text, 2);
            file = w.file();
        }
        Value v = (Value) values(file).get(0)[1];
        assertEquals(2L, values(file).get(0)[0]);
        assertEquals("config", v.tag());
        assertEquals("text", v.pluginName());
        assertEquals(7, v.tensor().dtype(), "DT_STRING");
        assertEquals(List.of(1L), v.tensor().dims());
        assertEquals(List.of(text), v.tensor().strings());
    }

    @Test
    void readBack_corruptedDataByte_detectedAsCrcMismatch() throws IOException {
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addScalar("loss", 1.0, 1);
            file = w.file();
        }
        byte[] bytes = Files.readAllBytes(file);
        EventFileReader.readRecords(bytes); // intact: no exception
        byte[] corrupted = bytes.clone();
        corrupted[corrupted.length - 8] ^= 0x01; // inside the last record's data
        var e = assertThrows(EventFileReader.CorruptRecordException.class, () -> EventFileReader.readRecords(corrupted));
        assertTrue(e.getMessage().contains("CRC mismatch in the data"), e.getMessage());
    }

    @Test
    void readBack_corruptedLengthByte_detectedAsCrcMismatch() throws IOException {
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            file = w.file();
        }
        byte[] corrupted = Files.readAllBytes(file);
        corrupted[0] ^= 0x01;
        var e = assertThrows(EventFileReader.CorruptRecordException.class, () -> EventFileReader.readRecords(corrupted));
        assertTrue(e.getMessage().contains("CRC mismatch in the length"), e.getMessage());
    }

    @Test
    void concurrentWriters_manyThreads_everyRecordIntact() throws Exception {
        int threads = 4;
        int perThread = 200;
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String tag = "thread" + t;
                done.add(pool.submit(() -> {
                    for (int s = 0; s < perThread; s++) {
                        w.addScalar(tag, s, s);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            file = w.file();
        }
        List<Object[]> vs = values(file);
        assertEquals(threads * perThread, vs.size());
        for (Object[] row : vs) {
            assertEquals((float) (long) row[0], ((Value) row[1]).simpleValue(), "value equals its step");
        }
    }

    @Test
    void flushAndClose_makeEventsVisible_andLaterWritesFail() throws IOException {
        SummaryWriter w = new SummaryWriter(dir);
        w.addScalar("a", 1, 1);
        w.flush();
        assertEquals(2, EventFileReader.readEvents(w.file()).size(), "flushed events are in the file");
        w.addScalar("a", 2, 2);
        w.close();
        w.close();
        assertEquals(3, EventFileReader.readEvents(w.file()).size(), "close flushes");
        var e = assertThrows(IllegalStateException.class, () -> w.addScalar("a", 3, 3));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        try (SummaryWriter other = new SummaryWriter(dir)) {
            var blank = assertThrows(IllegalArgumentException.class, () -> other.addScalar(" ", 1, 1));
            assertTrue(blank.getMessage().contains("tag"), blank.getMessage());
        }
    }

    @Test
    void histogram_bucketsOfLimits_countValueAtLimitInTheNextBucket() {
        Histogram h = Histogram.of(new double[] {0.0, -0.0, 1e-12});
        assertArrayEquals(new double[] {2, 1}, h.bucket(), "0 and -0 share [0, 1e-12); 1e-12 starts the next bucket");
    }
}
