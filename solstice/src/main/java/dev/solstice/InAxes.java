package dev.solstice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * vmap's in axes, one per argument (JAX's {@code in_axes} tuple): each an {@code Integer} axis, {@code null} (not
 * batched), an {@link IfArray}, or a tree with those at its leaves that is a prefix of the argument's structure.
 * {@code InAxes.of(null, 0, 0)} batches the second and third arguments along axis 0 and passes the first to every
 * example whole; {@code List.of(null, 0, 0)} throws a {@code NullPointerException}, which is why this type exists.
 * {@link #none()} batches no argument (give the batch size then).
 *
 * {@snippet lang=java :
 * BiFunction<Array, Array, Array> dot = (w, x) -> Jnp.sum(w.mul(x));
 * Array xs = Array.of(new double[] {1, 2, 3, 4}, 2, 2);   // two examples
 * Jax.vmap(dot, InAxes.of(null, 0), 0).apply(Array.of(1.0, 10.0), xs)   // [21.0, 43.0]
 * }
 */
public final class InAxes {
    private final List<Object> axes;

    private InAxes(List<Object> axes) {
        this.axes = axes;
    }

    /**
     * One spec per argument, {@code null} allowed (a lone {@code InAxes.of(null)} is one unbatched argument).
     *
     * {@snippet lang=java :
     * InAxes.of(null, 0, 1).axes(3).toString()   // [null, 0, 1]
     * }
     */
    public static InAxes of(Object... axes) {
        return new InAxes(Collections.unmodifiableList(new ArrayList<>(axes == null ? Arrays.asList((Object) null)
                : Arrays.asList(axes))));
    }

    /**
     * No argument batched, for any number of arguments.
     *
     * {@snippet lang=java :
     * BiFunction<Array, Array, Array> add = (a, b) -> a.add(b);
     * Jax.vmap(add, InAxes.none(), 0, 3).apply(Array.scalar(1.0), Array.scalar(2.0))   // [3.0, 3.0, 3.0]
     * }
     */
    public static InAxes none() {
        return new InAxes(null);
    }

    /**
     * The specs, one per argument ({@code null} entries allowed); for {@link #none()}, {@code arity} nulls.
     *
     * {@snippet lang=java :
     * InAxes.none().axes(2).toString()    // [null, null]
     * }
     */
    public List<Object> axes(int arity) {
        return axes == null ? Arrays.asList(new Object[arity]) : axes;
    }

    /** The spec of each argument of a function of {@code arity} arguments, checked against it. */
    Object[] forArity(String op, int arity) {
        List<Object> a = axes(arity);
        if (a.size() != arity) {
            throw new IllegalArgumentException(op + ": in axes " + this + " give " + a.size() + " specs for a function of "
                    + arity + " argument" + (arity == 1 ? "" : "s"));
        }
        return a.toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InAxes i && java.util.Objects.equals(i.axes, axes);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(axes);
    }

    @Override
    public String toString() {
        return axes == null ? "InAxes.none()" : "InAxes" + axes;
    }
}
