package dev.solstice.dtypes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jnp;
import dev.solstice.ValueAndGrad;
import dev.solstice.tree.Tree;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Trees with float16, bfloat16, int8, uint8, uint32 and int64 leaves through Equinox's filtered transformations
 * (the half floats are inexact and get gradients; the integers are left out) and Tree.ravel (JAX's
 * ravel_pytree: the leaves' common dtype by promotion alone). Oracles: closed-form derivatives rounded to the
 * leaf's dtype, and JAX's promotion table.
 */
class NewDTypesTreeTest {
    /** A model with one leaf of every new dtype. */
    record Mixed(Array h, Array b, Array i8, Array u8, Array i64, Array u32) {}

    private static Mixed mixed() {
        return new Mixed(Array.of(DType.FLOAT16, new double[] {0.5, -1.25, 2}, 3),
                Array.of(DType.BFLOAT16, new double[] {1.5, 3}, 2),
                Array.of(new long[] {-3, 7}, 2).astype(DType.INT8),
                Array.of(new long[] {200, 4}, 2).astype(DType.UINT8),
                Array.of(new long[] {1L << 40}, 1).astype(DType.INT64),
                Array.of(new long[] {4000000000L}, 1).astype(DType.UINT32));
    }

    /** sum(h^2) + sum(b^3) + the integers (which carry no derivative), in float32. */
    private static Array loss(Mixed m) {
        Array ints = Jnp.sum(m.i8().astype(DType.FLOAT32)).add(Jnp.sum(m.u8().astype(DType.FLOAT32)))
                .add(Jnp.sum(m.i64().astype(DType.FLOAT32)));
        return Jnp.sum(Jnp.square(m.h())).astype(DType.FLOAT32)
                .add(Jnp.sum(m.b().mul(m.b()).mul(m.b())).astype(DType.FLOAT32)).add(ints);
    }

    private static double[] rounded(DType t, double... v) {
        return Array.of(t, v, v.length).toDoubleArray();
    }

    @Test
    void filterGradDifferentiatesTheHalfFloatsOnly() {
        Mixed g = Eqx.filterGrad(NewDTypesTreeTest::loss).apply(mixed());
        assertEquals(DType.FLOAT16, g.h().dtype());
        assertEquals(DType.BFLOAT16, g.b().dtype());
        assertArrayEquals(rounded(DType.FLOAT16, 1, -2.5, 4), g.h().toDoubleArray(), 0.0);
        assertArrayEquals(rounded(DType.BFLOAT16, 3 * 1.5 * 1.5, 27), g.b().toDoubleArray(), 0.0);
        assertNull(g.i8());
        assertNull(g.u8());
        assertNull(g.i64());
        assertNull(g.u32());
        assertTrue(Eqx.isInexactArray(mixed().h()) && Eqx.isInexactArray(mixed().b()));
        assertTrue(!Eqx.isInexactArray(mixed().i8()) && !Eqx.isInexactArray(mixed().i64()));
    }

    @Test
    void filterValueAndGradAndPartitionSplitByInexactness() {
        ValueAndGrad<Mixed> vg = Eqx.filterValueAndGrad(NewDTypesTreeTest::loss).apply(mixed());
        assertEquals(DType.FLOAT32, vg.value().dtype());
        double want = 0.25 + 1.5625 + 4 + 3.375 + 27 + (-3 + 7) + (200 + 4) + Math.pow(2, 40);
        assertEquals((float) want, vg.value().item(), Math.ulp((float) want));
        assertEquals(DType.BFLOAT16, vg.grad().b().dtype());

        Eqx.Partitioned<Mixed> p = Eqx.partition(mixed(), Eqx::isInexactArray);
        assertNull(p.matching().i8());
        assertNull(p.rest().h());
        assertEquals(DType.UINT32, p.rest().u32().dtype());
        Mixed back = Eqx.combine(p.matching(), p.rest());
        assertEquals(4000000000L, back.u32().toLongArray()[0]);
        assertEquals(1L << 40, back.i64().toLongArray()[0]);
    }

    @Test
    void filterJitGivesTheEagerBitsForEveryDtype() {
        Function<Mixed, Mixed> step = m -> new Mixed(Jnp.tanh(m.h()).mul(3.0), m.b().mul(m.b()).add(0.1),
                m.i8().mul(m.i8()), m.u8().add(m.u8()), m.i64().mul(m.i64().astype(DType.INT64)).add(m.i64()),
                m.u32().add(m.u32()));
        Mixed eager = step.apply(mixed());
        Mixed jitted = Eqx.filterJit(step).apply(mixed());
        List<Array> e = Tree.leaves(eager);
        List<Array> j = Tree.leaves(jitted);
        assertEquals(e.size(), j.size());
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).dtype(), j.get(i).dtype());
            assertArrayEquals(e.get(i).toDoubleArray(), j.get(i).toDoubleArray(), 0.0, "leaf " + i);
        }
        // wrap-around, as JAX: int8 (-3)^2 = 9, 7^2 = 49; uint8 200 + 200 = 144; uint32 2 * 4e9 mod 2^32
        assertArrayEquals(new long[] {9, 49}, jitted.i8().toLongArray());
        assertArrayEquals(new long[] {144, 8}, jitted.u8().toLongArray());
        assertArrayEquals(new long[] {(8000000000L) % (1L << 32)}, jitted.u32().toLongArray());
    }

    @Test
    void branchedErrorIfTakesAnIndexOfAnyIntegerDtype() {
        for (DType t : new DType[] {DType.INT8, DType.UINT8, DType.INT64, DType.UINT32}) {
            Array index = Array.of(new long[] {1}, 1).reshape().astype(t);
            dev.solstice.EqxRuntimeError e = org.junit.jupiter.api.Assertions.assertThrows(dev.solstice.EqxRuntimeError.class,
                    () -> Eqx.branchedErrorIf(Array.of(1.0), Array.scalar(true), index, List.of("first", "second")));
            assertTrue(e.getMessage().contains("second"), t + ": " + e.getMessage());
        }
    }

    @Test
    void ravelPromotesTheLeavesAloneAsRavelPytree() {
        assertEquals(DType.BFLOAT16, Tree.ravel(List.of(Jnp.ones(DType.BFLOAT16, 2), Jnp.ones(DType.BFLOAT16, 1))).flat().dtype());
        assertEquals(DType.FLOAT16, Tree.ravel(List.of(Jnp.ones(DType.FLOAT16, 2), Array.of(3).astype(DType.INT8))).flat().dtype());
        assertEquals(DType.FLOAT32, Tree.ravel(List.of(Jnp.ones(DType.FLOAT16, 2), Jnp.ones(DType.BFLOAT16, 2))).flat().dtype());
        assertEquals(DType.INT64, Tree.ravel(List.of(Array.of(1, 2), Array.of(3).astype(DType.UINT32))).flat().dtype());
        assertEquals(DType.INT32, Tree.ravel(List.of(Array.of(1).astype(DType.UINT8), Array.of(3).astype(DType.INT8))).flat().dtype());
        assertEquals(DType.FLOAT32, Tree.ravel(List.of()).flat().dtype());

        Mixed m = mixed();
        Tree.Raveled<Mixed> r = Tree.ravel(m);
        // float16 with bfloat16 is float32 (JAX's lattice), which holds every leaf here exactly except 2^40 (exact too)
        assertEquals(DType.FLOAT32, r.flat().dtype());
        assertArrayEquals(new double[] {0.5, -1.25, 2, 1.5, 3, -3, 7, 200, 4, Math.pow(2, 40), 4e9},
                r.flat().toDoubleArray(), 0.0);
        Mixed back = r.unravel().apply(r.flat());
        List<Array> before = Tree.leaves(m);
        List<Array> after = Tree.leaves(back);
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).dtype(), after.get(i).dtype());
            assertArrayEquals(before.get(i).toDoubleArray(), after.get(i).toDoubleArray(), 0.0);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.unravel().apply(r.flat().astype(DType.BFLOAT16)));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("bfloat16[11]"), e.getMessage());
    }

    @Test
    void ravelOfOneHalfDtypeKeepsItAndUnravelIsDtypePolymorphic() {
        List<Array> tree = List.of(Array.of(DType.BFLOAT16, new double[] {1, 2}, 2), Array.of(DType.BFLOAT16, new double[] {3}, 1));
        Tree.Raveled<List<Array>> r = Tree.ravel(tree);
        assertEquals(DType.BFLOAT16, r.flat().dtype());
        List<Array> widened = r.unravel().apply(r.flat().astype(DType.FLOAT32));
        assertEquals(DType.FLOAT32, widened.get(1).dtype(), "one dtype: unravel converts nothing, as ravel_pytree");
    }
}
