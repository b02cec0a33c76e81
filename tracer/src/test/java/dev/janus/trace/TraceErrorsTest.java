package dev.janus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each construct the tracer refuses throws a TraceException naming it and its source line. */
class TraceErrorsTest {
    private static final Tensor X = Tensor.of(new float[] {1f, -2f, 3f});

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("putField", "@putfield", "a write to field TraceErrorModels.last of an object created before tracing"),
                Arguments.of("putStatic", "@putstatic", "a write to static field TraceErrorModels.calls"),
                Arguments.of("monitor", "@monitor", "a synchronized block"),
                Arguments.of("tryCatch", "@try", "inside a try block"),
                Arguments.of("print", "@print", "an I/O call PrintStream.println"),
                Arguments.of("file", "@file", "an I/O call Path.of"),
                Arguments.of("escapingLambda", "@lambda", "passed to library method"),
                Arguments.of("recordToString", "@record", "invokedynamic with bootstrap java.lang.runtime.ObjectMethods"),
                Arguments.of("throwOnData", "@throw", "a throw under a data-dependent condition"),
                Arguments.of("concatNumber", "@concat", "string concatenation with a data-dependent number"),
                Arguments.of("readValues", "@values", "needs the values of a tensor being traced"),
                Arguments.of("switchOnData", "@switch", "a switch on a data-dependent value"),
                Arguments.of("breakMidLoop", "@break-mid", "a data-dependent exit from a loop"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedConstruct_throwsNamingItAndItsLine(String method, String marker, String construct) {
        TraceException e = assertThrows(TraceException.class, () -> Tracer.trace(new TraceErrorModels(), method, X));
        String line = SourceLines.at("TraceErrorModels.java", marker);
        assertTrue(e.getMessage().contains(construct), e.getMessage());
        assertTrue(e.getMessage().contains(" at " + line + " "), line + " in: " + e.getMessage());
        assertEquals(SourceLines.lineOf("TraceErrorModels.java", marker), e.line());
    }

    static Stream<Arguments> refusedInDynamicLoops() {
        return Stream.of(
                Arguments.of("breakOnData", "@break", "a break or return under a data-dependent condition inside the "
                        + "data-dependent loop ("),
                Arguments.of("appendInLoop", "@append", "a change (add) to a Java ArrayList inside a data-dependent"),
                Arguments.of("appendTwice", "@append-twice", "a second append to one list in an iteration"),
                Arguments.of("sizeOfScanned", "@scanned-size", "a call of List.size on a list filled by a data-dependent "
                        + "loop"),
                Arguments.of("nullCarried", "@null-carried", "local variable 'last', which holds null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedInDynamicLoops")
    void refusedInsideADynamicLoop_throwsNamingTheLine(String method, String marker, String construct) {
        TraceException e = assertThrows(TraceException.class,
                () -> Tracer.trace(TraceOptions.defaults().dynamicScalars(1), new TraceErrorModels(), method, X, 3));
        String line = SourceLines.at("TraceErrorModels.java", marker);
        assertTrue(e.getMessage().contains(construct), e.getMessage());
        assertTrue(e.getMessage().contains(" at " + line + " "), line + " in: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedInsideAHelper_messageShowsTheCallChain(String method, String marker, String construct) {
        TraceException e = assertThrows(TraceException.class,
                () -> Tracer.trace((TraceErrorModels m, Tensor x) -> TraceErrorsTest.call(m, method, x),
                        new TraceErrorModels(), X));
        assertTrue(e.getMessage().contains("called from TraceErrorsTest.java:"), e.getMessage());
    }

    /** Calls one of the models by name, so the failing method is one call below the traced lambda. */
    static Tensor call(TraceErrorModels m, String method, Tensor x) {
        return switch (method) {
            case "putField" -> m.putField(x);
            case "putStatic" -> m.putStatic(x);
            case "monitor" -> m.monitor(x);
            case "tryCatch" -> m.tryCatch(x);
            case "print" -> m.print(x);
            case "file" -> m.file(x);
            case "escapingLambda" -> m.escapingLambda(x);
            case "recordToString" -> m.recordToString(x);
            case "throwOnData" -> m.throwOnData(x);
            case "concatNumber" -> m.concatNumber(x);
            case "readValues" -> m.readValues(x);
            case "breakMidLoop" -> m.breakMidLoop(x);
            default -> m.switchOnData(x);
        };
    }
}
