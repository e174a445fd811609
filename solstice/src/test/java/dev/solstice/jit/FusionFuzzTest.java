package dev.solstice.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Random programs, compiled, give exactly the eager results (bitwise), in every dtype and shape. */
class FusionFuzzTest {
    private static final int[][] SHAPES = {{}, {0}, {1}, {2}, {7}, {8}, {15}, {16}, {17}, {31}, {33}, {64}, {97},
        {3, 5}, {4, 1, 6}, {2, 3, 4}, {1, 16}, {5, 0}, {13, 1}, {3, 1, 17}};

    @Test
    void randomProgramsMatchEagerBitwise() {
        int kernels = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            DType base = i % 2 == 0 ? DType.FLOAT64 : DType.FLOAT32;
            RandomPrograms.Case c = RandomPrograms.generate(i, base, SHAPES[i % SHAPES.length]);
            kernels += check(c, i % 3 == 0 ? 1 : 2, failures);
        }
        assertEquals(List.of(), failures);
        assertTrue(kernels > 300, "only " + kernels + " kernels ran");
    }

    /** Large programs: the work is split across threads, by elements and by rows of a broadcast layout. */
    @Test
    void largeProgramsSplitAcrossThreadsMatchEager() {
        List<String> failures = new ArrayList<>();
        int[][] shapes = {{70_001}, {301, 257}, {2, 40_000}};
        for (int i = 0; i < 9; i++) {
            check(RandomPrograms.generate(1000 + i, i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64, shapes[i % 3]), 2,
                    failures);
        }
        assertEquals(List.of(), failures);
    }

    private static int check(RandomPrograms.Case c, int minFused, List<String> failures) {
        DenseArray[] expected = ProgramBuilder.eager(c.program(), c.args());
        Executable e = Compiler.compile(c.program(), minFused, KernelCache.SHARED);
        DenseArray[] actual = e.run(c.args());
        for (int k = 0; k < expected.length; k++) {
            String diff = JitTesting.difference(expected[k], actual[k]);
            if (diff != null) {
                failures.add(c.label() + " output " + k + ": " + diff + "\n" + c.program() + "\n" + e.describe());
            }
        }
        return e.kernelCount();
    }
}
