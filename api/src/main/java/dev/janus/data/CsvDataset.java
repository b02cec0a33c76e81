package dev.janus.data;

import dev.janus.DType;
import dev.janus.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Numeric tabular data from a CSV file: one {@link Example} per row, the input a float32 {@code [F]} vector
 * of the feature columns and the target one column, either an int64 class label or a float32 value (shape
 * {@code ()}). Cells may be quoted ({@code "1.5"}); blank lines are skipped. A cell that is not a number,
 * a row of the wrong width or a missing target column throws a {@link MalformedDataException} naming the
 * line and column.
 *
 * <pre>{@code
 * CsvDataset iris = CsvDataset.builder(Path.of("iris.csv")).target("species").build();
 * iris.get(0).input();   // f32[4]
 * }</pre>
 */
public final class CsvDataset implements Dataset<Example> {
    private final List<String> featureNames;
    private final float[] features;
    private final long[] labels;
    private final float[] values;
    private final int rows;

    private CsvDataset(List<String> featureNames, float[] features, long[] labels, float[] values, int rows) {
        this.featureNames = List.copyOf(featureNames);
        this.features = features;
        this.labels = labels;
        this.values = values;
        this.rows = rows;
    }

    /** Options for reading {@code file}: header line, delimiter, target column and its type. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** The names of the input columns, in input order (from the header, else {@code column 1, column 2, ...}). */
    public List<String> featureNames() {
        return featureNames;
    }

    @Override
    public int size() {
        return rows;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(index, rows);
        int f = featureNames.size();
        float[] x = new float[f];
        System.arraycopy(features, index * f, x, 0, f);
        Tensor target = labels != null ? Tensor.scalar(labels[index], DType.INT64) : Tensor.scalar(values[index], DType.FLOAT32);
        return new Example(Tensor.of(x, f), target);
    }

    /** Reading options; the defaults are a header line, commas, and the last column as an int64 label. */
    public static final class Builder {
        private final Path file;
        private boolean header = true;
        private char delimiter = ',';
        private String targetName;
        private int targetIndex = -1;
        private DType targetType = DType.INT64;

        private Builder(Path file) {
            this.file = file;
        }

        /** Whether the first line holds column names (default true). */
        public Builder header(boolean hasHeader) {
            this.header = hasHeader;
            return this;
        }

        public Builder delimiter(char c) {
            if (c == '"' || c == '\n' || c == '\r') {
                throw new IllegalArgumentException("CSV delimiter cannot be a quote or a line break");
            }
            this.delimiter = c;
            return this;
        }

        /** The target column by header name. */
        public Builder target(String columnName) {
            this.targetName = columnName;
            return this;
        }

        /** The target column by 0-based position; negative counts from the end (default -1, the last). */
        public Builder target(int column) {
            this.targetName = null;
            this.targetIndex = column;
            return this;
        }

        /** {@code INT64} for class labels (the default; cells must be whole numbers) or {@code FLOAT32} for values. */
        public Builder targetType(DType type) {
            if (type != DType.INT64 && type != DType.FLOAT32) {
                throw new IllegalArgumentException("CSV target type must be INT64 or FLOAT32, got " + type);
            }
            this.targetType = type;
            return this;
        }

