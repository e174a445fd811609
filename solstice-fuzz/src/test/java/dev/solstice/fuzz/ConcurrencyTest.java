package dev.solstice.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Eight threads running mixed transformations on a shared model and shared jitted functions get results bitwise
 * identical to a sequential run ({@code bin/fuzz concurrency} runs 8 x 10,000).
 */
class ConcurrencyTest {
    @Test
    void eightThreadsAgreeBitwiseWithASequentialRun() throws Exception {
        ConcurrencyRun.Result r = new ConcurrencyRun().run(8, 150, 90);
        System.out.printf("concurrency: %d x %d tasks in %.1f s, %d mismatches%n", r.threads(), r.tasksPerThread(), r.seconds(),
                r.mismatches());
        assertEquals(0, r.mismatches(), r.firstMismatch());
    }

    @Test
    void differentTasksGiveDifferentResults() {
        // the comparison is meaningful only if tasks differ: no two kinds or shapes collapse to one result
        ConcurrencyRun run = new ConcurrencyRun();
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int k = 0; k < 36; k++) {
            distinct.add(java.util.Arrays.toString(run.task(k)));
        }
        assertEquals(36, distinct.size(), "every task depends on its input");
    }
}
