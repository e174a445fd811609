package dev.solstice.jit;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_short;
import static java.lang.constant.ConstantDescs.CD_void;

import dev.solstice.DType;
import dev.solstice.kernel.BinaryOp;
import dev.solstice.kernel.UnaryOp;
import dev.solstice.prim.ElementwiseBinary;
import dev.solstice.prim.ElementwiseUnary;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * Builds a {@link FusedKernel} class for a {@link KernelSpec} with {@code java.lang.classfile} and defines it
 * as a hidden class (not strongly tied to its loader, so it unloads once no cache or executable holds it).
 *
 * <p>The generated {@code run} loads every array and primitive into locals, then per run reads broadcast inputs
 * once and loops: read every input element {@code i}, compute the members in order, then store the outputs (all reads
 * of an element before any write, so an output may share storage with an input it replaces). Each member
 * is computed as the eager kernel computes it: the exact float32 operations in float, the others through
 * {@link UnaryOp#apply}, {@link BinaryOp#apply} or the primitive's scalar function and rounded once. A
 * {@link KernelSpec#vector} kernel first runs whole vectors ({@link VectorLoop}); the loop above finishes the tail.
 */
final class KernelGenerator {
    private static final ClassDesc CD_KERNEL = ClassDesc.of(FusedKernel.class.getName());
    private static final ClassDesc CD_SCALARS = ClassDesc.of(Scalars.class.getName());
    private static final ClassDesc CD_UNARY_OP = ClassDesc.of(UnaryOp.class.getName());
    private static final ClassDesc CD_BINARY_OP = ClassDesc.of(BinaryOp.class.getName());
    private static final ClassDesc CD_UNARY = ClassDesc.of(ElementwiseUnary.class.getName());
    private static final ClassDesc CD_BINARY = ClassDesc.of(ElementwiseBinary.class.getName());
    private static final ClassDesc CD_MATH = ClassDesc.of(Math.class.getName());
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_void, CD_Object.arrayType(),
            CD_Object.arrayType(), CD_int.arrayType(), CD_int.arrayType(), CD_int, CD_int);
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver().orElse(
                    ClassHierarchyResolver.ofClassLoading(KernelGenerator.class.getClassLoader()))));

    private KernelGenerator() {}

    /** A new instance of a freshly generated kernel class for {@code spec}. */
    static FusedKernel generate(KernelSpec spec) {
        byte[] bytes = CLASS_FILE.build(ClassDesc.of(KernelGenerator.class.getPackageName() + ".GeneratedKernel"),
                cb -> cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                        .withInterfaceSymbols(CD_KERNEL)
                        .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC,
                                c -> c.aload(0).invokespecial(CD_Object, ConstantDescs.INIT_NAME,
                                        ConstantDescs.MTD_void).return_())
                        .withMethodBody("run", RUN, ClassFile.ACC_PUBLIC, c -> new Body(spec, c).emit()));
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (FusedKernel) lookup.findConstructor(lookup.lookupClass(), java.lang.invoke.MethodType.methodType(
                    void.class)).invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("jit: could not define the kernel for " + spec, t);
        }
    }

    /** The JVM type a value of {@code t} is held in (bool as int 0/1). */
    static TypeKind kind(DType t) {
        return switch (t) {
            case FLOAT64 -> TypeKind.DOUBLE;
            case FLOAT32, FLOAT16, BFLOAT16 -> TypeKind.FLOAT; // the 16-bit floats as their exact float value
            case INT32, BOOL -> TypeKind.INT;
            default -> throw new IllegalArgumentException("jit: no generated code for " + t + " (Fusible.generated)");
        };
    }

    /** The storage array element kind of {@code t}. */
    private static TypeKind elementKind(DType t) {
        return t == DType.BOOL ? TypeKind.BOOLEAN : isHalf(t) ? TypeKind.SHORT : kind(t);
    }

    /** float16 and bfloat16: stored as 16 bits, computed as float32 and rounded after each operation. */
    static boolean isHalf(DType t) {
        return t == DType.FLOAT16 || t == DType.BFLOAT16;
    }

    private static ClassDesc arrayDesc(DType t) {
        return switch (t) {
            case FLOAT64 -> CD_double.arrayType();
            case FLOAT32 -> CD_float.arrayType();
            case INT32 -> CD_int.arrayType();
            case BOOL -> ConstantDescs.CD_boolean.arrayType();
            case FLOAT16, BFLOAT16 -> ConstantDescs.CD_short.arrayType();
            default -> throw new IllegalArgumentException("jit: no generated code for " + t + " (Fusible.generated)");
        };
    }

    private static ClassDesc desc(TypeKind k) {
        return switch (k) {
            case DOUBLE -> CD_double;
            case FLOAT -> CD_float;
            default -> CD_int;
        };
    }

    /** The code of one {@code run} method. */
    private static final class Body {
        private static final int ARRAYS = 1;
        private static final int PRIMITIVES = 2;
        private static final int BASE = 3;
        private static final int STEP = 4;
        private static final int ROWS = 5;
        private static final int N = 6;

        private final KernelSpec spec;
        private final CodeBuilder c;
        private final int inputs;
        private final int[] arraySlot;
        private final int[] baseSlot;
        private final int[] stepSlot;
        private final int[] valueSlot;
        private final int[] primitiveSlot;
        /** Per reduction: its accumulator (the running sum, or max/min) for a row reduction. */
        private final int[] accSlot;
        /** Per reduction: its 16 partial sums, for a row sum. */
        private final int[] partialSlot;
        private int fullSlot = -1;

        Body(KernelSpec spec, CodeBuilder c) {
            this.spec = spec;
            this.c = c;
            this.inputs = spec.inputs().size();
            int arrays = inputs + spec.outputs().size() + spec.reductions().size();
            this.accSlot = new int[spec.reductions().size()];
            this.partialSlot = new int[spec.reductions().size()];
            this.arraySlot = new int[arrays];
            this.baseSlot = new int[arrays];
            this.stepSlot = new int[arrays];
            this.valueSlot = new int[inputs + spec.ops().size()];
            this.primitiveSlot = new int[spec.ops().size()];
        }

        /** The element dtype of array {@code k}: inputs, outputs, then the reductions' results or partial sums. */
        private DType arrayType(int k) {
            int outputs = spec.outputs().size();
            if (k < inputs) {
                return spec.inputs().get(k).dtype();
            }
            if (k < inputs + outputs) {
                return spec.dtype(spec.outputs().get(k - inputs));
            }
            KernelSpec.Reduce r = spec.reductions().get(k - inputs - outputs);
            return r.partialSums() ? DType.FLOAT64 : r.dtype();
        }

        void emit() {
            for (int k = 0; k < arraySlot.length; k++) {
                DType t = arrayType(k);
                arraySlot[k] = c.allocateLocal(TypeKind.REFERENCE);
                c.aload(ARRAYS).loadConstant(k).aaload().checkcast(arrayDesc(t)).astore(arraySlot[k]);
                baseSlot[k] = c.allocateLocal(TypeKind.INT);
                c.aload(BASE).loadConstant(k).iaload().istore(baseSlot[k]);
                stepSlot[k] = c.allocateLocal(TypeKind.INT);
                c.aload(STEP).loadConstant(k).iaload().istore(stepSlot[k]);
            }
            for (int j = 0; j < primitiveSlot.length; j++) {
                ElementOp op = spec.ops().get(j);
                if (op.needsPrimitive()) {
                    primitiveSlot[j] = c.allocateLocal(TypeKind.REFERENCE);
                    c.aload(PRIMITIVES).loadConstant(j).aaload()
                            .checkcast(op.form() == ElementOp.Form.UNARY_FN ? CD_UNARY : CD_BINARY)
                            .astore(primitiveSlot[j]);
                }
            }
            for (int v = 0; v < valueSlot.length; v++) {
                valueSlot[v] = c.allocateLocal(kind(spec.dtype(v)));
            }
            declareReductions();
            int row = c.allocateLocal(TypeKind.INT);
            c.iconst_0().istore(row);
            Label nextRow = c.newLabel();
            Label done = c.newLabel();
            c.labelBinding(nextRow);
            c.iload(row).iload(ROWS).if_icmpge(done);
            for (int k = 0; k < inputs; k++) {
                if (spec.inputs().get(k).broadcast()) {
                    readInput(k, -1);
                }
            }
            startRun();
            int i = c.allocateLocal(TypeKind.INT);
            c.iconst_0().istore(i);
            if (spec.vector()) {
                new VectorLoop(spec, c, arraySlot, baseSlot, valueSlot, partialSlot, accSlot).emit(i, N);
            }
            Label test = c.newLabel();
            Label end = c.newLabel();
            c.labelBinding(test);
            c.iload(i).iload(N).if_icmpge(end);
            for (int k = 0; k < inputs; k++) {
                if (!spec.inputs().get(k).broadcast()) {
                    readInput(k, i);
                }
            }
            for (int j = 0; j < spec.ops().size(); j++) {
                compute(j);
            }
            for (int m = 0; m < spec.outputs().size(); m++) {
                int v = spec.outputs().get(m);
                DType t = spec.dtype(v);
                c.aload(arraySlot[inputs + m]).iload(baseSlot[inputs + m]).iload(i).iadd();
                c.loadLocal(kind(t), valueSlot[v]);
                if (isHalf(t)) {
                    c.invokestatic(CD_SCALARS, t == DType.FLOAT16 ? "toHalf" : "toBf16", MethodTypeDesc.of(CD_short, CD_float));
                }
                c.arrayStore(elementKind(t));
            }
            for (int j = 0; j < accSlot.length; j++) {
                accumulate(j, i);
            }
            c.iinc(i, 1).goto_(test);
            c.labelBinding(end);
            endRun();
            for (int k = 0; k < arraySlot.length; k++) {
                c.iload(baseSlot[k]).iload(stepSlot[k]).iadd().istore(baseSlot[k]);
            }
            c.iinc(row, 1).goto_(nextRow);
            c.labelBinding(done);
            c.return_();
        }

        private int reductionArray(int j) {
            return inputs + spec.outputs().size() + j;
        }

        /** Locals of the row reductions: 16 partial sums per sum (a new array per call) and the full-block bound. */
        private void declareReductions() {
            for (int j = 0; j < accSlot.length; j++) {
                KernelSpec.Reduce r = spec.reductions().get(j);
                if (!r.row()) {
                    continue;
                }
                boolean sum = r.kind() == dev.solstice.kernel.Kernels.Reduction.SUM;
                accSlot[j] = c.allocateLocal(sum ? TypeKind.DOUBLE : kind(r.dtype()));
                if (sum) {
                    partialSlot[j] = c.allocateLocal(TypeKind.REFERENCE);
                    c.loadConstant(dev.solstice.kernel.Kernels.SUM_LANES).newarray(TypeKind.DOUBLE).astore(partialSlot[j]);
                    if (fullSlot < 0) {
                        fullSlot = c.allocateLocal(TypeKind.INT);
                        c.iload(N).iload(N).loadConstant(dev.solstice.kernel.Kernels.SUM_LANES - 1).iand().isub()
                                .istore(fullSlot);
                    }
                }
            }
        }

        /** Resets the row reductions' accumulators: 0.0 for sums (their partial sums are left zero), else -inf/+inf. */
        private void startRun() {
            for (int j = 0; j < accSlot.length; j++) {
                KernelSpec.Reduce r = spec.reductions().get(j);
                if (!r.row()) {
                    continue;
                }
                switch (r.kind()) {
                    case SUM -> c.dconst_0().dstore(accSlot[j]);
                    case MAX, MIN -> {
                        double init = r.kind() == dev.solstice.kernel.Kernels.Reduction.MAX
                                ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                        if (r.dtype() == DType.FLOAT32) {
                            c.loadConstant((float) init).fstore(accSlot[j]);
                        } else {
                            c.loadConstant(init).dstore(accSlot[j]);
                        }
                    }
                }
            }
        }

        /**
         * Adds element {@code i} (local) to reduction {@code j}: a row sum puts element {@code i} of the full blocks
         * into partial sum {@code i mod 16}, combines them at the first element past them, then adds the rest in
         * order; a column sum adds into its partial sums array; max and min as {@code Math.max}/{@code Math.min}
         * with the accumulator first, as the eager kernels.
         */
        private void accumulate(int j, int i) {
            KernelSpec.Reduce r = spec.reductions().get(j);
            boolean sum = r.kind() == dev.solstice.kernel.Kernels.Reduction.SUM;
            TypeKind k = kind(r.dtype());
            int a = reductionArray(j);
            if (r.row() && sum) {
                Label tail = c.newLabel();
                Label next = c.newLabel();
                Label added = c.newLabel();
                c.iload(i).iload(fullSlot).if_icmpge(tail);
                c.aload(partialSlot[j]).iload(i).loadConstant(dev.solstice.kernel.Kernels.SUM_LANES - 1).iand();
                c.dup2().daload();
                load(r.arg());
                widen(k);
                c.dadd().dastore().goto_(added);
                c.labelBinding(tail);
                c.iload(i).iload(fullSlot).if_icmpne(next);
                c.aload(partialSlot[j]).invokestatic(CD_SCALARS, "combine",
                        MethodTypeDesc.of(CD_double, CD_double.arrayType())).dstore(accSlot[j]);
                c.labelBinding(next);
                c.dload(accSlot[j]);
                load(r.arg());
                widen(k);
                c.dadd().dstore(accSlot[j]);
                c.labelBinding(added);
            } else if (r.row()) {
                c.loadLocal(k, accSlot[j]);
                load(r.arg());
                extreme(r);
                c.storeLocal(k, accSlot[j]);
            } else if (sum) {
                c.aload(arraySlot[a]).iload(baseSlot[a]).iload(i).iadd().dup2().daload();
                load(r.arg());
                widen(k);
                c.dadd().dastore();
            } else {
                c.aload(arraySlot[a]).iload(baseSlot[a]).iload(i).iadd().dup2().arrayLoad(k);
                load(r.arg());
                extreme(r);
                c.arrayStore(k);
            }
        }

        /** {@code Math.max} or {@code Math.min} of the two values on the stack, in the reduction's dtype. */
        private void extreme(KernelSpec.Reduce r) {
            ClassDesc d = desc(kind(r.dtype()));
            c.invokestatic(CD_MATH, r.kind() == dev.solstice.kernel.Kernels.Reduction.MAX ? "max" : "min",
                    MethodTypeDesc.of(d, d, d));
        }

        /** Stores every row reduction's result of the run (a sum that had no tail is combined here). */
        private void endRun() {
            for (int j = 0; j < accSlot.length; j++) {
                KernelSpec.Reduce r = spec.reductions().get(j);
                if (!r.row()) {
                    continue;
                }
                int a = reductionArray(j);
                TypeKind k = kind(r.dtype());
                if (r.kind() == dev.solstice.kernel.Kernels.Reduction.SUM) {
                    Label stored = c.newLabel();
                    c.iload(N).iload(fullSlot).if_icmpne(stored);
                    c.aload(partialSlot[j]).invokestatic(CD_SCALARS, "combine",
                            MethodTypeDesc.of(CD_double, CD_double.arrayType())).dstore(accSlot[j]);
                    c.labelBinding(stored);
                    c.aload(arraySlot[a]).iload(baseSlot[a]).dload(accSlot[j]);
                    if (k == TypeKind.FLOAT) {
                        c.d2f();
                    }
                } else {
                    c.aload(arraySlot[a]).iload(baseSlot[a]).loadLocal(k, accSlot[j]);
                }
                c.arrayStore(k);
            }
        }

        /** Reads input {@code k} at its base, plus the loop index in local {@code index} unless that is -1. */
        private void readInput(int k, int index) {
            DType t = spec.inputs().get(k).dtype();
            c.aload(arraySlot[k]).iload(baseSlot[k]);
            if (index >= 0) {
                c.iload(index).iadd();
            }
            c.arrayLoad(elementKind(t));
            if (isHalf(t)) {
                c.invokestatic(CD_SCALARS, t == DType.FLOAT16 ? "fromHalf" : "fromBf16", MethodTypeDesc.of(CD_float, CD_short));
            }
            c.storeLocal(kind(t), valueSlot[k]);
        }

        private void load(int v) {
            c.loadLocal(kind(spec.dtype(v)), valueSlot[v]);
        }

        private void compute(int j) {
            ElementOp op = spec.ops().get(j);
            List<Integer> a = op.args();
            switch (op.form()) {
                case UNARY_OP -> unaryOp((UnaryOp) op.code(), op.in(), a.get(0));
                case BINARY_OP -> binaryOp((BinaryOp) op.code(), op.in(), a.get(0), a.get(1));
                case UNARY_FN, BINARY_FN -> scalarFunction(j, op);
                case SELECT -> {
                    load(a.get(0));
                    load(a.get(1));
                    load(a.get(2));
                    TypeKind k = kind(op.in());
                    c.invokestatic(CD_SCALARS, "select", MethodTypeDesc.of(desc(k), CD_int, desc(k), desc(k)));
                }
                case CONVERT -> {
                    load(a.get(0));
                    convert(op.in(), op.out());
                }
                case REDUCE_ONE -> { // a sum of one element: 0.0 + x in double, rounded (exact); max, min: x
                    load(a.get(0));
                    if (op.code() == dev.solstice.kernel.Kernels.Reduction.SUM) {
                        widen(kind(op.in()));
                        c.dconst_0().dadd();
                        convert(DType.FLOAT64, op.out());
                    }
                }
            }
            if (isHalf(op.out()) && op.form() != ElementOp.Form.CONVERT && op.form() != ElementOp.Form.SELECT) {
                // the float32 result, rounded as eager narrows it
                c.invokestatic(CD_SCALARS, op.out() == DType.FLOAT16 ? "roundHalf" : "roundBf16",
                        MethodTypeDesc.of(CD_float, CD_float));
            }
            c.storeLocal(kind(op.out()), valueSlot[inputs + j]);
        }

        /** The kernels' loop for {@code code}: exact operations inline, the rest through {@link UnaryOp#apply}. */
        private void unaryOp(UnaryOp code, DType t, int x) {
            switch (isHalf(t) ? DType.FLOAT32 : t) { // 16-bit floats computed as float32, rounded by compute()
                case FLOAT64 -> {
                    switch (code) {
                        case NEG -> { load(x); c.dneg(); }
                        case ABS, SQRT, FLOOR, CEIL, ROUND -> { load(x); math(code, CD_double); }
                        default -> { enumConstant(CD_UNARY_OP, code.name()); load(x); applyUnary(); }
                    }
                }
                case FLOAT32 -> {
                    switch (code) {
                        case NEG -> { load(x); c.fneg(); }
                        case ABS -> { load(x); math(code, CD_float); }
                        case SQRT, FLOOR, CEIL, ROUND -> { load(x); c.f2d(); math(code, CD_double); c.d2f(); }
                        default -> { enumConstant(CD_UNARY_OP, code.name()); load(x); c.f2d(); applyUnary(); c.d2f(); }
                    }
                }
                case INT32 -> {
                    switch (code) {
                        case NEG -> { load(x); c.ineg(); }
                        case ABS -> { load(x); math(code, CD_int); }
                        case NOT -> { load(x); c.iconst_m1().ixor(); }
                        default -> {
                            enumConstant(CD_UNARY_OP, code.name());
                            load(x);
                            c.invokevirtual(CD_UNARY_OP, "applyInt", MethodTypeDesc.of(CD_int, CD_int));
                        }
                    }
                }
                case BOOL -> { load(x); c.iconst_1().ixor(); } // not: the only bool loop
            }
        }

        private void applyUnary() {
            c.invokevirtual(CD_UNARY_OP, "apply", MethodTypeDesc.of(CD_double, CD_double));
        }

        private void math(UnaryOp code, ClassDesc type) {
            String name = switch (code) {
                case ABS -> "abs";
                case SQRT -> "sqrt";
                case FLOOR -> "floor";
                case CEIL -> "ceil";
                default -> "rint";
            };
            c.invokestatic(CD_MATH, name, MethodTypeDesc.of(type, type));
        }

        private void enumConstant(ClassDesc owner, String name) {
            c.getstatic(owner, name, owner);
        }

        /** The kernels' loop for {@code code}; comparisons give 0/1. */
        private void binaryOp(BinaryOp code, DType t, int x, int y) {
            TypeKind k = kind(t);
            ClassDesc d = desc(k);
            if (code.isComparison()) {
                load(x);
                widen(k);
                load(y);
                widen(k);
                c.invokestatic(CD_SCALARS, code.name().toLowerCase(java.util.Locale.ROOT),
                        MethodTypeDesc.of(CD_int, CD_double, CD_double));
                return;
            }
            boolean special = code == BinaryOp.POW || (code == BinaryOp.DIV && t == DType.INT32);
            if (special) {
                enumConstant(CD_BINARY_OP, code.name());
                load(x);
                if (k == TypeKind.FLOAT) {
                    c.f2d();
                }
                load(y);
                if (k == TypeKind.FLOAT) {
                    c.f2d();
                }
                if (t == DType.INT32) {
                    c.invokevirtual(CD_BINARY_OP, "applyInt", MethodTypeDesc.of(CD_int, CD_int, CD_int));
                } else {
                    c.invokevirtual(CD_BINARY_OP, "apply", MethodTypeDesc.of(CD_double, CD_double, CD_double));
                    if (k == TypeKind.FLOAT) {
                        c.d2f();
                    }
                }
                return;
            }
            load(x);
            load(y);
            switch (code) {
                case ADD -> arithmetic(k, CodeBuilder::dadd, CodeBuilder::fadd, CodeBuilder::iadd);
                case SUB -> arithmetic(k, CodeBuilder::dsub, CodeBuilder::fsub, CodeBuilder::isub);
                case MUL -> arithmetic(k, CodeBuilder::dmul, CodeBuilder::fmul, CodeBuilder::imul);
                case DIV -> arithmetic(k, CodeBuilder::ddiv, CodeBuilder::fdiv, CodeBuilder::idiv);
                case MAX -> c.invokestatic(CD_MATH, "max", MethodTypeDesc.of(d, d, d));
                case MIN -> c.invokestatic(CD_MATH, "min", MethodTypeDesc.of(d, d, d));
                case AND -> c.iand();
                case OR -> c.ior();
                case XOR -> c.ixor();
                default -> throw new IllegalStateException("jit: no fused loop for " + code + " on " + t);
            }
        }

        /** Emits the double, float or int form of an arithmetic instruction (int32 division never gets here). */
        private void arithmetic(TypeKind k, java.util.function.Consumer<CodeBuilder> d,
                java.util.function.Consumer<CodeBuilder> f, java.util.function.Consumer<CodeBuilder> i) {
            (k == TypeKind.DOUBLE ? d : k == TypeKind.FLOAT ? f : i).accept(c);
        }

        /**
         * The kernels' fallback: the primitive's {@code apply} on floating operands (as doubles), else its
         * {@code applyInt} (bools as 0/1), the result stored into the output dtype as the kernels store it.
         */
        private void scalarFunction(int j, ElementOp op) {
            boolean unary = op.form() == ElementOp.Form.UNARY_FN;
            c.aload(primitiveSlot[j]);
            boolean floating = op.in().isFloating();
            for (int v : op.args()) {
                load(v);
                if (kind(op.in()) == TypeKind.FLOAT) {
                    c.f2d();
                }
            }
            ClassDesc owner = unary ? CD_UNARY : CD_BINARY;
            ClassDesc arg = floating ? CD_double : CD_int;
            MethodTypeDesc type = unary ? MethodTypeDesc.of(arg, arg) : MethodTypeDesc.of(arg, arg, arg);
            c.invokeinterface(owner, floating ? "apply" : "applyInt", type);
            // a 16-bit float result is the float32 kernel's, rounded again by compute(), as eager does
            convert(floating ? DType.FLOAT64 : DType.INT32, isHalf(op.out()) ? DType.FLOAT32 : op.out());
        }

        /** Widens the float or int on the stack to double, exactly. */
        private void widen(TypeKind k) {
            if (k != TypeKind.DOUBLE) {
                c.conversion(k, TypeKind.DOUBLE);
            }
        }

        /** Converts the value on the stack as the eager conversion does (and as the kernels store results). */
        private void convert(DType from, DType to) {
            if (from == to || (from == DType.BOOL && to == DType.INT32)) {
                return;
            }
            if (isHalf(to)) { // rounded once from the exact double, as convert_element_type does
                widen(kind(from));
                c.invokestatic(CD_SCALARS, to == DType.FLOAT16 ? "convertHalf" : "convertBf16",
                        MethodTypeDesc.of(CD_float, CD_double));
                return;
            }
            if (isHalf(from)) { // its exact value, held as a float
                convert(DType.FLOAT32, to);
                return;
            }
            if (to == DType.BOOL) {
                widen(kind(from));
                c.invokestatic(CD_SCALARS, "nonZero", MethodTypeDesc.of(CD_int, CD_double));
                return;
            }
            c.conversion(kind(from), kind(to));
        }
    }
}
