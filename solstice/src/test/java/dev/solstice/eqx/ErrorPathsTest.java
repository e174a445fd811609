package dev.solstice.eqx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Error messages that name where in a tree the problem is. The transformations walk trees without building a
 * path per node while all is well and find the offending node again with paths only to report it; these are
 * the whole messages, so a path lost on the way (or one built wrongly) fails here.
 */
class ErrorPathsTest {

    record Layer(Array w, int width) {}

    record Model(Layer layer, List<Object> rest) {}

    private static Model model(int width, String tag) {
        return new Model(new Layer(Array.of(1.0, 2.0), width), Arrays.asList(Array.of(1.0), tag));
    }

    @Test
    void anUpdateForAStaticValueIsRefusedAtItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.applyUpdates(model(3, "tag"), model(3, "other")));
        assertEquals("applyUpdates: the update gives String other at rest[1], where the model has the non-array value"
                + " String tag; non-array values are static and have no update, so give null there (to differentiate"
                + " or train a number, make it an array with Array.scalar)", e.getMessage());
    }

    @Test
    void aCotangentForAStaticRecordComponentIsRefusedAtItsPath() {
        Model m = model(3, "tag");
        Model cotangent = new Model(new Layer(Array.of(1.0, 2.0), 5), Arrays.asList(null, "tag"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.filterVjp((Model x) -> x, m).pullback().apply(cotangent));
        assertEquals("filterVjp: the cotangent gives Integer 5 at layer.width, where the output has the non-array"
                + " value Integer 3; non-array values are static and have no cotangent, so give null there (to"
                + " differentiate or train a number, make it an array with Array.scalar)", e.getMessage());
    }

    @Test
    void aNumberReturnedFromATransformedFunctionIsNamedAtItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.jvp((Array x) -> List.of(x, 3), Array.of(1.0), Array.of(1.0)));
        assertEquals("jvp: the function must return an array or a tree of arrays; found Integer 3 at [1]. Wrap"
                + " numbers with Array.scalar(...)", e.getMessage());
    }

    @Test
    void anIntegerLeafIsNamedWhenDifferentiating() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.grad((List<Array> l) -> l.get(0).sum()).apply(List.of(Array.of(1.0), Array.of(1))));
        assertEquals("grad: cannot differentiate with respect to leaf [1] of int32[1]; only float32 and float64"
                + " arrays have derivatives (convert with astype(DType.FLOAT64), close over the value instead, or use"
                + " Eqx's filtered transformations)", e.getMessage());
    }

    @Test
    void inconsistentBatchSizesNameEachInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap((List<Array> l) -> l.get(0).add(l.get(1).sum()))
                        .apply(List.of(Jnp.ones(DType.FLOAT64, 3, 2), Jnp.ones(DType.FLOAT64, 4))));
        assertEquals("vmap: inconsistent batch sizes: input [0] axis 0 has size 3, input [1] axis 0 has size 4",
                e.getMessage());
    }
}
