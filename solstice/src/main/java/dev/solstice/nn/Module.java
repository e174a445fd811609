package dev.solstice.nn;

/**
 * Marks a record as a model, as Equinox's {@code eqx.Module}: an immutable tree whose array components are
 * its parameters and whose other components (ints, strings, functions, enums) are static structure, never
 * traced. A module may hold other modules, and lists and maps of them; its methods are ordinary Java, and a
 * bound method ({@code model::apply}) can be given to any transformation.
 *
 * <pre>{@code
 * record Affine(Array w, Array b, int width) implements Module {
 *     Array apply(Array x) { return w.matmul(x).add(b); }
 * }
 * Affine g = Eqx.filterGrad((Affine m) -> Jnp.sum(m.apply(x))).apply(model);
 * Eqx.treePformat(g);   // Affine(w=f64[4,3], b=f64[4], width=4)
 * }</pre>
 *
 * <p>A record's {@code toString} cannot come from an interface: print a module with {@link
 * dev.solstice.Eqx#treePformat} (Equinox's {@code tree_pformat}), or override {@code toString} to return
 * {@code Tree.pformat(this)}, as the layers of this package do.
 *
 * {@snippet lang=java :
 * Module m = new Linear(3, 2, Prng.key(0));
 * dev.solstice.tree.Tree.leaves(m).size()   // 2
 * }
 */
public interface Module {}
