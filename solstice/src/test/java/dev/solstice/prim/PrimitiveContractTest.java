package dev.solstice.prim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import dev.solstice.core.Interpreters;
import dev.solstice.core.Primitive;
import dev.solstice.prim.Float64Reference.Ref;
import dev.solstice.testing.Numeric;
import dev.solstice.transform.Autodiff;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The primitive contract: every primitive class in {@code dev.solstice.prim}, found by scanning the compiled
 * package of the library, has examples in the test-side registry {@link Examples} (a class without any fails,
 * so a new primitive cannot go untested), and on every example
 * <ol>
 *   <li>evaluates like the independent double-precision {@link Float64Reference} (float32 within ~1e-6
 *       relative, float64 within a few ulp, ints and bools exactly);</li>
 *   <li>has a shape rule that agrees with evaluation, through {@link Interpreters#bind} and {@link Primitive#eval};</li>
 *   <li>has a JVP that matches fourth-order central differences in a random direction (float64), for each
 *       floating operand alone and all together; primitives whose derivative is zero give exact zeros;</li>
 *   <li>if linear in some operands (per {@link #LINEAR}), transposes correctly: {@code <ct, jvp(t)> =
 *       <vjp(ct), t>} for random {@code t} and {@code ct} through {@link Autodiff#linearize}; a transpose rule
 *       on a primitive not listed there fails;</li>
 *   <li>works in reverse mode: the linearization of its JVP equals forward mode and passes the same adjoint
 *       test, so every JVP rule is built from correctly transposable operations;</li>
 *   <li>has derivative rules that also run in float32 (no float64 constant mixed in) and agree with float64;</li>
 *   <li>accepts exactly the dtypes listed in {@link #ACCEPTS} (examples cover each one), and its shape rule
 *       rejects the others with an {@link IllegalArgumentException} naming the primitive and the operand;</li>
 *   <li>is a value: rebuilt from copies of its parameters it is equal, hashes alike and prints alike;</li>
 *   <li>batches (vmap): on a batch of the example and perturbed copies of it, for every set of batched
 *       operands and batch axes 0, 1, -1 and mixed, the result equals the primitive applied to each example
 *       and stacked; likewise for vmap of vmap and for an empty batch; and batching composes with
 *       differentiation: vmap of jvp, jvp of vmap and the pullback of vmap equal the per-example derivatives
 *       (see {@link BatchingCheck}).</li>
 * </ol>
 * The expectations (references, accepted dtypes, linear operands, zero derivatives) are written here, on the
 * test side, so that the code under test is never its own oracle; a primitive missing from any of them fails.
 */
class PrimitiveContractTest {

    /** Primitives tested elsewhere, each with the reason. Nothing else may skip the contract. */
    private static final Map<Class<?>, String> EXEMPT = Map.of(
            CustomJvpCall.class, "a call primitive wrapping a user function: tested through Jax.customJvp",
            CustomVjpCall.class, "a call primitive wrapping a user function: tested through Jax.customVjp",
            CustomVjpLinear.class, "custom VJP's linear map: cannot be evaluated, only transposed; tested through Jax.customVjp",
            Psum.class, "a collective over a named vmap axis: cannot be evaluated alone; tested in vmap.NamedAxisTest",
            UnvmapAny.class, "reduces across the vmap batch by design (not per example); tested in control.UnvmapAnyTest");

    private static final Set<DType> FLOATS = EnumSet.of(DType.FLOAT16, DType.BFLOAT16, DType.FLOAT32, DType.FLOAT64);
    private static final Set<DType> INTEGERS = EnumSet.of(DType.INT8, DType.UINT8, DType.INT32, DType.UINT32, DType.INT64);
    private static final Set<DType> NUMERIC = union(FLOATS, INTEGERS);
    private static final Set<DType> ALL = EnumSet.allOf(DType.class);
    private static final Set<DType> LOGICAL = union(EnumSet.of(DType.BOOL), INTEGERS);
    private static final Set<DType> INT32_ONLY = EnumSet.of(DType.INT32);

    /**
     * The dtypes examples are written in. The others (float16, bfloat16, int8, uint8, uint32, int64) are
     * checked by {@link NewDTypesContractTest}, which retypes these examples.
     */
    static final Set<DType> EXAMPLE_DTYPES = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.BOOL);

    private static Set<DType> union(Set<DType> a, Set<DType> b) {
        Set<DType> u = EnumSet.copyOf(a);
        u.addAll(b);
        return u;
    }

    /** The dtypes of the primary operand (see {@link #primaryOperand}) each primitive accepts (JAX's lax rules). */
    static final Map<String, Function<Primitive, Set<DType>>> ACCEPTS = Map.ofEntries(
            floats("sin"), floats("cos"), floats("tan"), floats("tanh"), floats("exp"), floats("expm1"),
            floats("log"), floats("log1p"), floats("logistic"), floats("sqrt"), floats("rsqrt"), floats("erf"),
            floats("erfc"),
            floats("floor"), floats("ceil"), floats("round"), floats("pow"),
            Map.entry("integer_pow", p -> ((IntegerPow) p).n() >= 0 ? NUMERIC : FLOATS),
            numeric("neg"), numeric("abs"), numeric("sign"),
            numeric("add"), numeric("sub"), numeric("mul"), numeric("div"), numeric("max"), numeric("min"),
            numeric("dot_general"), numeric("reduce_sum"), numeric("reduce_max"), numeric("reduce_min"),
            numeric("argmax"), numeric("argmin"), numeric("iota"),
            Map.entry("not", p -> LOGICAL), Map.entry("and", p -> LOGICAL), Map.entry("or", p -> LOGICAL),
            all("eq"), all("ne"), all("lt"), all("le"), all("gt"), all("ge"), all("stop_gradient"), all("select"),
            all("convert_element_type"), all("broadcast_in_dim"), all("reshape"), all("transpose"), all("squeeze"),
            all("expand_dims"), all("slice"), all("pad"), all("concatenate"),
            numeric("conv_general_dilated"), all("rev"), numeric("reduce_window_sum"), numeric("reduce_window_max"),
            all("dynamic_slice"), all("dynamic_update_slice"), all("gather"), numeric("scatter_add"),
            floats("erf_inv"), Map.entry("xor", p -> LOGICAL), Map.entry("shift_right_logical", p -> INTEGERS),
            Map.entry("threefry2x32", p -> INT32_ONLY),
            all("error_if"), all("sort"), numeric("cumsum"), numeric("cumprod"), numeric("cummax"), numeric("cummin"),
            floats("cumlogsumexp"), floats("cholesky"), floats("triangular_solve"), floats("lu"), floats("eigh"),
            floats("sinh"), floats("cosh"), floats("asinh"), floats("acosh"), floats("atanh"), floats("asin"), floats("acos"),
            floats("atan"), floats("atan2"), floats("lgamma"), floats("digamma"), floats("polygamma"), floats("bessel_i0e"),
            floats("bessel_i1e"), floats("svd"), floats("qr"), numeric("top_k"));

    /** Primitives whose derivative is zero everywhere (besides those with a non-floating output). */
    private static final Set<String> ZERO_DERIVATIVE = Set.of("floor", "ceil", "round", "sign", "stop_gradient");

    /**
     * For each primitive linear in some operands, the sets of operands (all floating) it is linear in when the
     * other operands are constants. Affine counts: linearize takes the linear part.
     */
    private static final Map<String, Function<Example, List<int[]>>> LINEAR = Map.ofEntries(
            Map.entry("neg", jointly()), Map.entry("reduce_sum", jointly()), Map.entry("broadcast_in_dim", jointly()),
            Map.entry("reshape", jointly()), Map.entry("transpose", jointly()), Map.entry("squeeze", jointly()),
            Map.entry("expand_dims", jointly()), Map.entry("slice", jointly()),
            Map.entry("add", jointly()), Map.entry("sub", jointly()), Map.entry("concatenate", jointly()),
            Map.entry("pad", jointly()),
            Map.entry("mul", eachAlone()), Map.entry("dot_general", eachAlone()),
            Map.entry("conv_general_dilated", eachAlone()), Map.entry("rev", jointly()), Map.entry("reduce_window_sum", jointly()),
            Map.entry("cumsum", jointly()), Map.entry("triangular_solve", e -> List.of(new int[] {1})),
            Map.entry("dynamic_slice", e -> e.inputs()[0].dtype().isFloating() ? List.of(new int[] {0}) : List.of()),
            Map.entry("dynamic_update_slice", e -> e.inputs()[0].dtype().isFloating()
                    ? List.of(new int[] {0}, new int[] {1}, new int[] {0, 1}) : List.of()),
            Map.entry("gather", e -> e.inputs()[0].dtype().isFloating() ? List.of(new int[] {0}) : List.of()),
            Map.entry("scatter_add", e -> e.inputs()[0].dtype().isFloating()
                    ? List.of(new int[] {0}, new int[] {2}, new int[] {0, 2}) : List.of()),
            Map.entry("div", e -> List.of(new int[] {0})),
            Map.entry("select", e -> List.of(new int[] {1}, new int[] {2}, new int[] {1, 2})),
            Map.entry("convert_element_type", e -> e.inputs()[0].dtype().isFloating()
                    && ((ConvertElementType) e.primitive()).newDtype().isFloating() ? List.of(new int[] {0}) : List.of()),
            Map.entry("error_if", PrimitiveContractTest::floatingSubsets));

    private static final double FD_STEP = 1e-3;

    // ------------------------------------------------------------------ discovery

    /** The concrete classes implementing {@link Primitive} compiled into package {@code dev.solstice.prim}. */
    static List<Class<?>> primitiveClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        // Ops is a class of the library, so this lists the library's compiled package, not the tests'.
        URL marker = Ops.class.getResource("Ops.class");
        assertNotNull(marker, "cannot locate the compiled package dev.solstice.prim");
        String pkg = Ops.class.getPackageName();
        Set<String> names = new TreeSet<>();
        switch (marker.getProtocol()) {
            case "file" -> {
                try (Stream<Path> files = Files.list(Path.of(marker.toURI()).getParent())) {
                    files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class"))
                            .forEach(n -> names.add(n.substring(0, n.length() - ".class".length())));
                }
            }
            case "jar" -> {
                JarURLConnection c = (JarURLConnection) marker.openConnection();
                c.setUseCaches(false);
                String prefix = pkg.replace('.', '/') + "/";
                try (JarFile jar = c.getJarFile()) {
                    for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements();) {
                        String n = en.nextElement().getName();
                        if (n.startsWith(prefix) && n.endsWith(".class") && n.indexOf('/', prefix.length()) < 0) {
                            names.add(n.substring(prefix.length(), n.length() - ".class".length()));
                        }
                    }
                }
            }
            default -> fail("cannot list package dev.solstice.prim at " + marker);
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            Class<?> c = Class.forName(pkg + "." + n, false, Ops.class.getClassLoader());
            if (Primitive.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void discoveryFindsThePrimitivesAndTheExemptions() throws Exception {
        List<Class<?>> found = primitiveClasses();
        for (Class<?> c : List.of(Sin.class, Add.class, DotGeneral.class, ReduceSum.class, Select.class, Iota.class)) {
            assertTrue(found.contains(c), "class scan missed " + c.getSimpleName() + "; found " + found);
        }
        for (Class<?> c : EXEMPT.keySet()) {
            assertTrue(found.contains(c), "exempt class " + c.getSimpleName() + " is no longer a primitive of the package;"
                    + " remove it from EXEMPT");
        }
        assertTrue(found.size() >= 50, "only " + found.size() + " primitives found: " + found);
    }

    /** Names are unique, and the test-side tables speak only of primitives that exist. */
    @Test
    void namesAreUniqueAndTheTablesAreCurrent() throws Exception {
        Map<String, Class<?>> byName = new java.util.HashMap<>();
        for (Class<?> c : primitiveClasses()) {
            if (EXEMPT.containsKey(c)) {
                continue;
            }
            List<Example> examples = Examples.of(c);
            if (examples == null || examples.isEmpty()) {
                continue; // reported by the contract itself
            }
            String name = examples.getFirst().primitive().name();
            Class<?> other = byName.put(name, c);
            assertTrue(other == null, c.getSimpleName() + " and " + (other == null ? "" : other.getSimpleName())
                    + " are both called " + name);
        }
        for (String n : Float64Reference.names()) {
            assertTrue(byName.containsKey(n), "Float64Reference has a reference for " + n + ", but no primitive with examples has that name");
        }
        for (String n : ACCEPTS.keySet()) {
            assertTrue(byName.containsKey(n), "ACCEPTS lists " + n + ", but no primitive with examples has that name");
        }
        for (String n : LINEAR.keySet()) {
            assertTrue(byName.containsKey(n), "LINEAR lists " + n + ", but no primitive with examples has that name");
        }
        for (String n : ZERO_DERIVATIVE) {
            assertTrue(byName.containsKey(n), "ZERO_DERIVATIVE lists " + n + ", but no primitive with examples has that name");
        }
    }

    /** The registry speaks only of primitives of the package that the contract tests. */
    @Test
    void theRegistryListsOnlyTestedPrimitives() throws Exception {
        List<Class<?>> found = primitiveClasses();
        for (Class<?> c : Examples.REGISTRY.keySet()) {
            assertTrue(found.contains(c), "Examples lists " + c.getName() + ", which is no primitive class of dev.solstice.prim");
            assertFalse(EXEMPT.containsKey(c), "Examples lists " + c.getSimpleName() + ", which is exempt from the contract;"
                    + " remove one or the other");
        }
    }

    @TestFactory
    Stream<DynamicNode> contract() throws Exception {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Class<?> c : primitiveClasses()) {
            if (!EXEMPT.containsKey(c)) {
                nodes.add(contractOf(c));
            }
        }
        return nodes.stream();
    }

    private static DynamicNode contractOf(Class<?> c) {
        String cls = c.getSimpleName();
        if (!Examples.REGISTRY.containsKey(c)) {
            return dynamicTest(cls + " examples", () -> fail("primitive " + c.getName() + " has no examples in the"
                    + " registry dev.solstice.prim.Examples; every primitive needs examples for the contract test: add an"
                    + " entry to the family file (UnaryExamples, BinaryExamples, ...) or, if it is tested elsewhere, an"
                    + " entry in PrimitiveContractTest.EXEMPT"));
        }
        List<Example> examples;
        try {
            examples = Examples.of(c);
        } catch (RuntimeException e) {
            return dynamicTest(cls + " examples", () -> fail("the examples of " + cls + " failed to build", e));
        }
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(dynamicTest("examples", () -> checkExamples(c, examples)));
        if (examples == null || examples.isEmpty()) {
            return dynamicContainer(cls, tests);
        }
        String name = examples.getFirst().primitive().name();
        tests.add(dynamicTest("transpose rule declared iff linear", () -> checkLinearDeclared(c, name)));
        tests.add(dynamicTest("dtypes", () -> checkDTypes(name, examples)));
        tests.add(dynamicTest("equal parameters, equal primitives", () -> checkValueSemantics(examples)));
        for (int i = 0; i < examples.size(); i++) {
            Example ex = examples.get(i);
            long seed = name.hashCode() * 1009L + i;
            List<DynamicNode> per = new ArrayList<>();
            per.add(dynamicTest("evaluation vs float64 reference", () -> checkEvaluation(ex)));
            if (!floatingInputs(ex).isEmpty()) {
                per.add(dynamicTest("jvp vs central differences", () -> checkJvp(ex, new Random(seed))));
            }
            if (!floatingInputs(ex).isEmpty()) {
                per.add(dynamicTest("reverse mode vs forward mode", () -> checkReverseMode(ex, new Random(seed + 3))));
            }
            if (Arrays.stream(ex.inputs()).anyMatch(a -> a.dtype() == DType.FLOAT32)) {
                per.add(dynamicTest("derivatives in float32", () -> checkFloat32(ex, new Random(seed + 5))));
            }
            if (LINEAR.containsKey(name) && !LINEAR.get(name).apply(ex).isEmpty()
                    && floatingInputs(ex).containsAll(flatten(LINEAR.get(name).apply(ex)))) {
                per.add(dynamicTest("transpose by the adjoint test", () -> checkAdjoint(ex, new Random(seed + 7))));
            }
            if (ex.inputs().length == 0) {
                per.add(dynamicTest("vmap with axisSize, no operand batched", () -> BatchingCheck.checkNullary(ex)));
            } else {
                List<BatchingCheck.Config> configs = BatchingCheck.configs(ex);
                per.add(dynamicTest("vmap vs stacking the examples (" + configs.size() + " axis configurations)",
                        () -> checkBatching(ex, configs)));
                per.add(dynamicTest("vmap over an empty batch", () -> BatchingCheck.checkEmpty(ex)));
                if (!floatingInputs(ex).isEmpty()) {
                    per.add(dynamicTest("vmap of jvp, jvp of vmap, pullback of vmap vs the loop",
                            () -> BatchingCheck.checkDerivatives(ex, new Random(seed + 11))));
                }
                per.add(dynamicTest("vmap of vmap vs stacking the examples", () -> {
                    BatchingCheck.checkNested(ex, false);
                    BatchingCheck.checkNested(ex, true);
                }));
            }
            tests.add(dynamicContainer(ex.toString(), per));
        }
        return dynamicContainer(name + " (" + cls + ")", tests);
    }

    // ------------------------------------------------------------------ the checks

    private static void checkExamples(Class<?> c, List<Example> examples) {
        assertNotNull(examples, "the examples of " + c.getSimpleName() + " are null");
        assertFalse(examples.isEmpty(), "the examples of " + c.getSimpleName() + " are empty");
        for (Example e : examples) {
            assertEquals(c, e.primitive().getClass(), "an example registered for " + c.getSimpleName() + " is of another primitive: " + e);
            for (Array a : e.inputs()) {
                assertTrue(a instanceof DenseArray, "example inputs must be concrete: " + e);
            }
        }
        assertNotNull(Float64Reference.get(examples.getFirst().primitive().name()),
                "no float64 reference for " + examples.getFirst().primitive().name() + "; add one to Float64Reference");
    }

    private static void checkLinearDeclared(Class<?> c, String name) throws NoSuchMethodException {
        boolean overrides = c.getMethod("transpose", Array[].class, Array[].class).getDeclaringClass()
                != Primitive.class;
        if (overrides) {
            assertTrue(LINEAR.containsKey(name), name + " has a transpose rule but PrimitiveContractTest.LINEAR does not"
                    + " say which operands it is linear in, so the rule would go untested");
        } else {
            assertFalse(LINEAR.containsKey(name), name + " is listed as linear but has no transpose rule");
        }
    }

    private static void checkEvaluation(Example ex) {
        Primitive p = ex.primitive();
        Float64Reference.Impl ref = Float64Reference.get(p.name());
        assertNotNull(ref, "no float64 reference for " + p.name() + "; add one to Float64Reference");
        Ref[] in = new Ref[ex.inputs().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = Ref.of(ex.inputs()[i]);
        }
        Ref[] expected = ref.apply(p, in);
        // bind checks the outputs' number and avals against the shape rule itself (EvalInterpreter), so only
        // the values against the independent reference are compared here
        Array[] viaBind = Interpreters.bind(p, ex.inputs());
        assertEquals(expected.length, viaBind.length, ex + ": number of outputs");
        for (int k = 0; k < expected.length; k++) {
            assertMatchesReference(expected[k], viaBind[k], ex + " output " + k);
        }
    }

    /** For each floating operand alone and for all of them together: the JVP against central differences. */
    private static void checkJvp(Example ex, Random r) {
        Primitive p = ex.primitive();
        Array[] x = toF64(ex.inputs());
        Array[] primal = Interpreters.bind(p, x);
        List<int[]> subsets = floatingSubsets(ex);
        boolean zero = ZERO_DERIVATIVE.contains(p.name());
        for (int[] subset : subsets) {
            String what = ex + " (float64), d/d operand(s) " + Arrays.toString(subset);
            Array[] dir = new Array[subset.length];
            Array[] at = new Array[subset.length];
            for (int j = 0; j < subset.length; j++) {
                at[j] = x[subset[j]];
                dir[j] = Numeric.random(r, DType.FLOAT64, -1, 1, at[j].shape());
            }
            Array[][] jvp = Autodiff.jvp("contract test", args -> Interpreters.bind(p, substitute(x, subset, args)), at, dir);
            assertEquals(primal.length, jvp[0].length, what + ": number of outputs");
            for (int k = 0; k < primal.length; k++) {
                String out = what + ", output " + k;
                assertEquals(primal[k].aval(), jvp[0][k].aval(), out + ": jvp's primal aval");
                Numeric.assertExactly(primal[k].toDoubleArray(), jvp[0][k].toDoubleArray(), out + ": jvp's primal value");
                assertEquals(primal[k].aval(), jvp[1][k].aval(), out + ": tangent aval");
                double[] tangent = jvp[1][k].toDoubleArray();
                if (zero || !primal[k].dtype().isFloating()) {
                    Numeric.assertExactly(new double[tangent.length], tangent, out + ": the derivative must be exactly zero");
                    continue;
                }
                int kk = k;
                Function<Array, Array> along = s -> {
                    Array[] moved = new Array[subset.length];
                    for (int j = 0; j < subset.length; j++) {
                        moved[j] = Numeric.axpy(at[j], s.item(), dir[j]);
                    }
                    return Interpreters.bind(p, substitute(x, subset, moved))[kk];
                };
                double[] fd = Numeric.centralDifference(along, Array.scalar(0.0), Array.scalar(1.0), FD_STEP);
                double tol = primal[k].dtype() == DType.FLOAT32 ? 1e-3 : 1e-6;
                Numeric.assertClose(fd, tangent, tol, tol, out + ": JVP (actual) vs central differences (expected)");
            }
        }
    }

    /**
     * Reverse mode is linearize then transpose, so every JVP rule must be linear in the tangents and built from
     * primitives whose transpose rules are right: with all floating operands as inputs, the linearized map must
     * equal forward mode, and its transpose must satisfy {@code <ct, jvp(t)> = <vjp(ct), t>}.
     */
    private static void checkReverseMode(Example ex, Random r) {
        Primitive p = ex.primitive();
        Array[] x = toF64(ex.inputs());
        int[] subset = floatingInputs(ex).stream().mapToInt(Integer::intValue).toArray();
        String what = ex + " (float64), all floating operands " + Arrays.toString(subset);
        Array[] at = new Array[subset.length];
        Array[] t = new Array[subset.length];
        for (int j = 0; j < subset.length; j++) {
            at[j] = x[subset[j]];
            t[j] = Numeric.random(r, DType.FLOAT64, -1, 1, at[j].shape());
        }
        Function<Array[], Array[]> f = args -> Interpreters.bind(p, substitute(x, subset, args));
        Autodiff.Linearized lin = Autodiff.linearize("contract test", f, at);
        Array[] ct = new Array[lin.outAvals().length];
        boolean single = true;
        for (int k = 0; k < ct.length; k++) {
            Aval a = lin.outAvals()[k];
            ct[k] = a.dtype().isFloating() ? Numeric.random(r, a.dtype(), -1, 1, a.shape()) : DenseArray.full(a, 0);
            single &= a.dtype() != DType.FLOAT32;
        }
        Array[] forward = Autodiff.jvp("contract test", f, at, t)[1];
        Array[] lt = lin.jvp(t);
        Array[] ltct = lin.vjp(ct);
        double lhs = 0;
        double scale = 0;
        for (int k = 0; k < ct.length; k++) {
            assertEquals(forward[k].aval(), lt[k].aval(), what + ": linearized tangent aval, output " + k);
            Numeric.assertClose(forward[k], lt[k], 1e-12, 1e-12, what + ": linearized jvp vs forward jvp, output " + k);
            lhs += Numeric.dot(ct[k], lt[k]);
            scale += absDot(ct[k], lt[k]);
        }
        double rhs = 0;
        for (int j = 0; j < subset.length; j++) {
            assertEquals(at[j].aval(), ltct[j].aval(), what + ": cotangent aval of operand " + subset[j]);
            rhs += Numeric.dot(ltct[j], t[j]);
            scale += absDot(ltct[j], t[j]);
        }
        double tol = (single ? 1e-12 : 1e-6) * scale;
        boolean ok = Double.isNaN(lhs) ? Double.isNaN(rhs) : Math.abs(lhs - rhs) <= tol;
        assertTrue(ok, what + ": <ct, jvp(t)> = " + lhs + " but <vjp(ct), t> = " + rhs + " (tolerance " + tol + ")");
    }

    /**
     * The derivative rules run in the example's own dtypes, not only on float64 copies: a rule that mixes in a
     * float64 constant would fail here. Forward mode must match the float64 JVP to float32 precision, reverse
     * mode must give cotangents of the operands' dtypes that pass the adjoint test.
     */
    private static void checkFloat32(Example ex, Random r) {
        Primitive p = ex.primitive();
        Array[] x = ex.inputs();
        Array[] x64 = toF64(x);
        int[] subset = floatingInputs(ex).stream().mapToInt(Integer::intValue).toArray();
        String what = ex + ", all floating operands " + Arrays.toString(subset);
        Array[] at = new Array[subset.length];
        Array[] at64 = new Array[subset.length];
        Array[] t = new Array[subset.length];
        Array[] t64 = new Array[subset.length];
        for (int j = 0; j < subset.length; j++) {
            at[j] = x[subset[j]];
            at64[j] = x64[subset[j]];
            t[j] = Numeric.random(r, at[j].dtype(), -1, 1, at[j].shape());
            t64[j] = Numeric.toF64(t[j]);
        }
        Function<Array[], Array[]> f = args -> Interpreters.bind(p, substitute(x, subset, args));
        Array[][] jvp = Autodiff.jvp("contract test", f, at, t);
        Array[][] jvp64 = Autodiff.jvp("contract test", args -> Interpreters.bind(p, substitute(x64, subset, args)), at64, t64);
        Array[] primal = Interpreters.bind(p, x);
        for (int k = 0; k < primal.length; k++) {
            assertEquals(primal[k].aval(), jvp[0][k].aval(), what + ": jvp's primal aval, output " + k);
            Numeric.assertExactly(primal[k].toDoubleArray(), jvp[0][k].toDoubleArray(), what + ": jvp's primal, output " + k);
            assertEquals(primal[k].aval(), jvp[1][k].aval(), what + ": tangent aval, output " + k);
            double[] e = jvp64[1][k].toDoubleArray();
            double big = Arrays.stream(e).map(Math::abs).max().orElse(0);
            Numeric.assertClose(e, jvp[1][k].toDoubleArray(), 1e-5, 1e-5 * big,
                    what + ": tangent in the example's dtypes vs in float64, output " + k);
        }
        Autodiff.Linearized lin = Autodiff.linearize("contract test", f, at);
        Array[] ct = new Array[lin.outAvals().length];
        for (int k = 0; k < ct.length; k++) {
            Aval a = lin.outAvals()[k];
            ct[k] = a.dtype().isFloating() ? Numeric.random(r, a.dtype(), -1, 1, a.shape()) : DenseArray.full(a, 0);
        }
        Array[] lt = lin.jvp(t);
        Array[] ltct = lin.vjp(ct);
        double lhs = 0;
        double scale = 0;
        for (int k = 0; k < ct.length; k++) {
            assertEquals(primal[k].aval(), lt[k].aval(), what + ": linearized tangent aval, output " + k);
            lhs += Numeric.dot(ct[k], lt[k]);
            scale += absDot(ct[k], lt[k]);
        }
        double rhs = 0;
        for (int j = 0; j < subset.length; j++) {
            assertEquals(at[j].aval(), ltct[j].aval(), what + ": cotangent aval of operand " + subset[j]);
            rhs += Numeric.dot(ltct[j], t[j]);
            scale += absDot(ltct[j], t[j]);
        }
        assertTrue(Math.abs(lhs - rhs) <= 1e-5 * scale, what + ": <ct, jvp(t)> = " + lhs + " but <vjp(ct), t> = " + rhs);
    }

    /** {@code <ct, L t> = <L^T ct, t>} for the linear part L in the operands listed in {@link #LINEAR}. */
    private static void checkAdjoint(Example ex, Random r) {
        Primitive p = ex.primitive();
        Array[] x = toF64(ex.inputs());
        for (int[] subset : LINEAR.get(p.name()).apply(ex)) {
            String what = ex + " (float64), linear in operand(s) " + Arrays.toString(subset);
            Array[] at = new Array[subset.length];
            Array[] t = new Array[subset.length];
            for (int j = 0; j < subset.length; j++) {
                at[j] = x[subset[j]];
                t[j] = Numeric.random(r, DType.FLOAT64, -1, 1, at[j].shape());
            }
            Function<Array[], Array[]> f = args -> Interpreters.bind(p, substitute(x, subset, args));
            Autodiff.Linearized lin = Autodiff.linearize("contract test", f, at);
            Array[] primal = Interpreters.bind(p, x);
            Array[] ct = new Array[lin.outAvals().length];
            boolean single = true;
            for (int k = 0; k < ct.length; k++) {
                Numeric.assertExactly(primal[k].toDoubleArray(), lin.outputs()[k].toDoubleArray(), what + ": linearize's primal");
                Aval a = lin.outAvals()[k];
                assertTrue(a.dtype().isFloating(), what + ": output " + k + " of a linear primitive is " + a.str());
                ct[k] = Numeric.random(r, a.dtype(), -1, 1, a.shape());
                single &= a.dtype() == DType.FLOAT64;
            }
            Array[] lt = lin.jvp(t);
            Array[] ltct = lin.vjp(ct);
            Array[] forward = Autodiff.jvp("contract test", f, at, t)[1];
            double lhs = 0;
            double scale = 0;
            for (int k = 0; k < ct.length; k++) {
                Numeric.assertClose(forward[k], lt[k], 1e-12, 1e-12, what + ": linearized jvp vs forward jvp, output " + k);
                lhs += Numeric.dot(ct[k], lt[k]);
                scale += absDot(ct[k], lt[k]);
            }
            double rhs = 0;
            for (int j = 0; j < subset.length; j++) {
                assertEquals(at[j].aval(), ltct[j].aval(), what + ": cotangent aval of operand " + subset[j]);
                rhs += Numeric.dot(ltct[j], t[j]);
                scale += absDot(ltct[j], t[j]);
            }
            double tol = (single ? 1e-12 : 1e-6) * Math.max(scale, 1e-300);
            assertTrue(Math.abs(lhs - rhs) <= tol, what + ": <ct, jvp(t)> = " + lhs + " but <vjp(ct), t> = " + rhs
                    + " (tolerance " + tol + ")");
        }
    }

    /**
     * Batching: under vmap the primitive equals itself applied to each example, the results stacked; for
     * every configuration of batched and unbatched operands and batch axes (see {@link BatchingCheck#configs}).
     * All configurations run; the failures are reported together.
     */
    private static void checkBatching(Example ex, List<BatchingCheck.Config> configs) {
        List<String> failures = new ArrayList<>();
        for (BatchingCheck.Config c : configs) {
            try {
                BatchingCheck.check(ex, c);
            } catch (AssertionError | RuntimeException e) {
                failures.add(c + ": " + e);
            }
        }
        if (!failures.isEmpty()) {
            fail(ex + ": " + failures.size() + " of " + configs.size() + " batching configurations fail:\n  "
                    + String.join("\n  ", failures));
        }
    }

    /**
     * Every accepted dtype (per {@link #ACCEPTS}) has an example, every example's dtype is accepted, and the
     * shape rule rejects every other dtype with a message naming the primitive and the operand.
     */
    private static void checkDTypes(String name, List<Example> examples) {
        Function<Primitive, Set<DType>> spec = ACCEPTS.get(name);
        assertNotNull(spec, "PrimitiveContractTest.ACCEPTS does not list the dtypes " + name + " accepts; add them");
        Set<DType> required = EnumSet.noneOf(DType.class);
        Set<DType> covered = EnumSet.noneOf(DType.class);
        for (Example e : examples) {
            Set<DType> accepted = spec.apply(e.primitive());
            DType t = primaryDType(e);
            assertTrue(accepted.contains(t), e + ": example of dtype " + t + ", which " + name + " should not accept");
            required.addAll(accepted);
            required.retainAll(EXAMPLE_DTYPES);
            covered.add(t);
            for (DType bad : EnumSet.complementOf(EnumSet.copyOf(accepted))) {
                Retyped rt = retype(e, bad);
                IllegalArgumentException err = assertThrows(IllegalArgumentException.class, () -> rt.primitive().shapeRule(rt.avals()),
                        e + ": the shape rule accepted dtype " + bad + " (" + Arrays.toString(rt.avals()) + ")");
                String msg = String.valueOf(err.getMessage());
                assertTrue(msg.contains(name), "the error for " + Arrays.toString(rt.avals()) + " must name " + name + ": " + msg);
                assertTrue(msg.contains(rt.mentioned()), "the error for " + name + " on " + Arrays.toString(rt.avals())
                        + " must show " + rt.mentioned() + ": " + msg);
            }
        }
        Set<DType> missing = EnumSet.copyOf(required);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), name + " accepts " + missing + " but no example covers it; add examples");
    }

    /**
     * A primitive is a value: rebuilt from copies of its parameters it is equal, hashes alike and prints alike
     * (jit caches and common-subexpression elimination key on primitives; a record holding an array would
     * otherwise compare and hash it by identity and print {@code [I@1b6d3586}).
     */
    private static void checkValueSemantics(List<Example> examples) throws ReflectiveOperationException {
        for (Example e : examples) {
            Primitive p = e.primitive();
            Class<?> c = p.getClass();
            assertTrue(c.isRecord(), c.getSimpleName() + " should be a record: its parameters are its components");
            java.lang.reflect.RecordComponent[] comps = c.getRecordComponents();
            Class<?>[] types = new Class<?>[comps.length];
            Object[] values = new Object[comps.length];
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                Object v = comps[i].getAccessor().invoke(p);
                values[i] = v instanceof int[] a ? a.clone() : v instanceof Object[] a ? a.clone() : v;
            }
            Primitive copy = (Primitive) c.getDeclaredConstructor(types).newInstance(values);
            assertEquals(p, copy, e + ": a primitive rebuilt from copies of its parameters is not equal to it");
            assertEquals(p.hashCode(), copy.hashCode(), e + ": equal primitives hash differently");
            assertEquals(p.toString(), copy.toString(), e + ": equal primitives print differently");
            assertFalse(p.toString().matches(".*\\[[A-Z]@[0-9a-f]+.*"), e + ": toString shows an array's identity: " + p);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The operand whose dtype decides acceptance: the first branch of select, else the first operand. */
    private static int primaryOperand(Example e) {
        return e.primitive() instanceof Select ? 1 : 0;
    }

    private static DType primaryDType(Example e) {
        if (e.primitive() instanceof Iota iota) {
            return iota.dtype();
        }
        return e.inputs()[primaryOperand(e)].dtype();
    }

    private record Retyped(Primitive primitive, Aval[] avals, String mentioned) {}

    /** The example with its primary operand, and every operand of the same dtype, converted to {@code t}. */
    private static Retyped retype(Example e, DType t) {
        if (e.primitive() instanceof Iota iota) {
            return new Retyped(new Iota(t, iota.shape(), iota.dimension()), new Aval[0], Arrays.toString(iota.shape()));
        }
        Aval[] a = avals(e.inputs());
        DType from = a[primaryOperand(e)].dtype();
        for (int i = 0; i < a.length; i++) {
            if (a[i].dtype() == from) {
                a[i] = a[i].withDType(t);
            }
        }
        return new Retyped(e.primitive(), a, a[primaryOperand(e)].str());
    }

    private static Map.Entry<String, Function<Primitive, Set<DType>>> floats(String name) {
        return Map.entry(name, p -> FLOATS);
    }

    private static Map.Entry<String, Function<Primitive, Set<DType>>> numeric(String name) {
        return Map.entry(name, p -> NUMERIC);
    }

    private static Map.Entry<String, Function<Primitive, Set<DType>>> all(String name) {
        return Map.entry(name, p -> ALL);
    }

    /** Linear in each floating operand alone and in all of them together. */
    private static Function<Example, List<int[]>> jointly() {
        return e -> floatingInputs(e).size() == e.inputs().length ? floatingSubsets(e) : List.of();
    }

    /**
     * Each floating operand alone and all of them together, the others held constant: the subsets checkJvp
     * differentiates, and those error_if is linear in (its values, never pred or index).
     */
    private static List<int[]> floatingSubsets(Example e) {
        List<Integer> f = floatingInputs(e);
        List<int[]> out = new ArrayList<>();
        for (int i : f) {
            out.add(new int[] {i});
        }
        if (f.size() > 1) {
            out.add(f.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Linear in each operand alone (bilinear). */
    private static Function<Example, List<int[]>> eachAlone() {
        return e -> {
            List<Integer> f = floatingInputs(e);
            List<int[]> out = new ArrayList<>();
            if (f.size() == e.inputs().length) {
                for (int i : f) {
                    out.add(new int[] {i});
                }
            }
            return out;
        };
    }

    private static List<Integer> flatten(List<int[]> subsets) {
        List<Integer> out = new ArrayList<>();
        for (int[] s : subsets) {
            for (int i : s) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<Integer> floatingInputs(Example e) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < e.inputs().length; i++) {
            if (e.inputs()[i].dtype().isFloating()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Floating operands converted to float64; the others unchanged. */
    private static Array[] toF64(Array[] in) {
        Array[] out = new Array[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i].dtype().isFloating() ? Numeric.toF64(in[i]) : in[i];
        }
        return out;
    }

    private static Array[] substitute(Array[] base, int[] positions, Array[] values) {
        Array[] out = base.clone();
        for (int j = 0; j < positions.length; j++) {
            out[positions[j]] = values[j];
        }
        return out;
    }

    private static Aval[] avals(Array[] xs) {
        Aval[] a = new Aval[xs.length];
        for (int i = 0; i < xs.length; i++) {
            a[i] = xs[i].aval();
        }
        return a;
    }

    private static double absDot(Array a, Array b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs(x[i] * y[i]);
        }
        return s;
    }

    /**
     * The result against the reference: same dtype and shape; ints and bools exactly; floats within a relative
     * tolerance of the larger of the reference value and the magnitude it was accumulated from.
     */
    private static void assertMatchesReference(Ref expected, Array actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape())
                + ", reference " + Arrays.toString(expected.shape()));
        double[] e = expected.values();
        double[] a = actual.toDoubleArray();
        double rtol = switch (actual.dtype()) {
            case FLOAT64 -> 1e-13;
            case FLOAT32 -> 2e-6;
            case FLOAT16, BFLOAT16 -> 1e-2;
            default -> 0;
        };
        for (int i = 0; i < e.length; i++) {
            double scale = Math.max(Math.abs(e[i]), expected.scale() == null ? 0 : expected.scale()[i]);
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : Double.isInfinite(e[i]) ? e[i] == a[i]
                    : Math.abs(a[i] - e[i]) <= rtol * scale;
            if (!ok) {
                fail(what + ": element " + i + " is " + a[i] + ", the float64 reference says " + e[i] + " (rtol " + rtol
                        + ")\n reference " + Arrays.toString(e) + "\n actual    " + Arrays.toString(a));
            }
        }
    }
}
