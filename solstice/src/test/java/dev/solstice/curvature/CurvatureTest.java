package dev.solstice.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.nn.MLP;
import dev.solstice.optim.Losses;
import dev.solstice.tree.Tree;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curvature toolkit against dense matrices formed independently: the Hessian of a small float64 MLP's loss
 * (dense, from Jax.hessian of the raveled loss) decomposed by Hipparchus; the Gauss-Newton matrix J^T H J from a
 * dense Jacobian and output Hessian; the same probes replayed on the dense matrix; a diagonal quadratic whose
 * spectrum is known.
 */
class CurvatureTest {
    private static final Array X = Prng.normal(Prng.key(1), new int[] {12, 3}, DType.FLOAT64);
    private static final Array Y = Array.of(new int[] {0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0}, 12);
    private static final MLP MODEL = new MLP(3, 2, 4, 1, Jnp::tanh, x -> x, true, true, DType.FLOAT64, Prng.key(2));

    private static Array logits(MLP m) {
        return Jax.vmap((UnaryOperator<Array>) m::apply).apply(X);
    }

    private static Array meanCe(Array logits) {
        return Jnp.mean(Losses.softmaxCrossEntropyWithIntegerLabels(logits, Y));
    }

    private static final Function<MLP, Array> LOSS = m -> meanCe(logits(m));

    private static final Tree.Raveled<MLP> RAV = Tree.ravel(MODEL);
    private static final int N = RAV.flat().size();

    /** The dense Hessian of the loss in the raveled parameters. */
    private static double[][] denseHessian() {
        UnaryOperator<Array> f = t -> LOSS.apply(RAV.unravel().apply(t));
        return rows(Jax.hessian(f).apply(RAV.flat()), N, N);
    }

