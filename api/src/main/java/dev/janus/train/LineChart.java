package dev.janus.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG, for {@link TrainingReport}: each series is one {@code <polyline
 * data-series="NAME">} over x = 1..n, on axes with round-numbered ticks and a legend. Points that are not finite
 * (a diverged loss) are left out.
 *
 * <pre>{@code String svg = new LineChart("loss per epoch", "epoch").series("loss", List.of(2.3, 1.1, 0.7)).svg();}</pre>
 */
final class LineChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    /** Charts with at most this many points per series also mark each point. */
    private static final int MARKED_POINTS = 60;

    private final String title;
    private final String xLabel;
    private final List<String> names = new ArrayList<>();
    private final List<List<Double>> values = new ArrayList<>();

    LineChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    LineChart series(String name, List<Double> ys) {
        names.add(name);
        values.add(List.copyOf(ys));
        return this;
    }

    String svg() {
        int n = 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<Double> ys : values) {
            n = Math.max(n, ys.size());
            for (double y : ys) {
                if (Double.isFinite(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (lo > hi) { // nothing finite to draw
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        Axis y = Axis.of(lo, hi);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                + "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT,
                Html.escape(title)));
        sb.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"18\">%s</text>%n", LEFT, Html.escape(title)));
        axes(sb, y, n);
        for (int s = 0; s < values.size(); s++) {
            line(sb, s, y, n);
        }
        return sb.append("</svg>\n").toString();
    }

    private void axes(StringBuilder sb, Axis y, int n) {
        int bottom = HEIGHT - BOTTOM;
        sb.append(String.format(Locale.ROOT, "<path class=\"axis\" d=\"M%d,%d V%d H%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT, TOP, bottom, WIDTH - RIGHT));
        for (double t = y.first(); t <= y.hi() + y.step() * 1e-9; t += y.step()) {
            double py = py(t, y);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, WIDTH - RIGHT, py,
                    LEFT - 6, py + 4, y.label(t)));
        }
        Axis x = Axis.of(1, Math.max(2, n));
        double step = Math.max(1, Math.round(x.step()));
        for (double t = 1; t <= n; t += step) {
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    px(t, n), bottom + 16, (long) t));
        }
        sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 6, Html.escape(xLabel)));
    }

    private void line(StringBuilder sb, int s, Axis y, int n) {
        String color = COLORS[s % COLORS.length];
        List<Double> ys = values.get(s);
        StringBuilder points = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < ys.size(); i++) {
            double v = ys.get(i);
            if (!Double.isFinite(v)) {
                continue;
            }
            String p = String.format(Locale.ROOT, "%.1f,%.1f", px(i + 1, n), py(v, y));
            points.append(points.length() > 0 ? " " : "").append(p);
            if (ys.size() <= MARKED_POINTS) {
                String[] xy = p.split(",");
                marks.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"2.5\" fill=\"%s\"/>", xy[0], xy[1],
                        color));
            }
        }
        String name = Html.escape(names.get(s));
        sb.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" "
                + "stroke-width=\"1.6\" points=\"%s\"/>%n", name, color, points));
        sb.append(marks).append(marks.length() > 0 ? "\n" : "");
        // the legend runs right to left along the title's line, clear of the plot
        int lx = WIDTH - RIGHT - legendWidth(s + 1) + 4;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"14\" x2=\"%d\" y2=\"14\" stroke=\"%s\" stroke-width=\"2\"/>"
                + "<text class=\"legend\" x=\"%d\" y=\"18\">%s</text>%n", lx, lx + 18, color, lx + 22, name));
    }

    /** The width of the legend entries from {@code from} to the last, at about 6 pixels a character. */
    private int legendWidth(int from) {
        int w = 0;
        for (int i = from - 1; i < names.size(); i++) {
            w += 34 + 6 * names.get(i).length();
        }
        return w;
    }

    private static double px(double x, int n) {
        double w = WIDTH - LEFT - RIGHT;
        return n <= 1 ? LEFT + w / 2 : LEFT + (x - 1) / (n - 1) * w;
    }

    private static double py(double v, Axis y) {
        return TOP + (y.hi() - v) / (y.hi() - y.lo()) * (HEIGHT - TOP - BOTTOM);
    }

    /**
     * A value range widened to round ticks: about five steps of 1, 2 or 5 times a power of ten.
     *
     * @param lo   the bottom of the axis (a tick)
     * @param hi   the top of the axis (a tick)
     * @param step the distance between ticks
     */
    record Axis(double lo, double hi, double step) {
        static Axis of(double min, double max) {
            double raw = (max - min) / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / mag;
            double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
            return new Axis(Math.floor(min / step) * step, Math.ceil(max / step) * step, step);
        }

        double first() {
            return lo;
        }

        /** A tick's text with as many decimals as the step needs. */
        String label(double v) {
            int decimals = (int) Math.max(0, -Math.floor(Math.log10(step)));
            return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
    }
}
