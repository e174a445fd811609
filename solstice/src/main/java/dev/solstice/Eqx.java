package dev.solstice;

import dev.solstice.prim.ErrorIf;
import dev.solstice.prim.Ops;
import dev.solstice.transform.CustomCalls;
import dev.solstice.transform.MaskedLeaves;
import dev.solstice.transform.OutputTree;
import dev.solstice.transform.StagedFunction;
import dev.solstice.tree.KeyPath;
import dev.solstice.tree.Tree;
import dev.solstice.tree.TreeAt;
import dev.solstice.tree.TreeDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Equinox's filters and filtered transformations. A filtered transformation differentiates the
 * floating-point array leaves of its argument; every other leaf (an int or bool array) passes through and
 * gets {@code null} in gradients, and static values (ints, strings, functions in records) are kept.
 *
 * <p><b>Java values and Equinox's non-array leaves.</b> What Equinox calls a non-array leaf (a Python
 * {@code int}, {@code bool}, string or function in a pytree) is a <em>static value</em> here: any object that
 * is neither an {@link Array} nor a tree node (record, list, map, Optional, object array, registered type),
 * including Java numbers ({@code int}, {@code double}, {@code Integer}, {@code Double}) and booleans. Static
 * values are part of a tree's structure: they are never differentiated, batched or updated, and two trees
 * match only if their static values are equal. Unlike Equinox, which differentiates a Python {@code float}
 * passed to a filtered transformation, a Java {@code double} is never differentiated: make it an array with
 * {@link Array#scalar(double)} for that. Accordingly:
 * <ul>
 *   <li>{@link #filterJvp} and {@link #filterVjp} pass static outputs through, also inside lists and maps;
 *       in a tangent or cotangent tree such a place holds {@code null} (a record keeps its static components,
 *       which its constructor needs);</li>
 *   <li>a tangent or cotangent may be {@code null} anywhere (a zero, or "none" for a static value); where the
 *       input or output has a static value it must be {@code null} or that same value, and where the input
 *       has an integer or boolean array it must be {@code null}, or the transformation refuses it;</li>
 *   <li>{@link #treeAt} can select and replace static values, as {@code tree_at} replaces non-array leaves
 *       (a record's int, or a dropout's inference flag), rebuilding the record through its constructor.</li>
 * </ul>
 * Output tangents of array outputs are always real arrays (zeros where they do not depend on the input,
 * where Equinox may give {@code None}). The Jacobian and Hessian forms require array outputs.
 *
 * <p>Each filtered transformation is {@link Jax}'s, run over {@link MaskedLeaves#inexact}: the argument's
 * leaves are partitioned into the inexact arrays and the rest, the transformation acts on the former, and
 * the results are combined back into trees of the argument's structure. The partition is made on the flat
 * list of leaves, so the user's records are rebuilt only whole (never with {@code null} in between).
 *
 * {@snippet lang=java :
 * record Clf(Array w, Array b, int classes) {}
 * Clf model = new Clf(Array.of(1.0, 2.0), Array.of(0.5), 2);
 * Clf g = Eqx.filterGrad((Clf m) -> Jnp.sum(m.w().mul(m.w())).add(Jnp.sum(m.b()))).apply(model);
 * g.w()                           // [2.0, 4.0]
 * g.classes()                     // 2: static, kept
 * Eqx.treePformat(g)              // Clf(w=f64[2], b=f64[1], classes=2)
 * }
 */
public final class Eqx {
    private Eqx() {}

    // ---- predicates, partition, combine -------------------------------------------------------------

    /**
     * True for arrays (every leaf of a tree is one).
     *
     * {@snippet lang=java :
     * Eqx.isArray(Array.of(1, 2))                 // true
     * Eqx.isArray(3.0)                            // false
     * }
     */
    public static boolean isArray(Object x) {
        return x instanceof Array;
    }

    /**
     * True for float32 and float64 arrays: the leaves that filtered transformations differentiate.
     *
     * {@snippet lang=java :
     * Eqx.isInexactArray(Array.of(1.0f))          // true
     * Eqx.isInexactArray(Array.of(1))             // false
     * }
     */
    public static boolean isInexactArray(Object x) {
        return x instanceof Array a && a.dtype().isFloating();
    }

    /**
     * The two halves of a tree split by a predicate: each keeps the structure and has {@code null} where the
     * other has the leaf.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.Partitioned<M> parts = Eqx.partition(model, Eqx::isInexactArray);
     * parts.rest().steps()                        // [3]
     * }
     *
     * @param <T> the tree type
     * @param matching the leaves the predicate accepts
     * @param rest the other leaves
     */
    public record Partitioned<T>(T matching, T rest) {}

    /**
     * Splits a tree's leaves by {@code spec}; {@link #combine} puts the halves back together.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.Partitioned<M> parts = Eqx.partition(model, Eqx::isInexactArray);
     * parts.matching().w()                        // [1.0, 2.0]
     * parts.matching().steps()                    // null
     * Eqx.combine(parts.matching(), parts.rest()).steps()   // [3]
     * }
     */
    public static <T> Partitioned<T> partition(T tree, Predicate<? super Array> spec) {
        return new Partitioned<>(Tree.map(a -> spec.test(a) ? a : null, tree), Tree.map(a -> spec.test(a) ? null : a, tree));
    }

    /**
     * The tree with the leaves {@code spec} rejects replaced by {@code null}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filter(model, Eqx::isInexactArray).steps() == null   // true
     * }
     */
    public static <T> T filter(T tree, Predicate<? super Array> spec) {
        return partition(tree, spec).matching();
    }

    /**
     * The tree with the leaves {@code spec} accepts replaced by {@code null} (Equinox's {@code inverse=True}).
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterOut(model, Eqx::isInexactArray).w() == null    // true
     * }
     */
    public static <T> T filterOut(T tree, Predicate<? super Array> spec) {
        return partition(tree, spec).rest();
    }

    /**
     * Merges trees of one structure that have {@code null} in complementary places: each leaf is taken from
     * the first tree that has one there. The message on a mismatch shows both structures.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * M params = Eqx.filter(model, Eqx::isInexactArray);
     * M others = Eqx.filterOut(model, Eqx::isInexactArray);
     * Eqx.treeEqual(Eqx.combine(params, others), model)   // true
     * }
     */
    @SafeVarargs
    public static <T> T combine(T first, T... rest) {
        Tree.FlattenedWith f = Tree.flattenWith(first, Objects::isNull);
        List<Object> leaves = new ArrayList<>(f.leaves());
        for (T t : rest) {
            Tree.FlattenedWith g = Tree.flattenWith(t, Objects::isNull);
            if (!g.def().equals(f.def())) {
                throw new IllegalArgumentException("combine: the trees have different structures:\n  " + f.def() + "\n  " + g.def());
            }
            for (int i = 0; i < leaves.size(); i++) {
                if (leaves.get(i) == null) {
                    leaves.set(i, g.leaves().get(i));
                }
            }
        }
        return Tree.unflatten(f.def(), leaves);
    }

    // ---- tree surgery and comparison ----------------------------------------------------------------------

    /**
     * A copy of {@code tree} with the node or leaf {@code where} selects replaced by {@code replacement}, as
     * Equinox's {@code tree_at}. The selection may be a static value too (a record's int or boolean component,
     * such as a dropout's inference flag, or a string in a list): the record holding it is rebuilt through
     * its constructor. See {@link TreeAt} for how equal primitives are told apart.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * M renamed = Eqx.treeAt(M::name, model, "n");
     * renamed.name()                              // n
     * Eqx.treeAt(M::w, model, Array.of(0.0, 0.0)).w()   // [0.0, 0.0]
     * }
     */
    public static <T> T treeAt(Function<T, ?> where, T tree, Object replacement) {
        return TreeAt.apply(t -> Arrays.asList(where.apply(t)), tree, (i, old) -> replacement, "treeAt");
    }

    /**
     * A copy of {@code tree} with the node or leaf {@code where} selects replaced by {@code replaceFn(old)}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.treeAtWith(M::w, model, (Array w) -> w.mul(10.0)).w()   // [10.0, 20.0]
     * }
     */
    public static <T, V> T treeAtWith(Function<T, V> where, T tree, Function<V, ?> replaceFn) {
        @SuppressWarnings("unchecked")
        BiFunction<Integer, Object, Object> fn = (i, old) -> replaceFn.apply((V) old);
        return TreeAt.apply(t -> Arrays.asList(where.apply(t)), tree, fn, "treeAt");
    }

    /**
     * Replaces several nodes or leaves at once: {@code where} lists them and {@code replacements} gives one
     * replacement per selected node, in the same order.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * M both = Eqx.treeAtAll(m -> List.of(m.w(), m.steps()), model, List.of(Array.of(5.0, 6.0), Array.of(0)));
     * both.steps()                                // [0]
     * }
     */
    public static <T> T treeAtAll(Function<T, List<?>> where, T tree, List<?> replacements) {
        return TreeAt.apply(where, tree, (i, old) -> replacements.get(i), "treeAt", replacements.size());
    }

    /**
     * True when two trees have the same structure (and static values) and equal leaves: same shape and
     * dtype, values equal exactly.
     *
     * {@snippet lang=java :
     * Eqx.treeEqual(List.of(Array.of(1.0)), List.of(Array.of(1.0)))   // true
     * Eqx.treeEqual(Array.of(1.0), Array.of(1.0f))                     // false: dtypes differ
     * }
     */
    public static boolean treeEqual(Object a, Object b) {
        return treeEqual(a, b, 0, 0);
    }

    /**
     * {@link #treeEqual(Object, Object)} with tolerances: {@code |x - y| <= atol + rtol |y|} elementwise.
     *
     * {@snippet lang=java :
     * Eqx.treeEqual(Array.of(1.0), Array.of(1.0 + 1e-9), 0, 1e-6)     // true
     * }
     */
    public static boolean treeEqual(Object a, Object b, double rtol, double atol) {
        Tree.FlattenedWith fa = Tree.flattenWith(a, Objects::isNull);
        Tree.FlattenedWith fb = Tree.flattenWith(b, Objects::isNull);
        if (!fa.def().equals(fb.def())) {
            return false;
        }
        for (int i = 0; i < fa.leaves().size(); i++) {
            Object x = fa.leaves().get(i);
            Object y = fb.leaves().get(i);
            if (x == null || y == null) {
                if (x != y) {
                    return false;
                }
                continue;
            }
            Array p = (Array) x;
            Array q = (Array) y;
            if (!p.aval().equals(q.aval())) {
                return false;
            }
            double[] u = p.toDoubleArray();
            double[] v = q.toDoubleArray();
            for (int k = 0; k < u.length; k++) {
                boolean same = u[k] == v[k] || (Double.isNaN(u[k]) && Double.isNaN(v[k]))
                        || Math.abs(u[k] - v[k]) <= atol + rtol * Math.abs(v[k]);
                if (!same) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@code model + updates} leaf by leaf, where an update of {@code null} leaves the parameter as it is
     * (as Equinox's and Optax's {@code apply_updates}); a {@code null} in place of a whole subtree leaves that
     * subtree as it is. Static values come from {@code model}: an update at one must be {@code null} (or the
     * same value), except a record's components, which an update record must fill with something. Results
     * keep the parameters' dtypes (an integer array plus an update stays an integer array, as in Equinox).
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * M stepped = Eqx.applyUpdates(model, new M(Array.of(0.5, 0.5), null, "m"));
     * stepped.w()                                 // [1.5, 2.5]
     * stepped.steps()                             // [3]: a null update keeps the leaf
     * }
     */
    public static <T> T applyUpdates(T model, Object updates) {
        Tree.FlattenedWith m = Tree.flattenWith(model, Objects::isNull);
        List<Object> u;
        try {
            u = Tree.flattenUpToWithNulls(m.def(), updates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("applyUpdates: the updates do not have the model's structure:\n  model   "
                    + m.def() + "\n  updates " + Tree.flattenWith(updates, Objects::isNull).def(), e);
        }
        OutputTree.checkStatics("applyUpdates", "update", "model", m.def(), updates, true);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < m.leaves().size(); i++) {
            Object p = m.leaves().get(i);
            Object d = u.get(i);
            if (d != null && !(d instanceof Array)) {
                throw new IllegalArgumentException("applyUpdates: the update at " + pathOfLeaf(model, i) + " is "
                        + d.getClass().getSimpleName() + ", not an array or null");
            }
            out.add(d == null || p == null ? p : Jnp.astype(Jnp.add((Array) p, (Array) d), ((Array) p).dtype()));
        }
        return Tree.unflatten(m.def(), out);
    }

    /** The path of the i-th leaf (nulls counted) of a tree, for messages; the tree is only read. */
    private static String pathOfLeaf(Object tree, int i) {
        KeyPath path = Tree.leavesWithPath(tree, Objects::isNull).get(i).path();
        return path.keys().isEmpty() ? "the root" : path.toString();
    }

    // ---- filtered transformations ----------------------------------------------------------------------

    // Jax's transformations (TreeFunctions, transform.Jacobians) over MaskedLeaves.inexact; see the class comment

    /**
     * The gradient with respect to the inexact array leaves; other leaves get {@code null}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * M g = Eqx.filterGrad((M m) -> Jnp.sum(m.w().mul(m.w()))).apply(model);
     * g.w()                                       // [2.0, 4.0]
     * g.steps()                                   // null: an int array is not differentiated
     * }
     */
    public static <T> Function<T, T> filterGrad(Function<T, Array> f) {
        return x -> TreeFunctions.valueAndGrad("filterGrad", OTHER_OUTPUTS, f, MaskedLeaves.inexact("filterGrad", x)).grad();
    }

    /**
     * {@link #filterGrad(Function)} of an array function, typed so that it composes with the array overloads
     * ({@code Eqx.filterJacfwd(Eqx.filterGrad(f))}); {@code null} for an integer input.
     *
     * {@snippet lang=java :
     * Eqx.filterJacfwd(Eqx.filterGrad(x -> Jnp.sum(x.pow(3)))).apply(Array.of(1.0, 2.0))   // [[6.0, 0.0], [0.0, 12.0]]
     * }
     */
    public static UnaryOperator<Array> filterGrad(UnaryOperator<Array> f) {
        Function<Array, Array> g = filterGrad((Function<Array, Array>) f);
        return g::apply;
    }

    /**
     * Value and gradient with respect to the inexact array leaves.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterValueAndGrad((M m) -> Jnp.sum(m.w())).apply(model).value()   // 3.0
     * }
     */
    public static <T> Function<T, ValueAndGrad<T>> filterValueAndGrad(Function<T, Array> f) {
        String op = "filterValueAndGrad";
        return x -> TreeFunctions.valueAndGrad(op, OTHER_OUTPUTS, f, MaskedLeaves.inexact(op, x));
    }

    /**
     * Value, auxiliary output and gradient with respect to the inexact array leaves.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * var r = Eqx.filterValueAndGradWithAux((M m) -> new WithAux<>(Jnp.sum(m.w()), m.name())).apply(model);
     * r.aux()                                     // m
     * r.grad().w()                                // [1.0, 1.0]
     * }
     */
    public static <T, A> Function<T, ValueAndGradAux<T, A>> filterValueAndGradWithAux(Function<T, WithAux<A>> f) {
        String op = "filterValueAndGrad";
        return x -> TreeFunctions.valueAndGradWithAux(op, OTHER_OUTPUTS, f, MaskedLeaves.inexact(op, x));
    }

    /** What to use for a function whose value is not a scalar, for the gradients' messages. */
    private static final String OTHER_OUTPUTS = "Eqx.filterJacrev or Eqx.filterVjp";

    /**
     * Forward mode through the inexact array leaves of {@code x}; {@code v} holds their tangents, with
     * {@code null} (a zero tangent) allowed anywhere and required at integer arrays and static values (or the
     * same static value). Static outputs pass through; the output tangent is a real array at each array
     * output and {@code null} at static outputs outside records.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * JvpResult<Array> r = Eqx.filterJvp((M m) -> Jnp.sum(m.w().mul(m.w())), model, new M(Array.of(1.0, 0.0), null, "m"));
     * r.tangent()                                 // 2.0
     * }
     */
    public static <T, R> JvpResult<R> filterJvp(Function<T, R> f, T x, T v) {
        return TreeFunctions.jvp("filterJvp", f, MaskedLeaves.inexact("filterJvp", x), v);
    }

    /**
     * Reverse mode through the inexact array leaves; static outputs pass through. The pullback takes
     * {@code null} for any output (a zero, or nothing for a static value) and gives {@code null} at the
     * input's other leaves and at its static values outside records.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * VjpResult<M, Array> r = Eqx.filterVjp((M m) -> m.w().mul(3.0), model);
     * r.pullback().apply(Array.of(1.0, 1.0)).w()  // [3.0, 3.0]
     * }
     */
    public static <T, R> VjpResult<T, R> filterVjp(Function<T, R> f, T x) {
        return TreeFunctions.vjp("filterVjp", f, MaskedLeaves.inexact("filterVjp", x));
    }

    /**
     * The Jacobian with respect to the inexact array leaves, by forward mode, block by block: a {@link TreeJacobian}
     * typed by the input, whose input paths are the inexact leaves' (its rows hold {@code null} at the others).
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * TreeJacobian<M> j = Eqx.filterJacfwd((M m) -> m.w().mul(m.w())).apply(model);
     * j.inputPaths().toString()                   // [w]
     * j.block("", "w")                            // [[2.0, 0.0], [0.0, 4.0]]
     * }
     */
    public static <T> Function<T, TreeJacobian<T>> filterJacfwd(Function<T, ?> f) {
        return TreeFunctions.jacobian("filterJacfwd", f, MaskedLeaves::inexact, true);
    }

    /**
     * {@link #filterJacfwd(Function)} of an array function: an array of shape {@code out + in} ({@code null} for an integer input).
     *
     * {@snippet lang=java :
     * Eqx.filterJacfwd(x -> x.mul(x)).apply(Array.of(3.0))          // [[6.0]]
     * }
     */
    public static UnaryOperator<Array> filterJacfwd(UnaryOperator<Array> f) {
        return TreeFunctions.arrayJacobian("filterJacfwd", f, MaskedLeaves::inexact, true);
    }

    /**
     * The Jacobian with respect to the inexact array leaves, by reverse mode; see {@link #filterJacfwd(Function)}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterJacrev((M m) -> Jnp.sum(m.w())).apply(model).asMatrix()   // [[1.0, 1.0]]
     * }
     */
    public static <T> Function<T, TreeJacobian<T>> filterJacrev(Function<T, ?> f) {
        return TreeFunctions.jacobian("filterJacrev", f, MaskedLeaves::inexact, false);
    }

    /**
     * {@link #filterJacrev(Function)} of an array function: an array of shape {@code out + in}.
     *
     * {@snippet lang=java :
     * Eqx.filterJacrev(x -> Jnp.sin(x)).apply(Array.of(0.0))        // [[1.0]]
     * }
     */
    public static UnaryOperator<Array> filterJacrev(UnaryOperator<Array> f) {
        return TreeFunctions.arrayJacobian("filterJacrev", f, MaskedLeaves::inexact, false);
    }

    /**
     * {@code filterJacfwd(filterJacrev(f))}: the Hessian with respect to the inexact array leaves, a {@link Hessian}
     * typed by the input ({@code h.block("w", "b")}, {@code h.row("w")}, {@code h.asMatrix()}).
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterHessian((M m) -> Jnp.sum(m.w().pow(3))).apply(model).block("w", "w")   // [[6.0, 0.0], [0.0, 12.0]]
     * }
     */
    public static <T> Function<T, Hessian<T>> filterHessian(Function<T, ?> f) {
        return TreeFunctions.hessian("filterHessian", "filterJacrev", f, MaskedLeaves::inexact);
    }

    /**
     * {@link #filterHessian(Function)} of a scalar array function: an array of shape {@code in + in}.
     *
     * {@snippet lang=java :
     * Eqx.filterHessian(Nn::relu).apply(Array.scalar(1.0))          // 0.0: the Equinox bug this library exists to avoid
     * }
     */
    public static UnaryOperator<Array> filterHessian(UnaryOperator<Array> f) {
        return TreeFunctions.arrayHessian("filterHessian", "filterJacrev", f, MaskedLeaves::inexact);
    }

    // several arguments: as Equinox, the filtered transformations differentiate the first argument only

    /**
     * The gradient of a scalar function of two arguments with respect to the inexact array leaves of the first.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterGrad((M m, Array x) -> Jnp.sum(m.w().mul(x))).apply(model, Array.of(5.0, 6.0)).w()   // [5.0, 6.0]
     * }
     */
    public static <A, B> BiFunction<A, B, A> filterGrad(BiFunction<A, B, Array> f) {
        return (a, b) -> filterGrad((A x) -> f.apply(x, b)).apply(a);
    }

    /**
     * The gradient of a scalar function of three arguments with respect to the inexact array leaves of the first.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterGrad((M m, Array x, Array y) -> Jnp.sum(m.w().mul(x)).sub(Jnp.sum(y))).apply(model, Array.of(5.0, 6.0), Array.of(1.0)).w()   // [5.0, 6.0]
     * }
     */
    public static <A, B, C> Fn3<A, B, C, A> filterGrad(Fn3<A, B, C, Array> f) {
        return (a, b, c) -> filterGrad((A x) -> f.apply(x, b, c)).apply(a);
    }

    /**
     * Value and gradient with respect to the inexact array leaves of the first of two arguments.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterValueAndGrad((M m, Array x) -> Jnp.sum(m.w().mul(x))).apply(model, Array.of(5.0, 6.0)).value()   // 17.0
     * }
     */
    public static <A, B> BiFunction<A, B, ValueAndGrad<A>> filterValueAndGrad(BiFunction<A, B, Array> f) {
        return (a, b) -> filterValueAndGrad((A x) -> f.apply(x, b)).apply(a);
    }

    /**
     * Value and gradient with respect to the inexact array leaves of the first of three arguments.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterValueAndGrad((M m, Array x, Array y) -> Jnp.sum(m.w().mul(x)).add(Jnp.sum(y))).apply(model, Array.of(1.0, 1.0), Array.of(1.0)).value()   // 4.0
     * }
     */
    public static <A, B, C> Fn3<A, B, C, ValueAndGrad<A>> filterValueAndGrad(Fn3<A, B, C, Array> f) {
        return (a, b, c) -> filterValueAndGrad((A x) -> f.apply(x, b, c)).apply(a);
    }

    /**
     * The Hessian with respect to the inexact array leaves of the first of two arguments.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterHessian((M m, Array x) -> Jnp.sum(m.w().mul(m.w()).mul(x))).apply(model, Array.of(1.0, 2.0)).asMatrix()   // [[2.0, 0.0], [0.0, 4.0]]
     * }
     */
    public static <A, B> BiFunction<A, B, Hessian<A>> filterHessian(BiFunction<A, B, ?> f) {
        return (a, b) -> filterHessian((A x) -> f.apply(x, b)).apply(a);
    }

    /**
     * The Hessian with respect to the inexact array leaves of the first of three arguments.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterHessian((M m, Array x, Array y) -> Jnp.sum(m.w().mul(m.w()).mul(x)).add(Jnp.sum(y))).apply(model, Array.of(1.0, 1.0), Array.of(0.0)).asMatrix()   // [[2.0, 0.0], [0.0, 2.0]]
     * }
     */
    public static <A, B, C> Fn3<A, B, C, Hessian<A>> filterHessian(Fn3<A, B, C, ?> f) {
        return (a, b, c) -> filterHessian((A x) -> f.apply(x, b, c)).apply(a);
    }

    // ---- model files ---------------------------------------------------------------------------------------

    /**
     * Saves the array leaves of a tree in a safetensors file (Equinox's {@code tree_serialise_leaves}), each
     * under its path ({@code layers[0].weight}); the write is atomic. See {@link dev.solstice.io.TreeFiles}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Path file = Files.createTempFile("model", ".safetensors");
     * Eqx.treeSerialiseLeaves(file, model);
     * Eqx.treeDeserialiseLeaves(file, model).w()  // [1.0, 2.0]
     * Files.delete(file);
     * }
     */
    public static void treeSerialiseLeaves(java.nio.file.Path file, Object tree) throws java.io.IOException {
        dev.solstice.io.TreeFiles.serialiseLeaves(file, tree);
    }

    /**
     * Loads a tree saved by {@link #treeSerialiseLeaves}: the structure and static values come from
     * {@code like}, the leaves from the file, each checked against {@code like}'s shape and dtype (a clear error
     * names the leaf and both). See {@link dev.solstice.io.TreeFiles}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Path file = Files.createTempFile("model", ".safetensors");
     * Eqx.treeSerialiseLeaves(file, model);
     * M zeros = new M(Array.of(0.0, 0.0), Array.of(0), "m");
     * Eqx.treeDeserialiseLeaves(file, zeros).steps()   // [3]
     * Files.delete(file);
     * }
     */
    public static <T> T treeDeserialiseLeaves(java.nio.file.Path file, T like) throws java.io.IOException {
        return dev.solstice.io.TreeFiles.deserialiseLeaves(file, like);
    }

    // ---- state and inference mode ----------------------------------------------------------------------

    /**
     * Separates a model from the initial state of its stateful layers (Equinox's {@code make_with_state}):
     * every {@link dev.solstice.nn.StateIndex} in the model gives its initial value to the returned
     * {@link dev.solstice.nn.State} and keeps only its id. The ids are renumbered 0, 1, ... in the model's leaf
     * order (as Equinox names state by its place in the model), so a model built the same way gets the same
     * state structure, and a saved model-and-state loads into a freshly built one.
     *
     * {@snippet lang=java :
     * ModelAndState<BatchNorm> ms = Eqx.makeWithState(new BatchNorm(3, "batch"));
     * ms.state().values().size()                  // 1: the running mean and variance, under one index
     * }
     */
    public static <M> dev.solstice.nn.ModelAndState<M> makeWithState(M model) {
        Tree.FlattenedWith f = Tree.flattenWith(model, o -> o instanceof dev.solstice.nn.StateIndex);
        java.util.Map<Integer, Object> state = new java.util.TreeMap<>();
        java.util.Map<Integer, Integer> renumbered = new java.util.HashMap<>();
        List<Object> leaves = new ArrayList<>();
        for (Object leaf : f.leaves()) {
            if (leaf instanceof dev.solstice.nn.StateIndex index) {
                if (index.init() == null) {
                    throw new IllegalArgumentException("makeWithState: state index " + index.id() + " has no initial value"
                            + " (was the model already passed through makeWithState?)");
                }
                Integer id = renumbered.get(index.id());
                if (id == null) {
                    id = renumbered.size();
                    renumbered.put(index.id(), id);
                }
                state.put(id, index.init());
                leaves.add(new dev.solstice.nn.StateIndex(id, null));
            } else {
                leaves.add(leaf);
            }
        }
        return new dev.solstice.nn.ModelAndState<>(Tree.unflatten(f.def(), leaves), new dev.solstice.nn.State(state));
    }

    /**
     * The model with every layer that has an inference mode (dropout, batch norm) switched to it, or back
     * (Equinox's {@code inference_mode}).
     *
     * {@snippet lang=java :
     * Sequential net = new Sequential(new Linear(2, 2, Prng.key(0)), new Dropout(0.5));
     * Eqx.treePformat(Eqx.inferenceMode(net, true)).contains("inference=true")   // true
     * }
     */
    public static <M> M inferenceMode(M model, boolean value) {
        Tree.FlattenedWith f = Tree.flattenWith(model, o -> o instanceof dev.solstice.nn.HasInference);
        List<Object> leaves = new ArrayList<>();
        for (Object leaf : f.leaves()) {
            leaves.add(leaf instanceof dev.solstice.nn.HasInference h ? h.withInference(value) : leaf);
        }
        return Tree.unflatten(f.def(), leaves);
    }

    // ---- runtime checks -----------------------------------------------------------------------------------

    /**
     * {@code x} unchanged, with a runtime check attached (Equinox's {@code error_if}): computing the result
     * throws an {@link EqxRuntimeError} with {@code message} if any element of {@code pred} is true. It works
     * eagerly and under every transformation: under {@code vmap} it throws if any example fails (the message
     * names them), under {@code jvp}, {@code grad} and {@code hessian} it checks the primal values and the
     * derivatives pass through unchanged, and in a staged ({@code jit}) program it runs when the program does.
     *
     * <p><b>Use the returned value</b> in place of {@code x}: the check is attached to it, not to {@code x}, and
     * a staged program may drop a check whose result is never used.
     *
     * {@snippet lang=java :
     * Array x = Array.of(1.0, 2.0);
     * Eqx.errorIf(x, Jnp.less(x, 0.0), "x must be non-negative")   // [1.0, 2.0]
     * Eqx.errorIf(x.neg(), Jnp.less(x.neg(), 0.0), "x must be non-negative")   // throws EqxRuntimeError
     * }
     *
     * @param x the value to return
     * @param pred bool, any shape: the check fails when any element is true
     * @param message the error's message
     * @throws IllegalArgumentException if {@code pred} is not a bool array
     */
    public static Array errorIf(Array x, Array pred, String message) {
        return attachCheck("errorIf", new Array[] {x}, pred, Array.scalar(0), List.of(message))[0];
    }

    /**
     * {@link #errorIf(Array, Array, String)} for a tree: the tree unchanged, one check attached to all its
     * array leaves (there must be at least one). Use the returned tree.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.errorIf(model, Jnp.less(model.w(), 0.0), "negative weight").w()   // [1.0, 2.0]
     * }
     */
    public static <T> T errorIf(T x, Array pred, String message) {
        return attachCheck("errorIf", x, pred, Array.scalar(0), List.of(message));
    }

    /**
     * As {@link #errorIf(Array, Array, String)}, the message chosen at run time (Equinox's
     * {@code branched_error_if}): a failing check reports {@code messages.get(index)}; an index outside the
     * list is reported as such when the check fails. Use the returned value.
     *
     * {@snippet lang=java :
     * Array x = Array.of(-1.0);
     * Eqx.branchedErrorIf(x, Jnp.less(x, 0.0), Array.scalar(1), List.of("too big", "negative"))   // throws EqxRuntimeError
     * }
     *
     * @param index an integer scalar (any integer dtype)
     * @throws IllegalArgumentException if {@code pred} is not bool, {@code index} is not an integer scalar or
     *     {@code messages} is empty
     */
    public static Array branchedErrorIf(Array x, Array pred, Array index, List<String> messages) {
        return attachCheck("branchedErrorIf", new Array[] {x}, pred, index, messages)[0];
    }

    /**
     * {@link #branchedErrorIf(Array, Array, Array, List)} for a tree: the tree unchanged, one check attached
     * to all its array leaves (there must be at least one). Use the returned tree.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.branchedErrorIf(model, Jnp.less(model.w(), 0.0), Array.scalar(0), List.of("negative")).name()   // m
     * }
     */
    public static <T> T branchedErrorIf(T x, Array pred, Array index, List<String> messages) {
        return attachCheck("branchedErrorIf", x, pred, index, messages);
    }

    private static <T> T attachCheck(String op, T x, Array pred, Array index, List<String> messages) {
        Tree.Flattened f = Tree.flatten(x);
        if (f.leaves().isEmpty()) {
            throw new IllegalArgumentException(op + ": the tree has no array leaf to attach the check to: " + f.def());
        }
        Array[] checked = attachCheck(op, f.leaves().toArray(Array[]::new), pred, index, messages);
        return Tree.unflatten(f.def(), List.of(checked));
    }

    private static Array[] attachCheck(String op, Array[] leaves, Array pred, Array index, List<String> messages) {
        ErrorIf.checkPredicate(op, pred.aval());
        if (!index.dtype().isInteger() || index.ndim() != 0) {
            throw new IllegalArgumentException(op + ": the index must be an integer scalar (an int32 scalar, or of any"
                    + " integer dtype), got " + index.aval().str());
        }
        if (index.dtype() != DType.INT32) { // any integer dtype, as Equinox; the check primitive takes int32
            index = Jnp.astype(Jnp.clip(Jnp.astype(index, DType.INT64), Jnp.full(DType.INT64, Integer.MIN_VALUE),
                    Jnp.full(DType.INT64, Integer.MAX_VALUE)), DType.INT32);
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException(op + ": needs at least one message");
        }
        return Ops.errorIf(leaves, pred, index, messages);
    }

    // ---- vmap ---------------------------------------------------------------------------------------------

    /**
     * The axis specification "{@code axis} for arrays" (Equinox's {@code if_array}), for
     * {@link #filterVmap(Function, Object, Object)} and {@link Jax#vmap(Function, Object, Object)}.
     *
     * {@snippet lang=java :
     * Eqx.ifArray(0)                              // IfArray[axis=0]
     * }
     */
    public static IfArray ifArray(int axis) {
        return new IfArray(axis);
    }

    /**
     * {@code while (cond(c) && steps < maxSteps) c = body(c); return c;}, as Equinox's
     * {@code eqx.internal.while_loop}: {@link WhileKind#LAX} is one {@link Lax#whileLoop} (forward mode only);
     * {@link WhileKind#BOUNDED} is nested {@link Lax#scan}s of {@link Lax#cond}s, checkpointed, and is also
     * reverse-mode differentiable (grad through a loop of at most {@code maxSteps} iterations);
     * {@link WhileKind#CHECKPOINTED} is a plain loop whose reverse mode stores a fixed number of carries and
     * recomputes the rest (treeverse), with Equinox's default number of checkpoints. All batch (examples may stop
     * at different steps).
     *
     * {@snippet lang=java :
     * Eqx.whileLoop((Array x) -> Jnp.less(x, 100.0), x -> x.mul(3.0), Array.scalar(1.0), 10, WhileKind.LAX)   // 243.0
     * Eqx.whileLoop((Array x) -> Jnp.less(x, 100.0), x -> x.mul(3.0), Array.scalar(1.0), 3, WhileKind.BOUNDED)   // 27.0: stopped at maxSteps
     * }
     *
     * @param maxSteps the most iterations run, {@code >= 0}
     */
    public static <C> C whileLoop(Function<C, Array> cond, UnaryOperator<C> body, C init,
            int maxSteps, WhileKind kind) {
        return EqxWhile.run(cond, body, init, maxSteps, kind);
    }

    /**
     * {@link #whileLoop(Function, UnaryOperator, Object, int, WhileKind)} with the number of carries a
     * {@link WhileKind#CHECKPOINTED} loop stores for reverse mode ({@code >= 1}; more than {@code maxSteps} is
     * taken as {@code maxSteps}): fewer cost more recomputation on the backward pass (one checkpoint recomputes
     * every step from the start, {@code n(n-1)/2} body evaluations; {@code maxSteps} of them none). Ignored by the
     * other kinds.
     *
     * {@snippet lang=java :
     * Function<Array, Array> f = x0 -> Eqx.whileLoop((Array x) -> Jnp.less(x, 100.0), x -> x.mul(x0), x0, 10,
     *         WhileKind.CHECKPOINTED, 2);
     * Jax.grad(f).apply(Array.scalar(3.0))        // 405.0: four steps give x0^5, and 5 x0^4 = 405
     * }
     */
    public static <C> C whileLoop(Function<C, Array> cond, UnaryOperator<C> body, C init,
            int maxSteps, WhileKind kind, int checkpoints) {
        return EqxWhile.run(cond, body, init, maxSteps, kind, checkpoints);
    }

    /**
     * Equinox's {@code filter_jit}: every array leaf of the argument is traced, every other leaf (numbers,
     * strings, enums, functions, records of those) is static, compared by {@code equals} for the cache; a Java
     * array ({@code double[]}) as a static leaf is refused, naming its path, since it has no value equality.
     * Non-array leaves of the result come back as they were when tracing. See {@link Jitted}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Jitted<M, Array> f = Eqx.filterJit((M m) -> m.w().mul(m.name().length()));
     * f.apply(model)                              // [1.0, 2.0]
     * f.apply(new M(Array.of(1.0, 2.0), Array.of(3), "mm"))   // [2.0, 4.0]: a new static name, a new trace
     * }
     */
    public static <T, R> Jitted<T, R> filterJit(Function<T, R> f) {
        return filterJit(f, JitOptions.DEFAULT);
    }

    /**
     * {@link #filterJit(Function)} with options (a cache bound, a name; static arguments are redundant here).
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterJit((M m) -> Jnp.sum(m.w()), JitOptions.named("total")).apply(model)   // 3.0
     * }
     */
    public static <T, R> Jitted<T, R> filterJit(Function<T, R> f, JitOptions options) {
        return new Jitted<>(new StagedFunction<>(options.name(), f, StagedFunction.Mode.FILTER, options.staticKeys(),
                options.maxCacheEntries()));
    }

    /**
     * Equinox's {@code filter_vmap} with its defaults: every array leaf of the argument batched along axis
     * 0, every other value static (not batched), and every output array leaf batched along axis 0. For
     * example an ensemble of models, stacked leaf by leaf.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * M ensemble = new M(Array.of(new double[] {1, 2, 3, 4}, 2, 2), Array.of(new int[] {1, 1}, 2, 1), "m");
     * Eqx.filterVmap((M m) -> Jnp.sum(m.w())).apply(ensemble)   // [3.0, 7.0]: one model per row
     * }
     */
    public static <T, R> Function<T, R> filterVmap(Function<T, R> f) {
        return Jax.vmap(f, ifArray(0), ifArray(0));
    }

    /**
     * {@link #filterVmap(Function)} with axis specifications, as {@link Jax#vmap(Function, Object, Object)}.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Eqx.filterVmap((M m) -> m.w().mul(2.0), Eqx.ifArray(0), 0).apply(new M(Array.of(1.0, 2.0), Array.of(3, 4), "m"))   // [2.0, 4.0]
     * }
     */
    public static <T, R> Function<T, R> filterVmap(Function<T, R> f, Object inAxes, Object outAxes) {
        return Jax.vmap(f, inAxes, outAxes);
    }

    // ---- custom rules over trees --------------------------------------------------------------------------

    /**
     * A function of a tree with a custom JVP rule (Equinox's {@code filter_custom_jvp}): {@code rule(x, t)}
     * gets the primal tree and a tangent tree with tangents at the inexact array leaves ({@code null}
     * elsewhere) and returns the output and its tangent. The rule is itself differentiated by enclosing
     * transformations. The other leaves, and values {@code fn} captures, are operands the rule does not cover,
     * as {@link Jax#customJvp} documents: vmap batches them and keeps the rule; differentiating with respect
     * to one is an error.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Function<M, Array> f = Eqx.filterCustomJvp((M m) -> Jnp.sum(m.w().mul(m.w())),
     *         (m, t) -> new JvpResult<>(Jnp.sum(m.w().mul(m.w())), Jnp.sum(m.w().mul(t.w())).mul(2.0)));
     * Eqx.filterGrad(f).apply(model).w()          // [2.0, 4.0]
     * }
     */
    public static <T, R> Function<T, R> filterCustomJvp(Function<T, R> fn, BiFunction<T, T, JvpResult<R>> rule) {
        String op = "filterCustomJvp";
        return x -> {
            MaskedLeaves s = MaskedLeaves.inexact(op, x);
            OutputTree out = new OutputTree();
            BiFunction<Array[], Array[], Array[][]> flatRule = (p, t) -> {
                JvpResult<R> r = rule.apply(s.with(p), s.scatter(t));
                return new Array[][] {out.flatten(op, r.primal()), out.read(op, "tangent output", r.tangent())};
            };
            return out.build(CustomCalls.customJvp(s.over(op, fn, out), flatRule, s.selected()));
        };
    }

    /**
     * A function of a tree with a custom reverse-mode rule (Equinox's {@code filter_custom_vjp}): {@code fwd}
     * gives the output and residuals (any tree of arrays), {@code bwd(residuals, outputCotangent)} the
     * cotangent tree of the input ({@code null} allowed anywhere, read as zero). Forward mode through it is an
     * error; forward over reverse ({@link #filterHessian}) differentiates {@code fwd} and {@code bwd}
     * themselves, as {@link Jax#customVjp} documents.
     *
     * {@snippet lang=java :
     * record M(Array w, Array steps, String name) {}
     * M model = new M(Array.of(1.0, 2.0), Array.of(3), "m");
     * Function<M, Array> f = Eqx.filterCustomVjp((M m) -> Jnp.sum(m.w().mul(m.w())),
     *         m -> new Eqx.CustomVjpFwdTree<>(Jnp.sum(m.w().mul(m.w())), m.w()),
     *         (res, g) -> new M(((Array) res).mul(2.0).mul(g), null, "m"));
     * Eqx.filterGrad(f).apply(model).w()          // [2.0, 4.0]
     * }
     */
    public static <T, R> Function<T, R> filterCustomVjp(Function<T, R> fn, Function<T, CustomVjpFwdTree<R>> fwd,
            BiFunction<Object, R, T> bwd) {
        String op = "filterCustomVjp";
        return x -> {
            MaskedLeaves s = MaskedLeaves.inexact(op, x);
            OutputTree out = new OutputTree();
            TreeDef[] resDef = new TreeDef[1];
            Function<Array[], Array[][]> flatFwd = p -> {
                CustomVjpFwdTree<R> r = fwd.apply(s.with(p));
                Array[] output = out.flatten(op, r.output());
                Tree.Flattened res = Tree.flatten(r.residuals());
                resDef[0] = res.def();
                return new Array[][] {output, res.leaves().toArray(Array[]::new)};
            };
            BiFunction<Array[], Array[], Array[]> flatBwd = (res, ct) -> {
                T g = bwd.apply(Tree.unflatten(resDef[0], List.of(res)), out.build(ct));
                return s.read(op, "cotangent returned by bwd", g);
            };
            return out.build(CustomCalls.customVjp(s.over(op, fn, out), flatFwd, flatBwd, s.selected()));
        };
    }

    /**
     * What the forward function of {@link #filterCustomVjp} returns.
     *
     * {@snippet lang=java :
     * new Eqx.CustomVjpFwdTree<>(Array.scalar(1.0), List.of()).output()   // 1.0
     * }
     *
     * @param <R> the output type
     * @param output the function's output
     * @param residuals a tree of arrays saved for the backward function
     */
    public record CustomVjpFwdTree<R>(R output, Object residuals) {}

    // ---- tree checks -----------------------------------------------------------------------------------

    /**
     * Refuses a tree that is not a tree (Equinox's {@code tree_check}): one with a cycle (a mutable list, map or
     * Java array that contains the node holding it), or one that reaches the same array, or the same node holding
     * arrays, at two paths. Such an array would be two parameters to gradients and optimisers, updated apart;
     * to tie parameters on purpose use {@link dev.solstice.nn.Shared}, which holds the tied array once and so
     * passes this check. Nodes without arrays may repeat. See {@link dev.solstice.tree.TreeCheck}.
     *
     * {@snippet lang=java :
     * Linear l = new Linear(4, 4, Prng.key(0));
     * Eqx.treeCheck(new Sequential(l, new Linear(4, 4, Prng.key(1))));   // returns: a tree
     * Eqx.treeCheck(new Sequential(l, l))   // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException naming both paths, on a cycle or an array or node reached twice
     */
    public static void treeCheck(Object tree) {
        dev.solstice.tree.TreeCheck.check(tree);
    }

    /**
     * Equinox's {@code eqx.tree_pformat}: a readable rendering of a model or any tree, arrays summarised by dtype
     * and shape, nested modules indented when the line would be long. Records cannot inherit a {@code toString},
     * so a model record of your own prints with {@code Eqx.treePformat(model)}, or overrides {@code toString}
     * to call it (the layers of {@code dev.solstice.nn} do).
     *
     * {@snippet lang=java :
     * Eqx.treePformat(new Linear(3, 4, Prng.key(0)))   // Linear(weight=f32[4,3], bias=f32[4], inFeatures=3, outFeatures=4)
     * }
     */
    public static String treePformat(Object tree) {
        return Tree.pformat(tree);
    }
}
