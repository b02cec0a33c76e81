package dev.janus.backend.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
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
                .selectors(selectPackage("dev.janus.backend.cuda")).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 20);
        System.exit(summary.getTestsFoundCount() == 0 ? 2 : summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
