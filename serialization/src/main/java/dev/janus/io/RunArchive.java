package dev.janus.io;

import dev.janus.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a model archive on inputs from a safetensors file and writes the outputs to another: the smallest
 * deployment, needing only the runtime jars (api, eager, a backend, graph-exec, serialization, Jackson).
 *
 * <pre>
 * java -cp RUNTIME_JARS dev.janus.io.RunArchive model.janus inputs.safetensors outputs.safetensors
 * </pre>
 * Inputs are keyed by the signature's input names; outputs are written under its output names. Prints the
 * signature and each output's type; exits with 2 on bad usage and 1 when the archive, the inputs or the run
 * fail (the message names what).
 */
public final class RunArchive {
    private RunArchive() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: RunArchive MODEL.janus INPUTS.safetensors OUTPUTS.safetensors");
            System.exit(2);
        }
        try {
            LoadedModel model = ModelArchive.load(Path.of(args[0]));
            System.out.println(model.info().function() + model.signature());
            Map<String, Tensor> outputs = model.run(Safetensors.load(Path.of(args[1])));
            Map<String, Tensor> written = new LinkedHashMap<>(outputs);
            Safetensors.save(written, Map.of("producer", "janus RunArchive", "archive", Path.of(args[0]).getFileName()
                    .toString()), Path.of(args[2]));
            outputs.forEach((name, t) -> System.out.println(name + ": " + t.dtype().shortName() + t.shape()));
        } catch (Exception e) {
            System.err.println("RunArchive: " + e.getMessage());
            System.exit(1);
        }
    }
}
