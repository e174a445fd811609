package dev.solstice.jit;

/**
 * Scalar helpers that generated kernels call where one JVM instruction does not express the eager kernels'
 * element operation (comparisons, select, tests for nonzero); C2 inlines them. Booleans are ints 0 or 1, as
 * the JVM stores them.
 */
final class Scalars {
    private Scalars() {}

    static int nonZero(double x) {
        return x != 0 ? 1 : 0; // NaN is nonzero, as the eager conversion says
    }

    static int nonZero(float x) {
        return x != 0 ? 1 : 0;
    }

    static int nonZero(int x) {
        return x != 0 ? 1 : 0;
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

    static int eq(float x, float y) {
        return x == y ? 1 : 0;
    }

    static int ne(float x, float y) {
        return x != y ? 1 : 0;
    }

    static int lt(float x, float y) {
        return x < y ? 1 : 0;
    }

    static int le(float x, float y) {
        return x <= y ? 1 : 0;
    }

    static int gt(float x, float y) {
        return x > y ? 1 : 0;
    }

    static int ge(float x, float y) {
        return x >= y ? 1 : 0;
    }

    static int eq(int x, int y) {
        return x == y ? 1 : 0;
    }

    static int ne(int x, int y) {
        return x != y ? 1 : 0;
    }

    static int lt(int x, int y) {
        return x < y ? 1 : 0;
    }

    static int le(int x, int y) {
        return x <= y ? 1 : 0;
    }

    static int gt(int x, int y) {
        return x > y ? 1 : 0;
    }

    static int ge(int x, int y) {
        return x >= y ? 1 : 0;
    }
}
