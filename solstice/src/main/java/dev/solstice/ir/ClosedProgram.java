package dev.solstice.ir;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import java.util.List;

/**
 * A traced function as data: a {@link Program} together with the values the function captured. The program's
 * first {@code consts().size()} inputs (its constvars) stand for those values, in order; the remaining inputs
 * are the function's arguments. Captured values are concrete arrays or tracers of a transformation that
 * encloses the trace; passing them as explicit operands (closure conversion) is what lets an enclosing
 * transformation see them, as JAX's closed jaxprs do.
 *
 * @param program constvars first, then the arguments
 * @param consts the captured values, one per constvar
 */
public record ClosedProgram(Program program, List<Array> consts) {

    /** Checks that every constvar has its value and that the avals agree. */
    public ClosedProgram {
        consts = List.copyOf(consts);
        if (consts.size() > program.inputs().size()) {
            throw new IllegalArgumentException("a closed program with " + program.inputs().size()
                    + " inputs cannot capture " + consts.size() + " values");
        }
        for (int i = 0; i < consts.size(); i++) {
            Aval want = program.inputs().get(i).aval();
            if (!consts.get(i).aval().equals(want)) {
                throw new IllegalArgumentException("constvar " + program.inputs().get(i) + " is " + want.str()
                        + " but its value is " + consts.get(i).aval().str());
            }
        }
    }

    /** The number of arguments the function takes (inputs that are not constvars). */
    public int numArgs() {
        return program.inputs().size() - consts.size();
    }

    /** The avals of the function's results. */
    public Aval[] outAvals() {
        return program.outAvals();
    }

    /** Runs the function on {@code args} under the current interpreter: the captured values, then the arguments. */
    public Array[] call(Array[] args) {
        if (args.length != numArgs()) {
            throw new IllegalArgumentException("a traced function of " + numArgs() + " arguments called with "
                    + args.length);
        }
        Array[] all = new Array[program.inputs().size()];
        for (int i = 0; i < consts.size(); i++) {
            all[i] = consts.get(i);
        }
        System.arraycopy(args, 0, all, consts.size(), args.length);
        return program.evaluate(all);
    }

    /**
     * The program in JAX's jaxpr layout, as {@code jax.make_jaxpr} prints it: the constvars (captured values)
     * before the semicolon, then the arguments, one equation per line, the outputs after {@code in}.
     */
    @Override
    public String toString() {
        return JaxprPrinter.print(program, consts.size());
    }
}
