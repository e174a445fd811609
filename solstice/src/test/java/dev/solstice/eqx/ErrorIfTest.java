package dev.solstice.eqx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.EqxRuntimeError;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.JvpResult;
import dev.solstice.core.UndefinedPrimal;
import dev.solstice.core.Zero;
import dev.solstice.prim.ErrorIf;
import dev.solstice.prim.Ops;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Equinox's runtime checks, {@link Eqx#errorIf} and {@link Eqx#branchedErrorIf}: a failing check throws with
 * the user's message eagerly and under vmap, jvp, grad and hessian; a passing one changes neither values nor
 * derivatives. Derivatives are compared with closed forms of {@code sum(sin(x) x^2)}, written out here.
 */
class ErrorIfTest {

    private static final String MSG = "x must be non-negative";

    /** {@code sum(sin(x) x^2)} with x checked to be non-negative. */
    private static Array checked(Array x) {
        Array y = Eqx.errorIf(x, Jnp.less(x, 0.0), MSG);
        return Jnp.sum(Jnp.sin(y).mul(y).mul(y));
    }

    /** The derivative of {@code sin(x) x^2}, elementwise. */
    private static double d1(double x) {
        return Math.cos(x) * x * x + 2 * x * Math.sin(x);
    }

    /** The second derivative of {@code sin(x) x^2}, elementwise. */
    private static double d2(double x) {
        return -Math.sin(x) * x * x + 4 * x * Math.cos(x) + 2 * Math.sin(x);
    }

    private static EqxRuntimeError fails(Runnable r) {
        return assertThrows(EqxRuntimeError.class, r::run);
    }

    // ---- eager -------------------------------------------------------------------------------------------

    @Test
    void eagerPassingCheckReturnsTheValues() {
        Array x = Array.of(0.5, 2.0, 0.0);
        Array y = Eqx.errorIf(x, Jnp.less(x, 0.0), MSG);
        Numeric.assertExactly(new double[] {0.5, 2.0, 0.0}, y.toDoubleArray(), "values");
        assertEquals(x.aval(), y.aval());
    }

    @Test
    void eagerFailingCheckThrowsTheMessage() {
        Array x = Array.of(0.5, -2.0, 1.0);
        EqxRuntimeError e = fails(() -> Eqx.errorIf(x, Jnp.less(x, 0.0), MSG));
        assertEquals(MSG, e.getMessage());
        assertFalse(e.getMessage().contains("Batch index"), e.getMessage());
    }

    @Test
    void predicateOfAnotherShapeThanTheValue() {
        Array x = Array.of(1.0, 2.0);
        assertEquals(2, Eqx.errorIf(x, Array.of(false), MSG).size());
        assertEquals(2, Eqx.errorIf(x, Array.of(new boolean[] {false, false, false, false}, 2, 2), MSG).size());
        fails(() -> Eqx.errorIf(x, Array.of(new boolean[] {false, false, false, true}, 2, 2), MSG));
        fails(() -> Eqx.errorIf(x, Array.scalar(true), MSG));
        // an empty predicate never fails
        assertEquals(2, Eqx.errorIf(x, Array.of(new boolean[0]), MSG).size());
    }

    @Test
    void anyDtypeOfValue() {
        Array ints = Array.of(1, 2, 3);
        Numeric.assertExactly(new double[] {1, 2, 3}, Eqx.errorIf(ints, Array.scalar(false), MSG).toDoubleArray(), "ints");
        Array bools = Array.of(true, false);
        assertEquals(DType.BOOL, Eqx.errorIf(bools, Array.scalar(false), MSG).dtype());
        fails(() -> Eqx.errorIf(bools, bools, MSG));
    }

    record Pair(Array a, Array b, String name) {}

    @Test
    void treesKeepTheirStructureAndAreCheckedOnce() {
        Pair p = new Pair(Array.of(1.0, 2.0), Array.of(3), "p");
        Pair q = Eqx.errorIf(p, Array.scalar(false), MSG);
        assertEquals("p", q.name());
        Numeric.assertExactly(new double[] {1, 2}, q.a().toDoubleArray(), "a");
        Numeric.assertExactly(new double[] {3}, q.b().toDoubleArray(), "b");
        assertEquals(MSG, fails(() -> Eqx.errorIf(p, Array.scalar(true), MSG)).getMessage());
        List<Array> list = Eqx.errorIf(List.of(Array.of(1.0), Array.of(2.0)), Array.scalar(false), MSG);
        assertEquals(2, list.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.errorIf(List.of("no arrays"), Array.scalar(false), MSG));
        assertTrue(e.getMessage().contains("errorIf") && e.getMessage().contains("no array leaf"), e.getMessage());
    }

