package dev.janus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the serving load test for a moment per point, so it keeps working; its figures are for docs/serving.md. */
class ServingLoadSmokeTest {
    @Test
    void loadTest_bothModes_answersEveryRequest() throws Exception {
        ServingLoadTest.Options o = ServingLoadTest.Options.parse(new String[] {"--seconds", "0.3",
            "--warmup-seconds", "0.1", "--clients", "1,4"});
        List<ServingLoadTest.Result> results = ServingLoadTest.run(o);
        assertEquals(4, results.size());
        for (ServingLoadTest.Result r : results) {
            assertEquals(0, r.errors(), r.toString());
            assertTrue(r.requests() > 0, r.toString());
        }
    }
}