    private static double[][] rows(Array a, int r, int c) {
        double[] v = a.toDoubleArray();
        double[][] m = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(v, i * c, m[i], 0, c);
        }
        return m;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < v.length; j++) {
                out[i] += m[i][j] * v[j];
            }
        }
        return out;
    }

    private static double[] flat(Object tree) {
        return Tree.ravel(tree).flat().toDoubleArray();
    }

    private static double[] sortedEigenvalues(double[][] h) {
        double[] e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(h)).getEigenvalues().clone();
        Arrays.sort(e);
        return e;
    }

    @Test
    void extremeEigenvaluesAndVectorsMatchADenseDecomposition() {
        double[][] h = denseHessian();
        double[] exact = sortedEigenvalues(h);
        Eigen<MLP> top = Curvature.topEigenvalues(LOSS, MODEL, 3, Prng.key(3), N);
        Eigen<MLP> bottom = Curvature.bottomEigenvalues(LOSS, MODEL, 2, Prng.key(4), N);
        double scale = Math.abs(exact[N - 1]);
        for (int i = 0; i < 3; i++) {
            assertEquals(exact[N - 1 - i], top.values()[i], 1e-9 * scale, "top " + i);
            double[] v = flat(top.vectors().get(i));
            double[] hv = times(h, v);
            for (int j = 0; j < N; j++) {
                assertEquals(top.values()[i] * v[j], hv[j], 1e-7 * scale, "H v = lambda v, eigenvector " + i);
            }
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(exact[i], bottom.values()[i], 1e-9 * scale, "bottom " + i);
        }
        // the default, fewer steps: the largest converges first
        assertEquals(exact[N - 1], Curvature.topEigenvalues(LOSS, MODEL, 1, Prng.key(5)).values()[0], 1e-6 * scale);
    }

    /**
     * Clustered top eigenvalues (1, 0.999, ..., 0.996 above a bulk in [0, 0.5], 300 dimensions) need far more
     * Lanczos steps than max(3k, 20): the default runs until the wanted Ritz pairs have converged.
     */
    @Test
    void theDefaultRunsLanczosUntilClusteredEigenvaluesConverge() {
        int n = 300;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i < 5 ? 1 - 0.001 * i : 0.5 * i / n;
        }
        Array diag = Array.of(d, n);
        UnaryOperator<Array> quad = x -> Jnp.multiply(Jnp.sum(Jnp.multiply(diag, Jnp.square(x))), 0.5);
        double[] top = Curvature.topEigenvalues(quad, Jnp.zeros(DType.FLOAT64, n), 5, Prng.key(11)).values();
        for (int i = 0; i < 5; i++) {
            assertEquals(1 - 0.001 * i, top[i], 1e-8, "top " + i + " of " + Arrays.toString(top));
        }
    }

    @Test
    void traceEstimatesReplayTheirProbesOnTheDenseHessian() {
        double[][] h = denseHessian();
        double trace = 0;
        for (int i = 0; i < N; i++) {
            trace += h[i][i];
        }
        Array key = Prng.key(6);
        TraceEstimate t = Curvature.hutchinsonTrace(LOSS, MODEL, 40, key);
        double[] z = Jnp.subtract(Jnp.multiply(Prng.bernoulli(key, 0.5, new int[] {40, N}).astype(DType.FLOAT64), 2.0), 1.0)
                .toDoubleArray();
        double sum = 0;
        double[] diag = new double[N];
        for (int p = 0; p < 40; p++) {
            double[] zp = Arrays.copyOfRange(z, p * N, (p + 1) * N);
            double[] hz = times(h, zp);
            for (int i = 0; i < N; i++) {
                sum += zp[i] * hz[i];
                diag[i] += zp[i] * hz[i] / 40;
            }
        }
        assertEquals(sum / 40, t.mean(), 1e-10 * Math.abs(trace) + 1e-12);
        assertTrue(Math.abs(t.mean() - trace) <= 5 * t.standardError(), t + " vs " + trace);
        double[] d = flat(Curvature.hessianDiagonal(LOSS, MODEL, 40, key));
        for (int i = 0; i < N; i++) {
            assertEquals(diag[i], d[i], 1e-10);
        }
        TraceEstimate exact = Curvature.hutchPlusPlus(LOSS, MODEL, 3 * N, Prng.key(7));
        assertEquals(trace, exact.mean(), 1e-9 * Math.abs(trace), "Hutch++ whose sketch spans the whole space is exact");
        TraceEstimate partial = Curvature.hutchPlusPlus(LOSS, MODEL, 30, Prng.key(8));
        assertTrue(Math.abs(partial.mean() - trace) <= 5 * partial.standardError() + 1e-9, partial + " vs " + trace);
    }

    @Test
    void gaussNewtonAndFisherProductsEqualTheDenseMatrices() {
        Function<MLP, Array> out = CurvatureTest::logits;
        UnaryOperator<Array> outFlat = t -> Jnp.reshape(logits(RAV.unravel().apply(t)), 24);
        double[][] j = rows(Jax.jacfwd(outFlat).apply(RAV.flat()), 24, N);
        UnaryOperator<Array> lossOfFlatOut = o -> meanCe(Jnp.reshape(o, 12, 2));
        double[][] hl = rows(Jax.hessian(lossOfFlatOut).apply(outFlat.apply(RAV.flat())), 24, 24);
        double[] v = Prng.normal(Prng.key(9), new int[] {N}, DType.FLOAT64).toDoubleArray();
        double[] jv = times(j, v);
        double[] hjv = times(hl, jv);
        double[] expected = new double[N];
        for (int a = 0; a < N; a++) {
            for (int o = 0; o < 24; o++) {
                expected[a] += j[o][a] * hjv[o];
            }
        }
        MLP vt = RAV.unravel().apply(Array.of(v, N));
        double[] ggn = flat(Curvature.ggnVectorProduct(out, CurvatureTest::meanCe, MODEL, vt));
        double[] fisher = flat(Curvature.fisherVectorProduct(out, MODEL, vt));
        for (int a = 0; a < N; a++) {
            assertEquals(expected[a], ggn[a], 1e-12, "GGN " + a);
            assertEquals(expected[a], fisher[a], 1e-12, "Fisher (softmax cross-entropy's GGN) " + a);
        }
    }

    @Test
    void theDensityOfAKnownSpectrumPeaksAtItsEigenvaluesWithTheirMultiplicities(@TempDir Path dir) throws Exception {
        double[] d = {1, 1, 1, 1, 1, 1, 3, 3, 3, 7, 7, 7};
        Array diag = Array.of(d, d.length);
        UnaryOperator<Array> quad = x -> Jnp.multiply(Jnp.sum(Jnp.multiply(diag, Jnp.square(x))), 0.5);
        Density s = Curvature.spectralDensity(quad, Jnp.ones(DType.FLOAT64, d.length), 400, 6, Prng.key(10), 0.05);
        double[] mass = new double[3];
        double[] values = {1, 3, 7};
        for (int j = 0; j < s.nodes().length; j++) {
            int k = -1;
            for (int c = 0; c < 3; c++) {
                if (Math.abs(s.nodes()[j] - values[c]) < 1e-8) {
                    k = c;
                }
            }
            assertTrue(k >= 0 || s.weights()[j] < 1e-12, "node " + s.nodes()[j] + " is no eigenvalue");
            if (k >= 0) {
                mass[k] += s.weights()[j];
            }
        }
        assertEquals(0.5, mass[0], 0.04, "eigenvalue 1 has 6 of 12 dimensions");
        assertEquals(0.25, mass[1], 0.04);
        assertEquals(0.25, mass[2], 0.04);
        double integral = 0;
        double[] g = s.grid();
        double[] p = s.density();
        for (int i = 1; i < g.length; i++) {
            integral += 0.5 * (p[i] + p[i - 1]) * (g[i] - g[i - 1]);
        }
        assertEquals(1.0, integral, 1e-3);
        Path png = dir.resolve("density.png");
        s.savePng(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(800, img.getWidth());
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> Curvature.topEigenvalues(LOSS, MODEL, 0, Prng.key(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Curvature.hutchinsonTrace(x -> Jnp.sum(x.astype(DType.FLOAT64)), Array.of(new int[] {1, 2}, 2), 3,
                        Prng.key(0)));
        assertTrue(e.getMessage().contains("hutchinsonTrace"), e.getMessage());
    }
}
