package dev.janus.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV datasets: header, target column, quoting, and errors that name line and column. */
class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("data.csv"), text);
    }

    @Test
    void build_headerAndTargetByName() throws IOException {
        CsvDataset ds = CsvDataset.builder(csv("a,label,b\n1.5,2,3\n\n-4,0,5e1\n")).target("label").build();
        assertEquals(2, ds.size());
        assertEquals(List.of("a", "b"), ds.featureNames());
        Example e = ds.get(1);
        assertArrayEquals(new float[] {-4f, 50f}, e.input().toFloatArray());
        assertEquals(Shape.of(2), e.input().shape());
        assertEquals(DType.INT64, e.target().dtype());
        assertEquals(0L, e.target().itemLong());
    }

    @Test
    void build_noHeader_lastColumnIsTarget() throws IOException {
        CsvDataset ds = CsvDataset.builder(csv("1;2;7\n3;4;8\n")).header(false).delimiter(';').build();
        assertEquals(List.of("column 1", "column 2"), ds.featureNames());
        assertEquals(8L, ds.get(1).target().itemLong());
    }

    @Test
    void build_floatTargetByIndex_andQuotedCells() throws IOException {
        CsvDataset ds = CsvDataset.builder(csv("\"y\",\"x 1\",x2\n\"0.25\", 1 ,\"2\"\n")).target(0).targetType(DType.FLOAT32).build();
        assertEquals(List.of("x 1", "x2"), ds.featureNames());
        assertEquals(DType.FLOAT32, ds.get(0).target().dtype());
        assertEquals(0.25, ds.get(0).target().item());
        assertArrayEquals(new float[] {1f, 2f}, ds.get(0).input().toFloatArray());
    }

    @Test
    void loader_batchesCsvExamples() throws IOException {
        CsvDataset ds = CsvDataset.builder(csv("a,b,y\n1,2,0\n3,4,1\n5,6,0\n")).build();
        try (DataLoader<Example, Example> loader = DataLoader.ofExamples(ds).batchSize(2).seed(0).build()) {
            Example first = loader.iterator().next();
            assertEquals(Shape.of(2, 2), first.input().shape());
            assertArrayEquals(new long[] {0, 1}, first.target().toLongArray());
        }
    }

    private MalformedDataException malformed(String text, CsvDataset.Builder options) {
        MalformedDataException e = assertThrows(MalformedDataException.class, options::build);
        assertTrue(e.getMessage().contains("data.csv"), "names the file: " + e.getMessage());
        return e;
    }

    private MalformedDataException malformed(String text) throws IOException {
        return malformed(text, CsvDataset.builder(csv(text)));
    }

    private static void assertMentions(Exception e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void build_notANumber_namesLineAndColumn() throws IOException {
        assertMentions(malformed("a,b,y\n1,2,0\n1,abc,1\n"), "line 3, column 2 ('b')", "'abc' is not a number");
    }

    @Test
    void build_wrongWidth_namesLine() throws IOException {
        assertMentions(malformed("a,b,y\n1,2,0\n1,2\n"), "line 3 has 2 columns, expected 3");
    }

    @Test
    void build_emptyCell_namesLineAndColumn() throws IOException {
        assertMentions(malformed("a,b,y\n1,,0\n"), "line 2, column 2", "empty cell");
    }

    @Test
    void build_fractionalClassLabel_suggestsFloatTarget() throws IOException {
        assertMentions(malformed("a,y\n1,0.5\n"), "line 2, column 2 ('y')", "FLOAT32");
    }

    @Test
    void build_unknownTargetName_listsHeader() throws IOException {
        String text = "a,b\n1,2\n";
        assertMentions(malformed(text, CsvDataset.builder(csv(text)).target("label")), "'label'", "[a, b]");
    }

    @Test
    void build_emptyFileOrUnterminatedQuote_throw() throws IOException {
        assertMentions(malformed(""), "empty");
        assertMentions(malformed("a,b\n\"1,2\n"), "line 2", "unterminated quote");
    }
}
