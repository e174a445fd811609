package dev.solstice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one-way layering of the library, bottom to top (a layer may use only the layers below it):
 *
 * <ol>
 *   <li>core: {@code Array}, {@code DType}, {@code EqxRuntimeError} (thrown by a primitive) and
 *       {@code dev.solstice.core} (avals, primitives, interpreters, dense arrays and tracers' base);
 *   <li>kernel: the compute kernels; ir: the staged program;
 *   <li>prim: the primitives and their rules ({@code prim.Ops} binds them);
 *   <li>jit: the compiler of staged programs (passes, fusion, generated kernels);
 *   <li>tree: flatten/unflatten, paths, tree surgery;
 *   <li>transform: JVP, batching, staging, transpose;
 *   <li>facades: {@code Jax}, {@code Jnp}, {@code Lax}, {@code Nn}, {@code Prng} (and the generator in
 *       {@code dev.solstice.random}), {@code Index}, {@code TreeFunctions}, {@code AxisSpecs}, the settings class {@code Solstice}
 *       and the result records;
 *   <li>nn: the layers; optim: optimisers; io and data;
 *   <li>Eqx: Equinox's namespace, above everything it re-exports (state of {@code nn}, serialisation of
 *       {@code io}).
 * </ol>
 *
 * <p>One dependency points up, on purpose: {@code Array}'s fluent methods ({@code x.add(y)}, {@code x.get(i)})
 * are {@code Jnp}'s functions and {@code Index}'s indexing, as JAX's array methods are {@code jnp} functions
 * attached to {@code jax.Array}. Besides that, the only cycles are inside a unit: {@code Array} with its
 * implementation types in {@code core}, and {@code Prng} with {@code random.Generator} ({@code Prng}'s
 * instance form, whose {@code scheme()} is a {@code Prng.Scheme}).
 */
class LayeringTest {

    /** The layers, bottom first; each may use itself and every layer before it. */
    enum Layer { CORE, KERNEL, IR, PRIM, JIT, TREE, TRANSFORM, FACADES, NN, OPTIM, IO_DATA, EQX }

    /** The layer of each class in the root package {@code dev.solstice}, by simple name. */
    private static final Map<String, Layer> ROOT = Map.ofEntries(
            Map.entry("Array", Layer.CORE),
            Map.entry("DType", Layer.CORE),
            Map.entry("EqxRuntimeError", Layer.CORE),
            Map.entry("Jax", Layer.FACADES),
            Map.entry("Jnp", Layer.FACADES),
            Map.entry("Lax", Layer.FACADES),
            Map.entry("Nn", Layer.FACADES),
            Map.entry("Prng", Layer.FACADES),
            Map.entry("Index", Layer.FACADES),
            Map.entry("IfArray", Layer.FACADES),
            Map.entry("AxisSpecs", Layer.FACADES),
            Map.entry("TreeFunctions", Layer.FACADES),
            Map.entry("CustomVjpFwd", Layer.FACADES),
            Map.entry("JvpResult", Layer.FACADES),
            Map.entry("Jet", Layer.FACADES),
            Map.entry("TopK", Layer.FACADES),
            Map.entry("Linalg", Layer.FACADES), Map.entry("SlogDet", Layer.FACADES), Map.entry("LuFactors", Layer.FACADES),
            Map.entry("EighResult", Layer.FACADES), Map.entry("SvdResult", Layer.FACADES), Map.entry("QrResult", Layer.FACADES),
            Map.entry("LstsqResult", Layer.FACADES),
            Map.entry("Special", Layer.FACADES),
            Map.entry("LinearizeResult", Layer.FACADES),
            Map.entry("VjpResult", Layer.FACADES),
            Map.entry("ValueAndGrad", Layer.FACADES),
            Map.entry("ValueAndGradAux", Layer.FACADES),
            Map.entry("WithAux", Layer.FACADES),
            Map.entry("Solstice", Layer.FACADES),
            Map.entry("Jitted", Layer.FACADES),
            Map.entry("JittedArray", Layer.FACADES),
            Map.entry("TreeJacobian", Layer.FACADES),
            Map.entry("Hessian", Layer.FACADES),
            Map.entry("Argnums", Layer.FACADES),
            Map.entry("InAxes", Layer.FACADES),
            Map.entry("Fn3", Layer.FACADES),
            Map.entry("Pair", Layer.FACADES),
            Map.entry("Triple", Layer.FACADES),
            Map.entry("ArgPacking", Layer.FACADES),
            Map.entry("JitOptions", Layer.FACADES),
            Map.entry("Scan", Layer.FACADES),
            Map.entry("ScanStep", Layer.FACADES),
            Map.entry("ScanOptions", Layer.FACADES),
            Map.entry("CheckpointPolicy", Layer.FACADES),
            Map.entry("Eqx", Layer.EQX),
            Map.entry("EqxWhile", Layer.EQX),
            Map.entry("WhileKind", Layer.EQX));

    /** The layer of each library package below {@code dev.solstice}. */
    private static final Map<String, Layer> PACKAGES = Map.ofEntries(
            Map.entry("core", Layer.CORE),
            Map.entry("kernel", Layer.KERNEL),
            Map.entry("ir", Layer.IR),
            Map.entry("prim", Layer.PRIM),
            Map.entry("jit", Layer.JIT),
            Map.entry("tree", Layer.TREE),
            Map.entry("transform", Layer.TRANSFORM),
            Map.entry("random", Layer.FACADES),
            Map.entry("nn", Layer.NN),
            Map.entry("optim", Layer.OPTIM),
            Map.entry("io", Layer.IO_DATA),
            Map.entry("data", Layer.IO_DATA),
            Map.entry("curvature", Layer.OPTIM));

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.solstice");

