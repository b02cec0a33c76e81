package dev.janus.trace;

import java.io.Serializable;

/**
 * A method of {@code R} with two arguments, named by a method reference ({@code Net::forward}) so that the tracer
 * can find its bytecode: the reference is serializable, and its {@link java.lang.invoke.SerializedLambda}
 * names the implementation class and method. See {@link Tracer#trace(TracedMethod2, Object, Object, Object)}.
 */
@FunctionalInterface
public interface TracedMethod2<R, A, B, O> extends Serializable {
    O apply(R receiver, A a, B b);
}
