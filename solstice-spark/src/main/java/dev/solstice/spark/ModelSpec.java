package dev.solstice.spark;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.tree.Tree;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A model's structure as shipped to the executors once per job: a {@link ModelFactory} that builds a model of
 * the right structure, and the model's leaves as safetensors bytes (names, shapes and dtypes: the executor
 * checks the factory's model against them, so a factory that builds another architecture fails at once with
 * the leaf that differs). Parameters then travel as one flat {@code double[]} per step in
 * {@link Tree#ravel} order.
 *
 * @param <T> the model tree type
 */
public final class ModelSpec<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelFactory<T> factory;
    private final byte[] safetensors;
    private final int size;
    private transient volatile Template<T> template;

    private ModelSpec(ModelFactory<T> factory, byte[] safetensors, int size) {
        this.factory = factory;
        this.safetensors = safetensors;
        this.size = size;
    }

    /**
     * The spec of {@code model}, whose structure {@code factory} must rebuild.
     *
     * @param model the model (its values are the ones shipped first)
     * @param factory builds a model of the same structure on an executor
     * @param <T> the model tree type
     * @return the spec
     */
    public static <T> ModelSpec<T> of(T model, ModelFactory<T> factory) {
        try {
            Path tmp = Files.createTempFile("solstice-spec", ".safetensors");
            try {
                Eqx.treeSerialiseLeaves(tmp, model);
                return new ModelSpec<>(factory, Files.readAllBytes(tmp), Tree.ravel(model).flat().size());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ModelSpec: cannot serialise the model's leaves", e);
        }
    }

    /** The number of parameters (the length of the flat vectors). */
    public int size() {
        return size;
    }

    /** The float dtype of the raveled parameters (features are given to the loss in it). */
    public DType dtype() {
        return template().dtype;
    }

    /** The size of the shipped safetensors bytes. */
    public int bytes() {
        return safetensors.length;
    }

    /** The model of this structure with the parameters {@code flat} (in {@link Tree#ravel} order). */
    public T unflatten(double[] flat) {
        Template<T> t = template();
        if (flat.length != size) {
            throw new IllegalArgumentException("ModelSpec.unflatten: expected " + size + " parameters, got " + flat.length);
        }
        return t.unravel.apply(Array.of(flat, flat.length).astype(t.dtype));
    }

    /** The parameters of {@code model} (a model of this structure) as one flat vector. */
    public static double[] flatten(Object model) {
        return Tree.ravel(model).flat().toDoubleArray();
    }

    private Template<T> template() {
        Template<T> t = template;
        if (t == null) {
            synchronized (this) {
                t = template;
                if (t == null) {
                    t = Template.build(factory, safetensors);
                    template = t;
                }
            }
        }
        return t;
    }

    /** The factory's model loaded with the shipped leaves, raveled once. */
    private record Template<T>(Function<Array, T> unravel, DType dtype) {
        static <T> Template<T> build(ModelFactory<T> factory, byte[] safetensors) {
            try {
                Path tmp = Files.createTempFile("solstice-spec", ".safetensors");
                try {
                    Files.write(tmp, safetensors);
                    T model = Eqx.treeDeserialiseLeaves(tmp, factory.get());
                    Tree.Raveled<T> r = Tree.ravel(model);
                    return new Template<>(r.unravel(), r.flat().dtype());
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("ModelSpec: cannot rebuild the model from its shipped leaves", e);
            }
        }
    }
}
