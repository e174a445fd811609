package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.Lax;

/** JAX's balanced tie rule for max and min, shared by both. */
final class Ties {
    private Ties() {}

    /** 1 where x is the result alone, 0.5 where x and y tie, 0 where y won: {@code select(x==z, select(y==z, .5, 1), 0)}. */
    static Array balancedEq(Array x, Array z, Array y) {
        Array one = Lax.fullLike(x, 1);
        return Lax.select(Lax.eq(x, z), Lax.select(Lax.eq(y, z), Lax.fullLike(x, 0.5), one), Lax.fullLike(x, 0));
    }
}
