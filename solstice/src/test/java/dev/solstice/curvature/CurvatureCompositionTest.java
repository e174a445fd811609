package dev.solstice.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Losses;
import dev.solstice.tree.Tree;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The curvature products compose with the transformations (issue 17, item 3): under jit and vmap they equal
 * the dense matrices (the Hessian from Jax.hessian of the raveled loss, J^T H J from a dense Jacobian and output
 * Hessian) times the vectors, and grad of a Hessian quadratic form (a third derivative) agrees with central
 * differences of that form in float64.
 */
class CurvatureCompositionTest {
    private static final Array X = Prng.normal(Prng.key(11), new int[] {10, 3}, DType.FLOAT64);
    private static final Array Y = Array.of(new int[] {0, 1, 1, 0, 1, 0, 0, 1, 1, 1}, 10);
    private static final MLP MODEL = new MLP(3, 2, 4, 1, Jnp::tanh, x -> x, true, true, DType.FLOAT64, Prng.key(12));
    private static final Tree.Raveled<MLP> RAV = Tree.ravel(MODEL);
    private static final int N = RAV.flat().size();

    private static Array logits(MLP m) {
        return Jax.vmap((UnaryOperator<Array>) m::apply).apply(X);
    }

    private static Array meanCe(Array logits) {
        return Jnp.mean(Losses.softmaxCrossEntropyWithIntegerLabels(logits, Y));
    }

    private static final Function<MLP, Array> LOSS = m -> meanCe(logits(m));

    private static MLP tree(Array flat) {
        return RAV.unravel().apply(flat);
    }

    private static Array flat(MLP tree) {
        return Tree.ravel(tree).flat();
    }