    // ---- branched -------------------------------------------------------------------------------------------

    @Test
    void branchedPicksTheMessageByIndex() {
        List<String> msgs = List.of("too small", "too large", "not finite");
        Array x = Array.of(1.0);
        assertEquals("too large", fails(() -> Eqx.branchedErrorIf(x, Array.scalar(true), Array.scalar(1), msgs)).getMessage());
        assertEquals("not finite", fails(() -> Eqx.branchedErrorIf(x, Array.scalar(true), Array.scalar(2), msgs)).getMessage());
        assertEquals("too small", fails(() -> Eqx.branchedErrorIf(x, Array.scalar(true), Array.scalar(0), msgs)).getMessage());
        assertEquals(1, Eqx.branchedErrorIf(x, Array.scalar(false), Array.scalar(2), msgs).size());
    }

    @Test
    void branchedIndexOutOfRangeIsReportedWhenTheCheckFails() {
        List<String> msgs = List.of("too small", "too large");
        Array x = Array.of(1.0);
        for (int bad : new int[] {2, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Eqx.branchedErrorIf(x, Array.scalar(true), Array.scalar(bad), msgs));
            assertTrue(e.getMessage().contains("error_if") && e.getMessage().contains("index " + bad)
                    && e.getMessage().contains("2 message"), e.getMessage());
        }
        // as in Equinox, the index is read only when the check fails
        assertEquals(1, Eqx.branchedErrorIf(x, Array.scalar(false), Array.scalar(7), msgs).size());
    }

    // ---- bad input ------------------------------------------------------------------------------------------

