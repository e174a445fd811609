package dev.solstice.io;

import dev.solstice.Array;
import dev.solstice.core.Aval;
import dev.solstice.tree.Tree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saving and loading a tree's leaves (Equinox's {@code tree_serialise_leaves} and
 * {@code tree_deserialise_leaves}) in the safetensors format: each leaf is a tensor named by its path in the
 * tree ({@code layers[0].weight}, {@code cache["k"]}; the root leaf of a tree that is a single array is
 * named by the empty string), so the file is readable by PyTorch, JAX and the {@code safetensors} tools. The
 * structure, and every static value in it, is not stored: loading rebuilds the tree from {@code like}. Leaves
 * of every dtype are stored bit for bit (float16 and bfloat16 as {@code F16} and {@code BF16}; see
 * {@link Safetensors}).
 *
 * {@snippet lang=java :
 * import dev.solstice.io.*;
 * Path file = Files.createTempFile("model", ".bin");
 * Linear trained = new Linear(3, 2, Prng.key(0));
 * TreeFiles.serialiseLeaves(file, trained);
 * Linear loaded = TreeFiles.deserialiseLeaves(file, new Linear(3, 2, Prng.key(1)));
 * Jnp.sum(Jnp.abs(loaded.weight().sub(trained.weight())))   // 0.0
 * }
 */
public final class TreeFiles {
    private TreeFiles() {}

    /**
     * Writes the leaves of {@code tree} to {@code file} in the safetensors format, atomically: on any failure
     * (a leaf without a concrete value, an I/O error) the file is left as it was.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("params", ".bin");
     * TreeFiles.serialiseLeaves(file, List.of(Array.of(1.0, 2.0), Array.scalar(3)));
     * TreeFiles.deserialiseLeaves(file, List.of(Jnp.zeros(2), Array.scalar(0)))   // [Array(float64[2], [1.0, 2.0]), Array(int32[], 3)]
     * }
     *
     * @throws IllegalArgumentException when two leaves have the same path string, or a leaf has no concrete
     *     value (a tracer)
     */
    public static void serialiseLeaves(Path file, Object tree) throws IOException {
        Map<String, Array> tensors = new LinkedHashMap<>();
        for (Tree.PathLeaf p : Tree.leavesWithPath(tree)) {
            String name = p.path().toString();
            if (tensors.put(name, p.leaf()) != null) {
                throw new IllegalArgumentException("TreeFiles.serialiseLeaves: two leaves have the path '" + name
                        + "', so they cannot both be named by it");
            }
        }
        Safetensors.write(file, tensors);
    }

    /**
     * Reads a file written by {@link #serialiseLeaves} (or any safetensors file whose tensor names are the
     * leaf paths of {@code like}) and returns a tree of {@code like}'s structure, static values included, with
     * the file's arrays as leaves. Every leaf's shape and dtype are checked against {@code like}'s before any
     * tensor is read; {@code like}'s leaves only give shapes and dtypes (they may be tracers or zeros).
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("params", ".bin");
     * TreeFiles.serialiseLeaves(file, List.of(Array.of(1.0, 2.0)));
     * TreeFiles.deserialiseLeaves(file, List.of(Jnp.zeros(2))).get(0)   // Array(float64[2], [1.0, 2.0])
     * TreeFiles.deserialiseLeaves(file, List.of(Jnp.zeros(3)))   // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException when a leaf of {@code like} has no tensor in the file, the file has a
     *     tensor that is no leaf of {@code like}, or a tensor's shape or dtype differs from the leaf's (the
     *     message names the leaf and both)
     * @throws MalformedFileException when the file is truncated, corrupt or not a safetensors file
     */
    public static <T> T deserialiseLeaves(Path file, T like) throws IOException {
        List<Tree.PathLeaf> leaves = Tree.leavesWithPath(like);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Safetensors.Header h = Safetensors.readHeader(ch, file);
            Map<String, Safetensors.Entry> byName = new LinkedHashMap<>();
            for (Safetensors.Entry e : h.entries()) {
                byName.put(e.name(), e);
            }
            List<String> names = new ArrayList<>();
            for (Tree.PathLeaf p : leaves) {
                String name = p.path().toString();
                names.add(name);
                Aval want = p.leaf().aval();
                Safetensors.Entry e = byName.get(name);
                if (e == null) {
                    throw new IllegalArgumentException(file + ": no tensor for leaf '" + name + "' (" + want
                            + " in `like`); the file has " + describeNames(byName.keySet()));
                }
                Aval got = e.aval();
                if (!got.equals(want)) {
                    throw new IllegalArgumentException(file + ": leaf '" + name + "' is " + got + " in the file but "
                            + want + " in `like` (shape " + java.util.Arrays.toString(got.shape()) + " vs "
                            + java.util.Arrays.toString(want.shape()) + ", dtype " + got.dtype() + " vs "
                            + want.dtype() + ")");
                }
            }
            if (byName.size() != names.size()) {
                List<String> extra = new ArrayList<>(byName.keySet());
                extra.removeAll(names);
                throw new IllegalArgumentException(file + ": the file has tensors that are no leaf of `like`: "
                        + describeNames(extra));
            }
            Map<String, Array> data = Safetensors.readData(ch, file, h);
            List<Array> values = new ArrayList<>();
            for (String name : names) {
                values.add(data.get(name));
            }
            return Tree.unflatten(Tree.structure(like), values);
        }
    }

    private static String describeNames(java.util.Collection<String> names) {
        List<String> quoted = new ArrayList<>();
        for (String n : names) {
            if (quoted.size() == 10) {
                quoted.add("... (" + names.size() + " in all)");
                break;
            }
            quoted.add(Texts.quoted(n));
        }
        return names.isEmpty() ? "no tensors" : String.join(", ", quoted);
    }
}
