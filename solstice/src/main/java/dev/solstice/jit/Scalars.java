package dev.solstice.jit;

/**
 * Scalar helpers that generated kernels call where one JVM instruction does not express the eager kernels'
 * element operation (comparisons, select, tests for nonzero); C2 inlines them. Booleans are ints 0 or 1, as
 * the JVM stores them. Comparisons and tests take doubles: float32 and int32 operands are widened exactly,
 * which changes no comparison (as {@code BinaryOp.test} compares ints as doubles).
 */
final class Scalars {
    private Scalars() {}

    // float16 and bfloat16: held in a float as their exact value, rounded after every operation as eager does

    static float fromHalf(short bits) {
        return dev.solstice.core.NarrowTypes.halfToFloat(bits);
    }

    static float fromBf16(short bits) {
        return dev.solstice.core.NarrowTypes.bf16ToFloat(bits);
    }

    static short toHalf(float x) {
        return dev.solstice.core.NarrowTypes.floatToHalf(x);
    }

    static short toBf16(float x) {
        return dev.solstice.core.NarrowTypes.floatToBf16(x);
    }

    /** A float32 result rounded to float16 (as eager narrows a float32 kernel's result). */
    static float roundHalf(float x) {
        return fromHalf(toHalf(x));
    }

    static float roundBf16(float x) {
        return fromBf16(toBf16(x));
    }

    /** A conversion to float16 from any value, rounded once from its double (as convert_element_type). */
    static float convertHalf(double x) {
        return fromHalf(dev.solstice.core.NarrowTypes.doubleToHalf(x));
    }

    static float convertBf16(double x) {
        return fromBf16(dev.solstice.core.NarrowTypes.doubleToBf16(x));
    }

    static int nonZero(double x) {
        return x != 0 ? 1 : 0; // NaN is nonzero, as the eager conversion says
    }

    static double select(int p, double a, double b) {
        return p != 0 ? a : b;
    }

    static float select(int p, float a, float b) {
        return p != 0 ? a : b;
    }

    static int select(int p, int a, int b) {
        return p != 0 ? a : b;
    }

    static int eq(double x, double y) {
        return x == y ? 1 : 0;
    }

    static int ne(double x, double y) {
        return x != y ? 1 : 0;
    }

    static int lt(double x, double y) {
        return x < y ? 1 : 0;
    }

    static int le(double x, double y) {
        return x <= y ? 1 : 0;
    }

    static int gt(double x, double y) {
        return x > y ? 1 : 0;
    }

    static int ge(double x, double y) {
        return x >= y ? 1 : 0;
    }


    /**
     * The accumulation policy's pairwise combination of 16 partial sums ({@code p[j] += p[j + w]}, w = 8, 4, 2,
     * 1, as {@code kernel.Sums.combine}); returns {@code p[0]} and leaves {@code p} zero for the next group.
     */
    static double combine(double[] p) {
        for (int w = dev.solstice.kernel.Kernels.SUM_LANES / 2; w >= 1; w /= 2) {
            for (int j = 0; j < w; j++) {
                p[j] += p[j + w];
            }
        }
        double s = p[0];
        java.util.Arrays.fill(p, 0.0);
        return s;
    }
}
