package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.Batched;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Zero;

/**
 * Equinox's {@code unvmap_any}: whether any element of a bool array holds, as a bool scalar, and under vmap
 * whether any element of any example holds, as a scalar that is not batched. A loop predicate reduced this way
 * stays unbatched under vmap, so a loop stops when no example continues and a {@code Lax.cond} on it skips its
 * branch for the whole batch instead of running both branches and selecting. Not differentiable (a bool result:
 * zero tangents); not linear.
 */
public record UnvmapAny() implements Primitive {

    /** Whether any element of {@code x} (bool) holds, over every example of every enclosing vmap. */
    public static Array of(Array x) {
        return Interpreters.bind1(new UnvmapAny(), x);
    }

    @Override
    public String name() {
        return "unvmap_any";
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        if (in.length != 1 || in[0].dtype() != DType.BOOL) {
            throw new IllegalArgumentException("unvmap_any: expects one bool array, got "
                    + java.util.Arrays.stream(in).map(Aval::str).toList());
        }
        return new Aval[] {new Aval(DType.BOOL, new int[0])};
    }

    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        boolean any = false;
        for (boolean b : in[0].bools()) {
            any |= b;
        }
        return new DenseArray[] {DenseArray.ofBools(new boolean[] {any})};
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Zero.like(outs[0])};
    }

    /** Any over the examples too: the batch axis is reduced with the rest, and the result is not batched. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        return Batched.of(of(vals[0]), Batched.NOT_BATCHED);
    }
}
