package dev.solstice.special;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Special;
import dev.solstice.testing.Numeric;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Derivatives of the special, inverse trigonometric and hyperbolic functions to order two: first derivatives
 * against float64 central differences of the values, second derivatives against central differences of the
 * (checked) first derivatives, and the four pairings of forward and reverse mode agreeing on the second
 * derivative; then vmap against a loop and jit against eager evaluation, for values and gradients.
 */
class SpecialDerivativesTest {

    /** A unary function with the interval its test points are drawn from. */
    record Unary(String name, UnaryOperator<Array> f, double lo, double hi) {}

    /** A binary function with the box its test points are drawn from. */
    record Binary(String name, BinaryOperator<Array> f, double lo1, double hi1, double lo2, double hi2) {}

    static final List<Unary> UNARY = List.of(
            new Unary("erfc", Special::erfc, -3, 3),
            new Unary("gammaln", Special::gammaln, 0.3, 6),
            new Unary("gammaln<0", Special::gammaln, -2.8, -2.2),
            new Unary("digamma", Special::digamma, 0.3, 6),
            new Unary("digamma<0", Special::digamma, -1.8, -1.2),
            new Unary("expit", Special::expit, -4, 4),
            new Unary("logit", Special::logit, 0.05, 0.95),
            new Unary("ndtr", Special::ndtr, -6, 4),
            new Unary("ndtri", Special::ndtri, 0.01, 0.99),
            new Unary("ndtri tail", Special::ndtri, 1e-9, 1e-6),
            new Unary("logNdtr", Special::logNdtr, -6, 6),
            new Unary("logNdtr far left", Special::logNdtr, -40, -15),
            new Unary("i0e", Special::i0e, 0.2, 8),
            new Unary("i0e<0", Special::i0e, -8, -0.2),
            new Unary("i1e", Special::i1e, 0.2, 8),
            new Unary("i1e<0", Special::i1e, -40, -0.2),
            new Unary("sinh", Jnp::sinh, -3, 3),
            new Unary("cosh", Jnp::cosh, -3, 3),
            new Unary("asinh", Jnp::asinh, -3, 3),
            new Unary("acosh", Jnp::acosh, 1.2, 4),
            new Unary("atanh", Jnp::atanh, -0.9, 0.9),
            new Unary("arcsin", Jnp::arcsin, -0.9, 0.9),
            new Unary("arccos", Jnp::arccos, -0.9, 0.9),
            new Unary("arctan", Jnp::arctan, -3, 3));

    static final List<Binary> BINARY = List.of(
            new Binary("betaln", Special::betaln, 0.5, 12, 0.5, 12),
            new Binary("betaln large", Special::betaln, 0.5, 4, 20, 200),
            new Binary("xlogy", Special::xlogy, -2, 2, 0.2, 3),
            new Binary("xlog1py", Special::xlog1py, -2, 2, -0.8, 3),
            new Binary("arctan2", Jnp::arctan2, -2, 2, -2, 2),
            new Binary("hypot", Jnp::hypot, -2, 2, -2, 2));

    private static final int POINTS = 5;

