package dev.solstice.vmap;

import static dev.solstice.testing.Stacking.assertClose;
import static dev.solstice.testing.Stacking.slice;
import static dev.solstice.testing.Stacking.stack;
import static dev.solstice.testing.Stacking.unstack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.solstice.Array;
import dev.solstice.CustomVjpFwd;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.JvpResult;
import dev.solstice.Nn;
import dev.solstice.testing.Numeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * vmap composed with every other transformation, in both orders: jvp, vjp, grad, jacfwd, jacrev, hessian,
 * customJvp and customVjp. The oracles are closed forms evaluated in plain Java doubles (for
 * {@code f(x) = sum(sin(W x))}: gradient {@code W^T cos(Wx)}, Hessian {@code -W^T diag(sin(Wx)) W}; for
 * {@code g(x) = sin(W x)}: Jacobian {@code diag(cos(Wx)) W}), hand-written backpropagation, and the loop over
 * examples, never the composition under test.
 */
class VmapCompositionTest {
    private static final double TOL = 1e-12;
    private static final int B = 5;
    private static final int M = 4;
    private static final int N = 3;

    private static final Array W = Numeric.random(new Random(100), DType.FLOAT64, -1, 1, M, N);
    private static final double[][] WD = rows(W);

    private static Array rand(Random r, int... shape) {
        return Numeric.random(r, DType.FLOAT64, -1, 1, shape);
    }

    private static double[][] rows(Array a) {
        int[] s = a.shape();
        double[] v = a.toDoubleArray();
        double[][] r = new double[s[0]][s[1]];
        for (int i = 0; i < s[0]; i++) {
            System.arraycopy(v, i * s[1], r[i], 0, s[1]);
        }
        return r;
    }

    /** {@code f(x) = sum(sin(W x))}. */
    private static Array f(Array x) {
        return Jnp.sum(Jnp.sin(Jnp.matmul(W, x)));
    }

    /** {@code g(x) = sin(W x)}. */
    private static Array g(Array x) {
        return Jnp.sin(Jnp.matmul(W, x));
    }

    private static double[] wx(double[] x) {
        double[] r = new double[M];
        for (int i = 0; i < M; i++) {
            for (int k = 0; k < N; k++) {
                r[i] += WD[i][k] * x[k];
            }
        }
        return r;
    }

    private static double[] gradF(double[] x) {
        double[] z = wx(x);
        double[] r = new double[N];
        for (int i = 0; i < M; i++) {
            for (int k = 0; k < N; k++) {
                r[k] += WD[i][k] * Math.cos(z[i]);
            }
        }
        return r;
    }

    private static double[][] hessF(double[] x) {
        double[] z = wx(x);
        double[][] h = new double[N][N];
        for (int i = 0; i < M; i++) {
            for (int a = 0; a < N; a++) {
                for (int b = 0; b < N; b++) {
                    h[a][b] -= WD[i][a] * Math.sin(z[i]) * WD[i][b];
                }
            }
        }
        return h;
    }

    private static double[][] jacG(double[] x) {
        double[] z = wx(x);
        double[][] j = new double[M][N];
        for (int i = 0; i < M; i++) {
            for (int k = 0; k < N; k++) {
                j[i][k] = Math.cos(z[i]) * WD[i][k];
            }
        }
        return j;
    }

    private static double[] row(Array xs, int b) {
        return slice(xs, 0, b).toDoubleArray();
    }

    private static double[] flat(double[][] m) {
        return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
    }

    /** Per-row closed forms stacked: {@code [B] + shape}. */
    private static Array perRow(Array xs, Function<double[], double[]> closedForm, int... shape) {
        List<Array> out = new ArrayList<>();
        for (int b = 0; b < xs.shape()[0]; b++) {
            out.add(Array.of(closedForm.apply(row(xs, b)), shape));
        }
        return stack(out, 0);
    }

    private static Array xs() {
        return rand(new Random(101), B, N);
    }

    private static List<Integer> shape(Array a) {
        return Arrays.stream(a.shape()).boxed().toList();
    }

    // ------------------------------------------------------------------ grad, jvp, vjp

    @Test
    void vmapOfGrad() {
        Array xs = xs();
        Array actual = Jax.vmap(Jax.grad(VmapCompositionTest::f)).apply(xs);
        assertClose(perRow(xs, VmapCompositionTest::gradF, N), actual, TOL, "vmap(grad(f))");
    }

