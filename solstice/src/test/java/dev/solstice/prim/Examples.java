package dev.solstice.prim;

import dev.solstice.core.Primitive;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The example operands of the primitive contract test, keyed by primitive class and gathered from one small
 * file per family. The contract test finds the primitive classes by scanning the compiled package, so a
 * primitive class without an entry here (and without an exemption in {@link PrimitiveContractTest}) fails.
 */
final class Examples {

    /** Every primitive class that has examples, each with the supplier of its examples. */
    static final Map<Class<? extends Primitive>, Supplier<List<Example>>> REGISTRY = merge(
            UnaryExamples.all(), BinaryExamples.all(), BitsExamples.all(), ReductionExamples.all(),
            ShapeExamples.all(), IndexingExamples.all(), WindowExamples.all(),
            CheckExamples.all(), SortExamples.all(), LinalgExamples.all(), SpecialExamples.all());

    private Examples() {}

    /** The examples of primitive class {@code c}, or null if the registry has none. */
    static List<Example> of(Class<?> c) {
        Supplier<List<Example>> s = REGISTRY.get(c);
        return s == null ? null : s.get();
    }

    /** A registry entry, typed so that the family files can list theirs with {@link Map#ofEntries}. */
    static Map.Entry<Class<? extends Primitive>, Supplier<List<Example>>> entry(Class<? extends Primitive> c,
            Supplier<List<Example>> examples) {
        return Map.entry(c, examples);
    }

    @SafeVarargs
    private static Map<Class<? extends Primitive>, Supplier<List<Example>>> merge(
            Map<Class<? extends Primitive>, Supplier<List<Example>>>... families) {
        Map<Class<? extends Primitive>, Supplier<List<Example>>> all = new HashMap<>();
        for (Map<Class<? extends Primitive>, Supplier<List<Example>>> f : families) {
            for (Map.Entry<Class<? extends Primitive>, Supplier<List<Example>>> e : f.entrySet()) {
                if (all.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalStateException(e.getKey().getSimpleName() + " has examples in two family files");
                }
            }
        }
        return Map.copyOf(all);
    }
}
