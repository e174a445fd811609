package dev.solstice.prim;

import dev.solstice.core.Batched;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.core.Shapes;
import java.util.Arrays;

/**
 * Permutes axes: result axis {@code i} is operand axis {@code permutation[i]}. Linear; its transpose is the
 * inverse permutation. Evaluates to a view of the operand (no copy).
 *
 * @param permutation a permutation of the operand's axes
 */
public record Transpose(int[] permutation) implements Primitive {
    /** Copies the array, which records would otherwise share. */
    public Transpose {
        permutation = permutation.clone();
    }

    @Override
    public Aval[] shapeRule(Aval[] in) {
        Shapes.arity(this, in, 1);
        // a permutation: every axis in range, none twice (no sort on this per-call path)
        boolean ok = permutation.length == in[0].rank();
        boolean[] seen = new boolean[permutation.length];
        for (int i = 0; ok && i < permutation.length; i++) {
            int a = permutation[i];
            ok = a >= 0 && a < seen.length && !seen[a];
            if (ok) {
                seen[a] = true;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(name() + ": " + Arrays.toString(permutation)
                    + " is not a permutation of the axes of " + in[0].str());
        }
        int[] out = new int[permutation.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[0].dim(permutation[i]);
        }
        return new Aval[] {new Aval(in[0].dtype(), out)};
    }

    /** A view: the operand's strides permuted, nothing copied. */
    @Override
    public DenseArray[] eval(DenseArray[] in, Aval[] outAvals) {
        DenseArray x = in[0];
        int[] xs = x.strides();
        int[] s = new int[permutation.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = xs[permutation[i]];
        }
        return new DenseArray[] {DenseArray.view(outAvals[0], x.storage(), x.offset(), s)};
    }

    /** {@code x} with its axes permuted, evaluated directly (for other primitives' evaluation). */
    static DenseArray permuted(DenseArray x, int[] permutation) {
        Transpose t = new Transpose(permutation);
        return t.eval(new DenseArray[] {x}, t.shapeRule(new Aval[] {x.aval()}))[0];
    }

    @Override
    public Array[] jvp(Array[] primals, Array[] outs, Array[] tangents) {
        return new Array[] {Ops.transpose(tangents[0], permutation)};
    }

    @Override
    public Array[] transpose(Array[] cts, Array[] args) {
        return new Array[] {Ops.transpose(cts[0], Shapes.inversePermutation(permutation))};
    }

    /** Equal when the parameters are equal element by element (a record alone would compare arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Transpose other && Arrays.equals(permutation, other.permutation);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {permutation});
    }

    @Override
    public String toString() {
        return "Transpose[permutation=" + Arrays.toString(permutation) + "]";
    }

    /** Batching: the permutation is renumbered around the batch axis, which comes out first. */
    @Override
    public Batched batch(Array[] vals, int[] dims, int axisSize) {
        int d = dims[0];
        return Batched.of(Ops.transpose(vals[0], BatchRules.prepend(d, BatchRules.shift(permutation, d))), 0);
    }
}
