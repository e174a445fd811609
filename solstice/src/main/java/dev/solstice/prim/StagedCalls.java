package dev.solstice.prim;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.Shapes;
import dev.solstice.ir.Program;
import java.util.Arrays;

/** What the custom-rule calls share: their staged function's shape rule, and their operands split. */
final class StagedCalls {
    private StagedCalls() {}

    /** The program's output avals, once the operands are checked against its inputs. */
    static Aval[] shapeRule(String name, Program program, Aval[] in) {
        int n = program.inputs().size();
        boolean ok = in.length == n;
        for (int i = 0; ok && i < n; i++) {
            ok = in[i].equals(program.inputs().get(i).aval());
        }
        if (!ok) {
            throw new IllegalArgumentException(name + ": operands " + Shapes.str(in) + " do not match the staged"
                    + " function's inputs " + Shapes.str(program.inAvals()));
        }
        return program.outAvals();
    }

    /** The explicit arguments among a call's operands: those after the {@code numCaptured} captured values. */
    static Array[] explicit(Array[] operands, int numCaptured) {
        return Arrays.copyOfRange(operands, numCaptured, operands.length);
    }
}
