package dev.janus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Tensor;
import dev.janus.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageClassificationTest {
    @TempDir
    Path dir;

    @Test
    void run_generatedImages_learnsAndSavesWeights() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path ckpt = dir.resolve("mlp.safetensors");
        ImageClassification.Result r = ImageClassification.run(new ImageClassification.Config("mlp", dir.resolve("absent"), 1,
                "adam", 1e-3, 64, 2, 0, ckpt, 1), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(r.dataset().startsWith("generated"), r.dataset());
        assertTrue(out.contains("generated shapes") && out.contains("test accuracy"), out);
        // ten classes: chance is 10%; one epoch on the generated squares must be far above it
        assertTrue(r.testAccuracy() > 0.9, "accuracy " + r.testAccuracy() + "\n" + out);
        Map<String, Tensor> saved = Safetensors.load(ckpt);
        assertEquals(ImageClassification.model("mlp").stateDict().keySet(), saved.keySet());
    }
}
