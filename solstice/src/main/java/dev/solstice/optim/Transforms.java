package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.tree.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pieces every transformation shares: running a transformation whose state type was lost, stateless
 * per-leaf transformations, state trees of the parameters' structure, and int32 step counts.
 */
final class Transforms {
    private Transforms() {}

    /**
     * {@link Optim#update}: {@code t.update} with a state held as {@code Object}, checked structurally first
     * ({@link StateCheck}): a state of another transformation or for other parameters is a clear error.
     */
    @SuppressWarnings("unchecked")
    static <S> Update<S> update(GradientTransformation<S> t, Object grads, Object state, Object params) {
        StateCheck.require(t, state, params != null ? params : grads);
        return t.update(grads, (S) state, params);
    }

    /** The updates of a transformation with no state, from the gradients and the parameters (maybe null). */
    interface TreeUpdate {
        /** The updates for {@code grads}. */
        Object apply(Object grads, Object params);
    }

    /** A transformation with no state ({@link Scaling.EmptyState}). */
    static GradientTransformation<Scaling.EmptyState> stateless(TreeUpdate fn) {
        return new GradientTransformation<>() {
            @Override
            public Scaling.EmptyState init(Object params) {
                return new Scaling.EmptyState();
            }

            @Override
            public Update<Scaling.EmptyState> update(Object grads, Scaling.EmptyState state, Object params) {
                return new Update<>(fn.apply(grads, params), state);
            }
        };
    }

    /** One non-null gradient leaf's update in a transformation with no state. */
    interface LeafUpdate {
        /** The update of gradient {@code g}. */
        Array apply(Array g);
    }

    /** A transformation with no state computing each non-null update from its gradient alone. */
    static GradientTransformation<Scaling.EmptyState> stateless(String op, LeafUpdate fn) {
        return stateless((grads, params) -> {
            Leaves z = Leaves.align(op, "grads", grads);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < z.size(); i++) {
                Array g = z.floating(0, i);
                out.add(g == null ? null : fn.apply(g));
            }
            return z.build(out);
        });
    }

    /**
     * A tree of the parameters' structure with {@code value} in place of every float leaf, of its shape and
     * dtype; null, integer and bool leaves get null (they are not optimised).
     */
    static Object filled(Object params, double value) {
        return filled(params, value, null);
    }

    /** {@link #filled(Object, double)} in {@code dtype} (each leaf's own dtype when null). */
    static Object filled(Object params, double value, DType dtype) {
        Tree.FlattenedWith f = Tree.flattenWith(params, Objects::isNull);
        List<Object> out = new ArrayList<>();
        for (Object o : f.leaves()) {
            out.add(o instanceof Array a && a.dtype().isFloating()
                    ? Jnp.full(dtype == null ? a.dtype() : dtype, value, a.shape()) : null);
        }
        return Tree.unflatten(f.def(), out);
    }

    /** A step count of 0 (int32 scalar). */
    static Array zeroCount() {
        return Array.scalar(0);
    }

    /** {@code count + 1}, saturating at the largest int32 (as Optax's safe increment). */
    static Array increment(Array count) {
        checkCount("optimiser state", count);
        return Jnp.where(Jnp.less(count, (double) Integer.MAX_VALUE), count.add(Array.scalar(1)), count);
    }

    /** Checks that a state's step count is an int32 scalar. */
    static Array checkCount(String op, Array count) {
        if (count == null || count.dtype() != DType.INT32 || count.ndim() != 0) {
            throw new IllegalArgumentException(op + ": the step count must be an int32 scalar, got "
                    + (count == null ? "null" : count.aval().str()));
        }
        return count;
    }

    /**
     * {@code 1 - decay^count} as {@code dtype}, computed with array operations so that it works under vmap.
     * Computed in at least float32 and rounded once, as Optax (whose {@code decay ** count} is float32): in
     * bfloat16 itself {@code 0.999} rounds to 1, and the correction would be 0.
     */
    static Array biasCorrection(double decay, Array count, DType dtype) {
        DType wide = DType.promote(dtype, DType.FLOAT32);
        return Jnp.subtract(1.0, Jnp.power(Jnp.full(wide, decay), count.astype(wide))).astype(dtype);
    }

    /** Whether an int32 scalar step count is being traced (has no values: inside jit or vmap). */
    static boolean isTraced(String op, Array count) {
        checkCount(op, count);
        try {
            count.item();
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /**
     * {@code Jnp.where(pred, a, b)} on every array leaf of two trees of one structure (states or updates);
     * null leaves stay null, other leaves must be equal and are kept.
     */
    static Object select(String op, Array pred, Object onTrue, Object onFalse) {
        Tree.FlattenedWith t = Tree.flattenWith(onTrue, Objects::isNull);
        Tree.FlattenedWith f = Tree.flattenWith(onFalse, Objects::isNull);
        if (!t.def().equals(f.def())) {
            throw new IllegalStateException(op + ": the new and the old tree differ in structure: " + t.def() + " vs "
                    + f.def());
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < t.leaves().size(); i++) {
            Object a = t.leaves().get(i);
            Object b = f.leaves().get(i);
            if (a instanceof Array x && b instanceof Array y) {
                out.add(Jnp.where(pred, x, y));
            } else if (Objects.equals(a, b)) {
                out.add(a);
            } else {
                throw new IllegalStateException(op + ": leaf " + i + " differs in kind between the new and the old tree: "
                        + a + " vs " + b);
            }
        }
        return Tree.unflatten(t.def(), out);
    }

    /**
     * The value of a step count, for Java code that branches on it ({@code multiSteps} with an {@code everyK}
     * function, {@code hasUpdated}); {@code hint} says what to do instead. Schedules do not need it: they read the count
     * as an array ({@link Schedule#at(Array)}), which traces.
     */
    static int concreteStep(String op, Array count, String hint) {
        checkCount(op, count);
        try {
            return (int) count.item();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(op + ": needs a concrete step count, but the count is being transformed ("
                    + e.getMessage() + "); " + hint, e);
        }
    }
}
