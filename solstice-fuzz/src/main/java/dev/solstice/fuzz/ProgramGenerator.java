package dev.solstice.fuzz;

import dev.solstice.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Draws random well-typed programs: each step picks a {@link Kind} and operands whose shapes fit it (broadcasting,
 * matching contracting and batch sizes, enough elements for a matrix), with every value kept small so that full
 * Jacobians stay cheap.
 */
public final class ProgramGenerator {
    /** The most elements any value may have. */
    static final int MAX_SIZE = 24;
    private static final Kind[] KINDS = Kind.values();

    private final Random random;
    private final int maxSteps;
    private final int maxInputSize;

    /**
     * @param seed the seed of the stream of programs
     * @param maxSteps the most steps a program has (at least one)
     * @param maxInputSize the most elements of the input
     */
    public ProgramGenerator(long seed, int maxSteps, int maxInputSize) {
        this.random = new Random(seed);
        this.maxSteps = maxSteps;
        this.maxInputSize = maxInputSize;
    }

    /**
     * Kinds that make sense on integer inputs: no transcendental, no division, no linear algebra, no float
     * constant (pad's 0.25 truncates to 0); results wrap around as JAX's do.
     */
    private static final Kind[] INTEGER_KINDS = {Kind.SQUARE, Kind.NEG, Kind.ABS, Kind.ADD, Kind.SUB, Kind.MUL,
        Kind.MAXIMUM, Kind.MINIMUM, Kind.SELECT, Kind.REDUCE_SUM, Kind.REDUCE_MAX, Kind.REDUCE_MIN, Kind.REDUCE_PROD,
        Kind.DOT_GENERAL, Kind.RESHAPE, Kind.TRANSPOSE, Kind.SLICE, Kind.PAD, Kind.CONCATENATE, Kind.REV, Kind.BROADCAST,
        Kind.DYNAMIC_SLICE, Kind.TAKE_ALONG_AXIS, Kind.SORT, Kind.CUMSUM, Kind.CUMPROD, Kind.CUMMAX};
    /** Kinds for float16 and bfloat16: all but the factorisations (which, as LAPACK's, take float32 and float64). */
    private static final Kind[] HALF_KINDS = java.util.Arrays.stream(KINDS).filter(k -> !isLinalg(k)).toArray(Kind[]::new);

    private static boolean isLinalg(Kind k) {
        return k == Kind.CHOLESKY || k == Kind.EIGVALSH || k == Kind.LU || k == Kind.SOLVE || k == Kind.TRIANGULAR_SOLVE;
    }

    /**
     * The dtype of the next program: float64 or float32 most often; float16, bfloat16, int8, uint8 and int64 in
     * about one program in twelve each.
     */
    private DType drawDType() {
        int r = random.nextInt(24);
        return r < 7 ? DType.FLOAT64 : r < 14 ? DType.FLOAT32 : switch (r) {
            case 14, 15 -> DType.FLOAT16;
            case 16, 17 -> DType.BFLOAT16;
            case 18, 19 -> DType.INT8;
            case 20, 21 -> DType.UINT8;
            default -> DType.INT64;
        };
    }

    /** The next program. */
    public FuzzProgram next() {
        DType dtype = drawDType();
        Kind[] kinds = dtype.isInteger() ? INTEGER_KINDS : dtype.bits() == 16 ? HALF_KINDS : KINDS;
        int[] input = randomShape(maxInputSize);
        List<int[]> shapes = new ArrayList<>(List.of(input));
        List<Node> nodes = new ArrayList<>();
        int steps = 1 + random.nextInt(maxSteps);
        for (int attempt = 0; nodes.size() < steps && attempt < 50 * steps; attempt++) {
            Node n = tryMake(kinds[random.nextInt(kinds.length)], shapes);
            if (n != null && size(n.shape()) <= MAX_SIZE && size(n.shape()) > 0) {
                nodes.add(n);
                shapes.add(n.shape());
            }
        }
        return new FuzzProgram(dtype, input, List.copyOf(nodes)).withoutDeadSteps();
    }

