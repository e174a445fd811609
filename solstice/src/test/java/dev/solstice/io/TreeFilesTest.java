package dev.solstice.io;

import static dev.solstice.io.IoTesting.abstractArray;
import static dev.solstice.io.IoTesting.assertSameArray;
import static dev.solstice.io.IoTesting.listing;
import static dev.solstice.io.IoTesting.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.Jnp;
import dev.solstice.tree.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading trees: leaf paths as tensor names, statics and structure from {@code like}, shape and
 * dtype checks naming the leaf, and atomic writes.
 */
class TreeFilesTest {
    @TempDir
    Path dir;

    enum Act { RELU, TANH }

    record Linear(Array weight, Optional<Array> bias, Act act) {}

    record Model(List<Linear> layers, Map<String, Array> buffers, Map<String, List<Array>> history, int depth,
            String name, Function<Array, Array> head, Array step) {}

    private static final Function<Array, Array> HEAD = x -> x;

    static Model model(int seed) {
        return new Model(
                List.of(new Linear(sample(DType.FLOAT32, 3, 2), Optional.of(sample(DType.FLOAT32, 3)), Act.RELU),
                        new Linear(sample(DType.FLOAT64, 1, 3).mul(seed), Optional.empty(), Act.TANH)),
                Map.of("mask", sample(DType.BOOL, 2, 2), "count", sample(DType.INT32)),
                Map.of("loss", List.of(Array.scalar(0.5f * seed), Array.scalar(0.25f)), "empty", List.of()),
                2, "mlp", HEAD, sample(DType.INT32, 0));
    }

