package dev.janus.train;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTML of a {@link TrainingReport}: a summary, the charts (inline SVG, no script), the eager-vs-compiled step
 * speed and a table of the per-epoch figures.
 *
 * @param summary      one line about the model, optimizer and mode
 * @param batchLoss    each batch's own loss, over the whole run
 * @param runningLoss  each epoch's running mean loss after each batch
 * @param epochs       the figures {@link Trainer#fit} logged at the end of each epoch
 * @param epochSeconds wall-clock seconds of each epoch
 * @param speed        the step timing, or null when it was not measured
 */
record ReportPage(String summary, List<Double> batchLoss, List<Double> runningLoss, List<Map<String, Double>> epochs,
        List<Double> epochSeconds, StepSpeed speed) {
    private static final String STYLE = "body{font-family:sans-serif;margin:24px;max-width:1400px;color:#222}"
            + "h1{font-size:22px}h2{font-size:17px;margin-top:28px}.charts{display:flex;flex-wrap:wrap;gap:12px}"
            + "svg.chart{border:1px solid #ddd;background:#fff}svg text{font:11px sans-serif;fill:#333}"
            + "svg text.title{font-weight:bold;font-size:13px}table{border-collapse:collapse;font:12px monospace}"
            + "td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}.note{color:#666}";

    String html() {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>Training report</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<h1>Training report</h1>\n");
        sb.append("<p class=\"summary\">").append(Html.escape(summary)).append("</p>\n");
        sb.append("<h2>Loss per batch</h2>\n<div class=\"charts\">\n")
                .append(new LineChart("loss per batch (" + batchLoss.size() + " batches)", "batch")
                        .series("batch loss", batchLoss).series("running mean in its epoch", runningLoss).svg())
                .append("</div>\n<h2>Per epoch</h2>\n<div class=\"charts\">\n");
        for (String key : trainKeys()) {
            LineChart c = new LineChart(key + " per epoch", "epoch").series(key, column(key));
            if (epochs.get(0).containsKey("val_" + key)) {
                c.series("val_" + key, column("val_" + key));
            }
            sb.append(c.svg());
        }
        if (epochs.get(0).containsKey("lr")) {
            sb.append(new LineChart("learning rate per epoch", "epoch").series("lr", column("lr")).svg());
        }
        sb.append(new LineChart("seconds per epoch", "epoch").series("seconds", epochSeconds).svg()).append("</div>\n");
        if (speed != null) {
            sb.append("<h2>Eager vs traced training step</h2>\n").append(speedSection());
        }
        return sb.append("<h2>Figures per epoch</h2>\n").append(table()).append("</body>\n</html>\n").toString();
    }

    /** Keys logged for training ({@code loss}, metric names): not validation figures, not the learning rate. */
    private List<String> trainKeys() {
        List<String> keys = new ArrayList<>();
        for (String k : epochs.get(0).keySet()) {
            if (!k.startsWith("val_") && !k.equals("lr")) {
                keys.add(k);
            }
        }
        return keys;
    }

    private List<Double> column(String key) {
        List<Double> out = new ArrayList<>();
        epochs.forEach(e -> out.add(e.getOrDefault(key, Double.NaN)));
        return out;
    }

    private String speedSection() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "<p id=\"speed\" data-steps=\"%d\" "
                + "data-eager-ms=\"%.4f\"", speed.steps(), speed.eagerMillis()));
        if (speed.hasCompiled()) {
            sb.append(String.format(Locale.ROOT, " data-traced-ms=\"%.4f\" data-speedup=\"%.3f\">", speed.compiledMillis(),
                    speed.speedup()));
            sb.append(String.format(Locale.ROOT, "On one batch (%s), %d steps each after a warm-up: eager %.3f ms per "
                    + "step, traced (%s) %.3f ms per step: the traced step is %.2f&times; %s. Tracing and compiling the "
                    + "step took %.0f ms.</p>%n", Html.escape(speed.batch()), speed.steps(), speed.eagerMillis(),
                    Html.escape(speed.compiler()), speed.compiledMillis(), speed.speedup() >= 1 ? speed.speedup()
                            : 1 / speed.speedup(), speed.speedup() >= 1 ? "faster" : "slower", speed.compileMillis()));
            sb.append(bars());
        } else {
            sb.append(String.format(Locale.ROOT, ">On one batch (%s), %d steps after a warm-up: eager %.3f ms per step."
                    + "</p>%n<p class=\"note\">No traced figure: %s</p>%n", Html.escape(speed.batch()), speed.steps(),
                    speed.eagerMillis(), Html.escape(speed.note())));
        }
        return sb.toString();
    }

    /** Two horizontal bars, milliseconds per step. */
    private String bars() {
        double max = Math.max(speed.eagerMillis(), speed.compiledMillis());
        StringBuilder sb = new StringBuilder("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" "
                + "height=\"90\" viewBox=\"0 0 640 90\">\n");
        String[] names = {"eager", "traced"};
        double[] ms = {speed.eagerMillis(), speed.compiledMillis()};
        for (int i = 0; i < 2; i++) {
            double w = 440 * ms[i] / max;
            int y = 14 + 36 * i;
            sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text><rect class=\"bar\" data-mode=\"%s\" "
                    + "x=\"70\" y=\"%d\" width=\"%.1f\" height=\"24\" fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">%.3f ms</text>%n",
                    y + 16, names[i], names[i], y, w, i == 0 ? "#1f77b4" : "#2ca02c", 76 + w, y + 16, ms[i]));
        }
        return sb.append("</svg>\n").toString();
    }

    private String table() {
        Set<String> keys = new LinkedHashSet<>();
        epochs.forEach(e -> keys.addAll(e.keySet()));
        StringBuilder sb = new StringBuilder("<table>\n<tr><th>epoch</th><th>seconds</th>");
        keys.forEach(k -> sb.append("<th>").append(Html.escape(k)).append("</th>"));
        sb.append("</tr>\n");
        for (int i = 0; i < epochs.size(); i++) {
            sb.append("<tr><td>").append(i + 1).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", epochSeconds.get(i))).append("</td>");
            for (String k : keys) {
                Double v = epochs.get(i).get(k);
                sb.append("<td>").append(v == null ? "" : String.format(Locale.ROOT, "%.6g", v)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }
}
