package dev.solstice.prim;

import dev.solstice.Array;

/** JAX's balanced tie rule for max and min, shared by both. */
final class Ties {
    private Ties() {}

    /** 1 where x is the result alone, 0.5 where x and y tie, 0 where y won: {@code select(x==z, select(y==z, .5, 1), 0)}. */
    static Array balancedEq(Array x, Array z, Array y) {
        Array one = Ops.fullLike(x, 1);
        return Ops.select(Ops.eq(x, z), Ops.select(Ops.eq(y, z), Ops.fullLike(x, 0.5), one), Ops.fullLike(x, 0));
    }
}
