package dev.janus.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.nn.F;
import dev.janus.nn.Linear;
import dev.janus.nn.Module;
import dev.janus.nn.Sequential;
import dev.janus.nn.Tanh;
import dev.janus.optim.SGD;
import org.junit.jupiter.api.Test;

/** The README's "A taste" program, kept compiling and working. */
class ReadmeExampleTest {
    @Test
    void readmeTaste_fitsSine() {
        Janus.manualSeed(42);
        Tensor x = Tensor.linspace(-3, 3, 256).reshape(256, 1);
        Tensor y = x.sin();
        Module net = new Sequential(new Linear(1, 32), new Tanh(), new Linear(32, 1));
        SGD opt = new SGD(net.parameters(), 0.05).momentum(0.9);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step <= 1000; step++) {
            Tensor loss = F.mseLoss(net.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            last = loss.item();
            if (step == 0) {
                first = last;
            }
        }
        assertTrue(last < 0.01 && last < first / 10, first + " -> " + last);
        assertTrue(net.toString().contains("Linear(1 → 32)"), net.toString());
    }
}
