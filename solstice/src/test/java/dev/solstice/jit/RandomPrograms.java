package dev.solstice.jit;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Primitive;
import dev.solstice.ir.Atom;
import dev.solstice.ir.Const;
import dev.solstice.ir.Program;
import dev.solstice.ir.Var;
import dev.solstice.prim.Abs;
import dev.solstice.prim.Add;
import dev.solstice.prim.And;
import dev.solstice.prim.BroadcastInDim;
import dev.solstice.prim.Ceil;
import dev.solstice.prim.ConvertElementType;
import dev.solstice.prim.Cos;
import dev.solstice.prim.Div;
import dev.solstice.prim.Eq;
import dev.solstice.prim.Erf;
import dev.solstice.prim.ErfInv;
import dev.solstice.prim.Erfc;
import dev.solstice.prim.Exp;
import dev.solstice.prim.Expm1;
import dev.solstice.prim.Floor;
import dev.solstice.prim.Ge;
import dev.solstice.prim.Gt;
import dev.solstice.prim.IntegerPow;
import dev.solstice.prim.Le;
import dev.solstice.prim.Log;
import dev.solstice.prim.Log1p;
import dev.solstice.prim.Logistic;
import dev.solstice.prim.Lt;
import dev.solstice.prim.Max;
import dev.solstice.prim.Min;
import dev.solstice.prim.Mul;
import dev.solstice.prim.Ne;
import dev.solstice.prim.Neg;
import dev.solstice.prim.Not;
import dev.solstice.prim.Or;
import dev.solstice.prim.Pow;
import dev.solstice.prim.ReduceMax;
import dev.solstice.prim.ReduceMin;
import dev.solstice.prim.ReduceSum;
import dev.solstice.prim.Rev;
import dev.solstice.prim.Round;
import dev.solstice.prim.Rsqrt;
import dev.solstice.prim.Select;
import dev.solstice.prim.ShiftRightLogical;
import dev.solstice.prim.Sign;
import dev.solstice.prim.Sin;
import dev.solstice.prim.Sqrt;
import dev.solstice.prim.StopGradient;
import dev.solstice.prim.Sub;
import dev.solstice.prim.Tan;
import dev.solstice.prim.Tanh;
import dev.solstice.prim.Transpose;
import dev.solstice.prim.Xor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random programs for the fusion fuzzer: a DAG of elementwise equations over one iteration shape in every
 * dtype, with broadcast inputs and constants, interleaved with equations that do not fuse (reversal, which
 * gives views, a full sum broadcast back, erf_inv), and the arguments to run them on (special values
 * included: zeros of both signs, infinities, NaN).
 */
