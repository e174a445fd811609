package dev.solstice.dtypes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.TopK;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * int8, uint8, uint32 and int64: wrap-around arithmetic, comparisons, conversions and reductions against
 * BigInteger reduced modulo 2^bits (the definition of wrap-around), and JAX's promotion table.
 */
class IntegerTypesTest {
    private static final List<DType> TYPES = List.of(DType.INT8, DType.UINT8, DType.UINT32, DType.INT64, DType.INT32);

    /** {@code v} reduced modulo 2^bits into the type's range. */
    private static BigInteger wrap(BigInteger v, DType t) {
        BigInteger m = BigInteger.ONE.shiftLeft(t.bits());
        BigInteger r = v.mod(m);
        return !t.isUnsigned() && r.testBit(t.bits() - 1) ? r.subtract(m) : r;
    }

    private static long[] randomValues(DType t, Random r, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = wrap(BigInteger.valueOf(r.nextLong()), t).longValueExact();
            if (i < 4) { // the extremes
                BigInteger min = t.isUnsigned() ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(t.bits() - 1).negate();
                BigInteger max = t.isUnsigned() ? BigInteger.ONE.shiftLeft(t.bits()).subtract(BigInteger.ONE)
                        : BigInteger.ONE.shiftLeft(t.bits() - 1).subtract(BigInteger.ONE);
                v[i] = (i == 0 ? min : i == 1 ? max : i == 2 ? BigInteger.ZERO : BigInteger.ONE).longValueExact();
            }
        }
        return v;
    }

    /** An array of dtype t holding exactly these values (in range), made through int64 and a wrapping convert. */
    private static Array array(DType t, long[] v) {
        return Array.of(v, v.length).astype(t);
    }

    private static void checkBinary(String name, BinaryOperator<Array> op, BinaryOperator<BigInteger> exact) {
        Random r = new Random(name.hashCode());
        for (DType t : TYPES) {
            long[] a = randomValues(t, r, 40);
            long[] b = randomValues(t, r, 40);
            if (name.equals("div")) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = b[i] == 0 ? 3 : b[i];
                }
            }
            Array got = op.apply(array(t, a), array(t, b));
            assertEquals(t, got.dtype(), name + " of " + t);
            long[] g = got.toLongArray();
            for (int i = 0; i < a.length; i++) {
                BigInteger want = wrap(exact.apply(BigInteger.valueOf(a[i]), BigInteger.valueOf(b[i])), t);
                assertEquals(want.longValue(), g[i], name + " of " + t + " at " + a[i] + ", " + b[i]);
            }
        }
    }

    @Test
    void arithmeticWrapsAround() {
        checkBinary("add", Array::add, BigInteger::add);
        checkBinary("sub", Array::sub, BigInteger::subtract);
        checkBinary("mul", Array::mul, BigInteger::multiply);
        checkBinary("div", Lax::div, BigInteger::divide); // truncating, as lax.div
        checkBinary("max", Jnp::maximum, BigInteger::max);
        checkBinary("and", Lax::and, BigInteger::and);
        checkBinary("xor", Lax::xor, BigInteger::xor);
    }

    @Test
    void comparisonsSeeUnsignedValues() {
        Random r = new Random(3);
        for (DType t : TYPES) {
            long[] a = randomValues(t, r, 30);
            long[] b = randomValues(t, r, 30);
            boolean[] lt = Jnp.less(array(t, a), array(t, b)).toBooleanArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i] < b[i], lt[i], t + ": " + a[i] + " < " + b[i]);
            }
        }
    }

    @Test
    void negationAndNotWrap() {
        assertArrayEquals(new long[] {-128, 127, 1}, Array.of(new long[] {-128, -127, -1}, 3).astype(DType.INT8).neg().toLongArray());
        assertArrayEquals(new long[] {255, 0, 254}, Lax.not(array(DType.UINT8, new long[] {0, 255, 1})).toLongArray());
        assertArrayEquals(new long[] {4294967295L, 1}, array(DType.UINT32, new long[] {1, 4294967295L}).neg().toLongArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE}, Array.of(new long[] {Long.MIN_VALUE}, 1).neg().toLongArray());
    }

    @Test
    void logicalShiftFillsZerosFromTheTypesOwnTopBit() {
        Array x = array(DType.INT8, new long[] {-1, -128, 64});
        Array one = array(DType.INT8, new long[] {1, 7, 9});
        assertArrayEquals(new long[] {127, 1, 0}, Lax.shiftRightLogical(x, one).toLongArray());
        Array u = array(DType.UINT32, new long[] {4294967295L, 8});
        assertArrayEquals(new long[] {2147483647L, 0}, Lax.shiftRightLogical(u, array(DType.UINT32, new long[] {1, 32})).toLongArray());
        Array l = Array.of(new long[] {-1}, 1);
        assertArrayEquals(new long[] {Long.MAX_VALUE}, Lax.shiftRightLogical(l, Array.of(new long[] {1}, 1)).toLongArray());
    }

    @Test
    void conversionsWrapBetweenIntegersAndSaturateFromFloats() {
        Array big = Array.of(300, -1, 128, -129);
        assertArrayEquals(new long[] {44, -1, -128, 127}, big.astype(DType.INT8).toLongArray());
        assertArrayEquals(new long[] {44, 255, 128, 127}, big.astype(DType.UINT8).toLongArray());
        assertArrayEquals(new long[] {300, 4294967295L, 128, 4294967167L}, big.astype(DType.UINT32).toLongArray());
        assertArrayEquals(new long[] {-1}, array(DType.UINT32, new long[] {4294967295L}).astype(DType.INT32).toLongArray());
        Array f = Array.of(300.7, -1.5, Double.NaN, -1e30, 1e30);
        assertArrayEquals(new long[] {127, -1, 0, -128, 127}, f.astype(DType.INT8).toLongArray());
        assertArrayEquals(new long[] {255, 0, 0, 0, 255}, f.astype(DType.UINT8).toLongArray());
        assertArrayEquals(new long[] {300, 0, 0, 0, 4294967295L}, f.astype(DType.UINT32).toLongArray());
        assertArrayEquals(new long[] {300, -1, 0, Long.MIN_VALUE, Long.MAX_VALUE}, f.astype(DType.INT64).toLongArray());
        assertEquals(4294967295.0, array(DType.UINT32, new long[] {4294967295L}).astype(DType.FLOAT64).item());
        assertEquals((double) (1L << 60) + 1024, Array.of(new long[] {(1L << 60) + 1024}, 1).astype(DType.FLOAT64).item());
    }

    @Test
    void reductionsSortAndScansAreExactOnInt64() {
        long big = 1L << 60;
        Array x = Array.of(new long[] {big + 1, big + 3, big + 2, -big}, 2, 2);
        assertArrayEquals(new long[] {2 * big + 3, 3}, Jnp.sum(x, 0).toLongArray());
        assertArrayEquals(new long[] {big + 3, big + 2}, Jnp.max(x, 1).toLongArray());
        assertArrayEquals(new long[] {1, 0}, Jnp.argmax(x, 1).toLongArray(), "big + 3 and big + 1 differ only beyond double's 53 bits");
        assertArrayEquals(new long[] {-big, big + 1, big + 2, big + 3}, Jnp.sort(Jnp.ravel(x), 0).toLongArray());
        assertArrayEquals(new long[] {big + 1, 2 * big + 4, 3 * big + 6, 2 * big + 6}, Jnp.cumsum(Jnp.ravel(x), 0).toLongArray());
        Array m = Array.of(new long[] {1L << 40, -3, 5, 7}, 2, 2);
        assertArrayEquals(new long[] {-15, -3 * (1L << 40) - 21, 5 * (1L << 40) + 35, 34},
                m.matmul(Array.of(new long[] {1L << 40, -3, 5, 7}, 2, 2)).toLongArray());
    }

    @Test
    void int64ToHalfTypesRoundsOnce() {
        // bfloat16 keeps 8 significant bits: near 2^60 its spacing is 2^53, so 2^60 + 2^52 is a midpoint and
        // anything above it rounds up; through a double, 2^60 + 2^52 + 1 would first become the midpoint itself
        // and then round to even (down)
        long big = 1L << 60;
        long[] v = {big + (1L << 52) + 1, big + (1L << 52), big + 3 * (1L << 52), -(big + (1L << 52) + 1), Long.MIN_VALUE};
        double[] expected = {big + (1L << 53), big, big + 4 * (1L << 52), -(big + (1L << 53)), -0x1p63};
        assertArrayEquals(expected, Array.of(v, 5).astype(DType.BFLOAT16).astype(DType.FLOAT64).toDoubleArray());
        // float16 keeps 11: 2^11 + 1 is a tie (to even, down), 2^11 + 3 rounds up; beyond 65520 it overflows
        long[] w = {2049, 2051, 65519, 65520, Long.MAX_VALUE};
        double[] expectedHalf = {2048, 2052, 65504, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        assertArrayEquals(expectedHalf, Array.of(w, 5).astype(DType.FLOAT16).astype(DType.FLOAT64).toDoubleArray());
    }

    @Test
    void topKComparesInt64AndUint32Exactly() {
        long big = 1L << 60;                                  // big + 1 .. big + 3 are one double apart from none
        Array x = Array.of(new long[] {big + 1, big + 3, -big, big + 2, big + 3, 0}, 2, 3);
        TopK top = Lax.topK(x, 2);
        assertArrayEquals(new long[] {big + 3, big + 1, big + 3, big + 2}, top.values().toLongArray());
        assertArrayEquals(new int[] {1, 0, 1, 0}, top.indices().toIntArray());
        Array u = array(DType.UINT32, new long[] {4294967295L, 1, 2147483648L, 7});
        assertArrayEquals(new long[] {4294967295L, 2147483648L, 7}, Lax.topK(u, 3).values().astype(DType.INT64).toLongArray());
    }

    @Test
    void promotionFollowsJaxsTable() {
        // jnp.promote_types for these pairs (JAX's type promotion documentation); uint8 with int8 is int16 in
        // JAX, which Solstice does not have: the next common type, int32
        Object[][] table = {
            {DType.UINT8, DType.UINT32, DType.UINT32}, {DType.UINT8, DType.INT32, DType.INT32},
            {DType.INT8, DType.UINT32, DType.INT64}, {DType.UINT32, DType.INT32, DType.INT64},
            {DType.INT8, DType.INT64, DType.INT64}, {DType.BOOL, DType.UINT8, DType.UINT8},
            {DType.UINT8, DType.INT8, DType.INT32}, {DType.INT64, DType.FLOAT16, DType.FLOAT16},
            {DType.UINT32, DType.BFLOAT16, DType.BFLOAT16}, {DType.BFLOAT16, DType.FLOAT16, DType.FLOAT32},
            {DType.FLOAT16, DType.FLOAT64, DType.FLOAT64}, {DType.INT64, DType.FLOAT32, DType.FLOAT32},
        };
        for (Object[] row : table) {
            assertEquals(row[2], DType.promote((DType) row[0], (DType) row[1]), row[0] + " with " + row[1]);
            assertEquals(row[2], DType.promote((DType) row[1], (DType) row[0]));
            Array a = Jnp.ones((DType) row[0], 2);
            Array b = Jnp.ones((DType) row[1], 2);
            assertEquals(row[2], a.add(b).dtype(), "arrays: " + row[0] + " + " + row[1]);
        }
    }

    @Test
    void weakJavaNumbersKeepTheArraysType() {
        Array u = array(DType.UINT8, new long[] {250, 3});
        assertEquals(DType.UINT8, u.add(10).dtype());
        assertArrayEquals(new long[] {4, 13}, u.add(10).toLongArray());
        assertEquals(dev.solstice.Solstice.defaultFloat(), u.add(0.5).dtype(), "a Java double makes integers floating");
    }

    @Test
    void integersHaveNoDerivativeAndRefuseFloatOnlyOperations() {
        Array x = array(DType.INT8, new long[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> Jax.grad((Array v) -> Jnp.sum(v)).apply(x));
        Array y = Jax.jit((Array v) -> v.mul(v).add(1)).apply(x);
        assertArrayEquals(new long[] {2, 5}, y.toLongArray());
        assertEquals(DType.INT8, y.dtype());
    }

    @Test
    void anyIntegerTypeIndexesControlFlowAndDynamicSlices() {
        Array x = Jnp.arange(6).astype(DType.FLOAT64);
        assertArrayEquals(new double[] {4, 5}, Lax.dynamicSlice(x, new Array[] {Array.of(new long[] {4}, 1).reshape()},
                new int[] {2}).toDoubleArray());
        // a uint32 start beyond int32's range saturates, then the primitive clamps it: the last two elements
        Array far = Array.scalar(-2).astype(DType.UINT32);
        assertArrayEquals(new double[] {4, 5}, Lax.dynamicSlice(x, new Array[] {far}, new int[] {2}).toDoubleArray());
        Array u = Lax.dynamicUpdateSlice(x, Array.of(9.0), new Array[] {Array.scalar(1).astype(DType.INT8)});
        assertEquals(9.0, u.toDoubleArray()[1]);
        java.util.List<java.util.function.Function<Array, Array>> branches = java.util.List.of(v -> v.mul(2.0), v -> v.mul(3.0));
        assertEquals(3.0, Lax.switchCase(Array.scalar(1).astype(DType.UINT8), branches, Array.of(1.0)).item());
        assertEquals(3.0, Lax.cond(Array.of(new long[] {7}, 1).reshape(), v -> v.mul(3.0), v -> v.mul(2.0), Array.of(1.0)).item());
    }
}
