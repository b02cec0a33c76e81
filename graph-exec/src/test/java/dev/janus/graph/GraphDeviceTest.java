package dev.janus.graph;

import static dev.janus.eager.EmulatedDeviceBackend.EMU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.Shape;
import dev.janus.graph.passes.PassManager;
import dev.janus.ops.TensorSpec;
import dev.janus.optim.Adam;
import org.junit.jupiter.api.Test;

/** A compiled graph runs on the device of its parameters and refuses tensors left on another one. */
class GraphDeviceTest {
    @Test
    void run_afterModelTo_runsOnTheParametersDevice_andMatchesTheCpu() {
        Janus.manualSeed(5);
        CompiledGraphTest.Mlp mlp = new CompiledGraphTest.Mlp();
        Graph graph = PassManager.forExecution().apply(
                GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 4, 3, 16).dynamic(0)));
        CompiledGraph compiled = new CompiledGraph(graph);
        Tensor x = Tensor.randn(new Generator(9), 4, 3, 16);
        float[] onCpu = compiled.run(x)[0].toFloatArray();

        mlp.to(EMU);
        Tensor y = compiled.run(x.to(EMU))[0];

        assertEquals(EMU, y.device());
        assertArrayEquals(onCpu, y.toFloatArray(), 0f);
        mlp.to(Device.CPU);
        assertArrayEquals(onCpu, compiled.run(x)[0].toFloatArray(), 0f);
    }

    @Test
    void run_withAnInputOnAnotherDevice_namesTheInputBothDevicesAndTheSourceLine() {
        CompiledGraphTest.Mlp mlp = new CompiledGraphTest.Mlp();
        Graph graph = GraphCapture.capture(mlp, mlp::forward, InputSpec.of(DType.FLOAT32, 2, 3, 16));
        mlp.to(EMU);
        GraphExecutionException e = assertThrows(GraphExecutionException.class,
                () -> new CompiledGraph(graph).run(Tensor.zeros(2, 3, 16)));
        String m = e.getMessage();
        assertTrue(m.contains("input 0") && m.contains("emu:0") && m.contains("is on cpu"), m);
        assertTrue(m.contains("CompiledGraphTest.java:"), "the message names the Java line of the reading node: " + m);
    }

    @Test
    void capturedAdamStep_onAnotherDevice_tracksTheCpuRun() {
        Janus.manualSeed(6);
        TrainingStepTest.Mlp cpu = new TrainingStepTest.Mlp();
        Janus.manualSeed(6);
        TrainingStepTest.Mlp emu = new TrainingStepTest.Mlp().to(EMU);
        Adam cpuOpt = new Adam(cpu.parameters(), 0.02);
        Adam emuOpt = new Adam(emu.parameters(), 0.02);
        Generator g = new Generator(11);
        Tensor x = Tensor.randn(g, 8, 6);
        Tensor y = Tensor.randint(g, 0, 3, 8);
        Tensor xe = x.to(EMU);
        Tensor ye = y.to(EMU);
        TrainingStepTest.eagerStep(cpu, cpuOpt, x, y);
        TrainingStepTest.eagerStep(emu, emuOpt, xe, ye); // eager on the device, with the optimizer's CPU scalars
        TrainingStep step = TrainingStep.capture(emu, in -> TrainingStepTest.eagerStep(emu, emuOpt, in[0], in[1]),
                new TensorSpec(DType.FLOAT32, Shape.of(8, 6)), new TensorSpec(DType.INT64, Shape.of(8)));
        for (int i = 0; i < 10; i++) {
            double expected = TrainingStepTest.eagerStep(cpu, cpuOpt, x, y).item();
            Tensor loss = step.run(xe, ye);
            assertEquals(EMU, loss.device());
            assertEquals(expected, loss.item(), 1e-5 * Math.max(1, Math.abs(expected)), "loss at step " + i);
        }
        assertArrayEquals(cpu.parameters().get(0).toFloatArray(), emu.parameters().get(0).toFloatArray(), 1e-5f);
    }
}
