package dev.solstice.transform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.core.Aval;
import dev.solstice.ir.Program;
import dev.solstice.jit.Compiler;
import dev.solstice.jit.Executable;
import org.junit.jupiter.api.Test;

class JitExecutionTest {
    private static final Aval MAT = new Aval(DType.FLOAT64, 3, 3);

    /** The dump shows the program's equations and every numbered step of its executable. */
    @Test
    void dumpNamesTheProgramAndEverySteps() {
        Program p = Staging.trace(a -> new Array[] {Jnp.exp(a[0].matmul(a[1])).mul(a[0])}, new Aval[] {MAT, MAT})
                .program();
        Executable e = Compiler.compile(p);
        String dump = JitExecution.dump(p, e);
        assertTrue(dump.contains("dot_general") && dump.contains("exp"), dump);
        for (int s = 0; s < e.stepCount(); s++) {
            assertTrue(dump.contains(s + ": "), "step " + s + " in\n" + dump);
        }
        assertTrue(dump.contains(e.describe()), dump);
    }
}
