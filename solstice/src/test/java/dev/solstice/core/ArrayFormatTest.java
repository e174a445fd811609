package dev.solstice.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import dev.solstice.Jnp;
import org.junit.jupiter.api.Test;

/** Array.toString against layouts written by hand from NumPy's rules (array_repr with a longer prefix). */
class ArrayFormatTest {

    @Test
    void smallArraysPrintEveryValueOnOneLine() {
        assertEquals("Array(float64[3], [1.0, 2.0, 3.0])", Array.of(1.0, 2.0, 3.0).toString());
        assertEquals("Array(float32[], 0.5)", Array.scalar(0.5f).toString());
        assertEquals("Array(bool[2], [ true, false])", Array.of(true, false).toString());
        assertEquals("Array(int32[0], [])", Array.of(new int[0]).toString());
    }

    @Test
    void elementsAreRightAlignedAndRowsStackUnderTheFirstBracket() {
        Array a = Array.of(new int[] {1, -20, 300, 4, 5, 6}, 2, 3);
        assertEquals("""
                Array(int32[2,3], [[  1, -20, 300],
                                   [  4,   5,   6]])""", a.toString());
        Array b = Jnp.reshape(Jnp.arange(8), 2, 2, 2);
        assertEquals("""
                Array(int32[2,2,2], [[[0, 1],
                                      [2, 3]],

                                     [[4, 5],
                                      [6, 7]]])""", b.toString());
    }

    @Test
    void longRowsWrapAtSeventyFiveColumns() {
        Array a = Jnp.astype(Jnp.arange(30), dev.solstice.DType.FLOAT64);
        String expected = """
                Array(float64[30], [ 0.0,  1.0,  2.0,  3.0,  4.0,  5.0,  6.0,  7.0,  8.0,
                                     9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0,
                                    18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0,
                                    27.0, 28.0, 29.0])""";
        assertEquals(expected, a.toString());
        for (String line : a.toString().split("\n")) {
            assertEquals(true, line.length() <= 75, line);
        }
    }

    @Test
    void aboveAThousandElementsEveryAxisShowsThreeItemsAtEachEnd() {
        assertEquals("Array(int32[2000], [   0,    1,    2, ..., 1997, 1998, 1999])", Jnp.arange(2000).toString());
        assertEquals("""
                Array(int32[2,1000], [[   0,    1,    2, ...,  997,  998,  999],
                                      [1000, 1001, 1002, ..., 1997, 1998, 1999]])""",
                Jnp.reshape(Jnp.arange(2000), 2, 1000).toString());
        assertEquals("""
                Array(int32[1000,2], [[   0,    1],
                                      [   2,    3],
                                      [   4,    5],
                                      ...,
                                      [1994, 1995],
                                      [1996, 1997],
                                      [1998, 1999]])""",
                Jnp.reshape(Jnp.arange(2000), 1000, 2).toString());
        // blocks of a higher axis are separated by a blank line, the summary too
        assertEquals("""
                Array(int32[1002,1,1], [[[   0]],

                                        [[   1]],

                                        [[   2]],

                                        ...,

                                        [[ 999]],

                                        [[1000]],

                                        [[1001]]])""",
                Jnp.reshape(Jnp.arange(1002), 1002, 1, 1).toString());
        // exactly 1000 elements: NumPy prints them all
        String thousand = Jnp.arange(1000).toString();
        assertEquals(false, thousand.contains("..."), "1000 elements are not summarised");
        assertEquals(true, thousand.contains(" 500, "), thousand.substring(0, 80));
    }

    @Test
    void floatsHaveAtMostEightDecimalsWithThePointsAligned() {
        assertEquals("Array(float64[3], [0.23913363, 0.0       , 1.5       ])",
                Array.of(0.23913362692838303, 0.0, 1.5).toString());
        assertEquals("Array(float64[2], [-12.5 ,   3.25])", Array.of(-12.5, 3.25).toString());
        // float32 values by their own shortest digits: 0.1f is 0.1, not 0.10000000149
        assertEquals("Array(float32[2], [0.1 , 0.25])", Array.of(0.1f, 0.25f).toString());
        assertEquals("Array(float64[2], [nan, 1.0])", Array.of(Double.NaN, 1.0).toString());
        assertEquals("Array(float64[], 0.33333333)", Array.scalar(1.0 / 3).toString());
        assertEquals("Array(float32[2], [-0.0,  1.0])", Array.of(-0.0f, 1.0f).toString());
    }

    @Test
    void wideRangesPrintInScientificNotation() {
        assertEquals("Array(float64[2], [1.0e-05, 1.0e+00])", Array.of(1e-5, 1.0).toString());
        assertEquals("Array(float64[2], [ 1.5e+10, -2.0e+00])", Array.of(1.5e10, -2.0).toString());
        assertEquals("Array(float64[2], [1.23456789e+08, 1.00000000e+00])",
                Array.of(123456789.0, 1.0).toString());
    }

    @Test
    void aStridedViewPrintsItsOwnElements() {
        Array t = Jnp.transpose(Array.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertEquals("""
                Array(int32[3,2], [[1, 4],
                                   [2, 5],
                                   [3, 6]])""", t.toString());
    }
}
