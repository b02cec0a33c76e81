package dev.janus.trace;

import java.util.IdentityHashMap;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * One method's instructions in a form the interpreter indexes quickly, computed once and then read-only:
 * the instruction array, label positions, the source line of every instruction, which instructions a
 * try block covers, and (on first need) the control-flow analysis.
 */
final class MethodFacts {
    static final MethodFacts MISSING = new MethodFacts();

    final ClassNode owner;
    final MethodNode method;
    final AbstractInsnNode[] insns;
    private final Map<LabelNode, Integer> labels = new IdentityHashMap<>();
    private final int[] lines;
    private final boolean[] inTry;
    private volatile MethodAnalysis analysis;

    private MethodFacts() {
        owner = null;
        method = null;
        insns = new AbstractInsnNode[0];
        lines = new int[0];
        inTry = new boolean[0];
    }

    MethodFacts(ClassNode owner, MethodNode method) {
        this.owner = owner;
        this.method = method;
        this.insns = method.instructions.toArray();
        this.lines = new int[insns.length];
        this.inTry = new boolean[insns.length];
        int line = -1;
        for (int i = 0; i < insns.length; i++) {
            if (insns[i] instanceof LabelNode l) {
                labels.put(l, i);
            } else if (insns[i] instanceof LineNumberNode n) {
                line = n.line;
            }
            lines[i] = line;
        }
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            for (int i = index(t.start); i < index(t.end); i++) {
                inTry[i] = true;
            }
        }
    }

    boolean exists() {
        return method != null;
    }

    boolean isAbstractOrNative() {
        return (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0;
    }

    int index(LabelNode label) {
        return labels.get(label);
    }

    /** The source line of instruction {@code pc} (the line number entry before it), or -1. */
    int line(int pc) {
        return pc >= 0 && pc < lines.length ? lines[pc] : -1;
    }

    boolean inTry(int pc) {
        return pc >= 0 && pc < inTry.length && inTry[pc];
    }

    /** The name of local variable {@code var} at {@code pc} from the debug table, else {@code "local #var"}. */
    String localName(int var, int pc) {
        String any = null;
        if (method.localVariables != null) {
            for (LocalVariableNode v : method.localVariables) {
                if (v.index != var) {
                    continue;
                }
                if (index(v.start) <= pc && pc <= index(v.end)) {
                    return "'" + v.name + "'";
                }
                any = any == null ? "'" + v.name + "'" : any;
            }
        }
        return any != null ? any : "local #" + var;
    }

    /** The control-flow analysis, computed on first use (straight-line code never needs it). */
    MethodAnalysis analysis() {
        MethodAnalysis a = analysis;
        if (a == null) {
            synchronized (this) {
                if (analysis == null) {
                    analysis = new MethodAnalysis(this);
                }
                a = analysis;
            }
        }
        return a;
    }
}
