package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.trace.TraceValue.Concrete;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * {@code invokedynamic}: lambdas and method references become {@link TraceValue.Lambda} values whose calls
 * are resolved like ordinary calls to their implementation (so a lambda in user code is interpreted); string
 * concatenation of concrete values is computed. Other bootstrap methods are refused.
 */
final class Lambdas {
    private Lambdas() {}

    private static final String LAMBDA_FACTORY = "java/lang/invoke/LambdaMetafactory";
    private static final String CONCAT_FACTORY = "java/lang/invoke/StringConcatFactory";

    static TraceValue invokedynamic(Activation act, InvokeDynamicInsnNode insn, List<TraceValue> args) {
        String bsm = insn.bsm.getOwner();
        if (bsm.equals(LAMBDA_FACTORY) && insn.bsmArgs.length >= 2 && insn.bsmArgs[1] instanceof Handle impl) {
            return new TraceValue.Lambda(Type.getReturnType(insn.desc), insn.name, impl, List.copyOf(args),
                    act.location().toString());
        } else if (bsm.equals(CONCAT_FACTORY) && insn.bsm.getName().equals("makeConcatWithConstants")) {
            return concat(act, insn, args);
        }
        throw act.error("an invokedynamic with bootstrap " + bsm.replace('/', '.') + "." + insn.bsm.getName(),
                "the tracer follows lambdas, method references and string concatenation only; write the construct "
                        + "(a switch on strings or patterns, a record's toString) outside the traced code");
    }

    /** Calls the lambda's functional method: its implementation on the captured values and the arguments. */
    static TraceValue call(Activation act, TraceValue.Lambda l, MethodInsnNode insn, List<TraceValue> args) {
        if (!insn.name.equals(l.samName())) {
            throw act.error("a call of " + insn.name + " on a lambda (created at " + l.createdAt() + ")", "only its "
                    + "functional method " + l.samName() + " can be traced");
        }
        List<TraceValue> all = new ArrayList<>(l.captured());
        all.addAll(args.subList(1, args.size()));
        Handle h = l.impl();
        TraceValue result;
        if (h.getTag() == H_NEWINVOKESPECIAL) {
            Object o = Calls.newInstance(act, Reflect.load(h.getOwner(), act.loader(), false), h.getDesc(), all);
            act.session.created(o);
            result = Concrete.ref(o);
        } else {
            Type[] params = Type.getArgumentTypes(h.getDesc());
            int offset = h.getTag() == H_INVOKESTATIC ? 0 : 1;
            for (int i = 0; i < params.length; i++) {
                all.set(i + offset, Values.adapt(all.get(i + offset), params[i]));
            }
            MethodInsnNode direct = new MethodInsnNode(opcode(h.getTag()), h.getOwner(), h.getName(), h.getDesc(),
                    h.isInterface());
            result = Calls.invoke(act, direct, all);
        }
        Type ret = Type.getReturnType(insn.desc);
        return ret.getSort() == Type.VOID ? null : Values.adapt(result, ret);
    }

    private static int opcode(int tag) {
        return switch (tag) {
            case H_INVOKESTATIC -> INVOKESTATIC;
            case H_INVOKEINTERFACE -> INVOKEINTERFACE;
            case H_INVOKESPECIAL -> INVOKESPECIAL;
            default -> INVOKEVIRTUAL;
        };
    }

    /** {@code "a" + x + "b"}: the recipe marks arguments with \1 and constants with \2. */
    private static TraceValue concat(Activation act, InvokeDynamicInsnNode insn, List<TraceValue> args) {
        String recipe = (String) insn.bsmArgs[0];
        Type[] types = Type.getArgumentTypes(insn.desc);
        StringBuilder sb = new StringBuilder();
        int arg = 0;
        int constant = 1;
        for (char ch : recipe.toCharArray()) {
            if (ch == '\u0001') {
                TraceValue v = args.get(arg);
                if (!(v instanceof Concrete c)) {
                    throw act.error("string concatenation with " + Values.describe(v), "its value is known only when "
                            + "the graph runs; build the string outside the traced code");
                }
                sb.append(Reflect.toJava(c.value(), Reflect.classOf(types[arg], act.loader())));
                arg++;
            } else if (ch == '\u0002') {
                sb.append(insn.bsmArgs[constant++]);
            } else {
                sb.append(ch);
            }
        }
        return Concrete.ref(sb.toString());
    }
}
