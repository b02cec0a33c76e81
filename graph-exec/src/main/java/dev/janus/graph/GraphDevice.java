package dev.janus.graph;

import dev.janus.Device;
import dev.janus.Tensor;
import dev.janus.eager.EagerTensor;
import java.util.Map;

/**
 * Which device a compiled graph runs on: the device of its parameters (like a PyTorch module), else of its
 * inputs, else the CPU. Everything the graph reads must already be there; a tensor left elsewhere fails before
 * any kernel runs, naming the tensor, both devices and the Java line of the first node that reads it.
 * Constants are the graph's own and follow it (PlannedGraph copies them).
 */
final class GraphDevice {
    private GraphDevice() {}

    static Device of(Graph graph, Tensor[] inputs) {
        Device device = firstDevice(graph.parameters().values());
        String owner = "its parameters";
        if (device == null) {
            device = inputs.length > 0 ? inputs[0].device() : firstDevice(graph.constants().values());
            owner = inputs.length > 0 ? "its first input" : "its constants";
        }
        if (device == null) {
            return Device.CPU;
        }
        for (Map.Entry<Value, Tensor> e : graph.parameters().entrySet()) {
            require(graph, e.getKey(), "parameter " + e.getKey().ref(), e.getValue(), device, owner);
        }
        for (int i = 0; i < inputs.length; i++) {
            require(graph, graph.inputs().get(i), "input " + i + " (" + graph.inputs().get(i).ref() + ")", inputs[i],
                    device, owner);
        }
        return device;
    }

    private static Device firstDevice(Iterable<Tensor> tensors) {
        for (Tensor t : tensors) {
            if (t instanceof EagerTensor) {
                return t.device();
            }
        }
        return null;
    }

    private static void require(Graph graph, Value v, String what, Tensor t, Device device, String owner) {
        if (t.device().equals(device)) {
            return;
        }
        IllegalArgumentException why = new IllegalArgumentException("the graph runs on " + device + " (the device of "
                + owner + ") but " + what + " is on " + t.device() + "; move it with tensor.to(device) or model.to(device)");
        Node reader = firstReader(graph, v);
        throw reader == null ? why : new GraphExecutionException(reader, why);
    }

    /** The first node, in program order and looking inside subgraphs, that reads {@code v}. */
    private static Node firstReader(Graph graph, Value v) {
        for (Node n : graph.nodes()) {
            if (n.inputs().contains(v)) {
                return n;
            }
            for (Graph sub : n.subgraphs()) {
                if (firstReader(sub, v) != null) {
                    return n;
                }
            }
        }
        return null;
    }
}
