package dev.solstice.io;

import static dev.solstice.io.IoTesting.assertSameArray;
import static dev.solstice.io.IoTesting.assertSameArrays;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.solstice.Array;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by NumPy 1.24 (tools/fixtures/make_io_fixtures.py; the safetensors file's bytes are laid
 * out by hand there from the specification, with numpy's tobytes) are read to the values written out here.
 * Solstice's own writes of the same arrays read back equal, and give the NumPy-written .npy bytes exactly.
 */
class NumpyFixtureTest {
    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(NumpyFixtureTest.class.getResource("/io/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource io/" + name, e);
        }
    }

    /** The arrays of the fixture script, written out by hand, in the script's order. */
    static Map<String, Array> expected() {
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("weight", Array.of(new float[] {1.5f, -2.25f, 0.1f, -0.0f, 3.0e-5f, 65504f}, 2, 3));
        m.put("bias", Array.of(Math.PI, -Math.E, 1e-300));
        m.put("step", Array.scalar(-7));
        m.put("mask", Array.of(new boolean[] {true, false, false, true}, 2, 2));
        m.put("empty", Array.of(new float[0], 0, 3));
        int[] counts = new int[24];
        for (int i = 0; i < 24; i++) {
            counts[i] = i - 12;
        }
        m.put("counts", Array.of(counts, 2, 3, 4));
        return m;
    }

    @Test
    void safetensorsWrittenFromNumpy() throws IOException {
        Safetensors.Contents c = Safetensors.readWithMetadata(resource("fixture.safetensors"));
        assertSameArrays(expected(), c.tensors());
        assertEquals(Map.of("format", "np", "source", "numpy"), c.metadata());
    }

    @Test
    void npyWrittenByNumpySave() throws IOException {
        assertSameArray(expected().get("weight"), Npy.read(resource("fixture.npy")), "weight");
        assertSameArray(Array.of(new double[] {0, 0.25, 0.5, 0.75, 1, 1.25}, 2, 3),
                Npy.read(resource("fixture_fortran.npy")), "Fortran-ordered");
        assertSameArray(Array.of(1, -2, 300000), Npy.read(resource("fixture_bigendian.npy")), "big-endian");
    }

    @Test
    void npzWrittenByNumpySavezAndSavezCompressed() throws IOException {
        assertSameArrays(expected(), Npz.read(resource("fixture.npz")));
        assertSameArrays(expected(), Npz.read(resource("fixture_compressed.npz")));
    }

    @Test
    void solsticeWritesTheSameNpyBytesAsNumpy() throws IOException {
        Path p = dir.resolve("weight.npy");
        Npy.write(p, expected().get("weight"));
        assertEquals(java.util.HexFormat.of().formatHex(java.nio.file.Files.readAllBytes(resource("fixture.npy"))),
                java.util.HexFormat.of().formatHex(java.nio.file.Files.readAllBytes(p)));
    }

    @Test
    void solsticeWritesTheSameSafetensorsDataAsNumpy() throws IOException {
        Path p = dir.resolve("all.safetensors");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "np");
        metadata.put("source", "numpy");
        Safetensors.write(p, expected(), metadata);
        byte[] ours = java.nio.file.Files.readAllBytes(p);
        byte[] theirs = java.nio.file.Files.readAllBytes(resource("fixture.safetensors"));
        // the same compact JSON and padding, so the same bytes
        assertEquals(java.util.HexFormat.of().formatHex(theirs), java.util.HexFormat.of().formatHex(ours));
    }
}
