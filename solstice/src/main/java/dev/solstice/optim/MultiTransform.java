package dev.solstice.optim;

import dev.solstice.tree.Tree;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The machinery behind {@link Combine#multiTransform}: one masked transformation per label, run in turn. */
final class MultiTransform {
    private static final String OP = "multiTransform";

    private MultiTransform() {}

    /** Labels a tree: one label per leaf position of {@code ref} (nulls counted), null where there is none. */
    interface Labelling {
        /** The labels of {@code ref}'s leaves; {@code op} names the operation in errors. */
        List<Object> labels(String op, Object ref);
    }

    static GradientTransformation<Combine.MultiTransformState> of(Map<String, ? extends GradientTransformation<?>> transforms,
            Labelling labelling) {
        Objects.requireNonNull(transforms, "transforms");
        Map<String, GradientTransformation<Masking.MaskedState>> groups = new TreeMap<>();
        transforms.forEach((group, t) -> groups.put(Objects.requireNonNull(group, "label"),
                LeafMasks.transform(OP, Objects.requireNonNull(t, "transformation of " + group),
                        (op, ref) -> flags(group, labelled(transforms, labelling, ref)), true)));
        return new GradientTransformation<>() {
            @Override
            public Combine.MultiTransformState init(Object params) {
                labelled(transforms, labelling, params);
                Map<String, Object> states = new TreeMap<>();
                groups.forEach((group, t) -> states.put(group, t.init(params)));
                return new Combine.MultiTransformState(Collections.unmodifiableMap(states));
            }

            @Override
            public Update<Combine.MultiTransformState> update(Object grads, Combine.MultiTransformState state, Object params) {
                if (state == null || state.innerStates() == null || !state.innerStates().keySet().equals(groups.keySet())) {
                    throw new IllegalArgumentException(OP + ": expected a MultiTransformState with the labels " + groups.keySet()
                            + ", got " + (state == null || state.innerStates() == null ? "none" : state.innerStates().keySet()));
                }
                Object u = grads;
                Map<String, Object> next = new TreeMap<>();
                for (var e : groups.entrySet()) {
                    Update<Masking.MaskedState> r = Transforms.update(e.getValue(), u, state.innerStates().get(e.getKey()), params);
                    u = r.updates();
                    next.put(e.getKey(), r.state());
                }
                return new Update<>(u, new Combine.MultiTransformState(Collections.unmodifiableMap(next)));
            }
        };
    }

    /** The labels of {@code ref}'s leaves, checked: every array leaf has a label naming a transformation. */
    private static List<Object> labelled(Map<String, ?> transforms, Labelling labelling, Object ref) {
        List<Object> labels = labelling.labels(OP, ref);
        List<Tree.PathObject> leaves = Tree.leavesWithPath(ref, Objects::isNull);
        for (int k = 0; k < leaves.size(); k++) {
            Object label = labels.get(k);
            if (leaves.get(k).leaf() != null && !(label instanceof String s && transforms.containsKey(s))) {
                throw new IllegalArgumentException(OP + ": the leaf at " + Leaves.describe(leaves.get(k).path()) + " has "
                        + (label == null ? "no label" : "the label \"" + label + "\", which names no transformation")
                        + "; the labels are " + new TreeMap<>(transforms).keySet()
                        + " (label a leaf to freeze with a transformation such as setToZero())");
            }
        }
        return labels;
    }

    private static boolean[] flags(String group, List<Object> labels) {
        boolean[] out = new boolean[labels.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = group.equals(labels.get(k));
        }
        return out;
    }
}
