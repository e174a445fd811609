package dev.solstice.optim;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.tree.Tree;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A function of a parameter tree seen as a function of its raveled vector ({@code Tree.ravel} order) in the
 * parameters' dtype, with conversions to and from {@code double[]}: how the second-order solvers of this package
 * run their linear algebra in double while differentiating the user's function as written.
 */
final class FlatProblem<T> {
    final Tree.Raveled<T> raveled;
    final DType dtype;
    final int size;

    FlatProblem(String op, T params) {
        this.raveled = Tree.ravel(params);
        this.dtype = raveled.flat().dtype();
        this.size = raveled.flat().size();
        if (!dtype.isFloating() || size == 0) {
            throw new IllegalArgumentException(op + ": the parameters must hold float arrays, got " + size + " elements of "
                    + dtype);
        }
    }

    UnaryOperator<Array> scalarOfFlat(Function<T, Array> f) {
        return t -> f.apply(raveled.unravel().apply(t));
    }

    Array vector(double[] v) {
        return Array.of(v, size).astype(dtype);
    }

    T tree(double[] v) {
        return raveled.unravel().apply(vector(v));
    }

    static double[] doubles(Array a) {
        return a.astype(DType.FLOAT64).toDoubleArray();
    }
}
