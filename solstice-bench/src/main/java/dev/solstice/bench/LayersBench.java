package dev.solstice.bench;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Eqx;
import dev.solstice.Jax;
import dev.solstice.Jnp;
import dev.solstice.Prng;
import dev.solstice.nn.Conv2d;
import dev.solstice.nn.ConvSpec;
import dev.solstice.nn.MultiheadAttention;
import dev.solstice.nn.Padding;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Layers, float32: {@code Conv2d} forward and forward plus backward ({@code Eqx.filterGrad} of the summed
 * squares) on a batch of 32 single-channel 8x8 images (3x3 kernel, SAME padding, vmapped over the batch), and a
 * {@code MultiheadAttention} forward pass (4 heads, sequence 64, width 64).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LayersBench {
    /** Creates the benchmark (JMH instantiates it). */
    public LayersBench() {}

    /** A Conv2d layer and its input batch. */
    @State(Scope.Thread)
    public static class ConvState {
        /** Output channels. */
        @Param({"8", "16"})
        public int channels;

        Array images;
        Conv2d conv;
        Function<Array, Array> forward;
        Function<Conv2d, Conv2d> backward;

        /** Creates the state (JMH instantiates it and sets {@link #channels}). */
        public ConvState() {}

        /** Builds the layer, the images and the transformed functions. */
        @Setup
        public void setup() {
            images = Jnp.astype(Fixtures.det(32 * 64, 0.7, 32, 1, 8, 8), DType.FLOAT32);
            conv = new Conv2d(1, channels, new int[] {3},
                    new ConvSpec(new int[] {1}, Padding.SAME, new int[] {1}, 1, "ZEROS", new int[] {0}),
                    true, DType.FLOAT32, Prng.key(channels));
            forward = Jax.vmap(conv::apply);
            Array batch = images;
            backward = Eqx.filterGrad((Conv2d c) -> Jnp.sum(Jnp.square(Jax.vmap(c::apply).apply(batch))));
        }
    }

    /** A MultiheadAttention layer and its input sequence. */
    @State(Scope.Thread)
    public static class AttentionState {
        MultiheadAttention mha;
        Array seq;

        /** Creates the state (JMH instantiates it). */
        public AttentionState() {}

        /** Builds the layer and the sequence. */
        @Setup
        public void setup() {
            mha = new MultiheadAttention(4, 64, Prng.key(3));
            seq = Jnp.astype(Fixtures.det(64 * 64, 0.4, 64, 64), DType.FLOAT32);
        }
    }

    /**
     * Conv2d forward over the batch.
     *
     * @param s the layer and images
     * @return the feature maps
     */
    @Benchmark
    public Array convForward(ConvState s) {
        return s.forward.apply(s.images);
    }

    /**
     * Conv2d forward and backward: the gradient of the summed squared outputs with respect to the layer.
     *
     * @param s the layer and images
     * @return the gradient, shaped like the layer
     */
    @Benchmark
    public Conv2d convForwardBackward(ConvState s) {
        return s.backward.apply(s.conv);
    }

    /**
     * MultiheadAttention forward, self-attention.
     *
     * @param s the layer and sequence
     * @return the attended sequence
     */
    @Benchmark
    public Array attentionForward(AttentionState s) {
        return s.mha.apply(s.seq, s.seq, s.seq);
    }
}
