package dev.solstice;

import static dev.solstice.tree.TreeOracles.vec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.testing.Numeric;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The two- and three-argument transformations ({@link Argnums}, {@link InAxes}, {@link Pair}, {@link Triple})
 * against the oracle they must equal: the one-argument transformation of a closure over the other arguments,
 * computed the same way, so in float64 the results agree bit for bit; vmap against a loop over the examples.
 */
class MultiArgumentTest {

    /** A record argument, to check that trees pass through as arguments. */
    record Affine(Array w, Array b) {}

    private static final Array W = Array.of(new double[] {0.3, -0.7, 1.1, 0.2, -0.4, 0.9}, 2, 3);
    private static final Array X = vec(0.5, -1.25, 2.0);
    private static final Array Y = vec(0.25, -0.5);
    private static final Affine M = new Affine(W, vec(0.1, -0.2));

    /** A loss of three arguments that mixes them nonlinearly. */
    private static Array loss3(Array w, Array x, Array y) {
        Array p = Jnp.tanh(w.matmul(x));
        return Jnp.sum(Jnp.square(p.sub(y))).add(Jnp.sum(Jnp.sin(x).mul(x)));
    }

    private static Array loss2(Affine m, Array x) {
        return Jnp.sum(Jnp.square(Jnp.tanh(m.w().matmul(x).add(m.b())))).mul(Jnp.sum(Jnp.cos(x)));
    }

    private static void same(Array expected, Array actual, String what) {
        Numeric.assertClose(expected, actual, 0, 0, what);
    }

    @Test
    void gradOfTwoArgumentsEqualsGradsOfClosures() {
        Pair<Affine, Array> g = Jax.grad(MultiArgumentTest::loss2, Argnums.of(0, 1)).apply(M, X);
        Affine gm = Jax.grad((Affine m) -> loss2(m, X)).apply(M);
        Array gx = Jax.grad((Array x) -> loss2(M, x)).apply(X);
        same(gm.w(), g.first().w(), "d/dw");
        same(gm.b(), g.first().b(), "d/db");
        same(gx, g.second(), "d/dx");

        Pair<Affine, Array> onlySecond = Jax.grad(MultiArgumentTest::loss2, Argnums.of(1)).apply(M, X);
        assertNull(onlySecond.first(), "an argument not differentiated gets null");
        same(gx, onlySecond.second(), "argnums (1)");

        ValueAndGrad<Pair<Affine, Array>> vg = Jax.valueAndGrad(MultiArgumentTest::loss2, Argnums.of(0)).apply(M, X);
        same(loss2(M, X), vg.value(), "value");
        same(gm.w(), vg.grad().first().w(), "valueAndGrad d/dw");
        assertNull(vg.grad().second());
    }

    @Test
    void gradOfThreeArgumentsEqualsGradsOfClosures() {
        Triple<Array, Array, Array> g = Jax.grad(MultiArgumentTest::loss3, Argnums.of(0, 2)).apply(W, X, Y);
        same(Jax.grad((Array w) -> loss3(w, X, Y)).apply(W), g.first(), "d/dw");
        assertNull(g.second());
        same(Jax.grad((Array y) -> loss3(W, X, y)).apply(Y), g.third(), "d/dy");
        Triple<Array, Array, Array> all = Jax.grad(MultiArgumentTest::loss3, Argnums.of(2, 1, 0)).apply(W, X, Y);
        same(Jax.grad((Array x) -> loss3(W, x, Y)).apply(X), all.second(), "d/dx, argnums in any order");
        ValueAndGrad<Triple<Array, Array, Array>> vg = Jax.valueAndGrad(MultiArgumentTest::loss3, Argnums.of(1)).apply(W, X, Y);
        same(all.second(), vg.grad().second(), "valueAndGrad d/dx");
        same(loss3(W, X, Y), vg.value(), "value");
    }

