package dev.solstice.fuzz;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.Lax;
import dev.solstice.Linalg;
import dev.solstice.ScanStep;
import java.util.Arrays;

/**
 * One kind of step in a fuzzed program: how it runs through the public facades ({@link Jnp}, {@link Lax},
 * {@link Linalg}), the same call as Java source for reproducers, and whether it is exactly rounded (so that jit
 * must equal eager bitwise). Operands whose domain has an edge are made safe inside the step ({@code log} sees
 * {@code a^2 + 0.5}), so every program is defined everywhere; kinks are kept away by {@link Margins}.
 */
enum Kind {
    SIN(1, false), COS(1, false), TANH(1, false), EXP(1, false), LOGISTIC(1, false), ERF(1, false), EXPM1(1, false),
    SQUARE(1, true), NEG(1, true), CUBE(1, false), ABS(1, true),
    LOG_POS(1, false), SQRT_POS(1, true), RSQRT_POS(1, false), LOG1P_POS(1, false),
    ADD(2, true), SUB(2, true), MUL(2, true), DIV_POS(2, true), MAXIMUM(2, true), MINIMUM(2, true), SELECT(2, true),
    REDUCE_SUM(1, false), REDUCE_MAX(1, true), REDUCE_MIN(1, true), REDUCE_PROD(1, false), REDUCE_MEAN(1, false),
    DOT_GENERAL(2, false),
    RESHAPE(1, true), TRANSPOSE(1, true), SLICE(1, true), PAD(1, true), CONCATENATE(2, true), REV(1, true),
    BROADCAST(1, true), DYNAMIC_SLICE(1, true), TAKE_ALONG_AXIS(1, true),
    CONV(2, false), SORT(1, true), CUMSUM(1, false), CUMPROD(1, false), CUMMAX(1, true),
    CHOLESKY(1, false), EIGVALSH(1, false), LU(1, false), SOLVE(2, false), TRIANGULAR_SOLVE(2, false),
    COND(1, false), SCAN(1, false), FORI_LOOP(1, false);

    /** The dtypes of take-along-axis indices ({@code p[0][1]} picks one; int32 when absent). */
    static final DType[] INDEX_DTYPES = {DType.INT32, DType.INT8, DType.UINT8, DType.UINT32, DType.INT64};

    private static DType indexDType(int[][] p) {
        return p[0].length > 1 ? INDEX_DTYPES[p[0][1]] : DType.INT32;
    }

    /** Number of array operands. */
    final int arity;
    /** Whether every floating-point result is exactly rounded (no transcendental, no reordered sum). */
    final boolean exact;

    Kind(int arity, boolean exact) {
        this.arity = arity;
        this.exact = exact;
    }

