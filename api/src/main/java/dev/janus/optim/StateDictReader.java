package dev.janus.optim;

import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an optimizer state dict against the optimizer it is loaded into, collecting every problem before
 * anything is changed (the layout is described on {@link Optimizer}).
 */
final class StateDictReader {
    private final String type;
    private final List<String> problems = new ArrayList<>();
    private Map<?, ?> options = Map.of();
    private final List<Map<?, ?>> groups = new ArrayList<>();
    private final Map<Integer, Map<?, ?>> state = new LinkedHashMap<>();

    StateDictReader(String type, Map<String, ?> dict, List<ParamGroup> own, Map<String, Object> ownOptions) {
        this.type = type;
        if (!type.equals(dict.get("type"))) {
            problems.add("the dict is from optimizer '" + dict.get("type") + "'");
        }
        readOptions(dict.get("options"), ownOptions);
        readGroups(dict.get("param_groups"), own);
        List<Tensor> params = new ArrayList<>();
        own.forEach(g -> params.addAll(g.params()));
        readState(dict.get("state"), params);
    }

    private void readOptions(Object o, Map<String, Object> ownOptions) {
        if (!(o instanceof Map<?, ?> m)) {
            problems.add("'options' is missing");
            return;
        }
        options = m;
        requireNumber(m, "lr", "options");
        requireNumber(m, "weight_decay", "options");
        for (Map.Entry<String, Object> e : ownOptions.entrySet()) {
            Object v = m.get(e.getKey());
            boolean fits = e.getValue() instanceof Boolean ? v instanceof Boolean : v instanceof Number;
            if (!fits) {
                problems.add("option '" + e.getKey() + "' is " + v + ", expected a " + e.getValue().getClass().getSimpleName());
            }
        }
    }

    private void readGroups(Object o, List<ParamGroup> own) {
        if (!(o instanceof List<?> list) || list.size() != own.size()) {
            problems.add("'param_groups' should list " + own.size() + " groups, got "
                    + (o instanceof List<?> l ? l.size() : String.valueOf(o)));
            return;
        }
        for (int k = 0; k < own.size(); k++) {
            if (!(list.get(k) instanceof Map<?, ?> g)) {
                problems.add("param group " + k + " is not a map");
                continue;
            }
            groups.add(g);
            requireNumber(g, "lr", "param group " + k);
            requireNumber(g, "weight_decay", "param group " + k);
            int n = g.get("params") instanceof List<?> ids ? ids.size() : -1;
            if (n != own.get(k).params().size()) {
                problems.add("param group " + k + " has " + n + " parameters in the dict but " + own.get(k).params().size()
                        + " in the optimizer");
            }
        }
    }

    private void readState(Object o, List<Tensor> params) {
        if (!(o instanceof Map<?, ?> m)) {
            problems.add("'state' is missing");
            return;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int i = e.getKey() instanceof Number n ? n.intValue() : -1;
            if (i < 0 || i >= params.size() || !(e.getValue() instanceof Map<?, ?> s)) {
                problems.add("state entry '" + e.getKey() + "' is not a map for a parameter index below " + params.size());
                continue;
            }
            readParamState(i, s, params.get(i));
        }
    }

    private void readParamState(int i, Map<?, ?> s, Tensor p) {
        for (Map.Entry<?, ?> e : s.entrySet()) {
            String where = "state of parameter " + i + ", '" + e.getKey() + "'";
            if ("step".equals(e.getKey())) {
                if (!(e.getValue() instanceof Number)) {
                    problems.add(where + " is not a number");
                }
            } else if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Tensor t)) {
                problems.add(where + " is not a named tensor");
            } else if (!t.shape().equals(p.shape())) {
                problems.add(where + " has shape " + t.shape() + " but the parameter has " + p.shape());
            }
        }
        if (!(s.get("step") instanceof Number)) {
            problems.add("state of parameter " + i + " has no 'step'");
        }
        state.put(i, s);
    }

    private void requireNumber(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof Number)) {
            problems.add(where + " has no number '" + key + "'");
        }
    }

    /** Throws one exception naming every problem found. */
    void check() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict into " + type + ": " + String.join("; ", problems));
        }
    }

    Map<?, ?> options() {
        return options;
    }

    List<Map<?, ?>> groups() {
        return groups;
    }

    Map<Integer, Map<?, ?>> state() {
        return state;
    }

    static double number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    static boolean flag(Map<?, ?> m, String key) {
        return (Boolean) m.get(key);
    }
}
