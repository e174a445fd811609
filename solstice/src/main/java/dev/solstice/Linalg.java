package dev.solstice;

import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.kernel.MatrixBatch;
import dev.solstice.prim.Eigh;
import dev.solstice.prim.MatrixOps;
import dev.solstice.prim.Ops;
import dev.solstice.prim.Qr;
import dev.solstice.prim.Svd;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Linear algebra as JAX's {@code jnp.linalg} and {@code lax.linalg}: every function takes float32 or float64
 * matrices in the last two axes, batched over any leading axes, works under every transformation (jvp, vjp,
 * grad to any order, vmap, jit) and has JAX's derivatives. Decompositions are the primitives
 * {@code cholesky}, {@code triangular_solve}, {@code lu}, {@code eigh}, {@code svd} and {@code qr}; the rest are
 * composites of them ({@code pinv}, {@code lstsq}, the 2-norms and {@code cond} through the SVD, as JAX's).
 * The kernels compute in double precision: float32 inputs are widened and the results rounded back, so float32
 * results can differ from JAX's (which runs float32 LAPACK) in the last bits, towards the exact answer.
 *
 * <p>At degeneracy it does what JAX does on CPU:
 * <ul>
 *   <li>{@link #cholesky} of a matrix that is not positive definite returns a matrix of NaNs (JAX's CPU
 *       lowering replaces a failed {@code potrf} by NaNs); it never throws.</li>
 *   <li>{@link #lu} of a singular matrix completes, with zeros on {@code U}'s diagonal and no NaNs (LAPACK's
 *       {@code getrf}); {@link #solve} and {@link #inv} then return infinities or NaNs (no error, no check),
 *       {@link #slogdet} gives sign 0 and {@code logAbsDet = -inf}, and {@link #det} gives 0.</li>
 *   <li>{@link #det} has JAX's custom JVP (a cofactor solve), so its derivative at an exactly singular
 *       matrix is the cofactor matrix (zero below rank {@code n - 1}), not NaN; {@link #slogdet}'s
 *       {@code logAbsDet} has an infinite derivative there, as in JAX.</li>
 *   <li>{@link #svd}: the singular vectors' derivatives are infinite or NaN at repeated singular values (and,
 *       for non-square matrices, at a zero one), the values' stay finite; full matrices of a non-square
 *       shape have no derivative ({@link UnsupportedOperationException}, JAX's NotImplementedError);
 *       {@link #qr} has none for {@code m < n} or complete mode of a non-square matrix, as in JAX.</li>
 *   <li>{@link #pinv} has JAX's custom JVP, finite at rank-deficient matrices; {@link #lstsq} and the 2-norms
 *       differentiate through the SVD, as JAX's do; {@link #cond} of a singular matrix is {@code +inf}.</li>
 * </ul>
 *
 * {@snippet lang=java :
 * Array a = Array.of(new double[] {2, 0, 0, 4}, 2, 2);
 * Linalg.inv(a)                   // [[0.5, 0.0], [0.0, 0.25]]
 * Linalg.det(a).item()            // 8.0
 * }
 */
public final class Linalg {
    private Linalg() {}

    /**
     * The lower Cholesky factor {@code L} with {@code a = L Lᵀ} ({@code jnp.linalg.cholesky}): the input is first
     * symmetrised, {@code (a + aᵀ) / 2}, as JAX does, so the derivative is that of a function of all entries.
     * Not positive definite: NaNs.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {4, 2, 2, 3}, 2, 2);
     * Linalg.cholesky(a)              // [[2.0, 0.0], [1.0, 1.4142]]
     * }
     */
    public static Array cholesky(Array a) {
        MatrixOps.requireSquare("Linalg.cholesky", a.aval());
        return Ops.cholesky(symmetrized(a));
    }

    /**
     * {@code (a + aᵀ) / 2}, as JAX's {@code symmetrize}. A concrete array that is already symmetric bit for bit
     * (and too small to overflow when doubled) is returned as it is: the composite would give the same bits after
     * two passes and two copies (a third of {@link #cholesky}'s time at n = 256). Traced operands always take the
     * composite, so derivatives symmetrise the tangent as JAX's do.
     */
    private static Array symmetrized(Array a) {
        if (a instanceof DenseArray d && MatrixBatch.symmetricWithoutOverflow(d)) {
            return a;
        }
        return Ops.mul(Ops.add(a, MatrixOps.swapLast(a)), Ops.fullLike(a, 0.5));
    }

    /**
     * Solves {@code op(a) x = b} ({@code left}) or {@code x op(a) = b} with {@code a} triangular
     * ({@code lax.linalg.triangular_solve}); only the {@code lower} (or upper) triangle of {@code a} is read;
     * {@code op(a)} is {@code aᵀ} when {@code transposeA}. Equal leading axes; {@code b} is a matrix.
     *
     * {@snippet lang=java :
     * Array lower = Array.of(new double[] {2, 0, 1, 1}, 2, 2);
     * Array b = Array.of(new double[] {2, 3}, 2, 1);
     * Linalg.triangularSolve(lower, b, true, true, false)   // [[1.0], [2.0]]
     * }
     */
    public static Array triangularSolve(Array a, Array b, boolean left, boolean lower, boolean transposeA) {
        return Ops.triangularSolve(a, b, left, lower, transposeA, false);
    }

    /**
     * LU decomposition with partial pivoting of {@code [..., m, n]} ({@code lax.linalg.lu}); see {@link LuFactors}.
     *
     * {@snippet lang=java :
     * LuFactors f = Linalg.lu(Array.of(new double[] {1, 2, 3, 4}, 2, 2));
     * f.permutation()                 // [1, 0]
     * f.lu()                          // [[3.0, 4.0], [0.3333, 0.6667]]
     * }
     */
    public static LuFactors lu(Array a) {
        Array[] r = Ops.lu(a);
        return new LuFactors(r[0], r[1], r[2]);
    }

    /**
     * The solution of {@code a x = b} ({@code jnp.linalg.solve}) through LU with partial pivoting: {@code a}
     * is {@code [..., n, n]}; {@code b} is a vector {@code [..., n]} when it has one axis or one fewer than
     * {@code a} (JAX's rule), else a matrix {@code [..., n, k]}. The leading (batch) axes of {@code a} and
     * {@code b} broadcast against each other by NumPy's rules, so one matrix can solve a batch of right-hand
     * sides and a batch of matrices one right-hand side; {@code x} has the broadcast batch axes and {@code b}'s
     * trailing one or two.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {3, 1, 1, 2}, 2, 2);
     * Linalg.solve(a, Array.of(9.0, 8.0))   // [2.0, 3.0]
     * Array bs = Array.of(new double[] {9, 8, 3, 1, 1, 2}, 3, 2, 1);
     * Linalg.solve(a, bs)                   // float64[3,2,1]
     * }
     *
     * @param a {@code [..., n, n]}, float32 or float64
     * @param b {@code [..., n]} or {@code [..., n, k]} of {@code a}'s dtype
     * @return {@code x}
     */
    public static Array solve(Array a, Array b) {
        MatrixOps.requireSquare("Linalg.solve", a.aval());
        int r = a.ndim();
        int n = a.shape()[r - 1];
        boolean vector = b.ndim() == 1 || b.ndim() == r - 1;
        int bTrailing = vector ? 1 : 2;
        if (b.ndim() < bTrailing || b.shape()[b.ndim() - bTrailing] != n || b.dtype() != a.dtype()) {
            throw new IllegalArgumentException("Linalg.solve: cannot solve a x = b with a = " + a.aval().str() + " and b = "
                    + b.aval().str() + "; b must be [..., n] or [..., n, k] with order n, a's dtype, and batch axes that"
                    + " broadcast against a's");
        }
        int[] batch;
        try {
            batch = Jnp.broadcastShapes("Linalg.solve", Arrays.copyOf(a.shape(), r - 2),
                    Arrays.copyOf(b.shape(), b.ndim() - bTrailing));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Linalg.solve: the batch axes of a = " + a.aval().str() + " and b = "
                    + b.aval().str() + " do not broadcast (" + e.getMessage() + ")", e);
        }
        Array bm = vector ? Ops.expandDims(b, b.ndim()) : b;
        int k = bm.shape()[bm.ndim() - 1];
        Array ab = Jnp.broadcastTo(a, append(batch, n, n));
        bm = Jnp.broadcastTo(bm, append(batch, n, k));
        Array[] lu = Ops.lu(ab);
        Array pb = MatrixOps.permuteRows(bm, lu[2]);
        Array y = Ops.triangularSolve(lu[0], pb, true, true, false, true);
        Array x = Ops.triangularSolve(lu[0], y, true, false, false, false);
        return vector ? Ops.squeeze(x, x.ndim() - 1) : x;
    }

    /** {@code batch} followed by {@code last}. */
    private static int[] append(int[] batch, int... last) {
        int[] s = Arrays.copyOf(batch, batch.length + last.length);
        System.arraycopy(last, 0, s, batch.length, last.length);
        return s;
    }

    /**
     * The inverse of each matrix ({@code jnp.linalg.inv}): {@code solve(a, I)}. Singular: infinities or NaNs.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {4, 7, 2, 6}, 2, 2);
     * Linalg.inv(a)                   // [[0.6, -0.7], [-0.2, 0.4]]
     * }
     */
    public static Array inv(Array a) {
        MatrixOps.requireSquare("Linalg.inv", a.aval());
        return solve(a, MatrixOps.eyeLike(a));
    }

    /**
     * The sign and log-magnitude of the determinant ({@code jnp.linalg.slogdet}), from the LU decomposition:
     * the sign is the product of the signs of {@code U}'s diagonal times the parity of the row swaps; the
     * logarithm is the sum of {@code log|U_ii|}. Derivative of {@code logAbsDet}: {@code tr(a⁻¹ da)}.
     *
     * {@snippet lang=java :
     * SlogDet d = Linalg.slogdet(Array.of(new double[] {2, 0, 0, -3}, 2, 2));
     * d.sign().item()                 // -1.0
     * d.logAbsDet().item()            // 1.7918
     * }
     */
    public static SlogDet slogdet(Array a) {
        MatrixOps.requireSquare("Linalg.slogdet", a.aval());
        Array[] lu = Ops.lu(a);
        Array diag = MatrixOps.diagonal(lu[0]);
        int last = diag.ndim() - 1;
        Array pivots = lu[1];
        Array swaps = count(Ops.ne(pivots, Ops.iota(DType.INT32, pivots.shape(), last)), last);
        Array negatives = count(Ops.lt(diag, Ops.zerosLike(diag)), last);
        Array odd = Ops.and(Ops.add(swaps, negatives), Ops.fullLike(swaps, 1));
        Array oddSign = Ops.select(Ops.eq(odd, Ops.zerosLike(odd)), ones(swaps, a.dtype()), Ops.neg(ones(swaps, a.dtype())));
        Array singular = Ops.gt(count(Ops.eq(diag, Ops.zerosLike(diag)), last), Ops.zerosLike(swaps));
        Array sign = Ops.select(singular, Ops.zerosLike(oddSign), oddSign);
        Array logAbsDet = Ops.reduceSum(Ops.log(Ops.abs(diag)), last);
        return new SlogDet(sign, logAbsDet);
    }

    private static Array count(Array predicate, int... axes) {
        return Ops.reduceSum(Ops.convert(predicate, DType.INT32), axes);
    }

    private static Array ones(Array like, DType dtype) {
        return Ops.fullLike(Ops.convert(like, dtype), 1);
    }

    /**
     * The determinant of each matrix ({@code jnp.linalg.det}). For 2x2 and 3x3 matrices it is the explicit
     * polynomial (as JAX computes them), whose derivatives of every order are exact, and at a singular matrix
     * the gradient is the cofactor matrix. Larger matrices: {@code sign * exp(logAbsDet)} of {@link #slogdet}, 0
     * for a singular matrix, with JAX's custom JVP: the trace of a cofactor solve ({@code det(a) a⁻¹ da}
     * computed from the LU factors so that it stays right at a singular matrix: the adjugate for rank
     * {@code n - 1}, zero below), so the gradient at a singular matrix is its cofactor matrix, not NaN; the rule
     * is itself differentiable, so Hessians work. (JAX differentiates 2x2 and 3x3 through the cofactor solve as
     * well; the polynomial's derivative is the same up to rounding.)
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 2, 2, 4}, 2, 2);
     * Jax.grad(Linalg::det).apply(a).get(0).get(0).item()   // 4.0
     * Linalg.det(Array.of(new double[] {2, 0, 0, 0, 3, 0, 1, 0, 4}, 3, 3)).item()   // 24.0
     * }
     *
     * @param a a float32 or float64 array of square matrices
     * @return the determinants, {@code a}'s shape without the last two axes
     */
    public static Array det(Array a) {
        MatrixOps.requireSquare("Linalg.det", a.aval());
        int n = a.shape()[a.ndim() - 1];
        if (n == 2) {
            return Ops.sub(Ops.mul(entry(a, 0, 0), entry(a, 1, 1)), Ops.mul(entry(a, 0, 1), entry(a, 1, 0)));
        } else if (n == 3) {
            return det3(a);
        }
        return DET.apply(a);
    }

    /** The 3x3 determinant by the rule of Sarrus (six products of three entries). */
    private static Array det3(Array a) {
        Array plus = Ops.add(Ops.add(product(a, 0, 0, 1, 1, 2, 2), product(a, 0, 1, 1, 2, 2, 0)), product(a, 0, 2, 1, 0, 2, 1));
        Array minus = Ops.add(Ops.add(product(a, 0, 2, 1, 1, 2, 0), product(a, 0, 0, 1, 2, 2, 1)), product(a, 0, 1, 1, 0, 2, 2));
        return Ops.sub(plus, minus);
    }

    /** {@code a[i0, j0] a[i1, j1] a[i2, j2]} of each matrix. */
    private static Array product(Array a, int i0, int j0, int i1, int j1, int i2, int j2) {
        return Ops.mul(Ops.mul(entry(a, i0, j0), entry(a, i1, j1)), entry(a, i2, j2));
    }

    /** Element {@code (i, j)} of each matrix: {@code [..., m, n] -> [...]}. */
    private static Array entry(Array a, int i, int j) {
        int r = a.ndim();
        int[] start = new int[r];
        int[] limit = a.shape();
        int[] strides = new int[r];
        Arrays.fill(strides, 1);
        start[r - 2] = i;
        start[r - 1] = j;
        limit[r - 2] = i + 1;
        limit[r - 1] = j + 1;
        return Ops.squeeze(Ops.slice(a, start, limit, strides), r - 2, r - 1);
    }

    private static final UnaryOperator<Array> DET = Jax.customJvp(Linalg::detFromSlogdet, (x, dx) -> {
        Array[] cofactor = cofactorSolve(x, dx);
        return new JvpResult<>(cofactor[0], MatrixOps.trace(cofactor[1]));
    });

    private static Array detFromSlogdet(Array a) {
        SlogDet s = slogdet(a);
        return Ops.mul(s.sign(), Ops.exp(s.logAbsDet()));
    }

    /**
     * {@code {det(a), det(a) a⁻¹ b}} for square {@code a} and {@code b} of one shape, well defined when {@code a}
     * is singular (as JAX's {@code _cofactor_solve}): with {@code P a = L U}, the last diagonal element of
     * {@code U} is replaced by {@code 1 / (sign prod_{i<n-1} U_ii)}, so the back substitution never divides by
     * it and the last row carries the product of the other pivots; the other rows are scaled by {@code det}.
     * Where a further pivot is zero (rank below {@code n - 1}) the modified solve overflows, and the result is
     * zero, which is the true value there.
     */
    private static Array[] cofactorSolve(Array a, Array b) {
        int r = a.ndim();
        int n = a.shape()[r - 1];
        if (n == 1) {
            return new Array[] {Ops.squeeze(a, r - 2, r - 1), b};
        }
        Array[] f = Ops.lu(a);
        Array diag = MatrixOps.diagonal(f[0]);
        int last = diag.ndim() - 1;
        Array pivots = f[1];
        Array swaps = count(Ops.ne(pivots, Ops.iota(DType.INT32, pivots.shape(), last)), last);
        Array odd = Ops.and(swaps, Ops.fullLike(swaps, 1));
        Array sign = Ops.select(Ops.eq(odd, Ops.zerosLike(odd)), ones(swaps, a.dtype()), Ops.neg(ones(swaps, a.dtype())));
        Array partial = Ops.mul(Ops.cumprod(diag, last, false), broadcastLeading(sign, diag.shape()));
        Array det = lastOf(partial, n - 1);
        Array withoutLast = lastOf(partial, n - 2);
        int[] shape = a.shape();
        Array rows = Ops.iota(DType.INT32, shape, r - 2);
        Array cols = Ops.iota(DType.INT32, shape, r - 1);
        Array corner = Ops.and(Ops.eq(rows, Ops.full(rows.aval(), n - 1)), Ops.eq(cols, Ops.full(cols.aval(), n - 1)));
        Array inverseCorner = broadcastLeading(Ops.div(ones(det, a.dtype()), withoutLast), shape);
        Array lu = Ops.select(corner, inverseCorner, f[0]);
        Array probe = Ops.triangularSolve(lu, Ops.expandDims(Ops.fullLike(diag, 1), last + 1), true, false, false, false);
        Array notFinite = Ops.or(Ops.ne(probe, probe), Ops.eq(Ops.abs(probe), Ops.fullLike(probe, Double.POSITIVE_INFINITY)));
        Array lowRank = broadcastLeading(Ops.gt(count(notFinite, last, last + 1), Ops.zerosLike(swaps)), b.shape());
        Array x = Ops.select(lowRank, Ops.zerosLike(b), b);
        x = MatrixOps.permuteRows(x, f[2]);
        x = Ops.triangularSolve(lu, x, true, true, false, true);
        Array scale = Ops.select(Ops.lt(rows, Ops.full(rows.aval(), n - 1)), broadcastLeading(det, shape), Ops.fullLike(b, 1));
        x = Ops.triangularSolve(lu, Ops.mul(x, scale), true, false, false, false);
        return new Array[] {det, Ops.select(lowRank, Ops.zerosLike(x), x)};
    }

    /** Element {@code i} of the last axis: {@code [..., k] -> [...]}. */
    private static Array lastOf(Array x, int i) {
        int r = x.ndim();
        int[] start = new int[r];
        int[] limit = x.shape();
        int[] strides = new int[r];
        Arrays.fill(strides, 1);
        start[r - 1] = i;
        limit[r - 1] = i + 1;
        return Ops.squeeze(Ops.slice(x, start, limit, strides), r - 1);
    }

    /**
     * The vector norm along {@code axis} ({@code jnp.linalg.norm(x, ord, axis)}): {@code ord} 2 (Euclidean),
     * 1, any other positive or negative {@code p} ({@code (sum |x|^p)^(1/p)}), {@code +inf} (largest
     * magnitude), {@code -inf} (smallest) or 0 (the number of nonzeros, in {@code x}'s dtype).
     *
     * {@snippet lang=java :
     * Array x = Array.of(new double[] {3, 4, -6, 8}, 2, 2);
     * Linalg.norm(x, 2, 1)            // [5.0, 10.0]
     * Linalg.norm(x, Double.POSITIVE_INFINITY, 0)   // [6.0, 8.0]
     * Linalg.norm(x, 1, 1)            // [7.0, 14.0]
     * }
     */
    public static Array norm(Array x, double ord, int axis) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("Linalg.norm: operand " + x.aval().str() + " must have a floating dtype");
        }
        int ax = dev.solstice.core.Shapes.axis("Linalg.norm of " + x.aval().str(), axis, x.ndim());
        Array abs = Ops.abs(x);
        if (ord == Double.POSITIVE_INFINITY) {
            return Ops.reduceMax(abs, ax);
        } else if (ord == Double.NEGATIVE_INFINITY) {
            return Ops.reduceMin(abs, ax);
        } else if (ord == 0) {
            return Ops.reduceSum(Ops.convert(Ops.ne(x, Ops.zerosLike(x)), x.dtype()), ax);
        } else if (ord == 1) {
            return Ops.reduceSum(abs, ax);
        } else if (ord == 2) {
            return Ops.sqrt(Ops.reduceSum(Ops.mul(x, x), ax));
        }
        Array p = Ops.fullLike(abs, ord);
        Array s = Ops.reduceSum(Ops.pow(abs, p), ax);
        return Ops.pow(s, Ops.fullLike(s, 1 / ord));
    }

    /**
     * The Frobenius norm of each matrix in the last two axes ({@code jnp.linalg.norm(x, 'fro', axis=(-2, -1))}),
     * which for a vector or any array of rank below 2 is the Euclidean norm of all its elements. Its derivative
     * at zero is NaN, as JAX's.
     *
     * {@snippet lang=java :
     * Linalg.norm(Array.of(3.0, 4.0)).item()   // 5.0
     * Linalg.norm(Array.of(new double[] {1, 1, 1, 1}, 2, 2)).item()   // 2.0
     * }
     */
    public static Array norm(Array x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("Linalg.norm: operand " + x.aval().str() + " must have a floating dtype");
        }
        int r = x.ndim();
        int[] axes = r < 2 ? range(0, r) : new int[] {r - 2, r - 1};
        return Ops.sqrt(Ops.reduceSum(Ops.mul(x, x), axes));
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        return a;
    }

    /**
     * {@code a} raised to the integer power {@code n} ({@code jnp.linalg.matrix_power}), by repeated squaring;
     * {@code n = 0} gives identities and a negative {@code n} the power of {@link #inv}.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 1, 0, 1}, 2, 2);
     * Linalg.matrixPower(a, 3)        // [[1.0, 3.0], [0.0, 1.0]]
     * Linalg.matrixPower(a, -1)       // [[1.0, -1.0], [0.0, 1.0]]
     * }
     */
    public static Array matrixPower(Array a, int n) {
        MatrixOps.requireSquare("Linalg.matrixPower", a.aval());
        if (n == 0) {
            return MatrixOps.eyeLike(a);
        }
        Array base = n < 0 ? inv(a) : a;
        long k = Math.abs((long) n);
        Array result = null;
        while (k > 0) {
            if ((k & 1) != 0) {
                result = result == null ? base : MatrixOps.matmul(result, base);
            }
            k >>= 1;
            if (k > 0) {
                base = MatrixOps.matmul(base, base);
            }
        }
        return result;
    }

    /**
     * The eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix ({@code jnp.linalg.eigh}):
     * the input is symmetrised first, {@code (a + aᵀ) / 2}, as JAX does. Derivatives as JAX's, for distinct
     * eigenvalues; with repeated eigenvalues the eigenvectors' derivative is infinite or NaN, as in JAX (the
     * eigenvalues' stays finite). Each eigenvector's sign makes its largest-magnitude component positive.
     *
     * {@snippet lang=java :
     * EighResult e = Linalg.eigh(Array.of(new double[] {2, 1, 1, 2}, 2, 2));
     * e.eigenvalues()                 // [1.0, 3.0]
     * e.eigenvectors()                // float64[2,2]
     * }
     */
    public static EighResult eigh(Array a) {
        MatrixOps.requireSquare("Linalg.eigh", a.aval());
        Array[] r = Ops.eigh(symmetrized(a));
        return new EighResult(r[1], r[0]);
    }

    /**
     * The eigenvalues (ascending) of each symmetric matrix {@code [..., n, n]} ({@code jnp.linalg.eigvalsh}):
     * the input is symmetrised first, as JAX does, and only the values are computed (no eigenvectors are
     * accumulated, so it is several times faster than {@link #eigh}); the values are bitwise {@link #eigh}'s.
     * Derivative {@code dw_i = v_iᵀ da v_i}, finite at repeated eigenvalues; differentiating computes the
     * eigenvectors, as JAX does.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {2, 1, 1, 2}, 2, 2);
     * Linalg.eigvalsh(a)              // [1.0, 3.0]
     * Jax.grad((Array x) -> Jnp.sum(Linalg.eigvalsh(x))).apply(a)   // [[1.0, 0.0], [0.0, 1.0]]
     * }
     *
     * @param a a float32 or float64 array of square matrices
     * @return the eigenvalues {@code [..., n]}, ascending, in {@code a}'s dtype
     */
    public static Array eigvalsh(Array a) {
        MatrixOps.requireSquare("Linalg.eigvalsh", a.aval());
        return Interpreters.bind(new Eigh(false), symmetrized(a))[0];
    }

    /**
     * The singular value decomposition {@code a = U diag(s) Vh} of each matrix {@code [..., m, n]}
     * ({@code jnp.linalg.svd(a, full_matrices)}); see {@link SvdResult} for the shapes. Singular values are
     * descending; signs are fixed deterministically (LAPACK fixes none): each column of {@code U} has its
     * largest-magnitude component positive, and the matching row of {@code Vh} follows.
     *
     * <p>Derivatives are JAX's, for the reduced form ({@code fullMatrices = false}; a square matrix's full form
     * is the same); the full form of a non-square matrix has none (as in JAX), so ask for the reduced one when
     * differentiating. At repeated singular values the derivatives of {@code U} and {@code Vh} are infinite or
     * NaN, as in JAX (the pair of singular vectors is not unique there); so is a zero singular value's
     * contribution when {@code m != n}; the derivative of {@code s} stays finite. Use {@link #svdvals} when
     * only the values are needed: its derivative is finite at repeated values too.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {0, 2, 3, 0}, 2, 2);
     * SvdResult r = Linalg.svd(a, false);
     * r.s().get(0).item()       // 3.0
     * r.u().get(1).get(0).item() // 1.0
     * }
     *
     * @param a a float32 or float64 array of rank at least 2
     * @param fullMatrices whether {@code U} and {@code Vh} are square ({@code m x m}, {@code n x n})
     * @return {@code U}, {@code s} and {@code Vh}
     */
    public static SvdResult svd(Array a, boolean fullMatrices) {
        MatrixOps.requireFloatMatrix("Linalg.svd", a.aval());
        Array[] r = Interpreters.bind(new Svd(fullMatrices, true), a);
        return new SvdResult(r[1], r[0], r[2]);
    }

    /**
     * The singular value decomposition with all of {@code jnp.linalg.svd}'s options: {@code fullMatrices} as in
     * {@link #svd(Array, boolean)}; {@code computeUv = false} computes the singular values only (as
     * {@link #svdvals}) and returns them with {@code u} and {@code vh} null; {@code hermitian} (square, symmetric
     * matrices; the lower triangle is read after symmetrising, as {@link #eigh}) computes it through
     * {@link #eigh} as JAX does: {@code s = |λ|} sorted descending (stably by {@code |λ|}, then reversed), {@code U}
     * the matching eigenvectors and {@code Vh} their transposes times {@code sign(λ)} (so, as in JAX, a zero
     * eigenvalue gives a zero row of {@code Vh}; {@code U diag(s) Vh} is still {@code a}). {@code fullMatrices}
     * does not matter for hermitian (square) matrices. Derivatives as the underlying {@code svd} or {@code eigh}.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 2, 2, 1}, 2, 2);
     * SvdResult h = Linalg.svd(a, false, true, true);
     * h.s()                           // [3.0, 1.0]
     * Linalg.svd(a, false, false, false).u()   // null
     * }
     *
     * @param a a float32 or float64 array of rank at least 2 (square when {@code hermitian})
     * @param fullMatrices whether {@code U} and {@code Vh} are square
     * @param computeUv whether {@code U} and {@code Vh} are computed (else null)
     * @param hermitian whether {@code a} is symmetric, decomposed through {@code eigh}
     * @return {@code U}, {@code s} and {@code Vh}
     */
    public static SvdResult svd(Array a, boolean fullMatrices, boolean computeUv, boolean hermitian) {
        MatrixOps.requireFloatMatrix("Linalg.svd", a.aval());
        if (!hermitian) {
            Array[] r = Interpreters.bind(new Svd(fullMatrices, computeUv), a);
            return computeUv ? new SvdResult(r[1], r[0], r[2]) : new SvdResult(null, r[0], null);
        }
        MatrixOps.requireSquare("Linalg.svd (hermitian)", a.aval());
        int last = a.ndim() - 2;
        if (!computeUv) {
            return new SvdResult(null, Ops.rev(Ops.sort(last, 1, Ops.abs(eigvalsh(a)))[0], last), null);
        }
        EighResult e = eigh(a);
        Array w = e.eigenvalues();
        Array positions = Ops.iota(DType.INT32, w.shape(), last);
        Array[] sorted = Ops.sort(last, 1, Ops.abs(w), positions, Ops.sign(w));
        Array s = Ops.rev(sorted[0], last);
        Array order = Ops.rev(sorted[1], last);
        Array sign = Ops.rev(sorted[2], last);
        int[] square = a.shape();
        Array columns = Ops.broadcastInDim(order, square, leadingAnd(square.length, square.length - 1));
        Array u = Ops.takeAlongAxis(e.eigenvectors(), columns, square.length - 1);
        Array signs = Ops.broadcastInDim(sign, square, leadingAnd(square.length, square.length - 1));
        return new SvdResult(u, s, MatrixOps.swapLast(Ops.mul(u, signs)));
    }

    /** Broadcast dimensions taking {@code [..., k]} to rank {@code rank} with its last axis at {@code lastAt}. */
    private static int[] leadingAnd(int rank, int lastAt) {
        int[] dims = range(0, rank - 1);
        dims[rank - 2] = lastAt;
        return dims;
    }

    /**
     * The singular values of each matrix {@code [..., m, n]}, descending ({@code jnp.linalg.svdvals}): the
     * {@code svd} primitive without vectors. Derivative {@code d s_i = u_iᵀ da v_i} (JAX's rule), finite even
     * at repeated singular values.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 0, 0, 0, -4, 0}, 2, 3);
     * Linalg.svdvals(a).get(0).item()   // 4.0
     * }
     *
     * @param a a float32 or float64 array of rank at least 2
     * @return {@code [..., min(m, n)]} in {@code a}'s dtype
     */
    public static Array svdvals(Array a) {
        MatrixOps.requireFloatMatrix("Linalg.svdvals", a.aval());
        return Interpreters.bind(new Svd(false, false), a)[0];
    }

    /**
     * The reduced QR decomposition {@code a = Q R} of each matrix {@code [..., m, n]}
     * ({@code jnp.linalg.qr(a)}, mode {@code "reduced"}): {@code Q} {@code [..., m, k]} with orthonormal
     * columns, {@code R} {@code [..., k, n]} upper triangular, {@code k = min(m, n)}; Householder with
     * LAPACK's signs, so the values are JAX's on CPU up to rounding. Derivatives as JAX's, for {@code m >= n}
     * (JAX has none for {@code m < n}; neither has this: {@link UnsupportedOperationException}).
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {3, 1, 4, 2}, 2, 2);
     * QrResult f = Linalg.qr(a);
     * f.r().get(0).get(0).item()   // -5.0
     * }
     *
     * @param a a float32 or float64 array of rank at least 2
     * @return {@code Q} and {@code R}
     */
    public static QrResult qr(Array a) {
        return qr(a, "reduced");
    }

    /**
     * The QR decomposition in JAX's {@code mode} ({@code jnp.linalg.qr(a, mode)}): {@code "reduced"} (see
     * {@link #qr(Array)}), {@code "complete"} ({@code Q} {@code [..., m, m]}, {@code R} {@code [..., m, n]};
     * its derivative exists for square matrices only, as in JAX) or {@code "r"} (the reduced {@code R} only: the
     * result's {@code q()} is null; its derivative is the reduced mode's, as in JAX). JAX's {@code "raw"}
     * (Householder form) is not offered.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 2, 3}, 3, 1);
     * Linalg.qr(a, "complete").q().shape()[1]   // 3
     * Linalg.qr(a, "r").r().shape()[0]          // 1
     * Linalg.qr(a, "raw")   // throws IllegalArgumentException
     * }
     *
     * @param a a float32 or float64 array of rank at least 2
     * @param mode {@code "reduced"}, {@code "complete"} or {@code "r"}
     * @return {@code Q} (null in mode {@code "r"}) and {@code R}
     */
    public static QrResult qr(Array a, String mode) {
        MatrixOps.requireFloatMatrix("Linalg.qr", a.aval());
        if (!mode.equals("reduced") && !mode.equals("complete") && !mode.equals("r")) {
            throw new IllegalArgumentException("Linalg.qr: mode \"" + mode + "\" of " + a.aval().str()
                    + " is not one of \"reduced\", \"complete\", \"r\"" + (mode.equals("raw")
                    ? " (JAX's \"raw\" Householder form is not offered; use \"reduced\")" : ""));
        }
        Array[] r = Interpreters.bind(new Qr(mode.equals("complete")), a);
        return new QrResult(mode.equals("r") ? null : r[0], r[1]);
    }

    /** JAX's {@code finfo(dtype).eps}: the gap from 1 to the next float of {@code dtype}. */
    private static double eps(DType dtype) {
        return switch (dtype) {
            case FLOAT16 -> 0x1p-10;
            case BFLOAT16 -> 0x1p-7;
            case FLOAT32 -> Math.ulp(1.0f);
            default -> Math.ulp(1.0);
        };
    }

    /** {@code x [...]} broadcast to {@code shape}, {@code x}'s axes the leading ones of {@code shape}. */
    private static Array broadcastLeading(Array x, int[] shape) {
        return Ops.broadcastInDim(x, shape, range(0, x.ndim()));
    }

    /**
     * The Moore-Penrose pseudo-inverse of each matrix {@code [..., m, n]} ({@code jnp.linalg.pinv}), with JAX's
     * default cutoff {@code rtol = 10 max(m, n) eps}: see {@link #pinv(Array, double)}.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {2, 0, 0, 4, 0, 0}, 3, 2);
     * Linalg.pinv(a).get(1).get(1).item()   // 0.25
     * }
     *
     * @param a a float32 or float64 array of rank at least 2
     * @return {@code [..., n, m]}
     */
    public static Array pinv(Array a) {
        MatrixOps.requireFloatMatrix("Linalg.pinv", a.aval());
        int r = a.ndim();
        return pinv(a, 10.0 * Math.max(a.shape()[r - 2], a.shape()[r - 1]) * eps(a.dtype()));
    }

    /**
     * The pseudo-inverse {@code V diag(1/s) Uᵀ} of each matrix from its reduced {@link #svd}, singular values at
     * most {@code rtol} times the largest treated as zero, as {@code jnp.linalg.pinv(a, rtol)}. Its derivative is
     * JAX's custom JVP (Golub and Pereyra): {@code dP = -P dA P + P Pᵀ dAᵀ (I - A P) + (I - P A) dAᵀ Pᵀ P}, which
     * holds wherever the rank is locally constant, so it stays finite at rank-deficient matrices and at
     * repeated singular values (where the derivative through the SVD would be infinite); it is itself
     * differentiated through {@code pinv}, so every order works.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 2, 2, 4}, 2, 2);
     * Linalg.pinv(a, 1e-10).get(0).get(1).item()   // 0.08
     * }
     *
     * @param a a float32 or float64 array of rank at least 2
     * @param rtol the relative cutoff
     * @return {@code [..., n, m]}
     */
    public static Array pinv(Array a, double rtol) {
        MatrixOps.requireFloatMatrix("Linalg.pinv", a.aval());
        return pinvWithRule(rtol).apply(a);
    }

    private static UnaryOperator<Array> pinvWithRule(double rtol) {
        Object[] self = new Object[1];
        UnaryOperator<Array> f = Jax.customJvp(x -> pinvBySvd(x, rtol), (x, dA) -> {
            @SuppressWarnings("unchecked")
            Array p = ((UnaryOperator<Array>) self[0]).apply(x);
            Array pt = MatrixOps.swapLast(p);
            Array dAt = MatrixOps.swapLast(dA);
            Array ap = MatrixOps.matmul(x, p);
            Array pa = MatrixOps.matmul(p, x);
            Array first = Ops.neg(MatrixOps.matmul(MatrixOps.matmul(p, dA), p));
            Array second = MatrixOps.matmul(MatrixOps.matmul(MatrixOps.matmul(p, pt), dAt), Ops.sub(MatrixOps.eyeLike(ap), ap));
            Array third = MatrixOps.matmul(MatrixOps.matmul(Ops.sub(MatrixOps.eyeLike(pa), pa), dAt), MatrixOps.matmul(pt, p));
            return new JvpResult<>(p, Ops.add(Ops.add(first, second), third));
        });
        self[0] = f;
        return f;
    }

    private static Array pinvBySvd(Array a, double rtol) {
        Array[] d = Interpreters.bind(new Svd(false, true), a);
        Array s = d[0];
        int last = s.ndim() - 1;
        Array cutoff = Ops.mul(broadcastLeading(Ops.reduceMax(s, last), s.shape()), Ops.fullLike(s, rtol));
        Array kept = Ops.select(Ops.gt(s, cutoff), s, Ops.fullLike(s, Double.POSITIVE_INFINITY));
        Array ut = MatrixOps.swapLast(d[1]);
        Array scaled = Ops.div(ut, broadcastLeading(kept, ut.shape()));
        return MatrixOps.matmul(MatrixOps.swapLast(d[2]), scaled);
    }

    /**
     * The least-squares solution of {@code a x = b} ({@code jnp.linalg.lstsq}) with JAX's default
     * {@code rcond = eps max(m, n)}: see {@link #lstsq(Array, Array, double)}.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 0, 0, 2, 0, 0}, 3, 2);
     * LstsqResult r = Linalg.lstsq(a, Array.of(1.0, 4.0, 5.0));
     * r.solution().get(1).item()    // 2.0
     * r.residuals().get(0).item()   // 25.0
     * }
     *
     * @param a {@code [m, n]}
     * @param b {@code [m]} or {@code [m, k]}, {@code a}'s dtype
     * @return the solution, residuals, rank and singular values
     */
    public static LstsqResult lstsq(Array a, Array b) {
        MatrixOps.requireFloatMatrix("Linalg.lstsq", a.aval());
        return lstsq(a, b, eps(a.dtype()) * Math.max(a.shape()[0], a.shape()[a.ndim() - 1]));
    }

    /**
     * The least-squares solution of {@code a x = b} through the reduced SVD, as JAX computes it: singular values
     * below {@code rcond} times the largest are dropped (a negative {@code rcond} means machine epsilon), so a
     * rank-deficient {@code a} gives the minimum-norm solution. {@code a} is one matrix (no batch axes, as in
     * JAX; use vmap for batches). Derivatives go through the SVD (JAX has no custom rule either), so they need
     * distinct nonzero singular values.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, 1, 1, 1}, 2, 2);
     * Linalg.lstsq(a, Array.of(1.0, 1.0), 1e-10).rank().item()   // 1.0
     * }
     *
     * @param a {@code [m, n]}
     * @param b {@code [m]} or {@code [m, k]}, {@code a}'s dtype
     * @param rcond the relative cutoff for small singular values
     * @return the solution, residuals, rank and singular values
     */
    public static LstsqResult lstsq(Array a, Array b, double rcond) {
        MatrixOps.requireFloatMatrix("Linalg.lstsq", a.aval());
        boolean vector = b.ndim() == 1;
        if (a.ndim() != 2 || (b.ndim() != 1 && b.ndim() != 2) || b.shape()[0] != a.shape()[0] || b.dtype() != a.dtype()) {
            throw new IllegalArgumentException("Linalg.lstsq: cannot solve a x = b with a = " + a.aval().str() + " and b = "
                    + b.aval().str() + "; a must be one matrix [m, n] and b [m] or [m, k] of its dtype (vmap for batches)");
        }
        double cut = rcond < 0 ? eps(a.dtype()) : rcond;
        Array b2 = vector ? Ops.expandDims(b, 1) : b;
        Array[] d = Interpreters.bind(new Svd(false, true), a);
        Array s = d[0];
        Array largest = broadcastLeading(Ops.reduceMax(s, 0), s.shape());
        Array mask = Ops.ge(s, Ops.mul(largest, Ops.fullLike(s, cut)));
        Array rank = Ops.reduceSum(Ops.convert(mask, DType.INT32), 0);
        Array ones = Ops.fullLike(s, 1);
        Array sInv = Ops.select(mask, Ops.div(ones, Ops.select(mask, s, ones)), Ops.zerosLike(s));
        Array utb = MatrixOps.matmul(MatrixOps.swapLast(d[1]), b2);
        Array x = MatrixOps.matmul(MatrixOps.swapLast(d[2]), Ops.mul(broadcastLeading(sInv, utb.shape()), utb));
        Array residual = Ops.sub(b2, MatrixOps.matmul(a, x));
        Array residuals = Ops.reduceSum(Ops.mul(residual, residual), 0);
        return new LstsqResult(vector ? Ops.squeeze(x, 1) : x, residuals, rank, s);
    }

    /**
     * The matrix norm of each matrix in the last two axes ({@code jnp.linalg.norm(x, ord)} for a matrix):
     * {@code ord} 1 (largest column sum of magnitudes), -1 (smallest), {@code +inf} (largest row sum),
     * {@code -inf} (smallest row sum), 2 (largest singular value), -2 (smallest singular value); see
     * {@link #norm(Array, String)} for "fro" and "nuc". A vector (rank 1) gets the vector norm of that
     * {@code ord}, as JAX's does; arrays of rank above 2 are batches of matrices here (JAX asks for
     * {@code axis} then). The 2 and -2 norms are differentiable through {@link #svdvals}.
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {1, -2, 3, 4}, 2, 2);
     * Linalg.norm(a, 1).item()                          // 6.0
     * Linalg.norm(a, Double.POSITIVE_INFINITY).item()   // 7.0
     * }
     *
     * @param x a float32 or float64 array of rank at least 1
     * @param ord 1, -1, 2, -2, {@code +inf} or {@code -inf}
     * @return the norms, {@code x}'s shape without the last two axes
     */
    public static Array norm(Array x, double ord) {
        if (x.ndim() == 1) {
            return norm(x, ord, 0);
        }
        MatrixOps.requireFloatMatrix("Linalg.norm", x.aval());
        int r = x.ndim();
        Array abs = Ops.abs(x);
        if (ord == 1 || ord == -1) {
            Array columnSums = Ops.reduceSum(abs, r - 2);
            return ord == 1 ? Ops.reduceMax(columnSums, r - 2) : Ops.reduceMin(columnSums, r - 2);
        } else if (Double.isInfinite(ord)) {
            Array rowSums = Ops.reduceSum(abs, r - 1);
            return ord > 0 ? Ops.reduceMax(rowSums, r - 2) : Ops.reduceMin(rowSums, r - 2);
        } else if (ord == 2 || ord == -2) {
            Array s = svdvals(x);
            return ord == 2 ? Ops.reduceMax(s, r - 2) : Ops.reduceMin(s, r - 2);
        }
        throw new IllegalArgumentException("Linalg.norm: ord " + ord + " is not a matrix norm of " + x.aval().str()
                + "; use 1, -1, 2, -2, +-inf, norm(x, \"fro\"), norm(x, \"nuc\"), or norm(x, ord, axis) for vector norms");
    }

    /**
     * The Frobenius ({@code "fro"}) or nuclear ({@code "nuc"}: the sum of the singular values) norm of each
     * matrix in the last two axes ({@code jnp.linalg.norm(x, 'fro' | 'nuc')}).
     *
     * {@snippet lang=java :
     * Array a = Array.of(new double[] {3, 0, 0, -4}, 2, 2);
     * Linalg.norm(a, "nuc").item()   // 7.0
     * Linalg.norm(a, "fro").item()   // 5.0
     * }
     *
     * @param x a float32 or float64 array of rank at least 2
     * @param ord {@code "fro"} or {@code "nuc"}
     * @return the norms, {@code x}'s shape without the last two axes
     */
    public static Array norm(Array x, String ord) {
        MatrixOps.requireFloatMatrix("Linalg.norm", x.aval());
        if (ord.equals("fro")) {
            return norm(x);
        } else if (ord.equals("nuc")) {
            return Ops.reduceSum(svdvals(x), x.ndim() - 2);
        }
        throw new IllegalArgumentException("Linalg.norm: ord \"" + ord + "\" of " + x.aval().str() + " is not \"fro\" or \"nuc\"");
    }

    /**
     * The condition number in the 2-norm ({@code jnp.linalg.cond(x)}): the largest singular value over the
     * smallest, of any {@code [..., m, n]}; infinite for a singular matrix (a NaN from 0/0 becomes
     * {@code +inf} unless {@code x} holds NaNs, as in JAX).
     *
     * {@snippet lang=java :
     * Linalg.cond(Array.of(new double[] {2, 0, 0, 8}, 2, 2)).item()   // 4.0
     * }
     *
     * @param x a float32 or float64 array of rank at least 2
     * @return the condition numbers, {@code x}'s shape without the last two axes
     */
    public static Array cond(Array x) {
        return cond(x, 2);
    }

    /**
     * The condition number in norm {@code p} ({@code jnp.linalg.cond(x, p)}): for {@code p = ±2} the ratio of
     * extreme singular values ({@code s_min / s_max} for -2); otherwise {@code norm(x, p) norm(inv(x), p)} of
     * square matrices. NaNs from a singular matrix become {@code +inf} unless {@code x} holds NaNs, as in JAX.
     *
     * {@snippet lang=java :
     * Linalg.cond(Array.of(new double[] {2, 0, 0, 8}, 2, 2), 1).item()   // 4.0
     * }
     *
     * @param x a float32 or float64 array of rank at least 2
     * @param p 1, -1, 2, -2, {@code +inf} or {@code -inf}
     * @return the condition numbers, {@code x}'s shape without the last two axes
     */
    public static Array cond(Array x, double p) {
        MatrixOps.requireFloatMatrix("Linalg.cond", x.aval());
        int r = x.ndim();
        Array c;
        if (p == 2 || p == -2) {
            Array s = svdvals(x);
            Array big = Ops.reduceMax(s, r - 2);
            Array small = Ops.reduceMin(s, r - 2);
            c = p == 2 ? Ops.div(big, small) : Ops.div(small, big);
        } else {
            MatrixOps.requireSquare("Linalg.cond", x.aval());
            c = Ops.mul(norm(x, p), norm(inv(x), p));
        }
        Array nans = Ops.reduceSum(Ops.convert(Ops.ne(x, x), x.dtype()), r - 2, r - 1);
        Array fromSingular = Ops.and(Ops.ne(c, c), Ops.eq(nans, Ops.zerosLike(nans)));
        return Ops.select(fromSingular, Ops.fullLike(c, Double.POSITIVE_INFINITY), c);
    }
}
