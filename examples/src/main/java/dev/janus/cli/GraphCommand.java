package dev.janus.cli;

import dev.janus.graph.view.GraphPictures;
import dev.janus.io.LoadedModel;
import dev.janus.io.ModelArchive;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code janus graph}: draws the graph of a model archive: every node with its op, output type and source line,
 * inputs, parameters and constants apart, the subgraphs of {@code if}/{@code loop}/{@code fused} as boxes.
 *
 * <pre>{@code
 * janus graph lenet.janus --out lenet.html   # one self-contained page: pan, zoom, click a node
 * janus graph lenet.janus --out lenet.svg    # drawn by Graphviz's dot
 * janus graph lenet.janus --out lenet.dot    # Graphviz text
 * }</pre>
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draw the graph of a model archive (*.janus) as a self-contained HTML page, SVG (needs Graphviz's "
                + "dot on the PATH) or Graphviz DOT text, picked by the output's extension.")
final class GraphCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the model archive (*.janus)")
    Path model;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "where to write: FILE.html (needs nothing installed), FILE.svg or FILE.dot")
    Path out;

    @Option(names = "--title", description = "the picture's caption (default: the function and file name)")
    String title;

    @Override
    public Integer call() throws Exception {
        GraphPictures.Format format;
        try {
            format = GraphPictures.Format.of(out); // a bad extension fails before the archive is read
        } catch (IllegalArgumentException e) {
            System.err.println("janus graph: " + e.getMessage());
            return 2;
        }
        LoadedModel m = ModelArchive.load(model);
        String caption = title != null ? title : m.name() + " (" + model.getFileName() + ")";
        try {
            GraphPictures.write(m.graph(), caption, out);
        } catch (IllegalStateException e) { // no Graphviz for .svg: the message says to write .html instead
            System.err.println("janus graph: " + e.getMessage());
            return 1;
        }
        System.out.println("janus graph: wrote " + out + " (" + format.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + m.graph().nodes().size() + " top-level nodes)");
        return 0;
    }
}
