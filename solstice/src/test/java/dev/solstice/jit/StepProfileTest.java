package dev.solstice.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.DotGeneral;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Mul;
import org.junit.jupiter.api.Test;

class StepProfileTest {
    private static final int[] NONE = {};

    /** exp(x . y) * x: one eager dot and one kernel, each named with its time in the profile. */
    @Test
    void profileNamesEveryStepWithItsTime() {
        ProgramBuilder b = new ProgramBuilder();
        Var x = b.input(DType.FLOAT64, 4, 4);
        Var y = b.input(DType.FLOAT64, 4, 4);
        Var d = b.apply(new DotGeneral(new int[] {1}, new int[] {0}, NONE, NONE), x, y);
        Program p = b.build(b.apply(new Mul(), b.apply(new Exp(), d), x));
        Executable plain = Compiler.compile(p);
        assertNull(plain.profile(), "no profile unless requested");
        Executable profiled = withProperties(() -> Compiler.compile(p));
        DenseArray[] args = {CompilerTest.doubles(1, 4, 4), CompilerTest.doubles(2, 4, 4)};
        for (int i = 0; i < 5; i++) {
            profiled.run(args);
        }
        String report = profiled.profile();
        assertEquals(2, profiled.stepCount(), profiled.describe());
        assertTrue(report.contains("5 runs, 3 timed"), report);
        for (String line : profiled.describe().split("\n")) {
            assertTrue(report.contains(line), "the profile names step '" + line + "':\n" + report);
        }
        assertTrue(report.contains("dot_general"), report);
    }

    private static Executable withProperties(java.util.function.Supplier<Executable> compile) {
        System.setProperty("solstice.jit.profile", "true");
        System.setProperty("solstice.jit.profileWarmup", "2");
        try {
            return compile.get();
        } finally {
            System.clearProperty("solstice.jit.profile");
            System.clearProperty("solstice.jit.profileWarmup");
        }
    }
}