    /** Runs the step on concrete or traced operands. */
    Array apply(Array[] a, int[][] p) {
        Array x = a[0];
        Array y = a.length > 1 ? a[1] : null;
        return switch (this) {
            case SIN -> Jnp.sin(x);
            case COS -> Jnp.cos(x);
            case TANH -> Jnp.tanh(x);
            case EXP -> Jnp.exp(x);
            case LOGISTIC -> Lax.logistic(x);
            case ERF -> Jnp.erf(x);
            case EXPM1 -> Jnp.expm1(x);
            case SQUARE -> Jnp.square(x);
            case NEG -> Jnp.negative(x);
            case CUBE -> Jnp.power(x, 3);
            case ABS -> Jnp.abs(x);
            case LOG_POS -> Jnp.log(Helpers.pos(x));
            case SQRT_POS -> Jnp.sqrt(Helpers.pos(x));
            case RSQRT_POS -> Jnp.rsqrt(Helpers.pos(x));
            case LOG1P_POS -> Jnp.log1p(Jnp.square(x));
            case ADD -> Jnp.add(x, y);
            case SUB -> Jnp.subtract(x, y);
            case MUL -> Jnp.multiply(x, y);
            case DIV_POS -> Jnp.divide(x, Helpers.pos(y));
            case MAXIMUM -> Jnp.maximum(x, y);
            case MINIMUM -> Jnp.minimum(x, y);
            case SELECT -> Jnp.where(Jnp.greater(x, y), x, Jnp.multiply(x, y));
            case REDUCE_SUM -> Jnp.sum(x, p[0], p[1][0] == 1);
            case REDUCE_MAX -> Jnp.max(x, p[0], p[1][0] == 1);
            case REDUCE_MIN -> Jnp.min(x, p[0], p[1][0] == 1);
            case REDUCE_PROD -> Jnp.prod(x, p[0], p[1][0] == 1);
            case REDUCE_MEAN -> Jnp.mean(x, p[0], p[1][0] == 1);
            case DOT_GENERAL -> Lax.dotGeneral(Helpers.common(x, y), Helpers.common(y, x), p[0], p[1], p[2], p[3]);
            case RESHAPE -> Jnp.reshape(x, p[0]);
            case TRANSPOSE -> Jnp.transpose(x, p[0]);
            case SLICE -> Lax.slice(x, p[0], p[1], p[2]);
            case PAD -> Lax.pad(x, Jnp.full(x.dtype(), 0.25), p[0], p[1], p[2]);
            case CONCATENATE -> Lax.concatenate(p[0][0], Helpers.common(x, y), Helpers.common(y, x));
            case REV -> Lax.rev(x, p[0]);
            case BROADCAST -> Jnp.broadcastTo(x, p[0]);
            case DYNAMIC_SLICE -> Lax.dynamicSlice(x, p[0], p[1]);
            case TAKE_ALONG_AXIS -> indexDType(p) == DType.INT32 ? Lax.takeAlongAxis(x, Array.of(p[1], p[2]), p[0][0])
                    : Jnp.takeAlongAxis(x, Array.of(p[1], p[2]).astype(indexDType(p)), p[0][0]);
            case CONV -> Helpers.conv(x, y, p[0][0]);
            case SORT -> Jnp.sort(x, p[0][0]);
            case CUMSUM -> Jnp.cumsum(x, p[0][0]);
            case CUMPROD -> Jnp.cumprod(x, p[0][0]);
            case CUMMAX -> Jnp.cummax(x, p[0][0]);
            case CHOLESKY -> Linalg.cholesky(Helpers.spd(x, p[0][0]));
            case EIGVALSH -> Linalg.eigh(Helpers.spd(x, p[0][0])).eigenvalues();
            case LU -> Linalg.lu(Helpers.spd(x, p[0][0])).lu();
            case SOLVE -> Linalg.solve(Helpers.spd(x, p[0][0]), Helpers.firstN(y, p[0][0]));
            case TRIANGULAR_SOLVE -> Linalg.triangularSolve(Linalg.cholesky(Helpers.spd(x, p[0][0])),
                    Jnp.reshape(Helpers.firstN(y, p[0][0]), p[0][0], 1), true, true, p[0][1] == 1);
            case COND -> Lax.cond(Jnp.greater(Jnp.sum(x), 0.0), Jnp::sin, t -> Jnp.multiply(Jnp.cos(t), t), x);
            case SCAN -> Lax.<Array, Array, Array>scan((c, xi) -> new ScanStep<>(Jnp.tanh(Jnp.add(Jnp.multiply(c, 0.5), xi)),
                    Jnp.multiply(c, xi)), Helpers.carry0(x), x).ys();
            case FORI_LOOP -> Lax.foriLoop(0, 3, (i, c) -> Jnp.add(Jnp.sin(c), Jnp.multiply(x, 0.5)), x);
        };
    }