    private static double uniform(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h with h relative to the interval. */
    private static double difference(UnaryOperator<Array> f, double x, double h) {
        double p2 = f.apply(Array.scalar(x + 2 * h)).item();
        double p1 = f.apply(Array.scalar(x + h)).item();
        double m1 = f.apply(Array.scalar(x - h)).item();
        double m2 = f.apply(Array.scalar(x - 2 * h)).item();
        return (-p2 + 8 * p1 - 8 * m1 + m2) / (12 * h);
    }

    private static void assertNear(double expected, double actual, double rtol, String what) {
        assertTrue(Math.abs(expected - actual) <= rtol * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + " but got " + actual);
    }

    /** The step for central differences at x: small against the interval and against |x| in the ndtri tail. */
    private static double step(Unary u, double x) {
        return Math.min(1e-3 * (u.hi() - u.lo()), 1e-2 * Math.abs(x) + 1e-300);
    }

    @Test
    void firstAndSecondDerivativesMatchCentralDifferences() {
        Random r = new Random(14);
        for (Unary u : UNARY) {
            UnaryOperator<Array> d1 = Jax.grad(u.f());
            UnaryOperator<Array> d2 = Jax.grad(d1);
            for (int i = 0; i < POINTS; i++) {
                double x = uniform(r, u.lo(), u.hi());
                double h = step(u, x);
                String what = u.name() + " at " + x;
                double grad = d1.apply(Array.scalar(x)).item();
                assertNear(difference(u.f(), x, h), grad, 1e-6, what + ", first derivative");
                assertNear(difference(d1, x, h), d2.apply(Array.scalar(x)).item(), 1e-5, what + ", second derivative");
            }
        }
    }

    @Test
    void secondDerivativesAgreeInAllFourModePairings() {
        Random r = new Random(15);
        for (Unary u : UNARY) {
            List<UnaryOperator<Array>> pairings = List.of(Jax.jacfwd(Jax.jacfwd(u.f())), Jax.jacfwd(Jax.jacrev(u.f())),
                    Jax.jacrev(Jax.jacfwd(u.f())), Jax.jacrev(Jax.jacrev(u.f())));
            double x = uniform(r, u.lo(), u.hi());
            double reference = pairings.get(0).apply(Array.scalar(x)).item();
            for (int k = 1; k < 4; k++) {
                assertNear(reference, pairings.get(k).apply(Array.scalar(x)).item(), 1e-12,
                        u.name() + " at " + x + ", pairing " + k + " vs forward-over-forward");
            }
        }
        for (Binary b : BINARY) {
            UnaryOperator<Array> g = v -> b.f().apply(v.get(0), v.get(1));
            List<UnaryOperator<Array>> pairings = List.of(Jax.jacfwd(Jax.jacfwd(g)), Jax.jacfwd(Jax.jacrev(g)),
                    Jax.jacrev(Jax.jacfwd(g)), Jax.jacrev(Jax.jacrev(g)));
            Array v = Array.of(uniform(r, b.lo1(), b.hi1()), uniform(r, b.lo2(), b.hi2()));
            double[] reference = pairings.get(0).apply(v).toDoubleArray();
            assertEquals(4, reference.length, b.name() + ": a 2x2 Hessian");
            for (int k = 1; k < 4; k++) {
                Numeric.assertClose(reference, pairings.get(k).apply(v).toDoubleArray(), 1e-12, 1e-12,
                        b.name() + " at " + v + ", pairing " + k + " vs forward-over-forward");
            }
        }
    }

    @Test
    void binaryDerivativesMatchCentralDifferences() {
        Random r = new Random(16);
        for (Binary b : BINARY) {
            UnaryOperator<Array> g = v -> b.f().apply(v.get(0), v.get(1));
            UnaryOperator<Array> grad = Jax.grad(g);
            UnaryOperator<Array> hessian = Jax.hessian(g);
            for (int i = 0; i < POINTS; i++) {
                Array v = Array.of(uniform(r, b.lo1(), b.hi1()), uniform(r, b.lo2(), b.hi2()));
                for (int k = 0; k < 2; k++) {
                    Array dir = k == 0 ? Array.of(1.0, 0.0) : Array.of(0.0, 1.0);
                    double h = 1e-4;
                    double[] fd = Numeric.centralDifference(g, v, dir, h);
                    double[] fd2 = Numeric.centralDifference(grad, v, dir, h);
                    String what = b.name() + " at " + v + ", direction " + k;
                    assertNear(fd[0], grad.apply(v).toDoubleArray()[k], 1e-7, what + ", gradient");
                    double[] hess = hessian.apply(v).toDoubleArray();
                    assertNear(fd2[0], hess[k], 1e-6, what + ", Hessian row 0");
                    assertNear(fd2[1], hess[2 + k], 1e-6, what + ", Hessian row 1");
                }
            }
        }
    }

    @Test
    void vmapEqualsALoopAndJitEqualsEager() {
        Random r = new Random(17);
        for (Unary u : UNARY) {
            double[] xs = new double[6];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = uniform(r, u.lo(), u.hi());
            }
            Array batch = Array.of(xs);
            UnaryOperator<Array> grad = Jax.grad(u.f());
            double[] vmapped = Jax.vmap(u.f()).apply(batch).toDoubleArray();
            double[] vmappedGrad = Jax.vmap(grad).apply(batch).toDoubleArray();
            double[] jitted = Jax.jit(u.f()).apply(batch).toDoubleArray();
            double[] jittedGrad = Jax.jit(Jax.vmap(grad)).apply(batch).toDoubleArray();
            double[] eager = u.f().apply(batch).toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                String what = u.name() + " at " + xs[i];
                double one = u.f().apply(Array.scalar(xs[i])).item();
                double oneGrad = grad.apply(Array.scalar(xs[i])).item();
                assertNear(one, vmapped[i], 1e-14, what + ": vmap vs loop");
                assertNear(oneGrad, vmappedGrad[i], 1e-14, what + ": vmap(grad) vs loop");
                assertNear(eager[i], jitted[i], 1e-14, what + ": jit vs eager");
                assertNear(oneGrad, jittedGrad[i], 1e-14, what + ": jit(vmap(grad)) vs loop");
            }
        }
        for (Binary b : BINARY) {
            double[] rows = new double[12];
            for (int i = 0; i < 6; i++) {
                rows[2 * i] = uniform(r, b.lo1(), b.hi1());
                rows[2 * i + 1] = uniform(r, b.lo2(), b.hi2());
            }
            Array batch = Array.of(rows, 6, 2);
            UnaryOperator<Array> g = v -> b.f().apply(v.get(0), v.get(1));
            double[] vmapped = Jax.vmap(Jax.grad(g)).apply(batch).toDoubleArray();
            double[] jitted = Jax.jit(Jax.vmap(Jax.grad(g))).apply(batch).toDoubleArray();
            for (int i = 0; i < 6; i++) {
                double[] one = Jax.grad(g).apply(Array.of(rows[2 * i], rows[2 * i + 1])).toDoubleArray();
                for (int k = 0; k < 2; k++) {
                    assertNear(one[k], vmapped[2 * i + k], 1e-14, b.name() + " row " + i + ": vmap(grad) vs loop");
                    assertNear(one[k], jitted[2 * i + k], 1e-14, b.name() + " row " + i + ": jit(vmap(grad)) vs loop");
                }
            }
        }
    }
}
