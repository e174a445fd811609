package dev.solstice.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A thousand random programs pass every check: jit against eager, jacfwd against jacrev, JVPs against float64
 * central differences, the four second-order mode pairings, vmap against a loop. Programs are small (at most three
 * steps, inputs of at most eight elements) to keep the run fast; {@code bin/fuzz} runs larger ones.
 */
class FuzzTest {
    @Test
    void aThousandRandomProgramsPassEveryCheck() {
        Fuzzer.Report r = Fuzzer.run(20_261_202L, 1000, 3, 8, null);
        System.out.printf("fuzz: %d programs, %d passed, %d skipped %s, %.1f programs/s%n", r.programs(), r.passed(),
                r.skipped(), r.notes(), r.rate());
        assertEquals(1000, r.programs());
        assertTrue(r.failures().isEmpty(), () -> r.failures().size() + " failures:\n" + r.failures().stream()
                .map(f -> f.check() + ": " + f.message() + "\n" + f.reproducer()).collect(Collectors.joining("\n")));
        assertTrue(r.skipped() < 100, "too many programs skipped: " + r.notes());
    }
}