    /** {@code m} (rows x N, row-major) times each of {@code vs}'s rows: {@code [count, rows]}. */
    private static double[][] products(double[] m, int rows, double[][] vs) {
        double[][] out = new double[vs.length][rows];
        for (int k = 0; k < vs.length; k++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < N; j++) {
                    out[k][i] += m[i * N + j] * vs[k][j];
                }
            }
        }
        return out;
    }

    private static double[] denseHessian(MLP params) {
        UnaryOperator<Array> f = t -> LOSS.apply(tree(t));
        return Jax.hessian(f).apply(Tree.ravel(params).flat()).toDoubleArray();
    }

    /** {@code J^T H_L J} of the logits and the mean cross-entropy, formed densely. */
    private static double[] denseGaussNewton() {
        int outs = 20;
        UnaryOperator<Array> outFlat = t -> Jnp.reshape(logits(tree(t)), outs);
        double[] j = Jax.jacfwd(outFlat).apply(RAV.flat()).toDoubleArray();
        UnaryOperator<Array> lossOfFlatOut = o -> meanCe(Jnp.reshape(o, 10, 2));
        double[] h = Jax.hessian(lossOfFlatOut).apply(outFlat.apply(RAV.flat())).toDoubleArray();
        double[] g = new double[N * N];
        for (int a = 0; a < N; a++) {
            for (int b = 0; b < N; b++) {
                double s = 0;
                for (int o = 0; o < outs; o++) {
                    for (int p = 0; p < outs; p++) {
                        s += j[o * N + a] * h[o * outs + p] * j[p * N + b];
                    }
                }
                g[a * N + b] = s;
            }
        }
        return g;
    }

    private static double[][] vectors(int count, int seed) {
        double[] v = Prng.normal(Prng.key(seed), new int[] {count, N}, DType.FLOAT64).toDoubleArray();
        double[][] out = new double[count][N];
        for (int k = 0; k < count; k++) {
            System.arraycopy(v, k * N, out[k], 0, N);
        }
        return out;
    }

    private static Array stack(double[][] vs) {
        double[] all = new double[vs.length * N];
        for (int k = 0; k < vs.length; k++) {
            System.arraycopy(vs[k], 0, all, k * N, N);
        }
        return Array.of(all, vs.length, N);
    }

    private static void assertRows(double[][] expected, Array actual, double tol, String what) {
        double[] a = actual.toDoubleArray();
        int cols = expected[0].length;
        for (int k = 0; k < expected.length; k++) {
            for (int i = 0; i < cols; i++) {
                assertEquals(expected[k][i], a[k * cols + i], tol, what + " [" + k + ", " + i + "]");
            }
        }
    }

    @Test
    void productsUnderJitAndVmapEqualTheDenseMatrices() {
        double[][] vs = vectors(4, 13);
        double[][] hv = products(denseHessian(MODEL), N, vs);
        double[][] gv = products(denseGaussNewton(), N, vs);
        UnaryOperator<Array> hvp = v -> flat(Curvature.hessianVectorProduct(LOSS, MODEL, tree(v)));
        UnaryOperator<Array> ggn = v -> flat(Curvature.ggnVectorProduct(CurvatureCompositionTest::logits,
                CurvatureCompositionTest::meanCe, MODEL, tree(v)));
        UnaryOperator<Array> fisher = v -> flat(Curvature.fisherVectorProduct(CurvatureCompositionTest::logits,
                MODEL, tree(v)));
        Array batch = stack(vs);
        assertRows(hv, Jax.vmap(hvp).apply(batch), 1e-12, "vmap(H v)");
        assertRows(gv, Jax.vmap(ggn).apply(batch), 1e-12, "vmap(GGN v)");
        assertRows(gv, Jax.vmap(fisher).apply(batch), 1e-12, "vmap(Fisher v)");
        assertRows(hv, Jax.jit(Jax.vmap(hvp)).apply(batch), 1e-12, "jit(vmap(H v))");
        UnaryOperator<Array> jitHvp = Jax.jit(hvp);
        UnaryOperator<Array> jitGgn = Jax.jit(ggn);
        UnaryOperator<Array> jitFisher = Jax.jit(fisher);
        for (int k = 0; k < vs.length; k++) {
            Array v = Array.of(vs[k], N);
            assertRows(new double[][] {hv[k]}, jitHvp.apply(v), 1e-12, "jit(H v)");
            assertRows(new double[][] {gv[k]}, jitGgn.apply(v), 1e-12, "jit(GGN v)");
            assertRows(new double[][] {gv[k]}, jitFisher.apply(v), 1e-12, "jit(Fisher v)");
        }
    }

    @Test
    void gradientOfAHessianQuadraticFormMatchesCentralDifferences() {
        double[][] uvd = vectors(3, 14);
        MLP u = tree(Array.of(uvd[0], N));
        MLP v = tree(Array.of(uvd[1], N));
        Function<MLP, Array> form = p -> Jnp.sum(Jnp.multiply(flat(u), flat(Curvature.hessianVectorProduct(LOSS, p, v))));
        double[] g = flat(Jax.grad(form).apply(MODEL)).toDoubleArray();
        double[] d = uvd[2];
        double directional = 0;
        for (int i = 0; i < N; i++) {
            directional += g[i] * d[i];
        }
        double eps = 1e-4;
        double[] theta = RAV.flat().toDoubleArray();
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        for (int i = 0; i < N; i++) {
            plus[i] += eps * d[i];
            minus[i] -= eps * d[i];
        }
        // u^T H(theta) v from the dense Hessian (not the product under test) at theta +- eps d
        double fd = (quadratic(uvd[0], denseHessian(tree(Array.of(plus, N))), uvd[1])
                - quadratic(uvd[0], denseHessian(tree(Array.of(minus, N))), uvd[1])) / (2 * eps);
        assertEquals(fd, directional, 1e-6 * Math.max(1, Math.abs(fd)), "d/dtheta u^T H v along d");
        Function<MLP, Array> jitted = Eqx.filterJit(form);
        double[] gj = flat(Jax.grad(jitted).apply(MODEL)).toDoubleArray();
        for (int i = 0; i < N; i++) {
            assertEquals(g[i], gj[i], 1e-12 * Math.max(1, Math.abs(g[i])), "grad of the jitted form " + i);
        }
    }

    private static double quadratic(double[] u, double[] h, double[] v) {
        double s = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                s += u[i] * h[i * N + j] * v[j];
            }
        }
        return s;
    }
}