        /** Reads the whole file. */
        public CsvDataset build() throws IOException {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return new CsvParser(file, delimiter, header, targetName, targetIndex, targetType).parse(in);
            }
        }
    }

    /** One read of one file; keeps the line number for messages. */
    private static final class CsvParser {
        private final Path file;
        private final char delimiter;
        private final boolean header;
        private final String targetName;
        private final int targetIndex;
        private final DType targetType;
        private int lineNo;
        private List<String> names;
        private int target;

        CsvParser(Path file, char delimiter, boolean header, String targetName, int targetIndex, DType targetType) {
            this.file = file;
            this.delimiter = delimiter;
            this.header = header;
            this.targetName = targetName;
            this.targetIndex = targetIndex;
            this.targetType = targetType;
        }

        CsvDataset parse(BufferedReader in) throws IOException {
            FloatBuilder x = new FloatBuilder();
            List<Double> y = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = split(line);
                if (names == null) {
                    start(cells);
                    if (header) {
                        continue;
                    }
                }
                row(cells, x, y);
            }
            if (names == null) {
                throw new MalformedDataException(file, "the file is empty" + (header ? "; expected a header line" : ""));
            }
            return finish(x, y);
        }

        /** Fixes the column names and the target column from the first line. */
        private void start(List<String> cells) throws MalformedDataException {
            names = new ArrayList<>();
            for (int c = 0; c < cells.size(); c++) {
                names.add(header ? cells.get(c) : "column " + (c + 1));
            }
            if (names.size() < 2) {
                throw new MalformedDataException(file, "line " + lineNo + " has " + names.size()
                        + " column; a CSV dataset needs at least one feature column and a target column");
            }
            if (targetName != null) {
                target = header ? names.indexOf(targetName) : -1;
                if (target < 0) {
                    throw new MalformedDataException(file, header ? "target column '" + targetName + "' is not in the header "
                            + names : "target column '" + targetName + "' given by name, but the file has no header line");
                }
            } else {
                target = targetIndex < 0 ? targetIndex + names.size() : targetIndex;
                if (target < 0 || target >= names.size()) {
                    throw new MalformedDataException(file, "target column " + targetIndex + " is out of range for "
                            + names.size() + " columns");
                }
            }
        }

        private void row(List<String> cells, FloatBuilder x, List<Double> y) throws MalformedDataException {
            if (cells.size() != names.size()) {
                throw new MalformedDataException(file, "line " + lineNo + " has " + cells.size() + " columns, expected "
                        + names.size() + (header ? " as in the header" : " as in line 1"));
            }
            for (int c = 0; c < cells.size(); c++) {
                double v = number(cells.get(c), c);
                if (c == target) {
                    y.add(v);
                } else {
                    x.add((float) v);
                }
            }
        }

        private double number(String cell, int column) throws MalformedDataException {
            String where = "line " + lineNo + ", column " + (column + 1) + " ('" + names.get(column) + "')";
            if (cell.isEmpty()) {
                throw new MalformedDataException(file, where + ": empty cell; missing values are not supported");
            }
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw new MalformedDataException(file, where + ": '" + cell + "' is not a number", e);
            }
            if (column == target && targetType == DType.INT64 && (v != Math.rint(v) || Double.isInfinite(v))) {
                throw new MalformedDataException(file, where + ": target '" + cell + "' is not a whole-number class "
                        + "label (use targetType(FLOAT32) for regression targets)");
            }
            return v;
        }

        private CsvDataset finish(FloatBuilder x, List<Double> y) {
            List<String> featureNames = new ArrayList<>(names);
            featureNames.remove(target);
            int n = y.size();
            long[] labels = null;
            float[] values = null;
            if (targetType == DType.INT64) {
                labels = y.stream().mapToLong(Double::longValue).toArray();
            } else {
                values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = y.get(i).floatValue();
                }
            }
            return new CsvDataset(featureNames, x.toArray(), labels, values, n);
        }

        /** Splits one line at the delimiter, honouring double quotes ({@code ""} is a literal quote). */
        private List<String> split(String line) throws MalformedDataException {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == delimiter) {
                    cells.add(cell.toString().strip());
                    cell.setLength(0);
                } else {
                    cell.append(ch);
                }
            }
            if (quoted) {
                throw new MalformedDataException(file, "line " + lineNo + ": unterminated quote in column " + (cells.size() + 1));
            }
            cells.add(cell.toString().strip());
            return cells;
        }
    }

    /** A growable float array. */
    private static final class FloatBuilder {
        private float[] data = new float[1024];
        private int size;

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