    /** The one upward edge: Array's fluent methods are Jnp's functions and Index's indexing (see above). */
    private static final DescribedPredicate<JavaClass> ARRAY = named("dev.solstice.Array");
    private static final DescribedPredicate<JavaClass> ARRAY_METHODS = named("dev.solstice.Jnp", "dev.solstice.Index");

    @Test
    void everyLibraryClassHasALayer() {
        List<String> unplaced = LIBRARY.stream().filter(c -> unit(c) == null).map(JavaClass::getName).sorted().toList();
        assertEquals(List.of(), unplaced, "classes with no layer: add them to LayeringTest (and the README's layering)");
    }

    @Test
    void layersDependOnlyDownwards() {
        Architectures.LayeredArchitecture rule = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Layer layer : Layer.values()) {
            rule = rule.layer(layer.name()).definedBy(inLayer(layer));
        }
        for (Layer layer : Layer.values()) {
            String[] below = Arrays.stream(Layer.values()).filter(l -> l.ordinal() <= layer.ordinal())
                    .map(Layer::name).toArray(String[]::new);
            rule = rule.whereLayer(layer.name()).mayOnlyAccessLayers(below);
        }
        rule.ensureAllClassesAreContainedInArchitecture()
                .ignoreDependency(ARRAY, ARRAY_METHODS)
                .because("the library is layered one way (README, How it works); Array's fluent methods are the one"
                        + " named exception")
                .check(LIBRARY);
    }

    @Test
    void noCyclesBetweenUnits() {
        SliceAssignment units = new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String u = unit(c);
                return u == null ? SliceIdentifier.ignore() : SliceIdentifier.of(u);
            }

            @Override
            public String getDescription() {
                return "packages of dev.solstice, the root package split into core (Array, DType), facades and Eqx,"
                        + " Prng counted with its generator package random";
            }
        };
        slices().assignedFrom(units).should().beFreeOfCycles()
                .ignoreDependency(ARRAY, ARRAY_METHODS)
                .check(LIBRARY);
    }

    /** Layers, optimisers and data loaders are written against the public API, as a user's code would be. */
    @Test
    void nnOptimAndDataUseOnlyThePublicApi() {
        noClasses().that().resideInAnyPackage("dev.solstice.nn..", "dev.solstice.optim..", "dev.solstice.data..")
                .should().dependOnClassesThat(internal())
                .because("layers and optimisers use only the public API (Array, the facades, tree, core.Aval)")
                .check(LIBRARY);
    }

    /** Implementation packages; of core only Aval (what {@code Array.aval()} returns) is public API. */
    private static DescribedPredicate<JavaClass> internal() {
        Set<String> packages = Set.of("dev.solstice.core", "dev.solstice.prim", "dev.solstice.transform",
                "dev.solstice.kernel", "dev.solstice.ir", "dev.solstice.random");
        return DescribedPredicate.describe("are implementation internals (core except Aval, prim, transform, kernel, ir,"
                + " random)", c -> packages.contains(c.getPackageName()) && !c.getName().equals("dev.solstice.core.Aval"));
    }

    /** The layer of a library class, or {@code null} when it has none. */
    static Layer layerOf(JavaClass c) {
        String pkg = c.getPackageName();
        if (pkg.equals("dev.solstice")) {
            return ROOT.get(topLevelSimpleName(c));
        }
        if (!pkg.startsWith("dev.solstice.")) {
            return null;
        }
        String first = pkg.substring("dev.solstice.".length()).split("\\.")[0];
        return PACKAGES.get(first);
    }

    /**
     * The unit a class counts in for the cycle check: its package below {@code dev.solstice}, or for the root
     * package its layer (core, facades, eqx); {@code Prng} counts with {@code random}.
     */
    static String unit(JavaClass c) {
        Layer layer = layerOf(c);
        if (layer == null) {
            return null;
        }
        String pkg = c.getPackageName();
        if (!pkg.equals("dev.solstice")) {
            return pkg.substring("dev.solstice.".length()).split("\\.")[0];
        }
        return topLevelSimpleName(c).equals("Prng") ? "random" : layer.name().toLowerCase();
    }

    private static String topLevelSimpleName(JavaClass c) {
        if (!c.getName().startsWith(c.getPackageName() + ".")) {
            return c.getName(); // a primitive or array type
        }
        String simple = c.getName().substring(c.getPackageName().length() + 1);
        int nested = simple.indexOf('$');
        return nested < 0 ? simple : simple.substring(0, nested);
    }

    private static DescribedPredicate<JavaClass> inLayer(Layer layer) {
        return DescribedPredicate.describe("in layer " + layer, c -> layerOf(c) == layer);
    }

    private static DescribedPredicate<JavaClass> named(String... topLevelNames) {
        Set<String> names = Set.of(topLevelNames);
        return DescribedPredicate.describe(String.join(" or ", topLevelNames),
                c -> names.contains(c.getPackageName() + "." + topLevelSimpleName(c)));
    }
}
