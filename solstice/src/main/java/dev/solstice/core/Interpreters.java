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

    /**
     * {@link #bind1} of a primitive of one operand. Evaluated eagerly, a concrete operand goes to the kernels
     * without the varargs array and its copy ({@link EvalInterpreter#evalDense}).
     */
    public static Array bind1(Primitive p, Array x) {
        Symbolic.checkOperand(p, x, 0);
        Interpreter current = current();
        if (current == EvalInterpreter.INSTANCE && x instanceof DenseArray dx && !(p instanceof CallPrimitive)) {
            return EvalInterpreter.evalDense(p, new DenseArray[] {dx})[0];
        }
        return current.process(p, new Array[] {x})[0];
    }

    /** {@link #bind1} of a primitive of two operands; see {@link #bind1(Primitive, Array)}. */
    public static Array bind1(Primitive p, Array x, Array y) {
        Symbolic.checkOperand(p, x, 0);
        Symbolic.checkOperand(p, y, 1);
        Interpreter current = current();
        if (current == EvalInterpreter.INSTANCE && x instanceof DenseArray dx && y instanceof DenseArray dy
                && !(p instanceof CallPrimitive)) {
            return EvalInterpreter.evalDense(p, new DenseArray[] {dx, dy})[0];
        }
        return current.process(p, new Array[] {x, y})[0];
    }

    /**
     * Applies {@code p} to {@code args} under {@code parent}: what an interpreter does with an operation none of
     * its own values take part in. A primitive that is not a call is handed to the parent directly (see
     * {@link Interpreter#process}: its result does not depend on the context), saving the installation; a
     * call runs user code, so the parent is installed for it.
     */
    public static Array[] delegate(Interpreter parent, Primitive p, Array[] args) {
        if (p instanceof CallPrimitive) {
            return runWith(parent, () -> parent.process(p, args));
        }
        return parent.process(p, args);
    }

    /** Runs {@code body} with {@code interpreter} installed as the current one. */
    public static <T> T runWith(Interpreter interpreter, Supplier<T> body) {
        return ScopedValue.where(CURRENT, interpreter).call(body::get);
    }

    /** {@code interpreter} ready to be installed again and again, the binding made once ({@link Scope#run}). */
    public static Scope scope(Interpreter interpreter) {
        return new Scope(ScopedValue.where(CURRENT, interpreter));
    }

    /**
     * An interpreter bound once, for one that installs its parent for every rule it runs: {@link #run} is
     * {@link #runWith} without building the binding each time.
     */
    public static final class Scope {
        private final ScopedValue.Carrier binding;

        private Scope(ScopedValue.Carrier binding) {
            this.binding = binding;
        }

        /** Runs {@code body} with the interpreter installed as the current one. */
        public <T> T run(ScopedValue.CallableOp<T, RuntimeException> body) {
            return binding.call(body);
        }
    }
}
