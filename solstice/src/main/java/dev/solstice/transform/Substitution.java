package dev.solstice.transform;

import dev.solstice.Array;
import dev.solstice.core.Interpreter;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.core.Tracer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs code that refers to tracers of a trace that has finished (a custom rule recorded by staging, which
 * closed over the call's operands as they were while tracing) with each of those tracers standing for the
 * value its operand has now: every operation handed to it gets the values in their place and goes on to the
 * interpreter below. Staging's counterpart of entering a vmap again.
 */
final class Substitution implements Interpreter {
    private final Interpreter parent;
    private final Map<Array, Array> values;

    private Substitution(Interpreter parent, Map<Array, Array> values) {
        this.parent = parent;
        this.values = values;
    }

    /**
     * The substitution of {@code now[i]} for each tracer {@code then[i]}, below the interpreter current now;
     * {@code null} when {@code then} holds no tracer (nothing to substitute).
     */
    static Substitution of(Array[] then, Array[] now) {
        Map<Array, Array> values = null;
        for (int i = 0; i < then.length; i++) {
            if (then[i] instanceof Tracer && then[i] != now[i]) {
                if (values == null) {
                    values = new IdentityHashMap<>();
                }
                values.put(then[i], now[i]);
            }
        }
        return values == null ? null : new Substitution(Interpreters.current(), values);
    }

    /** Whether any of {@code xs} is a tracer (something a substitution could stand in for). */
    static boolean anyTracer(Array[] xs) {
        for (Array x : xs) {
            if (x instanceof Tracer) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code body} with this substitution installed. */
    <T> T run(Supplier<T> body) {
        return Interpreters.runWith(this, body);
    }

    /** {@code xs} with the substituted tracers among them replaced ({@code xs} itself when there are none). */
    Array[] replaced(Array[] xs) {
        Array[] out = xs;
        for (int i = 0; xs != null && i < xs.length; i++) {
            Array v = values.get(xs[i]);
            if (v != null) {
                if (out == xs) {
                    out = xs.clone();
                }
                out[i] = v;
            }
        }
        return out;
    }

    @Override
    public Array[] process(Primitive p, Array[] args) {
        return Interpreters.delegate(parent, p, replaced(args));
    }
}
