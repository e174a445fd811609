package dev.solstice.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.LUDecomposition;
import org.junit.jupiter.api.Test;

/**
 * Newton-CG and Levenberg-Marquardt against answers known independently: the minimiser of a convex quadratic
 * (Hipparchus's LU solve of A x = b), Rosenbrock's minimum (1, 1), and the parameters that generated
 * noise-free data for a nonlinear curve fit over a record of parameters.
 */
class SecondOrderSolversTest {

    @Test
    void oneNewtonStepSolvesAQuadraticExactly() {
        int n = 6;
        double[] m = Prng.normal(Prng.key(1), new int[] {n, n}, DType.FLOAT64).toDoubleArray();
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += m[k * n + i] * m[k * n + j];
                }
            }
            a[i][i] += 1;
        }
        double[] b = Prng.normal(Prng.key(2), new int[] {n}, DType.FLOAT64).toDoubleArray();
        double[] flatA = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, flatA, i * n, n);
        }
        Array am = Array.of(flatA, n, n);
        Array bv = Array.of(b, n);
        UnaryOperator<Array> f = x -> Jnp.subtract(Jnp.multiply(Jnp.dot(x, Jnp.matmul(am, x)), 0.5), Jnp.dot(bv, x));
        NewtonCg.Result<Array> r = NewtonCg.minimize(f, Jnp.zeros(DType.FLOAT64, n),
                new NewtonCg.Options(5, n, 0, 1e-9));
        double[] expected = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver().solve(new ArrayRealVector(b))
                .toArray();
        double[] x = r.params().toDoubleArray();
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], x[i], 1e-9);
        }
        assertTrue(r.converged() && r.iterations() <= 4, r.toString());
    }

    private static final UnaryOperator<Array> ROSENBROCK = p -> Jnp.add(Jnp.square(Jnp.subtract(1.0, p.get(0))),
            Jnp.multiply(Jnp.square(Jnp.subtract(p.get(1), Jnp.square(p.get(0)))), 100.0));

    @Test
    void newtonCgFindsRosenbrocksMinimum() {
        NewtonCg.Result<Array> r = NewtonCg.minimize(ROSENBROCK, Array.of(-1.2, 1.0), NewtonCg.Options.defaults());
        assertTrue(r.converged(), r.toString());
        assertEquals(1.0, r.params().toDoubleArray()[0], 1e-8);
        assertEquals(1.0, r.params().toDoubleArray()[1], 1e-8);
        // from (-1.2, 1) the path crosses regions of negative curvature, where steps fall back to steepest descent
        assertTrue(r.iterations() < 80, "iterations: " + r.iterations());
    }

    /** Parameters of {@code a exp(b t) + c}, as a record: the solvers work on trees. */
    record Curve(Array a, Array b, Array c) {}

    @Test
    void levenbergMarquardtRecoversTheParametersOfNoiseFreeData() {
        Array t = Jnp.linspace(0, 2, 25, DType.FLOAT64);
        Array y = Jnp.add(Jnp.multiply(Jnp.exp(Jnp.multiply(t, -1.3)), 2.5), 0.7);
        Function<Curve, Array> residuals = p -> Jnp.subtract(
                Jnp.add(Jnp.multiply(Jnp.exp(Jnp.multiply(t, p.b())), p.a()), p.c()), y);
        Curve start = new Curve(Array.scalar(1.0), Array.scalar(-0.5), Array.scalar(0.0));
        LevenbergMarquardt.Result<Curve> r = LevenbergMarquardt.minimize(residuals, start,
                LevenbergMarquardt.Options.defaults());
        assertEquals(2.5, r.params().a().item(), 1e-8, r.toString());
        assertEquals(-1.3, r.params().b().item(), 1e-8, r.toString());
        assertEquals(0.7, r.params().c().item(), 1e-8, r.toString());
        assertTrue(r.cost() < 1e-20, r.toString());
        // and Newton-CG on the same least-squares cost reaches the same point
        NewtonCg.Result<Curve> n = NewtonCg.minimize(p -> Jnp.multiply(Jnp.sum(Jnp.square(residuals.apply(p))), 0.5), start,
                NewtonCg.Options.defaults());
        assertEquals(-1.3, n.params().b().item(), 1e-7, n.toString());
    }

    @Test
    void badOptionsAndParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NewtonCg.Options(0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LevenbergMarquardt.Options(1, 0, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NewtonCg.minimize(x -> Jnp.sum(x.astype(DType.FLOAT64)), Array.of(new int[] {1}, 1),
                        NewtonCg.Options.defaults()));
        assertTrue(e.getMessage().contains("NewtonCg.minimize"), e.getMessage());
    }
}
