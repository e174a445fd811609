package dev.solstice.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.CheckpointPolicy;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.ScanStep;
import dev.solstice.core.Zero;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;
import dev.solstice.transform.Autodiff;
import dev.solstice.transform.Remat;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Jax.checkpoint (remat) and Lax.checkpointName: derivatives equal those without the checkpoint, while reverse mode
 * stores fewer residuals, exactly those the policy allows (counted in the staged linear program), and the
 * recomputation stays a separate program in a staged backward pass.
 */
class CheckpointTest {
    private static final Array W1 = random(new Random(1), 8, 4);
    private static final Array W2 = random(new Random(2), 3, 8);
    private static final Array X = random(new Random(3), 4);

    private static Array random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * 0.5;
        }
        return Array.of(v, shape);
    }

    /** A two-layer perceptron of x, the weights captured; the first activation optionally named "h". */
    private static Array mlp(Array x) {
        Array h = Lax.checkpointName(Jnp.tanh(Jnp.matmul(W1, x)), "h");
        return Jnp.tanh(Jnp.matmul(W2, h));
    }

    private static UnaryOperator<Array> loss(UnaryOperator<Array> body) {
        return x -> body.apply(x).sum();
    }

    private static UnaryOperator<Array> checkpointed(CheckpointPolicy policy) {
        UnaryOperator<Array> c = Jax.checkpoint((Array x) -> mlp(x), policy);
        return c::apply;
    }

    @Test
    void gradientsEqualThoseWithoutCheckpointForEveryPolicy() {
        double[] plain = Jax.grad(loss(CheckpointTest::mlp)).apply(X).toDoubleArray();
        for (CheckpointPolicy p : List.of(CheckpointPolicy.nothingSaveable(), CheckpointPolicy.everythingSaveable(),
                CheckpointPolicy.dotsSaveable(), CheckpointPolicy.saveOnlyNames("h"))) {
            double[] g = Jax.grad(loss(checkpointed(p))).apply(X).toDoubleArray();
            Numeric.assertClose(plain, g, 1e-15, 1e-15, "grad with " + p);
            assertArrayEquals(mlp(X).toDoubleArray(), checkpointed(p).apply(X).toDoubleArray(), 0, "value " + p);
        }
        // and against central differences, so the two are not merely equally wrong
        double eps = 1e-6;
        for (int i = 0; i < 4; i++) {
            double[] e = new double[4];
            e[i] = eps;
            double fd = (loss(CheckpointTest::mlp).apply(X.add(Array.of(e))).item()
                    - loss(CheckpointTest::mlp).apply(X.sub(Array.of(e))).item()) / (2 * eps);
            assertEquals(fd, plain[i], 1e-8);
        }
    }

    /**
     * The distinct concrete arrays the linear program reads: the stored residuals. Symbolic zeros and uniform
     * constants made by derivative rules (the ones of tanh's {@code 1 - y * y}) are not counted.
     */
    private static List<Array> residuals(Program linear) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Array> out = new ArrayList<>();
        for (Eqn e : linear.eqns()) {
            for (Atom a : e.inputs()) {
                if (a instanceof Const c && !Zero.isZero(c.value()) && !uniform(c.value()) && seen.add(c.value())) {
                    out.add(c.value());
                }
            }
        }
        return out;
    }

    private static boolean uniform(Array x) {
        double[] v = x.toDoubleArray();
        return java.util.Arrays.stream(v).allMatch(d -> d == v[0]);
    }

    private static List<Array> residualsOf(UnaryOperator<Array> f) {
        return residuals(Autodiff.linearize("test", a -> new Array[] {f.apply(a[0])}, new Array[] {X}).program());
    }

    private static long elements(List<Array> xs) {
        return xs.stream().mapToLong(Array::size).sum();
    }

    private static boolean holds(List<Array> residuals, Array expected) {
        // compared by value: a matrix-vector product's dot has a trailing axis of 1
        return residuals.stream().anyMatch(r -> java.util.Arrays.equals(r.toDoubleArray(), expected.toDoubleArray()));
    }

    @Test
    void residualsAreThoseThePolicyAllows() {
        Array dot1 = Jnp.matmul(W1, X);
        Array h = Jnp.tanh(dot1);
        Array dot2 = Jnp.matmul(W2, h);
        long plain = elements(residualsOf(CheckpointTest::mlp));
        List<Array> nothing = residualsOf(checkpointed(CheckpointPolicy.nothingSaveable()));
        // only the inputs of the checkpointed function: the captured weights and x
        assertEquals(32 + 24 + 4, elements(nothing), "nothing saveable: " + nothing);
        assertTrue(holds(nothing, X) && holds(nothing, W1) && holds(nothing, W2));
        assertTrue(elements(nothing) < plain, elements(nothing) + " vs " + plain);
        List<Array> dots = residualsOf(checkpointed(CheckpointPolicy.dotsSaveable()));
        assertTrue(holds(dots, dot1) && holds(dots, dot2), "dots saved: " + dots);
        assertTrue(!holds(dots, X), "x is not needed when the first dot is saved");
        assertEquals(32 + 24 + 8 + 3, elements(dots));
        List<Array> named = residualsOf(checkpointed(CheckpointPolicy.saveOnlyNames("h")));
        assertTrue(holds(named, h), "the named value is saved: " + named);
        assertTrue(!holds(named, dot1) && !holds(named, dot2), "no dot is saved");
        List<Array> unknownName = residualsOf(checkpointed(CheckpointPolicy.saveOnlyNames("other")));
        assertEquals(elements(nothing), elements(unknownName));
        assertEquals(plain, elements(residualsOf(checkpointed(CheckpointPolicy.everythingSaveable()))));
    }

    @Test
    void stagedBackwardPassKeepsTheRecomputationInItsOwnRemat() {
        var program = Jax.makeJaxpr(Jax.grad(loss(checkpointed(CheckpointPolicy.nothingSaveable())))).apply(X);
        List<Remat> remats = new ArrayList<>();
        for (Eqn e : program.program().eqns()) {
            if (e.primitive() instanceof Remat r) {
                remats.add(r);
            }
        }
        assertEquals(1, remats.size(), program.toString());
        // the backward remat recomputes both tanh layers from the saved inputs
        long tanhs = remats.get(0).program().eqns().stream().filter(e -> e.primitive().name().equals("tanh")).count();
        assertEquals(2, tanhs, remats.get(0).program().toString());
        // jit of grad compiles it and agrees
        Numeric.assertClose(Jax.grad(loss(CheckpointTest::mlp)).apply(X),
                Jax.jit(Jax.grad(loss(checkpointed(CheckpointPolicy.nothingSaveable())))).apply(X), 1e-15, 1e-15,
                "jit(grad(checkpoint))");
    }

    @Test
    void composesWithJitVmapJvpAndHessian() {
        UnaryOperator<Array> c = checkpointed(CheckpointPolicy.nothingSaveable());
        Numeric.assertClose(mlp(X), Jax.jit(c).apply(X), 1e-15, 1e-15, "jit");
        Numeric.assertClose(Jax.grad(loss(CheckpointTest::mlp)).apply(X), Jax.grad(loss(Jax.jit(c)::apply)).apply(X),
                1e-15, 1e-15, "grad(jit(checkpoint))");
        Array batch = random(new Random(4), 5, 4);
        Numeric.assertClose(Jax.vmap(CheckpointTest::mlp).apply(batch), Jax.vmap(c).apply(batch), 1e-15, 1e-15, "vmap");
        Numeric.assertClose(Jax.vmap(Jax.grad(loss(CheckpointTest::mlp))).apply(batch),
                Jax.vmap(Jax.grad(loss(c))).apply(batch), 1e-15, 1e-15, "vmap(grad)");
        Numeric.assertClose(Jax.grad((Array b) -> Jax.vmap(CheckpointTest::mlp).apply(b).sum()).apply(batch),
                Jax.grad((Array b) -> Jax.vmap(c).apply(b).sum()).apply(batch), 1e-15, 1e-15, "grad(vmap)");
        Array v = random(new Random(5), 4);
        Numeric.assertClose(Jax.jvp(CheckpointTest::mlp, X, v).tangent(), Jax.jvp(c, X, v).tangent(), 1e-15, 1e-15,
                "jvp");
        Array hPlain = Jax.hessian(loss(CheckpointTest::mlp)).apply(X);
        Numeric.assertClose(hPlain, Jax.hessian(loss(c)).apply(X), 1e-14, 1e-14, "hessian");
        // reverse over reverse
        UnaryOperator<Array> gg = Jax.grad((Array x) -> Jax.grad(loss(c)).apply(x).mul(v).sum());
        UnaryOperator<Array> ggPlain = Jax.grad((Array x) -> Jax.grad(loss(CheckpointTest::mlp)).apply(x).mul(v).sum());
        Numeric.assertClose(ggPlain.apply(X), gg.apply(X), 1e-14, 1e-14, "grad(grad)");
    }

    /** h' = tanh(W tanh(W h + x) + x), 30 steps over an 8-vector, sum of the states. */
    private static Array rnn(Array w, boolean checkpoint, Array xs) {
        java.util.function.BiFunction<Array, Array, Array> cell = (h, x) -> Jnp.tanh(Jnp.matmul(w,
                Jnp.tanh(Jnp.matmul(w, h).add(x))).add(x));
        Function<List<Array>, Array> step = checkpoint
                ? Jax.checkpoint((List<Array> hx) -> cell.apply(hx.get(0), hx.get(1)))
                : hx -> cell.apply(hx.get(0), hx.get(1));
        return Lax.scan((Array h, Array x) -> {
            Array next = step.apply(List.of(h, x));
            return new ScanStep<>(next, next);
        }, Jnp.zeros(DType.FLOAT64, 8), xs).ys().sum();
    }

    @Test
    void checkpointInsideScanUnderGradStoresLessAndAgrees() {
        int steps = 30;
        Array xs = random(new Random(6), steps, 8);
        Array w = random(new Random(7), 8, 8).mul(0.5);
        UnaryOperator<Array> plain = Jax.grad((Array m) -> rnn(m, false, xs));
        UnaryOperator<Array> remat = Jax.grad((Array m) -> rnn(m, true, xs));
        Numeric.assertClose(plain.apply(w), remat.apply(w), 1e-15, 1e-15, "grad of the scanned cell");
        Numeric.assertClose(Jax.jit(plain).apply(w), Jax.jit(remat).apply(w), 1e-15, 1e-15, "jit(grad)");
        long stackedPlain = stackedElements(Jax.makeJaxpr(plain).apply(w).program(), steps);
        long stackedRemat = stackedElements(Jax.makeJaxpr(remat).apply(w).program(), steps);
        // with the checkpoint, per step: the output y (8 doubles) and as residuals only the cell's inputs h and x
        // (16); the weights, a capture, are not stacked
        assertEquals(24L * steps, stackedRemat, "stacked with checkpoint " + Jax.makeJaxpr(remat).apply(w));
        assertTrue(stackedRemat < stackedPlain, stackedRemat + " vs " + stackedPlain);
        // and under a hessian-vector product
        Array v = random(new Random(8), 8, 8);
        Numeric.assertClose(Jax.jvp(plain, w, v).tangent(), Jax.jvp(remat, w, v).tangent(), 1e-13, 1e-13, "hvp");
    }

    @Test
    void checkpointOfAFunctionWithAScanACondAndAJitInsideAgrees() {
        Array xs = random(new Random(9), 6, 4);
        UnaryOperator<Array> inner = Jax.jit((Array a) -> Jnp.sin(a).mul(a));
        UnaryOperator<Array> f = a -> {
            Array h = Lax.scan((Array c, Array x) -> {
                Array next = Jnp.tanh(c.mul(x).add(inner.apply(c)));
                return new ScanStep<>(next, next);
            }, a, xs).carry();
            return Lax.cond(Jnp.greater(h.sum(), 0.0), (Array y) -> Jnp.exp(y), (Array y) -> y.mul(y), h).sum();
        };
        for (CheckpointPolicy p : List.of(CheckpointPolicy.nothingSaveable(), CheckpointPolicy.dotsSaveable())) {
            UnaryOperator<Array> c = Jax.checkpoint((Array a) -> f.apply(a), p);
            Numeric.assertClose(Jax.grad(f).apply(X), Jax.grad((Array a) -> c.apply(a)).apply(X), 1e-15, 1e-15,
                    "grad " + p);
            Numeric.assertClose(Jax.hessian(f::apply).apply(X),
                    Jax.hessian(c::apply).apply(X), 1e-13, 1e-13, "hessian " + p);
            Numeric.assertClose(Jax.jit(Jax.grad(f)).apply(X), Jax.jit(Jax.grad((Array a) -> c.apply(a))).apply(X),
                    1e-15, 1e-15, "jit(grad) " + p);
        }
    }

    /** The elements of the stacked (per-step) outputs of the scans in {@code p}. */
    private static long stackedElements(Program p, int steps) {
        long n = 0;
        for (Eqn e : p.eqns()) {
            if (e.primitive() instanceof dev.solstice.transform.ScanLoop) {
                for (var out : e.outputs()) {
                    if (out.aval().rank() > 0 && out.aval().dim(0) == steps) {
                        n += out.aval().size();
                    }
                }
            }
        }
        return n;
    }

    @Test
    void checkpointNameIsTransparent() {
        UnaryOperator<Array> named = x -> Lax.checkpointName(x, "n").mul(x);
        Array x = Array.of(0.5, -2.0);
        assertArrayEquals(new double[] {0.25, 4.0}, named.apply(x).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1.0, -4.0}, Jax.grad((Array a) -> named.apply(a).sum()).apply(x).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1.0, -4.0}, Jax.jvp(named, x, Array.of(1.0, 1.0)).tangent().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0.25, 4.0}, Jax.vmap(named).apply(x).toDoubleArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> Lax.checkpointName(x, ""));
        assertThrows(IllegalArgumentException.class, () -> CheckpointPolicy.saveOnlyNames());
    }
}
