package dev.janus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code janus train --traced --report --tensorboard}: a traced run that writes its report and TensorBoard logs. */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void train_traced_writesTheReportWithBothSpeeds_andTensorBoardEvents() throws Exception {
        Path report = dir.resolve("report.html");
        Path logs = dir.resolve("runs");
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = new CommandLine(new JanusCli()).execute("train", "--model", "mlp", "--data", dir.resolve("absent").toString(),
                    "--epochs", "1", "--limit", "640", "--optimizer", "adam", "--lr", "0.001", "--traced",
                    "--report", report.toString(), "--tensorboard", logs.toString());
        } finally {
            System.setOut(stdout);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("test accuracy") && out.contains("wrote the training report"), out);
        String html = Files.readString(report);
        assertTrue(html.contains("data-eager-ms=") && html.contains("data-traced-ms="),
                "a traced run's report has both step speeds");
        try (Stream<Path> files = Files.list(logs)) {
            List<Path> events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
            assertEquals(1, events.size(), events.toString());
            assertTrue(Files.size(events.get(0)) > 100, "the event file holds more than its version record");
        }
    }
}
