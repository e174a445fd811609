package dev.solstice.jit;

import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.solstice.DType;
import dev.solstice.kernel.BinaryOp;
import dev.solstice.kernel.KernelChoice;
import dev.solstice.kernel.Kernels;
import dev.solstice.kernel.UnaryOp;
import dev.solstice.prim.StopGradient;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.List;
import java.util.Set;

/**
 * The Vector API main loop of a generated kernel: whole vectors of elements while they last, the scalar loop
 * of {@link KernelGenerator} then finishes the tail. Only for kernels whose every member is exactly rounded
 * (add, sub, mul, div, max, min, neg, abs, sqrt, comparisons, select, stop_gradient) on one floating dtype,
 * bools held as masks: lane for lane those give what the scalar code gives (max and min as {@code Math.max}
 * and {@code Math.min}), as the eager Vector API loops do, so results are bitwise those of the eager kernels.
 *
 * <p>The generated code calls {@code jdk.incubator.vector} directly; such kernels are only made when the Vector
 * API kernels were selected ({@link KernelChoice#vector}), so the module is present.
 */
final class VectorLoop {
    private static final String PKG = "jdk.incubator.vector.";
    private static final ClassDesc CD_VECTOR = ClassDesc.of(PKG + "Vector");
    private static final ClassDesc CD_MASK = ClassDesc.of(PKG + "VectorMask");
    private static final ClassDesc CD_SPECIES = ClassDesc.of(PKG + "VectorSpecies");
    private static final ClassDesc CD_OPERATORS = ClassDesc.of(PKG + "VectorOperators");
    private static final ClassDesc CD_COMPARISON = ClassDesc.of(PKG + "VectorOperators$Comparison");
    private static final ClassDesc CD_UNARY = ClassDesc.of(PKG + "VectorOperators$Unary");
    private static final ClassDesc CD_CONVERSION = ClassDesc.of(PKG + "VectorOperators$Conversion");
    private static final ClassDesc CD_ASSOCIATIVE = ClassDesc.of(PKG + "VectorOperators$Associative");
    private static final ClassDesc CD_DOUBLE_VECTOR = ClassDesc.of(PKG + "DoubleVector");
    private static final Set<BinaryOp> ARITHMETIC = Set.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV,
            BinaryOp.MAX, BinaryOp.MIN);
    private static final Set<UnaryOp> UNARY = Set.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT);

    /** Whether fused kernels get a vector loop by default: when the Vector API kernels run. */
    static final boolean DEFAULT = KernelChoice.vector();

    private final KernelSpec spec;
    private final CodeBuilder c;
    private final int inputs;
    private final int[] arraySlot;
    private final int[] baseSlot;
    private final int[] scalarSlot;
    private final int[] vectorSlot;
    private final ClassDesc cdVector;
    private final ClassDesc cdArray;
    private final int lanes;
    private final int[] partialSlot;
    private final int[] accSlot;
    private final int[] vectorAccSlot;
    /** Per row sum kept in registers, the vector of its partial sums 8 to 15 (its 0 to 7 in vectorAccSlot). */
    private final int[] highSlot;

    /**
     * An emitter into {@code c}, for the kernel {@code spec}, whose arrays, bases and scalar values are in the
     * given locals (the broadcast inputs' scalars already read), and per reduction along the run its 16 partial
     * sums (a sum) or its accumulator (max, min).
     */
    VectorLoop(KernelSpec spec, CodeBuilder c, int[] arraySlot, int[] baseSlot, int[] scalarSlot, int[] partialSlot,
            int[] accSlot) {
        this.partialSlot = partialSlot;
        this.accSlot = accSlot;
        this.vectorAccSlot = new int[spec.reductions().size()];
        this.highSlot = new int[spec.reductions().size()];
        this.spec = spec;
        this.c = c;
        this.inputs = spec.inputs().size();
        this.arraySlot = arraySlot;
        this.baseSlot = baseSlot;
        this.scalarSlot = scalarSlot;
        this.vectorSlot = new int[scalarSlot.length];
        DType d = floating(spec);
        this.cdVector = ClassDesc.of(PKG + (d == DType.FLOAT64 ? "DoubleVector" : "FloatVector"));
        this.cdArray = (d == DType.FLOAT64 ? CD_double : CD_float).arrayType();
        this.lanes = lanes(d);
    }

    /** Whether {@code spec}'s members all have a vector form (see the type's documentation). */
    static boolean supports(KernelSpec spec) {
        DType d = floating(spec);
        if (d == null) {
            return false;
        }
        for (KernelSpec.Reduce r : spec.reductions()) {
            // a row sum's vectors must each fall in one block of its 16 partial sums
            if (r.dtype() != d || r.row() && r.kind() == Kernels.Reduction.SUM && lanes(d) > Kernels.SUM_LANES) {
                return false;
            }
        }
        for (int v = 0; v < spec.inputs().size() + spec.ops().size(); v++) {
            if (spec.dtype(v) != d && spec.dtype(v) != DType.BOOL) {
                return false;
            }
        }
        for (ElementOp op : spec.ops()) {
            boolean ok = op.in() == d && switch (op.form()) {
                case BINARY_OP -> ARITHMETIC.contains((BinaryOp) op.code()) || ((BinaryOp) op.code()).isComparison();
                case UNARY_OP -> UNARY.contains((UnaryOp) op.code());
                case UNARY_FN -> op.code() == StopGradient.class && op.out() == d;
                case REDUCE_ONE -> op.out() == d;
                case SELECT -> spec.dtype(op.args().get(0)) == DType.BOOL;
                case BINARY_FN, CONVERT -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The floating dtype of the spec's members (of the first that has one), or null. */
    private static DType floating(KernelSpec spec) {
        for (ElementOp op : spec.ops()) {
            if (op.in() == DType.FLOAT32 || op.in() == DType.FLOAT64) {
                return op.in();
            }
        }
        return null;
    }

    /** The lanes of the preferred species for {@code d} (read reflectively: this class must load without the module). */
    private static int lanes(DType d) {
        try {
            Class<?> vector = Class.forName(PKG + (d == DType.FLOAT64 ? "DoubleVector" : "FloatVector"));
            Object species = vector.getField("SPECIES_PREFERRED").get(null);
            return (Integer) Class.forName(PKG + "VectorSpecies").getMethod("length").invoke(species);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("jit: the Vector API is not available for vector kernels", e);
        }
    }

    /**
     * Emits the loop over elements {@code [i, n - n % lanes)} in whole vectors, leaving local {@code i} at the
     * first element of the tail.
     */
    void emit(int i, int n) {
        for (int v = 0; v < vectorSlot.length; v++) {
            vectorSlot[v] = c.allocateLocal(TypeKind.REFERENCE);
        }
        for (int k = 0; k < inputs; k++) {
            if (spec.inputs().get(k).broadcast()) {
                species();
                c.loadLocal(KernelGenerator.kind(spec.dtype(k)), scalarSlot[k]);
                if (spec.dtype(k) == DType.BOOL) {
                    c.invokeinterface(CD_SPECIES, "maskAll", MethodTypeDesc.of(CD_MASK, CD_boolean));
                } else {
                    c.invokestatic(cdVector, "broadcast", MethodTypeDesc.of(cdVector, CD_SPECIES, scalarDesc()));
                }
                c.astore(vectorSlot[k]);
            }
        }
        boolean rowSums = spec.reductions().stream().anyMatch(r -> r.row() && r.kind() == Kernels.Reduction.SUM);
        int upper = c.allocateLocal(TypeKind.INT);
        // with row sums the vectors stop at the last full block of 16 (the scalar loop adds the tail in order)
        c.iload(n).iload(n).loadConstant(rowSums ? Kernels.SUM_LANES : lanes).irem().isub().istore(upper);
        for (int j = 0; j < vectorAccSlot.length; j++) {
            KernelSpec.Reduce r = spec.reductions().get(j);
            if (registerSums(r)) { // the low and high halves of the 16 partial sums, from 0.0 as the array's
                vectorAccSlot[j] = c.allocateLocal(TypeKind.REFERENCE);
                highSlot[j] = c.allocateLocal(TypeKind.REFERENCE);
                doubleSpecies();
                c.invokestatic(CD_DOUBLE_VECTOR, "zero", MethodTypeDesc.of(CD_DOUBLE_VECTOR, CD_SPECIES));
                c.dup().astore(vectorAccSlot[j]).astore(highSlot[j]);
            }
            if (r.row() && r.kind() != Kernels.Reduction.SUM) {
                vectorAccSlot[j] = c.allocateLocal(TypeKind.REFERENCE);
                species();
                double init = r.kind() == Kernels.Reduction.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                if (scalarDesc().equals(CD_double)) {
                    c.loadConstant(init);
                } else {
                    c.loadConstant((float) init);
                }
                c.invokestatic(cdVector, "broadcast", MethodTypeDesc.of(cdVector, CD_SPECIES, scalarDesc()));
                c.astore(vectorAccSlot[j]);
            }
        }
        Label test = c.newLabel();
        Label end = c.newLabel();
        c.labelBinding(test);
        c.iload(i).iload(upper).if_icmpge(end);
        for (int k = 0; k < inputs; k++) {
            if (!spec.inputs().get(k).broadcast()) {
                species();
                c.aload(arraySlot[k]).iload(baseSlot[k]).iload(i).iadd();
                if (spec.dtype(k) == DType.BOOL) {
                    c.invokestatic(CD_MASK, "fromArray", MethodTypeDesc.of(CD_MASK, CD_SPECIES,
                            CD_boolean.arrayType(), CD_int));
                } else {
                    c.invokestatic(cdVector, "fromArray", MethodTypeDesc.of(cdVector, CD_SPECIES, cdArray, CD_int));
                }
                c.astore(vectorSlot[k]);
            }
        }
        for (int j = 0; j < spec.ops().size(); j++) {
            compute(spec.ops().get(j));
            c.astore(vectorSlot[inputs + j]);
        }
        for (int m = 0; m < spec.outputs().size(); m++) {
            int v = spec.outputs().get(m);
            c.aload(vectorSlot[v]).aload(arraySlot[inputs + m]).iload(baseSlot[inputs + m]).iload(i).iadd();
            if (spec.dtype(v) == DType.BOOL) {
                c.invokevirtual(CD_MASK, "intoArray", MethodTypeDesc.of(CD_void, CD_boolean.arrayType(), CD_int));
            } else {
                c.invokevirtual(cdVector, "intoArray", MethodTypeDesc.of(CD_void, cdArray, CD_int));
            }
        }
        for (int j = 0; j < vectorAccSlot.length; j++) {
            accumulate(j, i);
        }
        c.iinc(i, lanes).goto_(test);
        c.labelBinding(end);
        for (int j = 0; j < vectorAccSlot.length; j++) { // fold the lanes of max and min into the run's accumulator
            KernelSpec.Reduce r = spec.reductions().get(j);
            if (registerSums(r)) { // the partial sums, untouched by anything else so far, take the registers' values
                c.aload(vectorAccSlot[j]).aload(partialSlot[j]).iconst_0();
                c.invokevirtual(CD_DOUBLE_VECTOR, "intoArray", MethodTypeDesc.of(CD_void, CD_double.arrayType(), CD_int));
                c.aload(highSlot[j]).aload(partialSlot[j]).loadConstant(Kernels.SUM_LANES / 2);
                c.invokevirtual(CD_DOUBLE_VECTOR, "intoArray", MethodTypeDesc.of(CD_void, CD_double.arrayType(), CD_int));
            }
            if (r.row() && r.kind() != Kernels.Reduction.SUM) {
                TypeKind k = KernelGenerator.kind(r.dtype());
                c.loadLocal(k, accSlot[j]).aload(vectorAccSlot[j]);
                c.getstatic(CD_OPERATORS, r.kind().name(), CD_ASSOCIATIVE);
                c.invokevirtual(cdVector, "reduceLanes", MethodTypeDesc.of(scalarDesc(), CD_ASSOCIATIVE));
                c.invokestatic(ClassDesc.of("java.lang.Math"), r.kind() == Kernels.Reduction.MAX ? "max" : "min",
                        MethodTypeDesc.of(scalarDesc(), scalarDesc(), scalarDesc()));
                c.storeLocal(k, accSlot[j]);
            }
        }
    }

    /**
     * Adds the vector of elements {@code [i, i + lanes)} to reduction {@code j}: sums in double (float32 widened in
     * two halves) into partial sums {@code i mod 16} onwards of a row sum, or into the partial sums array of a
     * column sum; max and min lane by lane, the accumulator first.
     */
    private void accumulate(int j, int i) {
        KernelSpec.Reduce r = spec.reductions().get(j);
        int v = vectorSlot[r.arg()];
        int a = inputs + spec.outputs().size() + j;
        if (registerSums(r)) { // each vector is one whole block: its halves add into the two register halves
            for (int part = 0; part < 2; part++) {
                int acc = part == 0 ? vectorAccSlot[j] : highSlot[j];
                c.aload(acc).aload(v);
                c.getstatic(CD_OPERATORS, "F2D", CD_CONVERSION);
                doubleSpecies();
                c.loadConstant(part);
                c.invokevirtual(cdVector, "convertShape", MethodTypeDesc.of(CD_VECTOR, CD_CONVERSION, CD_SPECIES,
                        CD_int));
                c.invokevirtual(CD_DOUBLE_VECTOR, "add", MethodTypeDesc.of(CD_DOUBLE_VECTOR, CD_VECTOR));
                c.astore(acc);
            }
            return;
        }
        if (r.kind() == Kernels.Reduction.SUM) {
            boolean floats = !scalarDesc().equals(CD_double);
            int parts = floats ? 2 : 1;
            int width = floats ? lanes / 2 : lanes;
            for (int part = 0; part < parts; part++) {
                int offset = c.allocateLocal(TypeKind.INT);
                if (r.row()) {
                    c.iload(i).loadConstant(Kernels.SUM_LANES - 1).iand();
                } else {
                    c.iload(baseSlot[a]).iload(i).iadd();
                }
                c.loadConstant(part * width).iadd().istore(offset);
                int target = r.row() ? partialSlot[j] : arraySlot[a];
                doubleSpecies();
                c.aload(target).iload(offset);
                c.invokestatic(CD_DOUBLE_VECTOR, "fromArray", MethodTypeDesc.of(CD_DOUBLE_VECTOR, CD_SPECIES,
                        CD_double.arrayType(), CD_int));
                c.aload(v);
                if (floats) {
                    c.getstatic(CD_OPERATORS, "F2D", CD_CONVERSION);
                    doubleSpecies();
                    c.loadConstant(part);
                    c.invokevirtual(cdVector, "convertShape", MethodTypeDesc.of(CD_VECTOR, CD_CONVERSION, CD_SPECIES,
                            CD_int));
                }
                c.invokevirtual(CD_DOUBLE_VECTOR, "add", MethodTypeDesc.of(CD_DOUBLE_VECTOR, CD_VECTOR));
                c.aload(target).iload(offset);
                c.invokevirtual(CD_DOUBLE_VECTOR, "intoArray", MethodTypeDesc.of(CD_void, CD_double.arrayType(),
                        CD_int));
            }
            return;
        }
        String op = r.kind() == Kernels.Reduction.MAX ? "max" : "min";
        if (r.row()) {
            c.aload(vectorAccSlot[j]).aload(v);
            c.invokevirtual(cdVector, op, MethodTypeDesc.of(cdVector, CD_VECTOR));
            c.astore(vectorAccSlot[j]);
        } else {
            species();
            c.aload(arraySlot[a]).iload(baseSlot[a]).iload(i).iadd();
            c.invokestatic(cdVector, "fromArray", MethodTypeDesc.of(cdVector, CD_SPECIES, cdArray, CD_int));
            c.aload(v);
            c.invokevirtual(cdVector, op, MethodTypeDesc.of(cdVector, CD_VECTOR));
            c.aload(arraySlot[a]).iload(baseSlot[a]).iload(i).iadd();
            c.invokevirtual(cdVector, "intoArray", MethodTypeDesc.of(CD_void, cdArray, CD_int));
        }
    }

    /**
     * Whether row sum {@code r} keeps its 16 partial sums in two double vectors while the loop runs: when each
     * float32 vector is exactly one block of 16 (an array round trip per vector would chain every iteration on
     * the last one's store).
     */
    private boolean registerSums(KernelSpec.Reduce r) {
        return r.row() && r.kind() == Kernels.Reduction.SUM && !scalarDesc().equals(CD_double)
                && lanes == Kernels.SUM_LANES;
    }

    /** Whether a vector kernel keeps row sum {@code r}'s partial sums in registers (float32, 16-lane vectors). */
    static boolean sumsInRegisters(KernelSpec.Reduce r) {
        return r.row() && r.kind() == Kernels.Reduction.SUM && r.dtype() == DType.FLOAT32
                && lanes(DType.FLOAT32) == Kernels.SUM_LANES;
    }

    /** The preferred double species: as wide as the float vectors, so a float32 vector widens into two. */
    private void doubleSpecies() {
        c.getstatic(CD_DOUBLE_VECTOR, "SPECIES_PREFERRED", CD_SPECIES);
    }

    /** Leaves member {@code op}'s vector (or mask) on the stack. */
    private void compute(ElementOp op) {
        List<Integer> a = op.args();
        switch (op.form()) {
            case BINARY_OP -> {
                BinaryOp code = (BinaryOp) op.code();
                if (code.isComparison()) {
                    c.aload(vectorSlot[a.get(0)]);
                    c.getstatic(CD_OPERATORS, code.name(), CD_COMPARISON);
                    c.aload(vectorSlot[a.get(1)]);
                    c.invokevirtual(cdVector, "compare", MethodTypeDesc.of(CD_MASK, CD_COMPARISON, CD_VECTOR));
                } else {
                    c.aload(vectorSlot[a.get(0)]).aload(vectorSlot[a.get(1)]);
                    c.invokevirtual(cdVector, code.name().toLowerCase(java.util.Locale.ROOT),
                            MethodTypeDesc.of(cdVector, CD_VECTOR));
                }
            }
            case UNARY_OP -> {
                c.aload(vectorSlot[a.get(0)]);
                switch ((UnaryOp) op.code()) {
                    case NEG -> c.invokevirtual(cdVector, "neg", MethodTypeDesc.of(cdVector));
                    case ABS -> c.invokevirtual(cdVector, "abs", MethodTypeDesc.of(cdVector));
                    default -> {
                        c.getstatic(CD_OPERATORS, "SQRT", CD_UNARY);
                        c.invokevirtual(cdVector, "lanewise", MethodTypeDesc.of(cdVector, CD_UNARY));
                    }
                }
            }
            case SELECT -> { // onFalse.blend(onTrue, pred): onTrue where pred holds
                c.aload(vectorSlot[a.get(2)]).aload(vectorSlot[a.get(1)]).aload(vectorSlot[a.get(0)]);
                c.invokevirtual(cdVector, "blend", MethodTypeDesc.of(cdVector, CD_VECTOR, CD_MASK));
            }
            case UNARY_FN -> c.aload(vectorSlot[a.get(0)]); // stop_gradient: the identity
            case REDUCE_ONE -> { // a sum of one element adds 0.0 (exact, -0.0 gives 0.0); max and min: the identity
                c.aload(vectorSlot[a.get(0)]);
                if (op.code() == dev.solstice.kernel.Kernels.Reduction.SUM) {
                    if (scalarDesc() == CD_double) {
                        c.dconst_0();
                    } else {
                        c.fconst_0();
                    }
                    c.invokevirtual(cdVector, "add", MethodTypeDesc.of(cdVector, scalarDesc()));
                }
            }
            default -> throw new IllegalStateException("jit: no vector form for " + op);
        }
    }

    private void species() {
        c.getstatic(cdVector, "SPECIES_PREFERRED", CD_SPECIES);
    }

    private ClassDesc scalarDesc() {
        return cdVector.displayName().startsWith("Double") ? CD_double : CD_float;
    }
}
