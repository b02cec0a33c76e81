package dev.janus.trace;

import dev.janus.trace.TraceValue.Sym;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Boxing of symbolic numbers: {@code Integer.valueOf(n)} and {@code n.intValue()} keep the number symbolic,
 * so generic code ({@code List<Integer>}, lambdas over boxed types) passes them along.
 */
final class Boxes {
    private Boxes() {}

    private static boolean isBox(String owner) {
        return switch (owner) {
            case "java/lang/Integer", "java/lang/Long", "java/lang/Float", "java/lang/Double", "java/lang/Number",
                    "java/lang/Short", "java/lang/Byte" -> true;
            default -> false;
        };
    }

    /** True for {@code Integer.valueOf(int)} and its siblings. */
    static boolean isValueOf(MethodInsnNode insn) {
        return insn.getOpcode() == Opcodes.INVOKESTATIC && insn.name.equals("valueOf") && isBox(insn.owner)
                && Type.getArgumentTypes(insn.desc).length == 1
                && Type.getArgumentTypes(insn.desc)[0].getSort() != Type.OBJECT;
    }

    /** A call on a boxed symbolic number: only the {@code xxxValue()} unboxing methods are followed. */
    static TraceValue onSymbolic(Activation act, MethodInsnNode insn, Sym s) {
        if (isBox(insn.owner) && insn.name.endsWith("Value") && Type.getArgumentTypes(insn.desc).length == 0) {
            char kind = Values.kindOf(Type.getReturnType(insn.desc));
            return new Sym(kind == s.kind() ? s.tensor() : s.tensor().cast(Sym.dtypeOf(kind)), kind);
        }
        throw act.error("a call of " + insn.name + " on a data-dependent number", "only unboxing (intValue(), "
                + "doubleValue()...) is followed; compute with tensor ops instead");
    }
}
