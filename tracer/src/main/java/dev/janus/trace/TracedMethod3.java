package dev.janus.trace;

import java.io.Serializable;

/**
 * A method of {@code R} with three arguments, named by a method reference ({@code Net::forward}) so that the tracer
 * can find its bytecode: the reference is serializable, and its {@link java.lang.invoke.SerializedLambda}
 * names the implementation class and method. See {@link Tracer#trace(TracedMethod3, Object, Object, Object, Object)}.
 */
@FunctionalInterface
public interface TracedMethod3<R, A, B, C, O> extends Serializable {
    O apply(R receiver, A a, B b, C c);
}