final class RandomPrograms {
    private static final List<Supplier<Primitive>> UNARY = List.of(Neg::new, Abs::new, Sign::new, Floor::new,
            Ceil::new, Round::new, Sqrt::new, Rsqrt::new, Exp::new, Expm1::new, Log::new, Log1p::new, Sin::new,
            Cos::new, Tan::new, Tanh::new, Logistic::new, Erf::new, Erfc::new, ErfInv::new, StopGradient::new,
            Not::new, () -> new IntegerPow(2), () -> new IntegerPow(3), () -> new IntegerPow(-2),
            () -> new IntegerPow(0));
    private static final List<Supplier<Primitive>> BINARY = List.of(Add::new, Sub::new, Mul::new, Div::new,
            Max::new, Min::new, Pow::new, And::new, Or::new, Xor::new, ShiftRightLogical::new, Eq::new, Ne::new,
            Lt::new, Le::new, Gt::new, Ge::new);
    /** The dtypes generated code holds (Fusible.generated): the kernels' own and the 16-bit floats. */
    private static final DType[] TYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.BOOL, DType.FLOAT16,
        DType.BFLOAT16};

    private final Random r;
    private final ProgramBuilder b = new ProgramBuilder();
    private final Map<DType, List<Atom>> pool = new EnumMap<>(DType.class);
    private final List<DenseArray> args = new ArrayList<>();
    private final int[] shape;
    /** The results of reductions over some axes (other shapes than the iteration shape): program outputs. */
    private final List<Atom> reduced = new ArrayList<>();
    private final boolean reductions;

    /** The program and its arguments. */
    record Case(Program program, DenseArray[] args, String label) {}

    private RandomPrograms(Random r, int[] shape, boolean reductions) {
        this.r = r;
        this.shape = shape;
        this.reductions = reductions;
        for (DType t : TYPES) {
            pool.put(t, new ArrayList<>());
        }
    }

    /** A random program over {@code shape} whose first input has dtype {@code base}. */
    static Case generate(long seed, DType base, int[] shape) {
        RandomPrograms g = new RandomPrograms(new Random(seed), shape, false);
        return g.build(base, "seed " + seed + " " + base + java.util.Arrays.toString(shape));
    }

    /**
     * A random program as {@link #generate} that also reduces (sum, max, min) recent float values over random
     * axes (trailing, leading, a middle one, all, none, any subset), its results program outputs and sometimes
     * broadcast back into the chain.
     */
    static Case generateWithReductions(long seed, DType base, int[] shape) {
        RandomPrograms g = new RandomPrograms(new Random(seed), shape, true);
        return g.build(base, "seed " + seed + " with reductions " + base + java.util.Arrays.toString(shape));
    }

    private Case build(DType base, String label) {
        input(base, shape);
        for (int i = r.nextInt(3); i > 0; i--) {
            input(TYPES[r.nextInt(TYPES.length)], shape);
        }
        if (shape.length > 0 && r.nextBoolean()) {
            broadcastInput(base);
        }
        if (r.nextInt(3) == 0) {
            DenseArray c = random(base, shape);
            pool.get(base).add(new Const(c));
        }
        int steps = 3 + r.nextInt(14);
        Atom last = null;
        for (int made = 0, tries = 0; made < steps && tries < 20 * steps; tries++) {
            Atom v = step();
            if (v != null) {
                last = v;
                made++;
            }
        }
        List<Atom> outputs = new ArrayList<>();
        outputs.add(last == null ? pool.get(base).getFirst() : last);
        for (int i = r.nextInt(3); i > 0; i--) {
            outputs.add(any());
        }
        outputs.addAll(reduced);
        return new Case(b.build(outputs.toArray(Atom[]::new)), args.toArray(DenseArray[]::new), label);
    }

    private void input(DType t, int[] s) {
        pool.get(t).add(b.input(t, s));
        args.add(random(t, s));
    }

    /** An input of a smaller shape (some axes 1 or missing) broadcast to the iteration shape. */
    private void broadcastInput(DType t) {
        List<Integer> dims = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int a = 0; a < shape.length; a++) {
            int choice = r.nextInt(3);
            if (choice > 0) {
                dims.add(a);
                sizes.add(choice == 1 ? 1 : shape[a]);
            }
        }
        int[] s = sizes.stream().mapToInt(Integer::intValue).toArray();
        Var x = b.input(t, s);
        args.add(random(t, s));
        pool.get(t).add(b.apply(new BroadcastInDim(shape, dims.stream().mapToInt(Integer::intValue).toArray()), x));
    }

    /** One random equation (null when the drawn one does not apply to the drawn operands). */
    private Atom step() {
        int kind = r.nextInt(21);
        DType t = TYPES[r.nextInt(TYPES.length)];
        if (reductions && r.nextInt(4) == 0 && !pool.get(t).isEmpty()) {
            return reduction(t);
        }
        if (pool.get(t).isEmpty() || (r.nextBoolean() && !t.isFloating())) {
            return null; // mostly floating-point chains, the common case
        }
        Primitive p;
        Atom[] in;
        if (kind < 7) {
            p = UNARY.get(r.nextInt(UNARY.size())).get();
            in = new Atom[] {pick(t)};
        } else if (kind < 15) {
            p = BINARY.get(r.nextInt(BINARY.size())).get();
            in = new Atom[] {pick(t), pick(t)};
        } else if (kind < 17) {
            if (pool.get(DType.BOOL).isEmpty()) {
                return null;
            }
            p = new Select();
            in = new Atom[] {pick(DType.BOOL), pick(t), pick(t)};
        } else if (kind < 18) {
            p = new ConvertElementType(TYPES[r.nextInt(TYPES.length)]);
            in = new Atom[] {pick(t)};
        } else if (kind < 19 && shape.length > 0) {
            p = new Rev(new int[] {shape.length - 1}); // a view: eager results share storage
            in = new Atom[] {pick(t)};
        } else if (kind < 20 && shape.length > 1) {
            return transposed(t);
        } else {
            return sumBroadcastBack(t);
        }
        try {
            p.shapeRule(java.util.Arrays.stream(in).map(Atom::aval).toArray(Aval[]::new));
        } catch (RuntimeException e) {
            return null;
        }
        Var v = b.apply(p, in);
        pool.get(v.aval().dtype()).add(v);
        return v;
    }

    /**
     * Transposed views (not fused) read by the next group: the last two axes swapped when they have one length
     * (a transposed matrix, staged tile by tile), else an axis reversal of the permutation undone by a second
     * transpose (a view whose storage is row-major, read in place).
     */
    private Atom transposed(DType t) {
        int rank = shape.length;
        int[] perm = new int[rank];
        for (int a = 0; a < rank; a++) {
            perm[a] = rank - 1 - a;
        }
        Atom x = pick(t);
        Var v;
        if (shape[rank - 1] == shape[rank - 2]) {
            int[] swap = new int[rank];
            for (int a = 0; a < rank; a++) {
                swap[a] = a;
            }
            swap[rank - 1] = rank - 2;
            swap[rank - 2] = rank - 1;
            v = b.apply(new Transpose(swap), x);
        } else {
            v = b.apply(new Transpose(perm), b.apply(new Transpose(perm), x)); // the reversal is its own inverse
        }
        pool.get(t).add(v);
        return v;
    }

    /**
     * A sum, max or min over random axes of a recent value of floating dtype {@code t}: its result is a program
     * output, and half the time also broadcast back to the iteration shape (read by the next group).
     */
    private Atom reduction(DType t) {
        if (!t.isFloating()) {
            return null;
        }
        int rank = shape.length;
        List<Integer> axes = new ArrayList<>();
        int pattern = r.nextInt(6);
        int count = rank == 0 ? 0 : 1 + r.nextInt(rank);
        for (int a = 0; a < rank; a++) {
            boolean take = switch (pattern) {
                case 0 -> a >= rank - count; // trailing
                case 1 -> a < count; // leading
                case 2 -> a == rank / 2; // a middle one
                case 3 -> true; // all
                case 4 -> false; // none
                default -> r.nextBoolean();
            };
            if (take) {
                axes.add(a);
            }
        }
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        Primitive p = switch (r.nextInt(4)) {
            case 0 -> new ReduceMax(ax);
            case 1 -> new ReduceMin(ax);
            default -> new ReduceSum(ax);
        };
        Atom x = pick(t);
        try {
            p.shapeRule(new Aval[] {x.aval()});
        } catch (RuntimeException e) {
            return null; // max or min over an empty axis
        }
        Var s = b.apply(p, x);
        reduced.add(s);
        if (r.nextBoolean()) {
            int[] kept = new int[rank - ax.length];
            for (int a = 0, k = 0; a < rank; a++) {
                if (!axes.contains(a)) {
                    kept[k++] = a;
                }
            }
            pool.get(t).add(b.apply(new BroadcastInDim(shape, kept), s));
        }
        return s;
    }

    /** A full sum (not fused) broadcast back to the iteration shape (a scalar read by the next group). */
    private Atom sumBroadcastBack(DType t) {
        if (!t.isFloating()) {
            return null;
        }
        int[] all = new int[shape.length];
        for (int a = 0; a < all.length; a++) {
            all[a] = a;
        }
        Var s = b.apply(new ReduceSum(all), pick(t));
        Var v = b.apply(new BroadcastInDim(shape, new int[0]), s);
        pool.get(t).add(v);
        return v;
    }

    private Atom pick(DType t) {
        List<Atom> l = pool.get(t);
        return l.get(l.size() - 1 - Math.min(l.size() - 1, r.nextInt(4))); // mostly recent: long chains
    }

    private Atom any() {
        while (true) {
            List<Atom> l = pool.get(TYPES[r.nextInt(TYPES.length)]);
            if (!l.isEmpty()) {
                return l.get(r.nextInt(l.size()));
            }
        }
    }

    private DenseArray random(DType t, int[] s) {
        int n = new Aval(t, s).size();
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5, -2.5};
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(10) == 0 ? special[r.nextInt(special.length)] : 2 * r.nextGaussian();
        }
        return switch (t) {
            case FLOAT64 -> DenseArray.ofDoubles(v, s);
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) v[i];
                }
                yield DenseArray.ofFloats(f, s);
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextInt(10) == 0 ? r.nextInt() : r.nextInt(9) - 4;
                }
                yield DenseArray.ofInts(a, s);
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextBoolean();
                }
                yield DenseArray.ofBools(a, s);
            }
            default -> DenseArray.fromDoubles(new Aval(t, s), v);
        };
    }
}