    @Test
    void namesAreLeafPaths() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Model m = model(1);
        TreeFiles.serialiseLeaves(p, m);
        Map<String, Array> raw = Safetensors.read(p);
        assertEquals(List.of("layers[0].weight", "layers[0].bias[0]", "layers[1].weight", "buffers[\"count\"]",
                "buffers[\"mask\"]", "history[\"loss\"][0]", "history[\"loss\"][1]", "step"), List.copyOf(raw.keySet()));
        assertSameArray(m.layers().get(0).weight(), raw.get("layers[0].weight"), "weight");
    }

    @Test
    void treeRoundTripKeepsStructureAndStatics() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Model saved = model(3);
        TreeFiles.serialiseLeaves(p, saved);
        // like: same structure, other values (zeros), other statics are taken from like
        Model like = Tree.map(a -> Jnp.zerosLike(a), model(7));
        Model loaded = TreeFiles.deserialiseLeaves(p, like);
        assertEquals(Tree.structure(saved), Tree.structure(loaded));
        List<Array> a = Tree.leaves(saved);
        List<Array> b = Tree.leaves(loaded);
        for (int i = 0; i < a.size(); i++) {
            assertSameArray(a.get(i), b.get(i), "leaf " + i);
        }
        assertEquals(2, loaded.depth());
        assertEquals("mlp", loaded.name());
        assertSame(HEAD, loaded.head());
        assertEquals(Act.RELU, loaded.layers().get(0).act());
        assertEquals(Optional.empty(), loaded.layers().get(1).bias());
        assertEquals(List.of(), loaded.history().get("empty"));
        assertEquals(1.5f, (float) loaded.history().get("loss").get(0).item());
    }

    @Test
    void singleArrayAndEmptyTrees() throws IOException {
        Path p = dir.resolve("one.safetensors");
        Array x = sample(DType.FLOAT64, 2, 2);
        TreeFiles.serialiseLeaves(p, x);
        assertEquals(List.of(""), List.copyOf(Safetensors.read(p).keySet()));
        assertSameArray(x, TreeFiles.deserialiseLeaves(p, Jnp.zerosLike(x)), "root leaf");
        TreeFiles.serialiseLeaves(p, List.of("only", 3));
        assertEquals(List.of("only", 3), TreeFiles.deserialiseLeaves(p, List.of("only", 3)));
    }

    @Test
    void shapeMismatchNamesTheLeafAndBothShapes() throws IOException {
        Path p = dir.resolve("model.safetensors");
        TreeFiles.serialiseLeaves(p, model(1));
        Model wrong = new Model(List.of(new Linear(sample(DType.FLOAT32, 2, 3), Optional.of(sample(DType.FLOAT32, 3)),
                Act.RELU), model(1).layers().get(1)), model(1).buffers(), model(1).history(), 2, "mlp", HEAD,
                sample(DType.INT32, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeFiles.deserialiseLeaves(p, wrong));
        assertTrue(e.getMessage().contains("leaf 'layers[0].weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("float32[3,2] in the file but float32[2,3] in `like`"), e.getMessage());
        assertTrue(e.getMessage().contains("shape [3, 2] vs [2, 3]"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    }

    @Test
    void dtypeMismatchNamesTheLeafAndBothDtypes() throws IOException {
        Path p = dir.resolve("model.safetensors");
        TreeFiles.serialiseLeaves(p, Map.of("w", Array.of(1.0, 2.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeFiles.deserialiseLeaves(p, Map.of("w", Array.of(1f, 2f))));
        assertTrue(e.getMessage().contains("leaf '[\"w\"]' is float64[2] in the file but float32[2] in `like`"),
                e.getMessage());
        assertTrue(e.getMessage().contains("dtype float64 vs float32"), e.getMessage());
    }

    @Test
    void missingAndExtraTensorsAreRefused() throws IOException {
        Path p = dir.resolve("model.safetensors");
        TreeFiles.serialiseLeaves(p, Map.of("a", Array.of(1f), "b", Array.of(2f)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TreeFiles.deserialiseLeaves(p, Map.of("a", Array.of(0f), "c", Array.of(0f))));
        assertTrue(missing.getMessage().contains("no tensor for leaf '[\"c\"]' (float32[1] in `like`)"),
                missing.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> TreeFiles.deserialiseLeaves(p, Map.of("a", Array.of(0f))));
        assertTrue(extra.getMessage().contains("no leaf of `like`: '[\"b\"]'"), extra.getMessage());
    }

    @Test
    void likeMayHoldAbstractLeaves() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Model m = model(2);
        TreeFiles.serialiseLeaves(p, m);
        Model like = Tree.map(a -> abstractArray(a.dtype(), a.shape()), model(2));
        Model loaded = TreeFiles.deserialiseLeaves(p, like);
        assertSameArray(m.layers().get(1).weight(), loaded.layers().get(1).weight(), "weight");
    }

    @Test
    void corruptModelFileGivesNoPartialModel() throws IOException {
        Path p = dir.resolve("model.safetensors");
        TreeFiles.serialiseLeaves(p, model(1));
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 3));
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> TreeFiles.deserialiseLeaves(p, model(1)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // a bool leaf with a byte other than 0 or 1: refused, not loaded as a half-right model
        Files.write(p, bytes);
        long maskAt;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            Safetensors.Header h = Safetensors.readHeader(ch, p);
            maskAt = h.dataStart() + h.entries().stream().filter(en -> en.name().equals("buffers[\"mask\"]"))
                    .findFirst().orElseThrow().begin();
        }
        bytes[(int) maskAt + 1] = 7;
        Files.write(p, bytes);
        MalformedFileException bad = assertThrows(MalformedFileException.class,
                () -> TreeFiles.deserialiseLeaves(p, model(1)));
        assertTrue(bad.getMessage().contains("tensor 'buffers[\"mask\"]': bool element 1 is the byte 7"),
                bad.getMessage());
    }

    @Test
    void failedSaveLeavesTheOldModel() throws IOException {
        Path p = dir.resolve("model.safetensors");
        TreeFiles.serialiseLeaves(p, model(1));
        byte[] before = Files.readAllBytes(p);
        // a tree with a leaf that has no value (a tracer): the write fails part way, after other leaves
        Model broken = new Model(model(1).layers(), model(1).buffers(), model(1).history(), 2, "mlp", HEAD,
                abstractArray(DType.INT32, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeFiles.serialiseLeaves(p, broken));
        assertTrue(e.getMessage().contains("tensor 'step'"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("model.safetensors"), listing(dir));
    }

    @Test
    void saveIntoAReadOnlyDirectoryFailsCleanly() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path p = ro.resolve("model.safetensors");
        TreeFiles.serialiseLeaves(p, model(1));
        byte[] before = Files.readAllBytes(p);
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root ignores directory permissions: the check is only meaningful for other users
            assumeTrue(!Files.isWritable(ro), "running as a user that can write into read-only directories");
            assertThrows(IOException.class, () -> TreeFiles.serialiseLeaves(p, model(2)));
            assertArrayEquals(before, Files.readAllBytes(p));
            assertEquals(List.of("model.safetensors"), listing(ro));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
