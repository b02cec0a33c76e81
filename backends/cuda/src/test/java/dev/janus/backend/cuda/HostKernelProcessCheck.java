package dev.janus.backend.cuda;

import java.io.IOException;

/** Whether the tests that run kernels through g++ ({@link HostKernelProcess}) can run here. */
final class HostKernelProcessCheck {
    private HostKernelProcessCheck() {}

    /** True when {@code g++ --version} runs. */
    static boolean gxx() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