    @Test
    void gradOfVmapThenSum() {
        Array xs = xs();
        Array actual = Jax.grad((Array x) -> Jnp.sum(Jax.vmap(VmapCompositionTest::f).apply(x))).apply(xs);
        assertClose(perRow(xs, VmapCompositionTest::gradF, N), actual, TOL, "grad(sum(vmap(f)))");
        // the batch on another axis: the gradient comes back in the input's layout
        Array xt = Jnp.transpose(xs);
        Array actualT = Jax.grad((Array x) -> Jnp.sum(Jax.vmap(VmapCompositionTest::f, 1, 0).apply(x))).apply(xt);
        assertClose(Jnp.transpose(perRow(xs, VmapCompositionTest::gradF, N)), actualT, TOL, "grad(sum(vmap(f, in axis 1)))");
    }

    @Test
    void vmapOfJvpWithBatchedAndSharedTangents() {
        Random r = new Random(102);
        Array xs = xs();
        Array vs = rand(r, B, N);
        Array v = rand(r, N);
        Function<List<Array>, Array> tangent = a -> Jax.jvp(VmapCompositionTest::f, a.get(0), a.get(1)).tangent();
        Array both = Jax.vmap(tangent, 0, 0).apply(List.of(xs, vs));
        Array shared = Jax.vmap(tangent, Arrays.asList(0, null), 0).apply(List.of(xs, v));
        Array sharedPoint = Jax.vmap(tangent, Arrays.asList(null, 0), 0).apply(List.of(slice(xs, 0, 0), vs));
        double[] eBoth = new double[B];
        double[] eShared = new double[B];
        double[] ePoint = new double[B];
        for (int b = 0; b < B; b++) {
            double[] gr = gradF(row(xs, b));
            double[] g0 = gradF(row(xs, 0));
            for (int k = 0; k < N; k++) {
                eBoth[b] += gr[k] * row(vs, b)[k];
                eShared[b] += gr[k] * v.toDoubleArray()[k];
                ePoint[b] += g0[k] * row(vs, b)[k];
            }
        }
        Numeric.assertClose(eBoth, both.toDoubleArray(), TOL, TOL, "vmap(jvp) with points and tangents batched");
        Numeric.assertClose(eShared, shared.toDoubleArray(), TOL, TOL, "vmap(jvp) with one shared tangent");
        Numeric.assertClose(ePoint, sharedPoint.toDoubleArray(), TOL, TOL, "vmap(jvp) with one shared point");
    }