    private int[] randomShape(int maxSize) {
        int rank = random.nextInt(4);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + random.nextInt(4);
        }
        return size(s) <= maxSize ? s : randomShape(maxSize);
    }

    /** An operand index, biased towards the latest value so that programs form chains. */
    private int pick(List<int[]> shapes) {
        return random.nextInt(10) < 6 ? shapes.size() - 1 : random.nextInt(shapes.size());
    }

    private Node tryMake(Kind k, List<int[]> shapes) {
        int a = pick(shapes);
        int[] sa = shapes.get(a);
        int rank = sa.length;
        int size = size(sa);
        if (k.arity == 1 && isElementwise(k)) {
            return node(k, new int[] {a}, new int[0][], sa);
        }
        return switch (k) {
            case ADD, SUB, MUL, DIV_POS, MAXIMUM, MINIMUM, SELECT -> {
                int b = pick(shapes);
                boolean kinked = k == Kind.MAXIMUM || k == Kind.MINIMUM || k == Kind.SELECT;
                if (kinked && b == a) { // max(a, a) ties everywhere: rarely worth a program
                    b = random.nextInt(shapes.size());
                }
                int[] out = broadcast(sa, shapes.get(b));
                yield out == null ? null : random.nextBoolean() ? node(k, new int[] {a, b}, new int[0][], out)
                        : node(k, new int[] {b, a}, new int[0][], out);
            }
            case REDUCE_SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD, REDUCE_MEAN -> {
                if (rank == 0) {
                    yield null;
                }
                int[] axes = IntStream.range(0, rank).filter(i -> random.nextBoolean()).toArray();
                if (axes.length == 0) {
                    axes = new int[] {random.nextInt(rank)};
                }
                boolean keep = random.nextBoolean();
                int[] ax = axes;
                int[] out = keep ? IntStream.range(0, rank).map(i -> contains(ax, i) ? 1 : sa[i]).toArray()
                        : IntStream.range(0, rank).filter(i -> !contains(ax, i)).map(i -> sa[i]).toArray();
                yield node(k, new int[] {a}, new int[][] {axes, {keep ? 1 : 0}}, out);
            }
            case DOT_GENERAL -> dot(a, sa, pick(shapes), shapes);
            case RESHAPE -> {
                int[] out = factorise(size);
                yield node(k, new int[] {a}, new int[][] {out}, out);
            }
            case TRANSPOSE -> {
                if (rank < 2) {
                    yield null;
                }
                int[] perm = permutation(rank);
                yield node(k, new int[] {a}, new int[][] {perm}, Arrays.stream(perm).map(i -> sa[i]).toArray());
            }
            case SLICE -> {
                if (rank == 0) {
                    yield null;
                }
                int[] start = new int[rank];
                int[] limit = new int[rank];
                int[] strides = new int[rank];
                int[] out = new int[rank];
                for (int i = 0; i < rank; i++) {
                    start[i] = random.nextInt(sa[i]);
                    limit[i] = start[i] + 1 + random.nextInt(sa[i] - start[i]);
                    strides[i] = 1 + random.nextInt(2);
                    out[i] = (limit[i] - start[i] + strides[i] - 1) / strides[i];
                }
                yield node(k, new int[] {a}, new int[][] {start, limit, strides}, out);
            }
            case PAD -> {
                if (rank == 0) {
                    yield null;
                }
                int[] lo = new int[rank];
                int[] hi = new int[rank];
                int[] interior = new int[rank];
                int[] out = new int[rank];
                for (int i = 0; i < rank; i++) {
                    lo[i] = random.nextInt(2);
                    hi[i] = random.nextInt(2);
                    interior[i] = random.nextInt(3) == 0 ? 1 : 0;
                    out[i] = sa[i] + lo[i] + hi[i] + interior[i] * (sa[i] - 1);
                }
                yield node(k, new int[] {a}, new int[][] {lo, hi, interior}, out);
            }
            case CONCATENATE -> {
                if (rank == 0) {
                    yield null;
                }
                int axis = random.nextInt(rank);
                int b = pick(shapes);
                int[] sb = shapes.get(b);
                boolean fits = sb.length == rank && IntStream.range(0, rank).allMatch(i -> i == axis || sa[i] == sb[i]);
                int[] out = sa.clone();
                out[axis] += fits ? sb[axis] : sa[axis];
                yield node(k, new int[] {a, fits ? b : a}, new int[][] {{axis}}, out);
            }
            case REV -> rank == 0 ? null : node(k, new int[] {a},
                    new int[][] {IntStream.range(0, rank).filter(i -> random.nextBoolean()).toArray()}, sa);
            case BROADCAST -> {
                int[] out = new int[rank + 1];
                out[0] = 2;
                System.arraycopy(sa, 0, out, 1, rank);
                for (int i = 1; i <= rank; i++) {
                    if (out[i] == 1 && random.nextBoolean()) {
                        out[i] = 3;
                    }
                }
                yield rank >= 3 ? null : node(k, new int[] {a}, new int[][] {out}, out);
            }
            case DYNAMIC_SLICE -> {
                if (rank == 0) {
                    yield null;
                }
                int[] sizes = Arrays.stream(sa).map(d -> 1 + random.nextInt(d)).toArray();
                int[] start = IntStream.range(0, rank).map(i -> random.nextInt(sa[i] - sizes[i] + 1)).toArray();
                yield node(k, new int[] {a}, new int[][] {start, sizes}, sizes);
            }
            case TAKE_ALONG_AXIS -> {
                if (rank == 0) {
                    yield null;
                }
                int axis = random.nextInt(rank);
                int[] out = sa.clone();
                out[axis] = 1 + random.nextInt(3);
                int[] indices = IntStream.range(0, size(out)).map(i -> random.nextInt(sa[axis])).toArray();
                // the indices' dtype: int32 (Lax.takeAlongAxis) or another integer type (Jnp.takeAlongAxis)
                int indexDType = random.nextInt(Kind.INDEX_DTYPES.length);
                yield node(k, new int[] {a}, new int[][] {{axis, indexDType}, indices, out}, out);
            }
            case CONV -> {
                int b = pick(shapes);
                int kernel = 1 + random.nextInt(Math.min(3, Math.min(size, size(shapes.get(b)))));
                yield node(k, new int[] {a, b}, new int[][] {{kernel}}, new int[] {1, 1, size - kernel + 1});
            }
            case SORT, CUMSUM, CUMPROD, CUMMAX -> rank == 0 ? null
                    : node(k, new int[] {a}, new int[][] {{random.nextInt(rank)}}, sa);
            case CHOLESKY, LU, EIGVALSH -> {
                int n = size >= 9 && random.nextBoolean() ? 3 : 2;
                yield size < n * n ? null : node(k, new int[] {a}, new int[][] {{n}}, k == Kind.EIGVALSH ? new int[] {n} : new int[] {n, n});
            }
            case SOLVE, TRIANGULAR_SOLVE -> {
                int n = size >= 9 && random.nextBoolean() ? 3 : 2;
                int b = pick(shapes);
                if (size < n * n || size(shapes.get(b)) < n) {
                    yield null;
                }
                yield node(k, new int[] {a, b}, new int[][] {{n, random.nextInt(2)}},
                        k == Kind.SOLVE ? new int[] {n} : new int[] {n, 1});
            }
            case COND, FORI_LOOP -> node(k, new int[] {a}, new int[0][], sa);
            case SCAN -> rank == 0 ? null : node(k, new int[] {a}, new int[0][], sa);
            default -> throw new AssertionError(k);
        };
    }

    private Node dot(int a, int[] sa, int b, List<int[]> shapes) {
        int[] sb = shapes.get(b);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < sa.length; i++) {
            for (int j = 0; j < sb.length; j++) {
                if (sa[i] == sb[j]) {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        if (pairs.isEmpty()) {
            return null;
        }
        int[] contract = pairs.get(random.nextInt(pairs.size()));
        int[] batch = pairs.get(random.nextInt(pairs.size()));
        boolean useBatch = random.nextBoolean() && batch[0] != contract[0] && batch[1] != contract[1];
        int[] lb = useBatch ? new int[] {batch[0]} : new int[0];
        int[] rb = useBatch ? new int[] {batch[1]} : new int[0];
        List<Integer> out = new ArrayList<>();
        for (int i : lb) {
            out.add(sa[i]);
        }
        for (int i = 0; i < sa.length; i++) {
            if (i != contract[0] && !contains(lb, i)) {
                out.add(sa[i]);
            }
        }
        for (int j = 0; j < sb.length; j++) {
            if (j != contract[1] && !contains(rb, j)) {
                out.add(sb[j]);
            }
        }
        int[] shape = out.stream().mapToInt(Integer::intValue).toArray();
        return new Node(Kind.DOT_GENERAL, new int[] {a, b}, new int[][] {{contract[0]}, {contract[1]}, lb, rb}, shape);
    }

    private static Node node(Kind k, int[] args, int[][] params, int[] shape) {
        return new Node(k, args, params, shape);
    }

    private static boolean isElementwise(Kind k) {
        return k.ordinal() <= Kind.LOG1P_POS.ordinal();
    }

    private int[] factorise(int size) {
        List<Integer> dims = new ArrayList<>();
        int rest = size;
        while (rest > 1 && dims.size() < 2) {
            List<Integer> divisors = new ArrayList<>();
            for (int d = 1; d <= rest; d++) {
                if (rest % d == 0) {
                    divisors.add(d);
                }
            }
            int d = divisors.get(random.nextInt(divisors.size()));
            dims.add(d);
            rest /= d;
        }
        if (rest > 1 || random.nextBoolean()) {
            dims.add(rest);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] permutation(int rank) {
        List<Integer> p = new ArrayList<>(IntStream.range(0, rank).boxed().toList());
        java.util.Collections.shuffle(p, random);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] broadcast(int[] x, int[] y) {
        int rank = Math.max(x.length, y.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int dx = i < rank - x.length ? 1 : x[i - (rank - x.length)];
            int dy = i < rank - y.length ? 1 : y[i - (rank - y.length)];
            if (dx != dy && dx != 1 && dy != 1) {
                return null;
            }
            out[i] = Math.max(dx, dy);
        }
        return out;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static boolean contains(int[] v, int x) {
        return Arrays.stream(v).anyMatch(e -> e == x);
    }
}
