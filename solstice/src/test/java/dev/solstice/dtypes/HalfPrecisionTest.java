package dev.solstice.dtypes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.core.DenseArray;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * float16 and bfloat16: storage, rounding and arithmetic against an independent decoder of the bit formats
 * (sign, exponent, fraction by IEEE 754's definitions, in BigDecimal) and a brute-force nearest-value search.
 */
class HalfPrecisionTest {
    /** The exact value of a float16 bit pattern from IEEE 754's definition, or null for NaN. */
    static BigDecimal decodeHalf(int bits) {
        return decode(bits, 5, 10);
    }

    /** The exact value of a bfloat16 bit pattern (float32's upper half), or null for NaN. */
    static BigDecimal decodeBf16(int bits) {
        return decode(bits, 8, 7);
    }

    private static BigDecimal decode(int bits, int expBits, int fracBits) {
        int sign = (bits >> (expBits + fracBits)) & 1;
        int exp = (bits >> fracBits) & ((1 << expBits) - 1);
        int frac = bits & ((1 << fracBits) - 1);
        int bias = (1 << (expBits - 1)) - 1;
        if (exp == (1 << expBits) - 1) {
            return frac == 0 ? (sign == 0 ? INF : NEG_INF) : null;
        }
        BigDecimal significand = exp == 0 ? BigDecimal.valueOf(frac) : BigDecimal.valueOf((1L << fracBits) + frac);
        int e = (exp == 0 ? 1 : exp) - bias - fracBits;
        BigDecimal v = e >= 0 ? significand.multiply(BigDecimal.valueOf(2).pow(e))
                : significand.divide(BigDecimal.valueOf(2).pow(-e));
        return sign == 1 ? v.negate() : v;
    }

    // stand-ins for the infinities, far beyond either format's range
    private static final BigDecimal INF = new BigDecimal("1e1000");
    private static final BigDecimal NEG_INF = INF.negate();

    private static short bitsOf(Array a) {
        return ((short[]) ((DenseArray) a.concrete()).data())[0];
    }

    /**
     * The pattern IEEE round-to-nearest-even gives for {@code v}: the nearest finite value, ties to the even
     * fraction; beyond the largest finite value by half an ulp or more, infinity.
     */
    private static int nearest(BigDecimal v, boolean half) {
        int signBit = half ? 0x8000 : 0x8000;
        int maxFinite = half ? 0x7BFF : 0x7F7F;
        BigDecimal a = v.abs();
        int lo = 0;
        int hi = maxFinite;
        // binary search over the positive patterns, which are ordered as their values
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (dec(mid, half).compareTo(a) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int best;
        if (lo == maxFinite) {
            BigDecimal ulp = dec(maxFinite, half).subtract(dec(maxFinite - 1, half));
            BigDecimal limit = dec(maxFinite, half).add(ulp.divide(BigDecimal.valueOf(2)));
            best = a.compareTo(limit) >= 0 ? maxFinite + 1 : maxFinite;
        } else {
            BigDecimal below = a.subtract(dec(lo, half));
            BigDecimal above = dec(lo + 1, half).subtract(a);
            int c = below.compareTo(above);
            best = c < 0 ? lo : c > 0 ? lo + 1 : ((lo & 1) == 0 ? lo : lo + 1);
        }
        return v.signum() < 0 ? best | signBit : best;
    }

    private static BigDecimal dec(int bits, boolean half) {
        return half ? decodeHalf(bits) : decodeBf16(bits);
    }

    @Test
    void everyFloat16PatternWidensToItsExactValue() {
        for (int bits = 0; bits < 65536; bits++) {
            short[] s = {(short) bits};
            double v = DenseArray.wrap(new dev.solstice.core.Aval(DType.FLOAT16), s).getDouble(0);
            BigDecimal exact = decodeHalf(bits);
            if (exact == null) {
                assertTrue(Double.isNaN(v), "pattern " + Integer.toHexString(bits));
            } else if (exact == INF || exact == NEG_INF) {
                assertEquals(exact == INF ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, v);
            } else {
                assertEquals(0, exact.compareTo(new BigDecimal(v)), "pattern " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void everyBfloat16PatternWidensToItsExactValue() {
        for (int bits = 0; bits < 65536; bits++) {
            short[] s = {(short) bits};
            double v = DenseArray.wrap(new dev.solstice.core.Aval(DType.BFLOAT16), s).getDouble(0);
            BigDecimal exact = decodeBf16(bits);
            if (exact == null) {
                assertTrue(Double.isNaN(v));
            } else if (exact != INF && exact != NEG_INF) {
                assertEquals(0, exact.compareTo(new BigDecimal(v)), "pattern " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void doublesRoundOnceToTheNearestValueTiesToEven() {
        Random r = new Random(14);
        for (int i = 0; i < 3000; i++) {
            // magnitudes across both formats' ranges, subnormals and overflow included, plus exact midpoints
            double v = Math.scalb(r.nextDouble() * 2 - 1, r.nextInt(300) - 150);
            if (i % 5 == 0) {
                int p = r.nextInt(0x7BFF);
                v = decodeHalf(p).add(decodeHalf(p + 1)).divide(BigDecimal.valueOf(2)).doubleValue();
            }
            for (boolean half : new boolean[] {true, false}) {
                short got = bitsOf(Array.of(half ? DType.FLOAT16 : DType.BFLOAT16, new double[] {v}));
                assertEquals(nearest(new BigDecimal(v), half), got & 0xFFFF,
                        (half ? "float16 " : "bfloat16 ") + "of " + v);
            }
        }
    }

    @Test
    void float64ToFloat16IsNotRoundedTwice() {
        // 1 + 2^-11 + 2^-40: rounding to float32 first gives the tie 1 + 2^-11, which rounds to even (1.0);
        // the double itself is above the tie and rounds up to 1 + 2^-10
        double v = 1 + Math.scalb(1.0, -11) + Math.scalb(1.0, -40);
        assertEquals(0x3C01, bitsOf(Array.of(v).astype(DType.FLOAT16)) & 0xFFFF);
        assertEquals(0x3C01, bitsOf(Array.of(DType.FLOAT16, new double[] {v})) & 0xFFFF);
    }

    @Test
    void arithmeticRoundsTheExactResultOfTheStoredValues() {
        Random r = new Random(7);
        for (int i = 0; i < 400; i++) {
            int pa = r.nextInt(0x7800) | (r.nextBoolean() ? 0x8000 : 0);
            int pb = r.nextInt(0x7800) | (r.nextBoolean() ? 0x8000 : 0);
            Array a = DenseArray.wrap(new dev.solstice.core.Aval(DType.FLOAT16), new short[] {(short) pa});
            Array b = DenseArray.wrap(new dev.solstice.core.Aval(DType.FLOAT16), new short[] {(short) pb});
            BigDecimal x = decodeHalf(pa);
            BigDecimal y = decodeHalf(pb);
            // products of two 11-bit significands are exact in float32, so computing in float32 rounds once;
            // sums too while the exponents differ by less than 13
            assertEquals(nearest(x.multiply(y), true), bitsOf(a.mul(b)) & 0xFFFF, "product " + x + " * " + y);
            if (Math.abs(((pa >> 10) & 31) - ((pb >> 10) & 31)) < 13) {
                assertEquals(nearest(x.add(y), true), bitsOf(a.add(b)) & 0xFFFF, "sum " + x + " + " + y);
            }
        }
    }

    @Test
    void dtypesFollowJaxPromotion() {
        Array h = Array.of(DType.FLOAT16, new double[] {1.5, 2}, 2);
        Array b = Array.of(DType.BFLOAT16, new double[] {1.5, 2}, 2);
        assertEquals(DType.FLOAT16, h.mul(2.0).dtype(), "a Java double is weak");
        assertEquals(DType.FLOAT32, h.add(b).dtype());
        assertEquals(DType.FLOAT32, h.add(Array.of(1f, 2f)).dtype());
        assertEquals(DType.FLOAT64, b.add(Array.of(1.0, 2.0)).dtype());
        assertEquals(DType.FLOAT16, h.add(Array.of(1, 2)).dtype(), "int32 with float16 gives float16");
        assertEquals(DType.BFLOAT16, b.add(Array.of(new long[] {1, 2}, 2)).dtype());
    }

    @Test
    void derivativesCarryTheDtypeAndAgreeWithFloat32RoundedOnce() {
        double[] xs = {0.25, -1.5, 3.0};
        Array x = Array.of(DType.FLOAT16, xs, 3);
        Array g = Jax.grad((Array v) -> Jnp.sum(Jnp.sin(v))).apply(x);
        assertEquals(DType.FLOAT16, g.dtype());
        for (int i = 0; i < xs.length; i++) {
            double expected = Array.of(DType.FLOAT16, new double[] {(float) Math.cos(xs[i])}).toDoubleArray()[0];
            assertEquals(expected, g.toDoubleArray()[i], 0.0);
        }
    }

    @Test
    void jitAndVmapGiveTheEagerBits() {
        Array x = Array.of(DType.BFLOAT16, new double[] {0.1, 0.7, -3.25, 1e30, 5, 6}, 2, 3);
        java.util.function.UnaryOperator<Array> f = v -> Jnp.tanh(v.mul(v)).add(Jnp.exp(v.mul(0.1))).sum(1);
        Array eager = f.apply(x);
        Array jitted = Jax.jit(f).apply(x);
        Array mapped = Jax.vmap((Array row) -> Jnp.tanh(row.mul(row)).add(Jnp.exp(row.mul(0.1))).sum()).apply(x);
        assertEquals(DType.BFLOAT16, eager.dtype());
        assertEquals(java.util.Arrays.toString(eager.toDoubleArray()), java.util.Arrays.toString(jitted.toDoubleArray()));
        assertEquals(java.util.Arrays.toString(eager.toDoubleArray()), java.util.Arrays.toString(mapped.toDoubleArray()));
    }

    @Test
    void randomValuesInHalfTypesStayInRangeAndHaveTheRightMoments() {
        for (DType t : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Array u = dev.solstice.Prng.uniform(dev.solstice.Prng.key(3), new int[] {20000}, t, 0, 1);
            assertEquals(t, u.dtype());
            double[] v = u.toDoubleArray();
            double mean = 0;
            for (double x : v) {
                assertTrue(x >= 0 && x < 1, t + ": " + x);
                mean += x / v.length;
            }
            // the values are k / 2^bits: the mean is (1 - 2^-bits) / 2 up to sampling error
            assertEquals(0.5, mean, 0.02, t.toString());
            double[] z = dev.solstice.Prng.normal(dev.solstice.Prng.key(4), new int[] {20000}, t).toDoubleArray();
            double m = 0;
            double sq = 0;
            for (double x : z) {
                assertTrue(Double.isFinite(x));
                m += x / z.length;
                sq += x * x / z.length;
            }
            assertEquals(0, m, 0.03, t + " normal mean");
            assertEquals(1, Math.sqrt(sq - m * m), 0.03, t + " normal standard deviation");
        }
    }

    @Test
    void uniformHalvesFollowJaxsConstructionFromSixteenRandomBits() {
        for (dev.solstice.Prng.Scheme scheme : dev.solstice.Prng.Scheme.values()) {
            dev.solstice.random.Generator gen = dev.solstice.random.Generator.of(scheme);
            Array key = gen.key(42);
            int[] bits = gen.bits(key, new int[] {64}, 16).toIntArray();
            double[] f16 = gen.uniform(key, new int[] {64}, DType.FLOAT16, 0, 1).toDoubleArray();
            double[] bf16 = gen.uniform(key, new int[] {64}, DType.BFLOAT16, 0, 1).toDoubleArray();
            for (int i = 0; i < 64; i++) {
                // JAX: bitcast((bits >> (16 - fraction bits)) | bits of 1.0) - 1
                assertEquals((bits[i] >>> 6) / 1024.0, f16[i], 0.0, scheme + " float16 " + i);
                assertEquals((bits[i] >>> 9) / 128.0, bf16[i], 0.0, scheme + " bfloat16 " + i);
            }
        }
    }

    @Test
    void meanAndVarianceRoundOnceFromFloat32() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 300; i++) {
            double[] v = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            Array x = Array.of(DType.BFLOAT16, v, 3);
            double[] stored = x.toDoubleArray();
            // the float32 mean of the stored values, rounded once to bfloat16 (JAX's upcast), from plain Java
            float sum = (float) stored[0] + (float) stored[1] + (float) stored[2];
            double want = Array.of(DType.BFLOAT16, new double[] {sum / 3f}).toDoubleArray()[0];
            assertEquals(want, Jnp.mean(x).item(), 0.0, java.util.Arrays.toString(stored));
            assertEquals(DType.BFLOAT16, Jnp.var(x).dtype());
        }
    }

    @Test
    void pseudoInverseCutsAtTheHalfTypesEpsilon() {
        // sigma 1e-3 is below float16's cutoff (eps 2^-10 times the largest value times n), so it is dropped
        Array a = Array.of(DType.FLOAT16, new double[] {1, 0, 0, 1e-3}, 2, 2);
        double[] p = dev.solstice.Linalg.pinv(a).toDoubleArray();
        assertEquals(1.0, p[0], 0.0);
        assertEquals(0.0, p[3], 0.0);
    }
}
