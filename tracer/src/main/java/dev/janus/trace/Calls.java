package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.trace.TraceValue.Concrete;
import dev.janus.trace.TraceValue.Sym;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Method calls met while interpreting: resolves the target as the JVM would (virtual calls from the
 * receiver's runtime class), then interprets user code recursively (inlining it into the graph) or hands
 * library code to {@link LibraryCalls}. Constructors are run, not interpreted.
 */
final class Calls {
    private Calls() {}

    static TraceValue invoke(Activation act, MethodInsnNode insn, List<TraceValue> args) {
        if (insn.name.equals("<init>")) {
            construct(act, insn, args);
            return null;
        }
        boolean isStatic = insn.getOpcode() == INVOKESTATIC;
        if (!isStatic) {
            TraceValue r = args.get(0);
            if (r instanceof TraceValue.Lambda l) {
                return Lambdas.call(act, l, insn, args);
            } else if (r instanceof Sym s) {
                return Boxes.onSymbolic(act, insn, s);
            } else if (r instanceof Concrete c && c.value() == null) {
                throw act.thrown(new NullPointerException("Cannot invoke \"" + Type.getObjectType(insn.owner).getClassName()
                        + "." + insn.name + "()\" because the receiver is null"));
            } else if (!(r instanceof Concrete)) {
                throw act.error("a call of " + insn.name + " on " + Values.describe(r), "");
            }
        } else if (Boxes.isValueOf(insn) && args.get(0) instanceof Sym s) {
            return new Sym(s.tensor(), s.kind(), true);
        }
        Class<?> owner = Reflect.load(insn.owner, act.loader(), false);
        if (Framework.isIo(owner)) { // before resolving: System.out may be any PrintStream subclass
            throw act.error("an I/O call " + owner.getSimpleName() + "." + insn.name, LibraryCalls.IO_FIX);
        }
        Method target = target(act, insn, owner, args);
        Class<?> declaring = target.getDeclaringClass();
        if (Framework.isUserCode(declaring)) {
            MethodFacts callee = ClassFiles.of(declaring).method(insn.name, insn.desc);
            if (!callee.exists() || callee.isAbstractOrNative()) {
                throw act.error("a call of " + declaring.getSimpleName() + "." + insn.name + " whose bytecode is missing "
                        + "(abstract or native)", "trace a method with a body");
            }
            return act.call(declaring, callee, args);
        }
        return LibraryCalls.execute(act, insn, owner, target, args);
    }

    /** The method a call runs: virtual calls resolve from the receiver's class, others from the named owner. */
    private static Method target(Activation act, MethodInsnNode insn, Class<?> owner, List<TraceValue> args) {
        int op = insn.getOpcode();
        Method m;
        if (op == INVOKEVIRTUAL || op == INVOKEINTERFACE) {
            Object receiver = ((Concrete) args.get(0)).value();
            m = Reflect.implementation(receiver.getClass(), insn.name, insn.desc);
        } else {
            m = Reflect.method(owner, insn.name, insn.desc);
        }
        if (m == null) {
            throw act.error("a call of " + owner.getSimpleName() + "." + insn.name + insn.desc + " that resolves to no "
                    + "method", "the classes changed since the caller was compiled; rebuild");
        }
        return m;
    }

    private static void construct(Activation act, MethodInsnNode insn, List<TraceValue> args) {
        if (!(args.get(0) instanceof TraceValue.Uninit u)) {
            throw act.error("a constructor call on an existing object (super(...) or this(...))", "the tracer runs "
                    + "constructors as a whole; trace a method, not a constructor");
        }
        Object o = newInstance(act, Reflect.load(insn.owner, act.loader(), false), insn.desc, args.subList(1, args.size()));
        u.instance = o;
        u.constructed = true;
        act.session.created(o);
    }

    /** Runs constructor {@code desc} of {@code c} on concrete (or tensor) arguments. */
    static Object newInstance(Activation act, Class<?> c, String desc, List<TraceValue> args) {
        ScannedLists.refuseCopy(act, "new " + c.getSimpleName(), args);
        Constructor<?> k = Reflect.constructor(c, desc);
        Object[] values = LibraryCalls.javaArgs(act, "new " + c.getSimpleName(), k.getParameterTypes(), args);
        try {
            return k.newInstance(values);
        } catch (InvocationTargetException e) {
            throw act.thrown(e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw act.error("a constructor call of " + c.getName() + " that reflection refuses (" + e + ")", "", e);
        }
    }
}
