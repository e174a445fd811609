package dev.solstice.core;

import dev.solstice.Array;

/**
 * A placeholder that stands for an array inside derivative rules but holds no values: a symbolic
 * {@link Zero} or an {@link UndefinedPrimal}. It carries its aval so rules can read shapes and dtypes, but it
 * must never be computed with: binding a primitive on one, or reading its values, is a bug in a rule and
 * throws. Transformations replace it by real zeros before any value reaches the user.
 */
public abstract sealed class Symbolic extends Array permits Zero, UndefinedPrimal {
    private final Aval aval;

    Symbolic(Aval aval) {
        if (aval == null) {
            throw new IllegalArgumentException("a symbolic value needs an aval");
        }
        this.aval = aval;
    }

    @Override
    public final Aval aval() {
        return aval;
    }

    /** What this placeholder is, for messages: "a symbolic zero" or "an undefined primal". */
    abstract String what();

    /** What a rule must do instead of computing with this placeholder, for messages. */
    abstract String remedy();

    @Override
    public final double item() {
        throw leak("item()");
    }

    @Override
    public final DenseArray concrete() {
        throw leak("concrete()");
    }

    private IllegalStateException leak(String use) {
        return new IllegalStateException(use + " on " + what() + " (" + aval.str() + "), which has no values; "
                + remedy() + " (a bug in a derivative rule)");
    }

    /**
     * Throws when an operand of {@code p} is a placeholder: a placeholder reaching a primitive means a rule
     * let it leak into a computation.
     */
    static void checkOperands(Primitive p, Array[] args) {
        for (int i = 0; i < args.length; i++) {
            checkOperand(p, args[i], i);
        }
    }

    /** {@link #checkOperands} for operand {@code i} alone. */
    static void checkOperand(Primitive p, Array arg, int i) {
        if (arg instanceof Symbolic s) {
            throw new IllegalStateException(p.name() + ": operand " + i + " is " + s.what() + " ("
                    + s.aval.str() + "), which cannot be computed with; " + s.remedy()
                    + " (a bug in a derivative rule)");
        }
    }
}
