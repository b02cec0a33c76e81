package dev.janus.backend.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs every test of this package without Maven, for {@code gpu-check.sh} on a machine with a GPU and no
 * build tools: {@code java -cp <jars> dev.janus.backend.cuda.GpuSuiteMain}. Exits 1 when a test failed and
 * 2 when no test was found (a broken bundle must not read as a pass).
 */
public final class GpuSuiteMain {
    private GpuSuiteMain() {}

    public static void main(String[] args) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.janus.backend.cuda")).build(), listener, new SkipReporter());
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 20);
        System.exit(summary.getTestsFoundCount() == 0 ? 2 : summary.getTotalFailureCount() == 0 ? 0 : 1);
    }

    /** Prints each skipped or aborted test with its reason: on the GPU machine a skip must not pass unseen. */
    private static final class SkipReporter implements TestExecutionListener {
        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            System.out.println("SKIPPED " + test.getDisplayName() + ": " + reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                System.out.println("ABORTED " + test.getDisplayName() + ": "
                        + result.getThrowable().map(Throwable::getMessage).orElse("(no reason)"));
            }
        }
    }
}
