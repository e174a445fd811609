package dev.solstice.ir;

import dev.solstice.core.Aval;

/** A variable of a staged program, identified by object identity; {@code id} is only for printing. */
public final class Var implements Atom {
    private final Aval aval;
    private final int id;

    /** A new variable. */
    public Var(Aval aval, int id) {
        this.aval = aval;
        this.id = id;
    }

    @Override
    public Aval aval() {
        return aval;
    }

    /** The number used when printing. */
    public int id() {
        return id;
    }

    @Override
    public String toString() {
        return "v" + id;
    }
}
