package dev.solstice.curvature;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jax;
import dev.solstice.Prng;
import dev.solstice.core.DenseArray;
import dev.solstice.tree.Tree;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A loss's Hessian at fixed parameters as an operator on raveled vectors ({@link Tree#ravel} order) in double
 * arithmetic: what the Krylov and sketching methods of {@link Curvature} need. Products are computed in the
 * parameters' dtype by forward-over-reverse differentiation, compiled once per operator with {@code jit}.
 */
final class FlatHessian<T> {
    private final Tree.Raveled<T> raveled;
    final int size;
    final DType dtype;

    FlatHessian(String op, Function<T, Array> loss, T params) {
        this.raveled = Tree.ravel(params);
        this.size = raveled.flat().size();
        this.dtype = raveled.flat().dtype();
        if (!dtype.isFloating() || size == 0) {
            throw new IllegalArgumentException(op + ": the parameters must hold float arrays, got " + size
                    + " elements of " + dtype);
        }
        Function<Array, T> unravel = raveled.unravel();
        // compiled once per operator: the parameters are captured constants, so everything that depends on them
        // alone (the forward pass, the primal half of the backward pass) is folded at compile time and each
        // product runs only the linear part. Differentiating with respect to the tree, not the raveled vector,
        // keeps the cotangents per leaf: the raveled product is one concatenation, where differentiating through
        // unravel's slices transposes each into a zero-padded full-length vector and sums them (a third of a
        // product's time on a small MLP). Integer leaves have no derivative, so a tree with one takes the raveled
        // route, where they are conversions of the raveled vector (zero rows and columns of the Hessian).
        boolean allFloat = Tree.flatten(params).leaves().stream().allMatch(a -> a.dtype().isFloating());
        Array theta = raveled.flat();
        this.hvp = allFloat
                ? Jax.jit((Array v) -> Tree.ravel(Jax.hvp(loss, params, unravel.apply(v))).flat())
                : Jax.jit((Array v) -> Jax.hvp((Array t) -> loss.apply(unravel.apply(t)), theta, v));
    }

    private final UnaryOperator<Array> hvp;

    /** {@code H v}. */
    double[] apply(double[] v) {
        return doubles(hvp.apply(input(v)));
    }

    /**
     * {@code v^T H v}, summed in index order as {@link Lanczos#dot} sums: the product is read where the compiled
     * program left it, not copied into a new {@code double[]} as {@link #apply} does.
     */
    double quadraticForm(double[] v) {
        DenseArray hv = hvp.apply(input(v)).concrete();
        return Lanczos.dot(v, hv.dtype() == DType.FLOAT64 ? hv.doubles() : hv.toDoubleArray());
    }

    /**
     * {@code v} as the compiled product's argument: float64 parameters take {@code v} itself, not a copy (the
     * program only reads it, and nothing of a run keeps it).
     */
    private Array input(double[] v) {
        return dtype == DType.FLOAT64 ? DenseArray.ofDoubles(v, size) : vector(v);
    }

    /**
     * An array's elements as a new {@code double[]}: a float64 array's storage copied in one go (its
     * {@code toDoubleArray} converts element by element, a visible share of a small product's time).
     */
    static double[] doubles(Array a) {
        DenseArray d = a.concrete();
        return d.dtype() == DType.FLOAT64 ? d.doubles().clone() : d.toDoubleArray();
    }

    /**
     * {@code H v_k} for every row of {@code vs}, one compiled product each: vmapped batches of 10 or 25 products in
     * one compiled call measured 35-50% slower on the digits MLP of {@code tools/curvature_peer}.
     */
    double[][] applyAll(double[][] vs) {
        double[][] rows = new double[vs.length][];
        for (int i = 0; i < vs.length; i++) {
            rows[i] = apply(vs[i]);
        }
        return rows;
    }

    /** A raveled vector as a tree of the parameters' structure (in the parameters' dtypes). */
    T tree(double[] v) {
        return raveled.unravel().apply(vector(v));
    }

    /** A tree of the parameters' structure as a raveled vector. */
    double[] flat(T tree) {
        return doubles(Tree.ravel(tree).flat());
    }

    private Array vector(double[] v) {
        return Array.of(v, size).astype(dtype);
    }

    /** {@code count} Rademacher vectors (+-1) of this size drawn from {@code key}. */
    double[][] rademacher(Array key, int count) {
        return Curvature.rademacherProbes(key, count, size);
    }

    /** A standard normal vector of this size drawn from {@code key}. */
    double[] gaussian(Array key) {
        return doubles(Prng.normal(key, new int[] {size}, DType.FLOAT64));
    }
}
