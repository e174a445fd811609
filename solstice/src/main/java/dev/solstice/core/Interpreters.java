package dev.solstice.core;

import dev.solstice.Array;
import java.util.function.Supplier;

/**
 * The current interpreter, kept in a {@link ScopedValue} so that transformations are thread-safe and nest
 * by context rather than by a global stack. With nothing installed, primitives are evaluated concretely.
 */
public final class Interpreters {
    private static final ScopedValue<Interpreter> CURRENT = ScopedValue.newInstance();

    private Interpreters() {}

    /** The interpreter that {@link #bind} dispatches to now. */
    public static Interpreter current() {
        return CURRENT.orElse(EvalInterpreter.INSTANCE);
    }

    /**
     * Applies a primitive under the current interpreter; every operation of the library goes through here.
     * A symbolic zero or undefined primal among the operands is a leak from a derivative rule and throws.
     */
    public static Array[] bind(Primitive p, Array... args) {
        Symbolic.checkOperands(p, args);
        return current().process(p, args);
    }

    /** {@link #bind} for a primitive with one output. */
    public static Array bind1(Primitive p, Array... args) {
        return bind(p, args)[0];
    }

    /** Runs {@code body} with {@code interpreter} installed as the current one. */
    public static <T> T runWith(Interpreter interpreter, Supplier<T> body) {
        return ScopedValue.where(CURRENT, interpreter).call(body::get);
    }
}