    /** The same step as a Java expression over the operand names {@code a}, for reproducers. */
    String java(String[] a, int[][] p) {
        String x = a[0];
        String y = a.length > 1 ? a[1] : null;
        return switch (this) {
            case SIN -> "Jnp.sin(" + x + ")";
            case COS -> "Jnp.cos(" + x + ")";
            case TANH -> "Jnp.tanh(" + x + ")";
            case EXP -> "Jnp.exp(" + x + ")";
            case LOGISTIC -> "Lax.logistic(" + x + ")";
            case ERF -> "Jnp.erf(" + x + ")";
            case EXPM1 -> "Jnp.expm1(" + x + ")";
            case SQUARE -> "Jnp.square(" + x + ")";
            case NEG -> "Jnp.negative(" + x + ")";
            case CUBE -> "Jnp.power(" + x + ", 3)";
            case ABS -> "Jnp.abs(" + x + ")";
            case LOG_POS -> "Jnp.log(pos(" + x + "))";
            case SQRT_POS -> "Jnp.sqrt(pos(" + x + "))";
            case RSQRT_POS -> "Jnp.rsqrt(pos(" + x + "))";
            case LOG1P_POS -> "Jnp.log1p(Jnp.square(" + x + "))";
            case ADD -> "Jnp.add(" + x + ", " + y + ")";
            case SUB -> "Jnp.subtract(" + x + ", " + y + ")";
            case MUL -> "Jnp.multiply(" + x + ", " + y + ")";
            case DIV_POS -> "Jnp.divide(" + x + ", pos(" + y + "))";
            case MAXIMUM -> "Jnp.maximum(" + x + ", " + y + ")";
            case MINIMUM -> "Jnp.minimum(" + x + ", " + y + ")";
            case SELECT -> "Jnp.where(Jnp.greater(" + x + ", " + y + "), " + x + ", Jnp.multiply(" + x + ", " + y + "))";
            case REDUCE_SUM -> "Jnp.sum(" + x + ", " + ints(p[0]) + ", " + (p[1][0] == 1) + ")";
            case REDUCE_MAX -> "Jnp.max(" + x + ", " + ints(p[0]) + ", " + (p[1][0] == 1) + ")";
            case REDUCE_MIN -> "Jnp.min(" + x + ", " + ints(p[0]) + ", " + (p[1][0] == 1) + ")";
            case REDUCE_PROD -> "Jnp.prod(" + x + ", " + ints(p[0]) + ", " + (p[1][0] == 1) + ")";
            case REDUCE_MEAN -> "Jnp.mean(" + x + ", " + ints(p[0]) + ", " + (p[1][0] == 1) + ")";
            case DOT_GENERAL -> "Lax.dotGeneral(common(" + x + ", " + y + "), common(" + y + ", " + x + "), " + ints(p[0]) + ", " + ints(p[1]) + ", "
                    + ints(p[2]) + ", " + ints(p[3]) + ")";
            case RESHAPE -> "Jnp.reshape(" + x + ", " + ints(p[0]) + ")";
            case TRANSPOSE -> "Jnp.transpose(" + x + ", " + ints(p[0]) + ")";
            case SLICE -> "Lax.slice(" + x + ", " + ints(p[0]) + ", " + ints(p[1]) + ", " + ints(p[2]) + ")";
            case PAD -> "Lax.pad(" + x + ", Jnp.full(" + x + ".dtype(), 0.25), " + ints(p[0]) + ", " + ints(p[1]) + ", "
                    + ints(p[2]) + ")";
            case CONCATENATE -> "Lax.concatenate(" + p[0][0] + ", common(" + x + ", " + y + "), common(" + y + ", " + x + "))";
            case REV -> "Lax.rev(" + x + ", " + ints(p[0]) + ")";
            case BROADCAST -> "Jnp.broadcastTo(" + x + ", " + ints(p[0]) + ")";
            case DYNAMIC_SLICE -> "Lax.dynamicSlice(" + x + ", " + ints(p[0]) + ", " + ints(p[1]) + ")";
            case TAKE_ALONG_AXIS -> indexDType(p) == DType.INT32
                    ? "Lax.takeAlongAxis(" + x + ", Array.of(" + ints(p[1]) + ", " + ints(p[2]) + "), " + p[0][0] + ")"
                    : "Jnp.takeAlongAxis(" + x + ", Array.of(" + ints(p[1]) + ", " + ints(p[2]) + ").astype(DType."
                            + indexDType(p).name() + "), " + p[0][0] + ")";
            case CONV -> "conv(" + x + ", " + y + ", " + p[0][0] + ")";
            case SORT -> "Jnp.sort(" + x + ", " + p[0][0] + ")";
            case CUMSUM -> "Jnp.cumsum(" + x + ", " + p[0][0] + ")";
            case CUMPROD -> "Jnp.cumprod(" + x + ", " + p[0][0] + ")";
            case CUMMAX -> "Jnp.cummax(" + x + ", " + p[0][0] + ")";
            case CHOLESKY -> "Linalg.cholesky(spd(" + x + ", " + p[0][0] + "))";
            case EIGVALSH -> "Linalg.eigh(spd(" + x + ", " + p[0][0] + ")).eigenvalues()";
            case LU -> "Linalg.lu(spd(" + x + ", " + p[0][0] + ")).lu()";
            case SOLVE -> "Linalg.solve(spd(" + x + ", " + p[0][0] + "), firstN(" + y + ", " + p[0][0] + "))";
            case TRIANGULAR_SOLVE -> "Linalg.triangularSolve(Linalg.cholesky(spd(" + x + ", " + p[0][0] + ")), Jnp.reshape(firstN("
                    + y + ", " + p[0][0] + "), " + p[0][0] + ", 1), true, true, " + (p[0][1] == 1) + ")";
            case COND -> "Lax.cond(Jnp.greater(Jnp.sum(" + x + "), 0.0), Jnp::sin, t -> Jnp.multiply(Jnp.cos(t), t), " + x + ")";
            case SCAN -> "Lax.<Array, Array, Array>scan((c, xi) -> new ScanStep<>(Jnp.tanh(Jnp.add(Jnp.multiply(c, 0.5), xi)), "
                    + "Jnp.multiply(c, xi)), carry0(" + x + "), " + x + ").ys()";
            case FORI_LOOP -> "Lax.foriLoop(0, 3, (i, c) -> Jnp.add(Jnp.sin(c), Jnp.multiply(" + x + ", 0.5)), " + x + ")";
        };
    }

    static String ints(int[] v) {
        return "new int[] {" + String.join(", ", Arrays.stream(v).mapToObj(Integer::toString).toList()) + "}";
    }
}
