package dev.janus.bench;

import java.util.List;
import java.util.Locale;

/**
 * A hand-written SVG of horizontal bars: one group per workload, one bar per runtime, each bar's length the
 * time per call relative to the slowest bar of its group (workloads differ by orders of magnitude), labelled
 * with the time itself. A missing figure draws no bar and says "n/a".
 *
 * <pre>{@code
 * String svg = BarChart.svg("Time per call", List.of("Janus eager", "Janus traced"),
 *         List.of(new BarChart.Group("MLP, batch 1", new double[] {44.2, 21.0})));
 * }</pre>
 */
final class BarChart {
    static final String[] COLORS = {"#9aa5b1", "#1f6feb", "#8250df", "#d1242f", "#fb8500", "#2da44e"};
    private static final int WIDTH = 900;
    private static final int LABEL_WIDTH = 190;
    private static final int BAR_AREA = 560;
    private static final int BAR_HEIGHT = 11;
    private static final int GROUP_GAP = 14;
    private static final int TOP = 56;

    private BarChart() {}

    /** One workload: its label and a time per series (microseconds; {@code NaN} when not measured). */
    record Group(String label, double[] micros) {}

    static String svg(String title, List<String> series, List<Group> groups) {
        int groupHeight = series.size() * (BAR_HEIGHT + 2) + GROUP_GAP;
        int height = TOP + groups.size() * groupHeight + 10;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        legend(s, series);
        int y = TOP;
        for (Group g : groups) {
            group(s, g, y);
            y += groupHeight;
        }
        return s.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder s, List<String> series) {
        int x = 10;
        for (int i = 0; i < series.size(); i++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"40\">%s</text>%n", x, COLORS[i % COLORS.length], x + 16, escape(series.get(i))));
            x += 24 + 7 * series.get(i).length();
        }
    }

    private static void group(StringBuilder s, Group g, int y) {
        double max = 0;
        for (double v : g.micros()) {
            if (!Double.isNaN(v)) {
                max = Math.max(max, v);
            }
        }
        int middle = y + g.micros().length * (BAR_HEIGHT + 2) / 2 + 4;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL_WIDTH - 8,
                middle, escape(g.label())));
        for (int i = 0; i < g.micros().length; i++) {
            double v = g.micros()[i];
            int by = y + i * (BAR_HEIGHT + 2);
            if (Double.isNaN(v)) {
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#888\">n/a</text>%n", LABEL_WIDTH,
                        by + BAR_HEIGHT - 1));
                continue;
            }
            double w = max > 0 ? Math.max(1, v / max * BAR_AREA) : 1;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                    + "<text x=\"%.1f\" y=\"%d\">%s</text>%n", LABEL_WIDTH, by, w, BAR_HEIGHT, COLORS[i % COLORS.length],
                    LABEL_WIDTH + w + 4, by + BAR_HEIGHT - 1, escape(BenchReport.time(v))));
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