    @Test
    void vjpGivesOneCotangentPerArgument() {
        BiFunction<Array, Array, Array> f = (w, x) -> Jnp.sin(w.matmul(x));
        VjpResult<Pair<Array, Array>, Array> r = Jax.vjp(f, W, X);
        Pair<Array, Array> ct = r.pullback().apply(Y);
        same(Jax.vjp((Array w) -> f.apply(w, X), W).pullback().apply(Y), ct.first(), "cotangent of w");
        same(Jax.vjp((Array x) -> f.apply(W, x), X).pullback().apply(Y), ct.second(), "cotangent of x");
        same(f.apply(W, X), r.primal(), "primal");
        Triple<Array, Array, Array> ct3 = Jax.vjp(MultiArgumentTest::loss3, W, X, Y).pullback().apply(Array.scalar(1.0));
        same(Jax.grad((Array y) -> loss3(W, X, y)).apply(Y), ct3.third(), "cotangent of y");
    }

    @Test
    void jacobiansAndHessiansWithArgnums() {
        BiFunction<Array, Array, Array> f = (w, x) -> Jnp.tanh(w.matmul(x));
        TreeJacobian<Pair<Array, Array>> jf = Jax.jacfwd(f, Argnums.of(0, 1)).apply(W, X);
        TreeJacobian<Pair<Array, Array>> jr = Jax.jacrev(f, Argnums.of(0, 1)).apply(W, X);
        Array jw = Jax.jacfwd((Array w) -> f.apply(w, X)).apply(W);
        Array jx = Jax.jacrev((Array x) -> f.apply(W, x)).apply(X);
        same(jw, jf.block("", "first"), "jacfwd d/dw");
        same(jx, jr.block("", "second"), "jacrev d/dx");
        Numeric.assertClose(jx, jf.block("", "second"), 1e-15, 1e-15, "jacfwd d/dx");
        Pair<Array, Array> row = jr.asInputTree();
        same(jx, row.second(), "the row is a Pair");
        assertEquals(java.util.List.of("first", "second"), jf.inputPaths().stream().map(Object::toString).toList());

        Hessian<Pair<Array, Array>> h = Jax.hessian(MultiArgumentTest::loss3AtY, Argnums.of(0, 1)).apply(W, X);
        same(Jax.hessian((Array w) -> loss3AtY(w, X)).apply(W), h.block("first", "first"), "d2/dw2");
        same(Jax.hessian((Array x) -> loss3AtY(W, x)).apply(X), h.block("second", "second"), "d2/dx2");
        // the cross block d/dx (d/dw f): forward mode over the gradient in w, as a closure
        Array cross = Jax.jacfwd((Array x) -> Jax.grad((Array w) -> loss3AtY(w, x)).apply(W)).apply(X);
        Numeric.assertClose(cross, h.block("first", "second"), 1e-15, 1e-15, "d2/dw dx");
        Hessian<Triple<Array, Array, Array>> h3 = Jax.hessian(MultiArgumentTest::loss3, Argnums.of(2)).apply(W, X, Y);
        assertEquals(1, h3.inputPaths().size());
        same(Jax.hessian((Array y) -> loss3(W, X, y)).apply(Y), h3.block("third", "third"), "d2/dy2");
        TreeJacobian<Triple<Array, Array, Array>> j3 = Jax.jacrev(MultiArgumentTest::loss3, Argnums.of(1)).apply(W, X, Y);
        same(Jax.grad((Array x) -> loss3(W, x, Y)).apply(X), j3.asInputTree().second(), "jacrev of a scalar is the gradient");
        same(j3.asInputTree().second(), Jax.jacfwd(MultiArgumentTest::loss3, Argnums.of(1)).apply(W, X, Y).block("", "second"),
                "jacfwd of three arguments");
    }

    private static Array loss3AtY(Array w, Array x) {
        return loss3(w, x, Y);
    }

    @Test
    void eqxFilteredFormsDifferentiateTheFirstArgument() {
        same(Jax.grad((Affine m) -> loss2(m, X)).apply(M).w(), Eqx.filterGrad(MultiArgumentTest::loss2).apply(M, X).w(),
                "filterGrad");
        ValueAndGrad<Array> vg = Eqx.filterValueAndGrad(MultiArgumentTest::loss3).apply(W, X, Y);
        same(Jax.grad((Array w) -> loss3(w, X, Y)).apply(W), vg.grad(), "filterValueAndGrad of three arguments");
        same(Jax.grad((Array w) -> loss3(w, X, Y)).apply(W), Eqx.filterGrad(MultiArgumentTest::loss3).apply(W, X, Y),
                "filterGrad of three arguments");
        Hessian<Array> h = Eqx.filterHessian(MultiArgumentTest::loss3AtY).apply(W, X);
        same(Jax.hessian((Array w) -> loss3AtY(w, X)).apply(W), h.asInputTree(), "filterHessian of two arguments");
        same(Jax.hessian((Array w) -> loss3(w, X, Y)).apply(W), Eqx.filterHessian(MultiArgumentTest::loss3).apply(W, X, Y)
                .asInputTree(), "filterHessian of three arguments");
    }

