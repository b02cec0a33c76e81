package dev.janus.trace;

/**
 * Traces a Java method into a graph by interpreting its bytecode: tensor ops become graph nodes, calls into
 * user code are inlined, Java {@code if}s and loops on values known now are followed (loops unroll), and
 * those on tensor data become graph {@code if} and {@code loop} nodes. Every node carries the source line it
 * came from. See {@code docs/tracing.md} for what is supported.
 *
 * <pre>{@code
 * TracedFunction<Tensor> f = Tracer.trace(Net::forward, net, x);   // traced once, on x's dtype and shape
 * Tensor y = f.call(x2);                                           // runs the graph
 *
 * TracedFunction<Object> g = Tracer.trace(TraceOptions.defaults().dynamicDims(0, 0), net, "forward", x);
 * }</pre>
 */
public final class Tracer {
    private Tracer() {}

    /** Traces {@code receiver.methodName(exampleArgs...)} (a static method when {@code receiver} is a Class). */
    public static TracedFunction<Object> trace(Object receiver, String methodName, Object... exampleArgs) {
        return trace(TraceOptions.defaults(), receiver, methodName, exampleArgs);
    }

    public static TracedFunction<Object> trace(TraceOptions options, Object receiver, String methodName,
            Object... exampleArgs) {
        return new TracedFunction<>(TraceTarget.byName(receiver, methodName, exampleArgs), options, exampleArgs);
    }

    /** Traces {@code method} (a method reference such as {@code Net::forward}, or a lambda) on {@code receiver}. */
    public static <R, A, O> TracedFunction<O> trace(TracedMethod1<R, A, O> method, R receiver, A a) {
        return trace(TraceOptions.defaults(), method, receiver, a);
    }

    public static <R, A, O> TracedFunction<O> trace(TraceOptions options, TracedMethod1<R, A, O> method, R receiver,
            A a) {
        return new TracedFunction<>(TraceTarget.byReference(method, receiver), options, new Object[] {a});
    }

    public static <R, A, B, O> TracedFunction<O> trace(TracedMethod2<R, A, B, O> method, R receiver, A a, B b) {
        return trace(TraceOptions.defaults(), method, receiver, a, b);
    }

    public static <R, A, B, O> TracedFunction<O> trace(TraceOptions options, TracedMethod2<R, A, B, O> method,
            R receiver, A a, B b) {
        return new TracedFunction<>(TraceTarget.byReference(method, receiver), options, new Object[] {a, b});
    }

    public static <R, A, B, C, O> TracedFunction<O> trace(TracedMethod3<R, A, B, C, O> method, R receiver, A a, B b,
            C c) {
        return trace(TraceOptions.defaults(), method, receiver, a, b, c);
    }

    public static <R, A, B, C, O> TracedFunction<O> trace(TraceOptions options, TracedMethod3<R, A, B, C, O> method,
            R receiver, A a, B b, C c) {
        return new TracedFunction<>(TraceTarget.byReference(method, receiver), options, new Object[] {a, b, c});
    }
}
