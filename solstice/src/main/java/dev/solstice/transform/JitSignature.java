package dev.solstice.transform;

import dev.solstice.core.Aval;
import java.util.Arrays;
import java.util.List;

/**
 * A trace-cache key: the argument's structure, static values included (compared with {@code equals}), and the
 * avals of its traced leaves. Two calls with equal signatures run the same traced program.
 */
final class JitSignature {
    final List<Object> structure;
    final Aval[] avals;
    private final int hash;

    JitSignature(List<Object> structure, Aval[] avals) {
        this.structure = structure;
        this.avals = avals;
        this.hash = structure.hashCode() * 31 + Arrays.hashCode(avals);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof JitSignature s && s.hash == hash && Arrays.equals(s.avals, avals)
                && s.structure.equals(structure);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
