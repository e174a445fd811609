package dev.solstice.jit;

import dev.solstice.core.DenseArray;
import dev.solstice.ir.Eqn;
import dev.solstice.ir.Program;

/** Test access to the compiler's internals from other test packages. */
public final class JitTesting {
    private JitTesting() {}

    /** Compiles {@code p} fusing single elementwise equations too, so that every one runs a generated kernel. */
    public static Executable compileFusingSingles(Program p) {
        return Compiler.compile(p, 1, KernelCache.SHARED);
    }

    /** Whether fusion takes {@code e} (an elementwise computation or a broadcast). */
    public static boolean fusible(Eqn e) {
        return Fusible.fusible(e);
    }

    /**
     * Null when the avals are equal and the elements bitwise equal, else what differs. Every NaN counts as
     * equal to every other: Java leaves a NaN's sign and payload unspecified, and they change with the JIT tier
     * running {@code Math.sqrt} or {@code Math.log} (eager against eager too), so they are no part of a result.
     */
    public static String difference(DenseArray expected, DenseArray actual) {
        if (!expected.aval().equals(actual.aval())) {
            return "aval " + actual.aval().str() + " but eager gives " + expected.aval().str();
        }
        for (int i = 0; i < expected.aval().size(); i++) {
            if (bits(expected, i) != bits(actual, i)) {
                return "element " + i + " is " + actual.getDouble(i) + " but eager gives " + expected.getDouble(i)
                        + " (" + expected.aval().str() + ")";
            }
        }
        return null;
    }

    private static long bits(DenseArray x, int i) {
        Object d = x.data();
        return switch (x.aval().dtype()) {
            case FLOAT32 -> Float.floatToIntBits(((float[]) d)[i]); // one NaN for all (see above)
            case FLOAT64 -> Double.doubleToLongBits(((double[]) d)[i]);
            case INT32 -> ((int[]) d)[i];
            case BOOL -> ((boolean[]) d)[i] ? 1 : 0;
            case INT64 -> ((long[]) d)[i];
            default -> Double.doubleToLongBits(x.getDouble(i));
        };
    }
}
