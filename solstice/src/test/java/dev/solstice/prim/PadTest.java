package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.Jax;
import dev.solstice.Lax;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Lax.pad} with negative (cropping) edge padding against values written out by hand, after JAX's
 * {@code lax_test.py} testPad, testPadAgainstNumpy and testPadErrors and {@code lax_autodiff_test.py}
 * testPadGrad. The primitive contract test checks the same configurations against the float64 reference,
 * central differences, the adjoint test and batching (the examples in {@code ShapeExamples}).
 */
class PadTest {
    private static final Array ZERO = Array.of(0.0).reshape();

    private static int[] i(int... v) {
        return v;
    }

    /** testPad's ((2,), [(-1, 2, 0)]): the first element is cropped, two zeros follow. */
    @Test
    void negativeLowCropsTheFront() {
        Array y = Lax.pad(Array.of(1.0, 2.0), ZERO, i(-1), i(2), i(0));
        assertArrayEquals(new double[] {2, 0, 0}, y.toDoubleArray());
    }

    /** testPad's ((5,), [(-1, -2, 2)]): interior padding first, then one element cropped before, two after. */
    @Test
    void cropsApplyAfterInteriorPadding() {
        Array y = Lax.pad(Array.of(1.0, 2.0, 3.0, 4.0, 5.0), Array.of(9.0).reshape(), i(-1), i(-2), i(2));
        // 1 9 9 2 9 9 3 9 9 4 9 9 5, without the first and the last two
        assertArrayEquals(new double[] {9, 9, 2, 9, 9, 3, 9, 9, 4, 9}, y.toDoubleArray());
    }

    /** testPadAgainstNumpy's (2, 3) with [(0, 0, 0), (-2, -3, 1)]: "remove everything in one dimension". */
    @Test
    void cropToNothing() {
        Array y = Lax.pad(Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3), ZERO, i(0, -2), i(0, -3), i(0, 1));
        assertArrayEquals(new int[] {2, 0}, y.shape());
        // (4, 2) with [(-1, -2, 0), (1, 2, 0)]
        Array z = Lax.pad(Array.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2), ZERO, i(-1, 1), i(-2, 2), i(0, 0));
        assertArrayEquals(new int[] {1, 5}, z.shape());
        assertArrayEquals(new double[] {0, 3, 4, 0, 0}, z.toDoubleArray());
    }

    /**
     * testPadGrad's (2, 3) with [(-2, 0, 1), (-1, 0, 2)]: the gradient of {@code sum(w * pad(x, v))} is
     * {@code w} at each surviving operand element's position (0 for cropped ones) and, for the padding value,
     * the sum of {@code w} over the padding positions.
     */
    @Test
    void gradientOfACroppingPad() {
        int[] lo = i(-2, -1);
        int[] hi = i(0, 0);
        int[] in = i(1, 2);
        // interior-padded shape (3, 7), cropped to (1, 6): only row 2 (operand row 1) survives, columns 1..6,
        // where operand columns 1 and 2 sit at padded columns 3 and 6, i.e. output columns 2 and 5
        double[] w = {1, 2, 3, 4, 5, 6};
        Array weights = Array.of(w, 1, 6);
        Array x = Array.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        List<Array> g = Jax.grad((List<Array> a) -> Lax.pad(a.get(0), a.get(1), lo, hi, in).mul(weights).sum())
                .apply(List.of(x, Array.of(7.0).reshape()));
        assertArrayEquals(new double[] {0, 0, 0, 0, 3, 6}, g.get(0).toDoubleArray());
        assertArrayEquals(new double[] {1 + 2 + 4 + 5}, g.get(1).toDoubleArray());
    }

    /** testPadErrors: negative interior padding, and crops longer than the axis, are refused. */
    @Test
    void errors() {
        Array x = Array.of(0.0, 0.0);
        assertError("interior", () -> Lax.pad(x, ZERO, i(0), i(1), i(-1)));
        assertError("-1 elements along axis 0", () -> Lax.pad(x, ZERO, i(-3), i(0), i(0)));
        assertError("-1 elements along axis 0", () -> Lax.pad(x, ZERO, i(-4), i(0), i(1)));
        assertError("one low, high and interior padding per axis", () -> Lax.pad(x, ZERO, i(0, 1), i(0, 1), i(0, 0)));
    }

    private static void assertError(String fragment, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException err = assertThrows(IllegalArgumentException.class, e);
        assertTrue(err.getMessage().contains(fragment) && err.getMessage().startsWith("pad"), err.getMessage());
    }
}