    @Test
    void predicateMustBeBool() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.errorIf(Array.of(1.0), Array.of(1.0, 0.0), MSG));
        assertTrue(e.getMessage().contains("errorIf") && e.getMessage().contains("float64[2]")
                && e.getMessage().contains("bool"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Eqx.branchedErrorIf(Array.of(1.0), Array.of(1, 0), Array.scalar(0), List.of("m")));
        assertTrue(f.getMessage().contains("branchedErrorIf") && f.getMessage().contains("int32[2]"), f.getMessage());
    }

    @Test
    void indexMustBeAnInt32Scalar() {
        Array x = Array.of(1.0);
        for (Array bad : new Array[] {Array.scalar(1.0f), Array.of(0, 1), Array.scalar(true)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Eqx.branchedErrorIf(x, Array.scalar(false), bad, List.of("a", "b")));
            assertTrue(e.getMessage().contains("branchedErrorIf") && e.getMessage().contains("int32 scalar")
                    && e.getMessage().contains(bad.aval().str()), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Eqx.branchedErrorIf(x, Array.scalar(false), Array.scalar(0), List.of()));
        assertTrue(e.getMessage().contains("branchedErrorIf") && e.getMessage().contains("message"), e.getMessage());
    }

    @Test
    void thePrimitiveRejectsAnIndexOfAnotherShapeThanThePredicate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.errorIf(
                new Array[] {Array.of(1.0)}, Array.of(false, false), Array.of(0, 0, 0), List.of("m")));
        assertTrue(e.getMessage().contains("error_if") && e.getMessage().contains("int32[3]")
                && e.getMessage().contains("bool[2]"), e.getMessage());
    }

    // ---- the primitive is a value ---------------------------------------------------------------------------

    @Test
    void equalMessagesMakeEqualPrimitives() {
        List<String> mutable = new ArrayList<>(List.of("a", "b"));
        ErrorIf p = new ErrorIf(mutable);
        mutable.set(0, "changed");
        ErrorIf q = new ErrorIf(List.of("a", "b"));
        assertEquals(q, p);
        assertEquals(q.hashCode(), p.hashCode());
        assertFalse(p.equals(new ErrorIf(List.of("b", "a"))));
    }

    // ---- vmap -----------------------------------------------------------------------------------------------

    @Test
    void vmapRaisesWhenOneExampleFails() {
        Function<Array, Array> f = Jax.vmap(x -> Eqx.errorIf(x, Jnp.less(x, 0.0), MSG).mul(2.0));
        Numeric.assertExactly(new double[] {2, 4, 0}, f.apply(Array.of(1.0, 2.0, 0.0)).toDoubleArray(), "passing batch");
        String m = fails(() -> f.apply(Array.of(1.0, -2.0, 3.0))).getMessage();
        assertEquals("Batch index (1,) had error:\n" + MSG, m);
        String both = fails(() -> f.apply(Array.of(-1.0, 2.0, -3.0))).getMessage();
        assertEquals("Batch index (0,) had error:\n" + MSG + "\n\nBatch index (2,) had error:\n" + MSG, both);
    }

    @Test
    void vmapOfPredicatesWithTheirOwnAxesNamesTheExamples() {
        // each example is a row; its predicate has three elements
        Array x = Array.of(new double[] {1, 2, 3, 4, -5, 6, 7, 8, 9}, 3, 3);
        Function<Array, Array> f = Jax.vmap(r -> Eqx.errorIf(r, Jnp.less(r, 0.0), MSG));
        assertEquals("Batch index (1,) had error:\n" + MSG, fails(() -> f.apply(x)).getMessage());
        Array good = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Numeric.assertExactly(good.toDoubleArray(), f.apply(good).toDoubleArray(), "passing rows");
    }

    @Test
    void nestedVmapNamesBothAxes() {
        Function<Array, Array> f = Jax.vmap(Jax.vmap(x -> Eqx.errorIf(x, Jnp.less(x, 0.0), MSG)));
        Array x = Array.of(new double[] {1, 2, 3, -4, 5, 6}, 2, 3);
        assertEquals("Batch index (1, 0) had error:\n" + MSG, fails(() -> f.apply(x)).getMessage());
    }

    @Test
    void vmapWithAnIndexPerExample() {
        List<String> msgs = List.of("too small", "too large");
        Function<Array, Array> f = Jax.vmap(x -> {
            Array large = Jnp.greater(x, 10.0);
            return Eqx.branchedErrorIf(x, Jnp.logicalOr(Jnp.less(x, 0.0), large), large.astype(DType.INT32), msgs);
        });
        String m = fails(() -> f.apply(Array.of(-1.0, 5.0, 20.0))).getMessage();
        assertEquals("Batch index (0,) had error:\ntoo small\n\nBatch index (2,) had error:\ntoo large", m);
        Numeric.assertExactly(new double[] {0, 5, 10}, f.apply(Array.of(0.0, 5.0, 10.0)).toDoubleArray(), "passing");
    }

    @Test
    void vmapWithAnUnbatchedPredicateOrIndex() {
        Function<Array, Array> passes = Jax.vmap(x -> Eqx.errorIf(x, Array.scalar(false), MSG));
        Numeric.assertExactly(new double[] {-1, 2}, passes.apply(Array.of(-1.0, 2.0)).toDoubleArray(), "unbatched pass");
        Function<Array, Array> failsAll = Jax.vmap(x -> Eqx.errorIf(x, Array.scalar(true), MSG));
        assertEquals(MSG, fails(() -> failsAll.apply(Array.of(1.0, 2.0))).getMessage());
        // the predicate is the same for every example but the index is not: each example reports its own
        List<String> msgs = List.of("zero", "one");
        Function<Array, Array> perExample = Jax.vmap(i -> Eqx.branchedErrorIf(i, Array.scalar(true), i, msgs));
        assertEquals("Batch index (0,) had error:\none\n\nBatch index (1,) had error:\nzero",
                fails(() -> perExample.apply(Array.of(1, 0))).getMessage());
    }

    @Test
    void aLargeBatchReportsTheFirstFailuresAndCountsTheRest() {
        double[] v = new double[25];
        java.util.Arrays.fill(v, -1);
        String m = fails(() -> Jax.vmap(x -> Eqx.errorIf(x, Jnp.less(x, 0.0), MSG)).apply(Array.of(v))).getMessage();
        assertTrue(m.startsWith("Batch index (0,) had error:\n" + MSG), m);
        assertTrue(m.contains("Batch index (19,)") && !m.contains("Batch index (20,)"), m);
        assertTrue(m.endsWith("(5 more batch elements had errors)"), m);
    }

    // ---- derivatives ----------------------------------------------------------------------------------------

    @Test
    void gradThroughAPassingCheckIsTheDerivative() {
        double[] xs = {0.3, 1.7, 2.5};
        Array g = Jax.grad(ErrorIfTest::checked).apply(Array.of(xs));
        double[] expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            expected[i] = d1(xs[i]);
        }
        Numeric.assertClose(expected, g.toDoubleArray(), 1e-12, 1e-12, "grad");
    }

    @Test
    void gradWithAFailingCheckRaises() {
        assertEquals(MSG, fails(() -> Jax.grad(ErrorIfTest::checked).apply(Array.of(0.3, -1.0))).getMessage());
        assertEquals(MSG, fails(() -> Jax.valueAndGrad(ErrorIfTest::checked).apply(Array.of(-0.3))).getMessage());
    }

    @Test
    void jvpThroughACheck() {
        Array x = Array.of(0.3, 1.7);
        Array v = Array.of(1.0, -2.0);
        JvpResult<Array> r = Jax.jvp(ErrorIfTest::checked, x, v);
        double expected = d1(0.3) * 1.0 + d1(1.7) * -2.0;
        Numeric.assertClose(new double[] {expected}, r.tangent().toDoubleArray(), 1e-12, 1e-12, "jvp tangent");
        double value = Math.sin(0.3) * 0.09 + Math.sin(1.7) * 1.7 * 1.7;
        Numeric.assertClose(new double[] {value}, r.primal().toDoubleArray(), 1e-12, 1e-12, "jvp primal");
        assertEquals(MSG, fails(() -> Jax.jvp(ErrorIfTest::checked, Array.of(-0.3, 1.0), v)).getMessage());
    }

    @Test
    void hessianThroughACheck() {
        double[] xs = {0.3, 1.7};
        Array h = Jax.hessian(ErrorIfTest::checked).apply(Array.of(xs));
        double[] expected = {d2(xs[0]), 0, 0, d2(xs[1])};
        Numeric.assertClose(expected, h.toDoubleArray(), 1e-12, 1e-12, "hessian");
        assertEquals(MSG, fails(() -> Jax.hessian(ErrorIfTest::checked).apply(Array.of(-0.3, 1.0))).getMessage());
    }

    @Test
    void vmapOfGradRaisesForTheFailingExample() {
        Function<Array, Array> g = Jax.vmap(Jax.grad(ErrorIfTest::checked));
        Array x = Array.of(new double[] {0.3, 0.5, -0.7, 0.9}, 2, 2);
        assertEquals("Batch index (1,) had error:\n" + MSG, fails(() -> g.apply(x)).getMessage());
        Array good = Array.of(new double[] {0.3, 0.5, 0.7, 0.9}, 2, 2);
        double[] expected = {d1(0.3), d1(0.5), d1(0.7), d1(0.9)};
        Numeric.assertClose(expected, g.apply(good).toDoubleArray(), 1e-12, 1e-12, "vmap of grad");
    }

    @Test
    void gradOfATreeCheck() {
        Function<Pair, Array> f = p -> {
            Pair q = Eqx.errorIf(p, Jnp.less(p.a(), 0.0), MSG);
            return Jnp.sum(q.a().mul(q.a()));
        };
        Pair g = Eqx.filterGrad(f).apply(new Pair(Array.of(1.5, 2.0), Array.of(3), "p"));
        Numeric.assertClose(new double[] {3.0, 4.0}, g.a().toDoubleArray(), 1e-12, 1e-12, "grad of a tree");
        fails(() -> Eqx.filterGrad(f).apply(new Pair(Array.of(-1.5, 2.0), Array.of(3), "p")));
    }

    // ---- the transpose rule ---------------------------------------------------------------------------------

    @Test
    void transposePassesCotangentsBackThroughTheCheck() {
        ErrorIf p = new ErrorIf(List.of(MSG));
        Array ct = Array.of(1.0, -2.0);
        Array constant = Array.of(5.0);
        Array[] args = {UndefinedPrimal.of(ct.aval()), constant, Array.of(false, false), Array.scalar(0)};
        Array[] back = p.transpose(new Array[] {ct, Zero.like(constant)}, args);
        Numeric.assertExactly(new double[] {1, -2}, back[0].toDoubleArray(), "cotangent of the linear value");
        for (int i = 1; i < 4; i++) {
            assertInstanceOf(Zero.class, back[i], "cotangent of constant operand " + i);
        }
        Array[] failing = {UndefinedPrimal.of(ct.aval()), constant, Array.of(false, true), Array.scalar(0)};
        assertEquals(MSG, fails(() -> p.transpose(new Array[] {ct, Zero.like(constant)}, failing)).getMessage());
        Array[] linearPred = {UndefinedPrimal.of(ct.aval()), UndefinedPrimal.of(Array.of(true).aval()), Array.scalar(0)};
        assertThrows(IllegalStateException.class, () -> p.transpose(new Array[] {ct}, linearPred));
    }
}
