package dev.solstice.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Lax;
import java.util.Random;
import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * The erf_inv primitive beyond the contract test's examples: the tails near ±1 (which {@code Prng.normal}
 * reaches), the special values, and the float32 path, all against Hipparchus.
 */
class ErfInvTest {

    private static double erfInv64(double x) {
        return Lax.erfInv(Array.scalar(x)).item();
    }

    private static float erfInv32(float x) {
        return (float) Lax.erfInv(Array.scalar(x)).item();
    }

    @Test
    void float64AcrossTheDomainAndIntoTheTails() {
        Random r = new Random(5);
        for (int i = 0; i < 2000; i++) {
            double x = -1 + 2 * r.nextDouble();
            double y = erfInv64(x);
            assertEquals(Erf.erfInv(x), y, 1e-14 * Math.max(1, Math.abs(y)), "erf_inv(" + x + ")");
        }
        for (int k = 1; k <= 16; k++) {
            double x = 1 - Math.pow(10, -k);
            double y = erfInv64(x);
            // the tail through erfc, where 1 - x is exact: erfc(y) must give back 1 - x
            assertEquals(1 - x, Erf.erfc(y), 1e-12 * (1 - x), "erfc(erf_inv(" + x + "))");
            assertEquals(-y, erfInv64(-x), 0.0, "odd at " + x);
        }
        double nearOne = Math.nextDown(1.0);
        assertTrue(erfInv64(nearOne) > 5.8 && erfInv64(nearOne) < 6, "erf_inv(1 - 2^-53) = " + erfInv64(nearOne));
        assertEquals(Double.POSITIVE_INFINITY, erfInv64(1));
        assertEquals(Double.NEGATIVE_INFINITY, erfInv64(-1));
        assertTrue(Double.isNaN(erfInv64(1.5)));
        assertTrue(Double.isNaN(erfInv64(Double.NaN)));
        assertEquals(0.0, erfInv64(0), 0.0);
    }

    @Test
    void float32FollowsGilesPolynomialToFloatPrecision() {
        Random r = new Random(6);
        for (int i = 0; i < 2000; i++) {
            float x = (float) (-1 + 2 * r.nextDouble());
            float y = erfInv32(x);
            double exact = Erf.erfInv(x);
            assertEquals(exact, y, 4e-6 * Math.max(1, Math.abs(exact)), "erf_inv(" + x + "f)");
        }
        float nearOne = Math.nextDown(1f);
        assertEquals(Erf.erfInv(nearOne), erfInv32(nearOne), 1e-3, "erf_inv(1 - 2^-24)");
        assertEquals(Float.POSITIVE_INFINITY, erfInv32(1f));
        assertEquals(Float.NEGATIVE_INFINITY, erfInv32(-1f));
        assertTrue(Float.isNaN(erfInv32(1.25f)));
    }

    @Test
    void derivativeIsHalfRootPiExpYSquared() {
        for (double x : new double[] {-0.99, -0.5, 0, 0.3, 0.999}) {
            double y = Erf.erfInv(x);
            double d = Jax.grad((Array v) -> Lax.erfInv(v)).apply(Array.scalar(x)).item();
            assertEquals(Math.sqrt(Math.PI) / 2 * Math.exp(y * y), d, 1e-12 * Math.exp(y * y), "at " + x);
        }
    }
}
