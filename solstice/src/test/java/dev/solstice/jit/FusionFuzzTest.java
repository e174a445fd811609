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
        {3, 5}, {4, 1, 6}, {2, 3, 4}, {1, 16}, {5, 0}, {13, 1}, {3, 1, 17}, {7, 7}, {2, 33, 33}, {0, 0}};

    @Test
    void randomProgramsMatchEagerBitwise() {
        randomPrograms(false);
    }

    /** The same with Vector API loops in the kernels that have them (the kernel suite runs with the module). */
    @Test
    void randomProgramsWithVectorLoopsMatchEagerBitwise() {
        randomPrograms(true);
    }

    private static void randomPrograms(boolean vector) {
        int kernels = 0;
        int vectorKernels = 0;
        int staged = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            DType base = i % 2 == 0 ? DType.FLOAT64 : DType.FLOAT32;
            RandomPrograms.Case c = RandomPrograms.generate(i, base, SHAPES[i % SHAPES.length]);
            Executable e = check(c, i % 3 == 0 ? 1 : 2, vector, failures);
            kernels += e.kernelCount();
            vectorKernels += e.vectorKernelCount();
            staged += e.describe().contains("staged in scratch") ? 1 : 0;
        }
        assertEquals(List.of(), failures);
        assertTrue(kernels > 300, "only " + kernels + " kernels ran");
        assertTrue(staged > 20, "only " + staged + " programs staged a view for a kernel");
        if (vector) {
            assertTrue(vectorKernels > 20, "only " + vectorKernels + " kernels had a vector loop");
        } else {
            assertEquals(0, vectorKernels);
        }
    }

    /**
     * Programs with reductions over random axes of fused values, float32 and float64, with and without vector
     * loops: those fused into their producer's loop (most) give the eager sums bit for bit (the same 16 partial
     * sums in the same order), max and min too.
     */
    @Test
    void randomProgramsWithReductionsMatchEagerBitwise() {
        List<String> failures = new ArrayList<>();
        int fusedReductions = 0;
        for (int i = 0; i < 400; i++) {
            DType base = i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            RandomPrograms.Case c = RandomPrograms.generateWithReductions(5000 + i, base, REDUCTION_SHAPES[i
                    % REDUCTION_SHAPES.length]);
            // half of them fuse every reduction that can be, half keep small shared operands' reductions eager
            Executable e = check(c, i % 3 == 0 ? 1 : 2, i % 4 < 2, i % 8 < 4 ? 0 : Lowering.SHARED_REDUCTION_MIN,
                    failures);
            fusedReductions += fusedReductions(e);
        }
        assertEquals(List.of(), failures);
        assertTrue(fusedReductions > 150, "only " + fusedReductions + " reductions fused");
    }

    /** Shapes for reductions: runs shorter and longer than 16, counts of rows around multiples of 16. */
    private static final int[][] REDUCTION_SHAPES = {{}, {1}, {5}, {16}, {17}, {40}, {3, 5}, {16, 10}, {17, 3},
        {33, 16}, {128, 10}, {4, 1, 6}, {2, 3, 4}, {5, 0}, {1, 16}, {3, 1, 17}, {31, 2, 9}, {2, 33, 3}, {48, 20}};

    /** Large programs with reductions, run on several threads (row reductions split by whole runs). */
    @Test
    void largeProgramsWithReductionsMatchEager() {
        List<String> failures = new ArrayList<>();
        int[][] shapes = {{70_001}, {301, 257}, {2, 40_000}, {5, 67, 211}, {40_000, 3}};
        for (int i = 0; i < 10; i++) {
            check(RandomPrograms.generateWithReductions(7000 + i, i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64,
                    shapes[i % 5]), 2, i >= 5, i % 4 < 2 ? 0 : Lowering.SHARED_REDUCTION_MIN, failures);
        }
        assertEquals(List.of(), failures);
    }

    /** The number of reductions inside fused kernels (named in a kernel step's list of members). */
    static int fusedReductions(Executable e) {
        int n = 0;
        for (String line : e.describe().split("\n")) {
            if (line.contains("kernel [")) {
                String members = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
                for (String m : members.split(" ")) {
                    n += m.startsWith("reduce_") ? 1 : 0;
                }
            }
        }
        return n;
    }

    /**
     * Large programs: the work is split across threads, by elements and by rows of a broadcast layout (for rank
     * 3, pieces that start and end inside the last outer axis, which one kernel call loops over).
     */
    @Test
    void largeProgramsSplitAcrossThreadsMatchEager() {
        List<String> failures = new ArrayList<>();
        int[][] shapes = {{70_001}, {301, 257}, {2, 40_000}, {5, 67, 211}, {263, 263}};
        for (int i = 0; i < 30; i++) {
            check(RandomPrograms.generate(1000 + i % 15, i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64, shapes[i % 5]), 2,
                    i >= 15, failures);
        }
        assertEquals(List.of(), failures);
    }

    private static Executable check(RandomPrograms.Case c, int minFused, boolean vector, List<String> failures) {
        return check(c, minFused, vector, Lowering.SHARED_REDUCTION_MIN, failures);
    }

    private static Executable check(RandomPrograms.Case c, int minFused, boolean vector, int sharedReductionMin,
            List<String> failures) {
        DenseArray[] expected = ProgramBuilder.eager(c.program(), c.args());
        Executable e = Compiler.compile(c.program(), minFused, KernelCache.SHARED, vector, sharedReductionMin);
        DenseArray[] actual = e.run(c.args());
        for (int k = 0; k < expected.length; k++) {
            String diff = JitTesting.difference(expected[k], actual[k]);
            if (diff != null) {
                failures.add(c.label() + " output " + k + ": " + diff + "\n" + c.program() + "\n" + e.describe());
            }
        }
        return e;
    }
}