    @Test
    void jvpOfVmap() {
        Random r = new Random(103);
        Array xs = xs();
        Array vs = rand(r, B, N);
        var res = Jax.jvp(Jax.vmap(VmapCompositionTest::g), xs, vs);
        List<Array> tangents = new ArrayList<>();
        List<Array> primals = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            double[][] j = jacG(row(xs, b));
            double[] t = new double[M];
            double[] z = wx(row(xs, b));
            double[] p = new double[M];
            for (int i = 0; i < M; i++) {
                p[i] = Math.sin(z[i]);
                for (int k = 0; k < N; k++) {
                    t[i] += j[i][k] * row(vs, b)[k];
                }
            }
            tangents.add(Array.of(t, M));
            primals.add(Array.of(p, M));
        }
        assertClose(stack(primals, 0), res.primal(), TOL, "jvp(vmap(g)) primal");
        assertClose(stack(tangents, 0), res.tangent(), TOL, "jvp(vmap(g)) tangent");
    }

    @Test
    void vmapOfVjpAndVjpOfVmap() {
        Random r = new Random(104);
        Array xs = xs();
        Array cts = rand(r, B, M);
        List<Array> expected = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            double[][] j = jacG(row(xs, b));
            double[] c = row(cts, b);
            double[] out = new double[N];
            for (int i = 0; i < M; i++) {
                for (int k = 0; k < N; k++) {
                    out[k] += j[i][k] * c[i];
                }
            }
            expected.add(Array.of(out, N));
        }
        Array e = stack(expected, 0);
        Array vmapOfVjp = Jax.vmap((List<Array> a) -> Jax.vjp(VmapCompositionTest::g, a.get(0)).pullback().apply(a.get(1)), 0, 0)
                .apply(List.of(xs, cts));
        assertClose(e, vmapOfVjp, TOL, "vmap(vjp(g))");
        Array vjpOfVmap = Jax.vjp(Jax.vmap(VmapCompositionTest::g), xs).pullback().apply(cts);
        assertClose(e, vjpOfVmap, TOL, "vjp(vmap(g))");
        // the pullback of one linearization, vmapped over cotangents (what jacrev does)
        var vjp = Jax.vjp(VmapCompositionTest::g, slice(xs, 0, 0));
        Array pulled = Jax.vmap((Array c) -> vjp.pullback().apply(c)).apply(cts);
        List<Array> e0 = new ArrayList<>();
        double[][] j0 = jacG(row(xs, 0));
        for (int b = 0; b < B; b++) {
            double[] out = new double[N];
            for (int i = 0; i < M; i++) {
                for (int k = 0; k < N; k++) {
                    out[k] += j0[i][k] * row(cts, b)[i];
                }
            }
            e0.add(Array.of(out, N));
        }
        assertClose(stack(e0, 0), pulled, TOL, "vmap of one pullback");
    }

    // ------------------------------------------------------------------ Jacobians and Hessians

    /** {@code [B, B, N]}: the Jacobian of {@code vmap(f)}, zero off the diagonal blocks. */
    private static double[] blockDiagonalGradient(Array xs) {
        double[] e = new double[B * B * N];
        for (int b = 0; b < B; b++) {
            double[] gr = gradF(row(xs, b));
            for (int k = 0; k < N; k++) {
                e[(b * B + b) * N + k] = gr[k];
            }
        }
        return e;
    }

    @Test
    void jacfwdOfVmapAndJacrevOfVmap() {
        Array xs = xs();
        Array fwd = Jax.jacfwd((Array x) -> Jax.vmap(VmapCompositionTest::f).apply(x)).apply(xs);
        Array rev = Jax.jacrev((Array x) -> Jax.vmap(VmapCompositionTest::f).apply(x)).apply(xs);
        assertEquals(List.of(B, B, N), shape(fwd));
        assertEquals(List.of(B, B, N), shape(rev));
        Numeric.assertClose(blockDiagonalGradient(xs), fwd.toDoubleArray(), TOL, TOL, "jacfwd(vmap(f))");
        Numeric.assertClose(blockDiagonalGradient(xs), rev.toDoubleArray(), TOL, TOL, "jacrev(vmap(f))");
    }

    @Test
    void vmapOfJacfwdAndOfJacrev() {
        Array xs = xs();
        Array e = perRow(xs, x -> flat(jacG(x)), M, N);
        assertClose(e, Jax.vmap(Jax.jacfwd(VmapCompositionTest::g)).apply(xs), TOL, "vmap(jacfwd(g))");
        assertClose(e, Jax.vmap(Jax.jacrev(VmapCompositionTest::g)).apply(xs), TOL, "vmap(jacrev(g))");
        // the Jacobians batched along the last axis
        Array last = Jax.vmap(Jax.jacrev(VmapCompositionTest::g), 0, -1).apply(xs);
        assertEquals(List.of(M, N, B), shape(last));
        for (int b = 0; b < B; b++) {
            assertClose(slice(e, 0, b), slice(last, 2, b), TOL, "vmap(jacrev(g)) with out axis -1, example " + b);
        }
    }

    @Test
    void vmapOfHessian() {
        Array xs = xs();
        Array actual = Jax.vmap(Jax.hessian(VmapCompositionTest::f)).apply(xs);
        assertClose(perRow(xs, x -> flat(hessF(x)), N, N), actual, TOL, "vmap(hessian(f))");
    }

    @Test
    void hessianOfVmapThenSumIsBlockDiagonal() {
        Array xs = rand(new Random(105), 2, N);
        Array h = Jax.hessian((Array x) -> Jnp.sum(Jax.vmap(VmapCompositionTest::f).apply(x))).apply(xs);
        assertEquals(List.of(2, N, 2, N), shape(h));
        double[] e = new double[2 * N * 2 * N];
        for (int b = 0; b < 2; b++) {
            double[][] hb = hessF(row(xs, b));
            for (int p = 0; p < N; p++) {
                for (int q = 0; q < N; q++) {
                    e[((b * N + p) * 2 + b) * N + q] = hb[p][q];
                }
            }
        }
        Numeric.assertClose(e, h.toDoubleArray(), TOL, TOL, "hessian(sum(vmap(f)))");
    }

    @Test
    void vmapOfVmapOfGradAndGradOfVmapOfGrad() {
        Random r = new Random(106);
        Array xss = rand(r, 2, B, N);
        Array actual = Jax.vmap(Jax.vmap(Jax.grad(VmapCompositionTest::f))).apply(xss);
        for (int a = 0; a < 2; a++) {
            assertClose(perRow(slice(xss, 0, a), VmapCompositionTest::gradF, N), slice(actual, 0, a), TOL,
                    "vmap(vmap(grad(f))), outer example " + a);
        }
        // d/dxs sum(vmap(grad f)(xs) * us) = per row H(x) u
        Array xs = xs();
        Array us = rand(r, B, N);
        Array hu = Jax.grad((Array x) -> Jnp.sum(Jax.vmap(Jax.grad(VmapCompositionTest::f)).apply(x).mul(us))).apply(xs);
        List<Array> e = new ArrayList<>();
        for (int b = 0; b < B; b++) {
            double[][] h = hessF(row(xs, b));
            double[] u = row(us, b);
            double[] out = new double[N];
            for (int p = 0; p < N; p++) {
                for (int q = 0; q < N; q++) {
                    out[p] += h[p][q] * u[q];
                }
            }
            e.add(Array.of(out, N));
        }
        assertClose(stack(e, 0), hu, TOL, "grad(sum(vmap(grad(f)) * u))");
    }

    // ------------------------------------------------------------------ closures across the two

    @Test
    void derivativeThroughAVmapThatClosesOverTheDifferentiatedValue() {
        Array ys = rand(new Random(107), B);
        // F(s) = sum_b sin(s y_b); F'(s) = sum_b y_b cos(s y_b); F''(s) = -sum_b y_b^2 sin(s y_b)
        Function<Array, Array> bigF = s -> Jnp.sum(Jax.vmap((Array y) -> Jnp.sin(s.mul(y))).apply(ys));
        double s0 = 0.7;
        double d1 = 0;
        double d2 = 0;
        for (double y : ys.toDoubleArray()) {
            d1 += y * Math.cos(s0 * y);
            d2 -= y * y * Math.sin(s0 * y);
        }
        assertEquals(d1, Jax.grad(bigF).apply(Array.scalar(s0)).item(), TOL, "grad through a closing vmap");
        assertEquals(d1, Jax.jvp(bigF, Array.scalar(s0), Array.scalar(1.0)).tangent().item(), TOL, "jvp through a closing vmap");
        assertEquals(d2, Jax.grad(Jax.grad(bigF)::apply).apply(Array.scalar(s0)).item(), TOL, "grad(grad) through a closing vmap");
    }

    @Test
    void vmapReturningTheDifferentiatedValueItself() {
        // the output is the outer value, unchanged for every example: broadcast, and its derivative counted B times
        Array ys = rand(new Random(114), B);
        Function<Array, Array> bigF = s -> Jnp.sum(Jax.vmap((Array y) -> s).apply(ys));
        assertEquals(B, Jax.grad(bigF).apply(Array.scalar(0.3)).item(), 0, "d/ds sum_b s");
        Array jac = Jax.jacfwd((Array s) -> Jax.vmap((Array y) -> s.mul(y)).apply(ys)).apply(Array.scalar(0.3));
        assertClose(ys, jac, 0, "jacfwd(s -> vmap(y -> s y)(ys)) = ys");
    }

    @Test
    void gradInsideVmapThatClosesOverTheBatchedValue() {
        Random r = new Random(108);
        Array ys = rand(r, B, N);
        Array w0 = rand(r, N);
        // per example: grad_w sum(sin(w * y)) at w0 = y cos(w0 y)
        Array actual = Jax.vmap((Array y) -> Jax.grad((Array w) -> Jnp.sum(Jnp.sin(w.mul(y)))).apply(w0)).apply(ys);
        Array expected = perRow(ys, y -> {
            double[] out = new double[N];
            for (int k = 0; k < N; k++) {
                out[k] = y[k] * Math.cos(w0.toDoubleArray()[k] * y[k]);
            }
            return out;
        }, N);
        assertClose(expected, actual, TOL, "vmap(y -> grad(w -> sum(sin(w y)))(w0))");
    }

    // ------------------------------------------------------------------ custom rules

    @Test
    void reluKeepsItsCustomRuleUnderVmap() {
        Array x = Array.of(-1.0, 0.0, 2.0, 0.0);
        Array expected = Array.of(0.0, 0.0, 1.0, 0.0);
        assertClose(expected, Jax.vmap(Jax.grad(Nn::relu)).apply(x), 0, "vmap(grad(relu)): 0 at 0");
        assertClose(expected, Jax.grad((Array v) -> Jnp.sum(Jax.vmap(Nn::relu).apply(v))).apply(x), 0,
                "grad(sum(vmap(relu))): 0 at 0");
        Array jac = Jax.jacfwd((Array v) -> Jax.vmap(Nn::relu).apply(v)).apply(x);
        Array jacr = Jax.jacrev((Array v) -> Jax.vmap(Nn::relu).apply(v)).apply(x);
        double[] diag = new double[16];
        for (int i = 0; i < 4; i++) {
            diag[i * 4 + i] = expected.toDoubleArray()[i];
        }
        Numeric.assertExactly(diag, jac.toDoubleArray(), "jacfwd(vmap(relu))");
        Numeric.assertExactly(diag, jacr.toDoubleArray(), "jacrev(vmap(relu))");
        // batched in a matrix, along axis 1
        Array m = Array.of(new double[] {0, 1, -1, 0, 0, 3}, 2, 3);
        Array gm = Jax.vmap((Array v) -> Jax.grad((Array u) -> Jnp.sum(Nn.relu(u))).apply(v), 1, 1).apply(m);
        Numeric.assertExactly(new double[] {0, 1, 0, 0, 0, 1}, gm.toDoubleArray(), "vmap(grad(sum(relu))) along axis 1");
    }

    /** {@code sin} with a deliberately different JVP rule, {@code t (cos x + 10)}, so that the rule's use shows. */
    private static final Function<Array, Array> MARKED_JVP = Jax.customJvp(Jnp::sin,
            (x, t) -> new JvpResult<>(Jnp.sin(x), t.mul(Jnp.cos(x).add(10.0))));

    /** {@code sin} with a deliberately different VJP rule, {@code ct (cos x + 10)}. */
    private static final Function<Array, Array> MARKED_VJP = Jax.customVjp(Jnp::sin,
            x -> new CustomVjpFwd(Jnp.sin(x), List.of(Jnp.cos(x))), (res, ct) -> ct.mul(res.getFirst().add(10.0)));

    private static Array marked(Array x, double shift) {
        double[] v = x.toDoubleArray();
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.cos(v[i]) + shift;
        }
        return Array.of(r, x.shape());
    }

    private static Array sin(Array x) {
        return Array.of(Arrays.stream(x.toDoubleArray()).map(Math::sin).toArray(), x.shape());
    }

    @Test
    void customJvpKeepsItsRuleInEveryOrder() {
        Array x = rand(new Random(109), B);
        Array d = marked(x, 10);
        Function<Array, Array> h = MARKED_JVP;
        assertClose(sin(x), Jax.vmap((Array v) -> h.apply(v)).apply(x), TOL, "vmap(h) is the function");
        assertClose(d, Jax.vmap(Jax.grad((Array v) -> h.apply(v))).apply(x), TOL, "vmap(grad(h))");
        assertClose(d, Jax.grad((Array v) -> Jnp.sum(Jax.vmap((Array u) -> h.apply(u)).apply(v))).apply(x), TOL,
                "grad(sum(vmap(h)))");
        Array jf = Jax.jacfwd((Array v) -> Jax.vmap((Array u) -> h.apply(u)).apply(v)).apply(x);
        Array jr = Jax.jacrev((Array v) -> Jax.vmap((Array u) -> h.apply(u)).apply(v)).apply(x);
        double[] diag = new double[B * B];
        for (int i = 0; i < B; i++) {
            diag[i * B + i] = d.toDoubleArray()[i];
        }
        Numeric.assertClose(diag, jf.toDoubleArray(), TOL, TOL, "jacfwd(vmap(h))");
        Numeric.assertClose(diag, jr.toDoubleArray(), TOL, TOL, "jacrev(vmap(h))");
        // the rule's own derivative: d/dx (cos x + 10) = -sin x
        Array second = Jax.vmap(Jax.grad(Jax.grad((Array v) -> h.apply(v))::apply)).apply(x);
        assertClose(sin(x).mul(-1.0), second, TOL, "vmap(grad(grad(h)))");
        Array hess = Jax.vmap(Jax.hessian((Array v) -> Jnp.sum(h.apply(v)))).apply(Jnp.reshape(x, B, 1));
        assertClose(Jnp.reshape(sin(x).mul(-1.0), B, 1, 1), hess, TOL, "vmap(hessian(sum(h)))");
        Array jvps = Jax.vmap((List<Array> a) -> Jax.jvp(h, a.get(0), a.get(1)).tangent(), 0, 0)
                .apply(List.of(x, Jnp.onesLike(x).mul(2.0)));
        assertClose(d.mul(2.0), jvps, TOL, "vmap(jvp(h))");
        // vector arguments: the rule sees whole (batched) vectors
        Array xs = xs();
        Array g = Jax.vmap(Jax.grad((Array v) -> Jnp.sum(h.apply(v)))).apply(xs);
        assertClose(marked(xs, 10), g, TOL, "vmap(grad(sum(h))) on vectors");
    }

    @Test
    void customVjpKeepsItsRuleInEveryOrder() {
        Array x = rand(new Random(110), B);
        Array d = marked(x, 10);
        Function<Array, Array> k = MARKED_VJP;
        assertClose(sin(x), Jax.vmap((Array v) -> k.apply(v)).apply(x), TOL, "vmap(k) is the function");
        assertClose(d, Jax.vmap(Jax.grad((Array v) -> k.apply(v))).apply(x), TOL, "vmap(grad(k))");
        assertClose(d, Jax.grad((Array v) -> Jnp.sum(Jax.vmap((Array u) -> k.apply(u)).apply(v))).apply(x), TOL,
                "grad(sum(vmap(k)))");
        Array jr = Jax.jacrev((Array v) -> Jax.vmap((Array u) -> k.apply(u)).apply(v)).apply(x);
        double[] diag = new double[B * B];
        for (int i = 0; i < B; i++) {
            diag[i * B + i] = d.toDoubleArray()[i];
        }
        Numeric.assertClose(diag, jr.toDoubleArray(), TOL, TOL, "jacrev(vmap(k))");
        Array xs = xs();
        assertClose(marked(xs, 10), Jax.vmap(Jax.grad((Array v) -> Jnp.sum(k.apply(v)))).apply(xs), TOL,
                "vmap(grad(sum(k))) on vectors");
        Array cts = rand(new Random(111), B, N);
        Array pulled = Jax.vmap((List<Array> a) -> Jax.vjp(k, a.get(0)).pullback().apply(a.get(1)), 0, 0)
                .apply(List.of(xs, cts));
        assertClose(marked(xs, 10).mul(cts), pulled, TOL, "vmap(vjp(k)) with batched cotangents");
        // forward mode of a custom VJP is an error, batched or not, as in JAX
        assertThrows(UnsupportedOperationException.class,
                () -> Jax.vmap((Array v) -> Jax.jvp(k, v, v).tangent()).apply(x));
    }

    // ------------------------------------------------------------------ per-example gradients

    /** A 3-4-2 tanh network's parameters. */
    record Mlp(Array w1, Array b1, Array w2, Array b2) {}

    private static Array loss(Mlp p, Array x, Array y) {
        Array h = Jnp.tanh(Jnp.matmul(x, p.w1()).add(p.b1()));
        Array out = Jnp.matmul(h, p.w2()).add(p.b2());
        Array e = out.sub(y);
        return Jnp.sum(e.mul(e));
    }

    /** Backpropagation by hand, in doubles: the gradient of {@link #loss} for one example. */
    private static double[][] backprop(Mlp p, double[] x, double[] y) {
        double[][] w1 = rows(p.w1());
        double[] b1 = p.b1().toDoubleArray();
        double[][] w2 = rows(p.w2());
        double[] b2 = p.b2().toDoubleArray();
        int nIn = w1.length;
        int nHid = b1.length;
        int nOut = b2.length;
        double[] h = new double[nHid];
        for (int j = 0; j < nHid; j++) {
            double z = b1[j];
            for (int i = 0; i < nIn; i++) {
                z += x[i] * w1[i][j];
            }
            h[j] = Math.tanh(z);
        }
        double[] dOut = new double[nOut];
        for (int o = 0; o < nOut; o++) {
            double v = b2[o];
            for (int j = 0; j < nHid; j++) {
                v += h[j] * w2[j][o];
            }
            dOut[o] = 2 * (v - y[o]);
        }
        double[] gw2 = new double[nHid * nOut];
        double[] dz = new double[nHid];
        for (int j = 0; j < nHid; j++) {
            double dh = 0;
            for (int o = 0; o < nOut; o++) {
                gw2[j * nOut + o] = h[j] * dOut[o];
                dh += w2[j][o] * dOut[o];
            }
            dz[j] = dh * (1 - h[j] * h[j]);
        }
        double[] gw1 = new double[nIn * nHid];
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < nHid; j++) {
                gw1[i * nHid + j] = x[i] * dz[j];
            }
        }
        return new double[][] {gw1, dz, gw2, dOut};
    }

    @Test
    void perExampleGradientsOfATanhNetworkEqualTheLoopOverExamples() {
        Random r = new Random(112);
        Mlp params = new Mlp(rand(r, 3, 4), rand(r, 4), rand(r, 4, 2), rand(r, 2));
        int batch = 6;
        Array xs = rand(r, batch, 3);
        Array ys = rand(r, batch, 2);
        Function<List<Object>, Mlp> perExample = a -> Jax.grad((Mlp p) -> loss(p, (Array) a.get(1), (Array) a.get(2)))
                .apply((Mlp) a.get(0));
        Mlp grads = Jax.vmap(perExample, Arrays.asList(null, 0, 0), 0).apply(List.of(params, xs, ys));
        assertEquals(List.of(batch, 3, 4), shape(grads.w1()));
        assertEquals(List.of(batch, 2), shape(grads.b2()));
        Array[] got = {grads.w1(), grads.b1(), grads.w2(), grads.b2()};
        List<List<Array>> expected = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int[][] shapes = {{3, 4}, {4}, {4, 2}, {2}};
        for (int b = 0; b < batch; b++) {
            double[][] g = backprop(params, row(xs, b), row(ys, b));
            // and the loop over examples of the (unbatched) gradient agrees with the hand-written one
            Mlp loop = perExample.apply(List.of(params, slice(xs, 0, b), slice(ys, 0, b)));
            Array[] l = {loop.w1(), loop.b1(), loop.w2(), loop.b2()};
            for (int k = 0; k < 4; k++) {
                expected.get(k).add(Array.of(g[k], shapes[k]));
                Numeric.assertClose(g[k], l[k].toDoubleArray(), TOL, TOL, "grad of example " + b + ", parameter " + k);
            }
        }
        for (int k = 0; k < 4; k++) {
            assertClose(stack(expected.get(k), 0), got[k], TOL, "per-example gradients, parameter " + k);
        }
    }

    @Test
    void anEnsembleOfNetworksBatchedOverTheirParameters() {
        Random r = new Random(113);
        int members = 3;
        List<Mlp> ensemble = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ensemble.add(new Mlp(rand(r, 3, 4), rand(r, 4), rand(r, 4, 2), rand(r, 2)));
        }
        Mlp stacked = new Mlp(stack(ensemble.stream().map(Mlp::w1).toList(), 0), stack(ensemble.stream().map(Mlp::b1).toList(), 0),
                stack(ensemble.stream().map(Mlp::w2).toList(), 0), stack(ensemble.stream().map(Mlp::b2).toList(), 0));
        Array x = rand(r, 3);
        Array y = rand(r, 2);
        Array losses = Jax.vmap((Mlp p) -> loss(p, x, y)).apply(stacked);
        Mlp grads = Jax.vmap(Jax.grad((Mlp p) -> loss(p, x, y))).apply(stacked);
        for (int i = 0; i < members; i++) {
            assertEquals(loss(ensemble.get(i), x, y).item(), slice(losses, 0, i).item(), TOL, "loss of member " + i);
            double[][] g = backprop(ensemble.get(i), x.toDoubleArray(), y.toDoubleArray());
            Array[] got = {grads.w1(), grads.b1(), grads.w2(), grads.b2()};
            for (int k = 0; k < 4; k++) {
                Numeric.assertClose(g[k], unstack(got[k], 0).get(i).toDoubleArray(), TOL, TOL,
                        "gradient of member " + i + ", parameter " + k);
            }
        }
    }
}
