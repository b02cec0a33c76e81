package dev.janus.nn;

import static dev.janus.nn.NnTestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Janus;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module's bookkeeping on a nested model: names, counts, state dicts, modes, apply and the printed tree. */
class ModuleTest {
    /** A small LeNet-like model: Sequential features, a Module field, a ModuleList and a plain parameter. */
    static final class Net extends Module {
        final Sequential features = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new MaxPool2d(2));
        final Flatten flatten = new Flatten();
        final ModuleList blocks = new ModuleList(new Linear(8, 4), new Dropout(0.5), new Linear(4, 3));
        final Tensor scale = registerParameter("scale", Tensor.ones(3));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = flatten.forward(features.forward(x));
            for (Module b : blocks) {
                h = b.forward(h);
            }
            return h.mul(scale);
        }
    }

    /** Holds its layers in a {@code List<Module>}, which reflection cannot see, and registers them by hand. */
    static final class ListHolder extends Module {
        final List<Module> layers = new ArrayList<>();

        ListHolder(int n) {
            for (int i = 0; i < n; i++) {
                layers.add(registerModule("layer" + i, new Linear(2, 2)));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            for (Module m : layers) {
                x = m.forward(x);
            }
            return x;
        }
    }

    private static final List<String> NET_PARAMETERS = List.of("scale", "features.0.weight", "features.0.bias",
            "features.1.weight", "features.1.bias", "blocks.0.weight", "blocks.0.bias", "blocks.2.weight", "blocks.2.bias");

    @Test
    void namedParameters_nestedModel_useDottedPaths() {
        Net net = new Net();
        assertEquals(NET_PARAMETERS, List.copyOf(net.namedParameters().keySet()));
        assertSame(((Conv2d) net.features.get(0)).weight, net.namedParameters().get("features.0.weight"));
        assertEquals(List.of("features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked"),
                List.copyOf(net.namedBuffers().keySet()));
        assertEquals(List.of("features", "flatten", "blocks"), List.copyOf(net.children().keySet()));
    }

    @Test
    void parameters_nestedModel_countsTensorsAndElements() {
        Net net = new Net();
        assertEquals(9, net.parameters().size());
        // conv 2·1·3·3 + 2, bn 2 + 2, linear 4·8 + 4, linear 3·4 + 3, scale 3
        long expected = 18 + 2 + 2 + 2 + 32 + 4 + 12 + 3 + 3;
        assertEquals(expected, net.parameterCount());
        for (Tensor p : net.parameters()) {
            assertTrue(p.requiresGrad());
        }
    }

    @Test
    void stateDict_roundTrip_restoresSavedValues() {
        Net net = new Net();
        net.forward(Tensor.randn(2, 1, 6, 6)); // moves the BatchNorm running statistics off their defaults
        Map<String, double[]> saved = new LinkedHashMap<>();
        Map<String, Tensor> copies = new HashMap<>();
        net.stateDict().forEach((k, v) -> {
            saved.put(k, v.toDoubleArray());
            copies.put(k, Tensor.zerosLike(v).assign(v));
        });
        assertEquals(NET_PARAMETERS.size() + 3, saved.size());
        try (var g = Janus.noGrad()) {
            for (Tensor t : net.stateDict().values()) {
                t.assign(t.add(1L)); // perturb every entry, the int64 counter included
            }
        }
        assertFalse(saved.get("blocks.0.weight")[0] == net.stateDict().get("blocks.0.weight").toDoubleArray()[0]);
        net.loadStateDict(copies, true);
        saved.forEach((k, v) -> assertValues(v, net.stateDict().get(k), 0));
        assertEquals(1, net.stateDict().get("features.1.num_batches_tracked").itemLong());
    }

    @Test
    void loadStateDict_strict_namesMissingUnexpectedAndMisShapedKeys() {
        Net net = new Net();
        Map<String, Tensor> state = new LinkedHashMap<>(net.stateDict());
        state.remove("blocks.2.bias");
        state.put("blocks.9.weight", Tensor.zeros(1));
        state.put("features.0.weight", Tensor.zeros(2, 1, 5, 5));
        double before = net.stateDict().get("blocks.0.weight").toDoubleArray()[0];
        state.put("blocks.0.weight", Tensor.zeros(4, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, true));
        String m = e.getMessage();
        assertTrue(m.contains("missing entry 'blocks.2.bias'"), m);
        assertTrue(m.contains("unexpected entry 'blocks.9.weight'"), m);
        assertTrue(m.contains("'features.0.weight' has shape [2, 1, 5, 5]") && m.contains("[2, 1, 3, 3]"), m);
        // nothing is copied when anything is wrong
        assertEquals(before, net.stateDict().get("blocks.0.weight").toDoubleArray()[0]);
    }

    @Test
    void loadStateDict_nonStrict_skipsMissingAndUnexpectedButNotShapes() {
        Net net = new Net();
        Map<String, Tensor> partial = new LinkedHashMap<>();
        partial.put("blocks.0.bias", Tensor.full(7, 4));
        partial.put("head.weight", Tensor.zeros(3));
        net.loadStateDict(partial, false);
        assertValues(new double[] {7, 7, 7, 7}, net.stateDict().get("blocks.0.bias"), 0);
        partial.put("scale", Tensor.zeros(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(partial, false));
        assertTrue(e.getMessage().contains("'scale' has shape [4]"), e.getMessage());
        assertFalse(e.getMessage().contains("head.weight"), e.getMessage());
    }

    @Test
    void trainAndEval_propagateToEveryDescendant() {
        Net net = new Net();
        List<Boolean> modes = new ArrayList<>();
        net.eval();
        net.apply(m -> modes.add(m.isTraining()));
        assertEquals(11, modes.size());
        assertTrue(modes.stream().noneMatch(b -> b));
        modes.clear();
        net.train();
        net.apply(m -> modes.add(m.isTraining()));
        assertTrue(modes.stream().allMatch(b -> b));
        // the mode reaches behaviour: dropout is the identity and BatchNorm uses running stats in eval
        Dropout d = (Dropout) net.blocks.get(1);
        net.eval();
        Tensor x = Tensor.ones(100);
        assertValues(x.toDoubleArray(), d.forward(x), 0);
    }

    @Test
    void apply_visitsChildrenBeforeParentInOrder() {
        Net net = new Net();
        List<String> order = new ArrayList<>();
        net.apply(m -> order.add(m.getClass().getSimpleName()));
        assertEquals(List.of("Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Sequential", "Flatten", "Linear", "Dropout",
                "Linear", "ModuleList", "Net"), order);
    }

    @Test
    void apply_canReinitializeParameters() {
        Net net = new Net();
        net.apply(m -> {
            if (m instanceof Linear l) {
                Init.zeros(l.weight);
            }
        });
        assertValues(new double[32], ((Linear) net.blocks.get(0)).weight, 0);
    }

    @Test
    void toString_treeShowsClassNamesConfigAndParameterCounts() {
        String s = new Net().toString();
        assertTrue(s.startsWith("Net  [78 params, 3 own]\n"), s);
        assertTrue(s.contains("  (features): Sequential  [24 params]\n"), s);
        assertTrue(s.contains("    (0): Conv2d(1 → 2, kernel 3, stride 1)  [20 params]\n"), s);
        assertTrue(s.contains("    (1): BatchNorm2d(2, eps 1.0E-5, momentum 0.1)  [4 params]\n"), s);
        assertTrue(s.contains("    (3): MaxPool2d(kernel 2, stride 2)  [0 params]\n"), s);
        assertTrue(s.contains("  (blocks): ModuleList(3)  [51 params]\n"), s);
        assertTrue(s.contains("    (1): Dropout(p 0.5)  [0 params]\n"), s);
        assertTrue(s.contains("    (2): Linear(4 → 3)  [15 params]\n"), s);
    }

    @Test
    void registerModule_listOfModules_namesAndTrainsEach() {
        ListHolder h = new ListHolder(3);
        assertEquals(List.of("layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"),
                List.copyOf(h.namedParameters().keySet()));
        assertEquals(18, h.parameterCount());
        h.eval();
        assertTrue(h.layers.stream().noneMatch(Module::isTraining));
        Tensor y = h.forward(Tensor.ones(1, 2));
        y.sum().backward();
        for (Tensor p : h.parameters()) {
            assertTrue(p.grad() != null, "every listed layer receives gradients");
        }
    }

    @Test
    void moduleList_addGetSizeIterate() {
        ModuleList list = new ModuleList();
        assertEquals(0, list.size());
        Linear a = new Linear(2, 3);
        ReLU r = new ReLU();
        list.add(a).add(r);
        assertEquals(2, list.size());
        assertSame(a, list.get(0));
        assertSame(r, list.get(1));
        List<Module> seen = new ArrayList<>();
        list.forEach(seen::add);
        assertEquals(List.of(a, r), seen);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(list.namedParameters().keySet()));
        assertEquals(List.of("0", "1"), List.copyOf(list.children().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> list.forward(Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> list.add(null));
        ModuleList fromList = new ModuleList(List.of(new ReLU(), new Tanh()));
        assertEquals(2, fromList.size());
    }

    @Test
    void forwardBackward_wholeNet_givesEveryParameterAGradient() {
        Net net = new Net();
        Tensor loss = F.crossEntropy(net.forward(Tensor.randn(4, 1, 6, 6)), Tensor.of(new long[] {0, 2, 1, 0}, 4));
        loss.backward();
        net.namedParameters().forEach((k, p) -> assertTrue(p.grad() != null, k + " has no gradient"));
        net.zeroGrad();
    }
}
