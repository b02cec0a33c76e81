package dev.janus.graph.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML view: the template {@code graph-view.html} (next to this class) with the view's JSON and title
 * filled in. The page draws the graph with its own script and loads nothing else.
 */
final class HtmlPage {
    private static final String TEMPLATE = "graph-view.html";

    private HtmlPage() {}

    static String of(GraphView v) {
        return template().replace("__JANUS_TITLE__", escape(v.title())).replace("__JANUS_GRAPH_JSON__", ViewJson.of(v));
    }

    private static String template() {
        try (InputStream in = HtmlPage.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("the graph view template " + TEMPLATE + " is missing from the "
                        + "janus-graph-exec jar (dev/janus/graph/view/); rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the graph view template " + TEMPLATE, e);
        }
    }

    /** Text for an HTML element's content. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
