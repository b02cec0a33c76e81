package dev.janus.nn;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A list of submodules registered as {@code 0, 1, ...}, so their parameters are named {@code blocks.0.weight}
 * and so on. It has no forward of its own: iterate it.
 *
 * <pre>{@code
 * final ModuleList blocks = new ModuleList(new Linear(8, 8), new Linear(8, 8));
 * public Tensor forward(Tensor x) { for (Module b : blocks) { x = b.forward(x).relu(); } return x; }
 * }</pre>
 */
public class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> modules = new ArrayList<>();

    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends {@code m} under the next index and returns this. */
    public ModuleList add(Module m) {
        if (m == null) {
            throw new IllegalArgumentException("ModuleList cannot hold null (index " + modules.size() + ")");
        }
        registerModule(Integer.toString(modules.size()), m);
        modules.add(m);
        return this;
    }

    public Module get(int i) {
        return modules.get(i);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return Collections.unmodifiableList(modules).iterator();
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("ModuleList has no forward; iterate over its " + modules.size()
                + " modules instead");
    }

    @Override
    protected String describe() {
        return "ModuleList(" + modules.size() + ")";
    }
}
