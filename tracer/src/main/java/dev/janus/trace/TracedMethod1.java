package dev.janus.trace;

import java.io.Serializable;

/**
 * A method of {@code R} with one argument, named by a method reference ({@code Net::forward}) so that the tracer
 * can find its bytecode: the reference is serializable, and its {@link java.lang.invoke.SerializedLambda}
 * names the implementation class and method. See {@link Tracer#trace(TracedMethod1, Object, Object)}.
 */
@FunctionalInterface
public interface TracedMethod1<R, A, O> extends Serializable {
    O apply(R receiver, A a);
}
