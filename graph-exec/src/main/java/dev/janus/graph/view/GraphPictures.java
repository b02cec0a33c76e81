package dev.janus.graph.view;

import dev.janus.graph.Graph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Pictures of a graph: Graphviz DOT text, SVG (through Graphviz's {@code dot}), or one self-contained HTML
 * page that lays the graph out and draws it itself (pan, zoom, click a node for its op, attributes, type,
 * source line and inputs). Each shows every node with its op, output type and the Java line that recorded it;
 * inputs, parameters and constants are drawn apart; the subgraphs of {@code if}, {@code loop} and
 * {@code fused} nodes are boxes around their nodes.
 *
 * <pre>{@code
 * GraphPictures.write(traced.graph(), "forward", Path.of("target/forward.html"));   // open it in a browser
 * String dot = GraphPictures.dot(traced.graph(), "forward");
 * }</pre>
 */
public final class GraphPictures {
    private GraphPictures() {}

    /** The formats {@link #write} picks by file extension. */
    public enum Format {
        /** Graphviz text ({@code .dot} or {@code .gv}). */
        DOT,
        /** SVG drawn by Graphviz's {@code dot}, which must be on the PATH ({@code .svg}). */
        SVG,
        /** A self-contained page that needs nothing installed ({@code .html} or {@code .htm}). */
        HTML;

        /** The format of {@code file}'s extension; fails naming the extensions it knows. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".dot") || name.endsWith(".gv")) {
                return DOT;
            } else if (name.endsWith(".svg")) {
                return SVG;
            } else if (name.endsWith(".html") || name.endsWith(".htm")) {
                return HTML;
            }
            throw new IllegalArgumentException("cannot tell the picture format of '" + file.getFileName()
                    + "'; name it .html (self-contained page), .svg (needs Graphviz) or .dot (Graphviz text)");
        }
    }

    /** Graphviz DOT text of {@code graph}. */
    public static String dot(Graph graph, String title) {
        return DotText.of(GraphView.of(graph, title));
    }

    /** SVG of {@code graph} drawn by {@code dot -Tsvg}; fails with a message suggesting HTML when it is missing. */
    public static String svg(Graph graph, String title) {
        return GraphvizSvg.render(dot(graph, title));
    }

    /** The self-contained HTML page of {@code graph}. */
    public static String html(Graph graph, String title) {
        return HtmlPage.of(GraphView.of(graph, title));
    }

    /** True when Graphviz's {@code dot} is on the PATH, so {@link #svg} can work. */
    public static boolean graphvizAvailable() {
        return GraphvizSvg.findDot().isPresent();
    }

    /** Writes {@code graph} to {@code file} in the format its extension names; returns that format. */
    public static Format write(Graph graph, String title, Path file) throws IOException {
        Format f = Format.of(file);
        String text = switch (f) {
            case DOT -> dot(graph, title);
            case SVG -> svg(graph, title);
            case HTML -> html(graph, title);
        };
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return f;
    }
}