    @Test
    void vmapWithNullInAxes() {
        Array xs = Array.of(new double[] {0.5, -1.25, 2.0, 1.0, 0.0, -0.5, 0.3, 0.3, 0.3, -2.0, 1.5, 0.25}, 4, 3);
        BiFunction<Array, Array, Array> apply = (w, x) -> Jnp.tanh(w.matmul(x));
        Array batched = Jax.vmap(apply, InAxes.of(null, 0), 0).apply(W, xs);
        Fn3<Array, Array, Array, Array> three = (w, x, y) -> Jnp.sum(Jnp.square(apply.apply(w, x).sub(y)));
        Array ys = Array.of(new double[] {0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8}, 4, 2);
        Array losses = Jax.vmap(three, InAxes.of(null, 0, 0), 0).apply(W, xs, ys);
        Array perExample = Jax.vmap(Jax.grad(three, Argnums.of(0)), InAxes.of(null, 0, 0), 0).apply(W, xs, ys).first();
        for (int i = 0; i < 4; i++) {
            Array x = xs.get(i);
            Array y = ys.get(i);
            Numeric.assertClose(apply.apply(W, x), batched.get(i), 1e-15, 1e-15, "example " + i);
            Numeric.assertClose(three.apply(W, x, y), losses.get(i), 1e-15, 1e-15, "loss " + i);
            Numeric.assertClose(Jax.grad((Array w) -> three.apply(w, x, y)).apply(W), perExample.get(i), 1e-14, 1e-15,
                    "per-example gradient " + i);
        }
        // the output can be batched on another axis, and a single-argument vmap takes an InAxes too
        Array last = Jax.vmap(apply, InAxes.of(null, 0), 1).apply(W, xs);
        Numeric.assertClose(Jnp.transpose(batched, 1, 0), last, 0, 0, "out axis 1");
        Array one = Jax.vmap((Array x) -> apply.apply(W, x), InAxes.of(0), 0).apply(xs);
        Numeric.assertClose(batched, one, 0, 0, "InAxes for one argument");
    }

    @Test
    void inAxesNoneNeedsTheBatchSize() {
        BiFunction<Array, Array, Array> f = (a, b) -> a.mul(b);
        Array r = Jax.vmap(f, InAxes.none(), 0, 3).apply(Array.scalar(2.0), Array.scalar(1.5));
        assertTrue(Arrays.equals(new int[] {3}, r.shape()), Arrays.toString(r.shape()));
        Numeric.assertClose(new double[] {3, 3, 3}, r.toDoubleArray(), 0, 0, "broadcast to 3 examples");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap(f, InAxes.none(), 0).apply(Array.scalar(2.0), Array.scalar(1.5)));
        assertTrue(e.getMessage().contains("axisSize"), e.getMessage());
        assertEquals(Arrays.asList(null, 0, 0), InAxes.of(null, 0, 0).axes(3));
        assertEquals(Arrays.asList((Object) null), InAxes.of(null).axes(1));
        assertEquals(Arrays.asList(null, null), InAxes.none().axes(2));
    }

    @Test
    void badArgnumsAndInAxesAreRefusedWithClearMessages() {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Jax.grad(MultiArgumentTest::loss2, Argnums.of(2)));
        assertTrue(range.getMessage().contains("grad") && range.getMessage().contains("2 arguments"), range.getMessage());
        IllegalArgumentException repeat = assertThrows(IllegalArgumentException.class, () -> Argnums.of(0, 0));
        assertTrue(repeat.getMessage().contains("distinct"), repeat.getMessage());
        assertThrows(IllegalArgumentException.class, Argnums::of);
        BiFunction<Array, Array, Array> f = (a, b) -> a.mul(b);
        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class,
                () -> Jax.vmap(f, InAxes.of(null, 0, 0), 0).apply(X, X));
        assertTrue(arity.getMessage().contains("3 specs") && arity.getMessage().contains("2 arguments"), arity.getMessage());
    }
}
