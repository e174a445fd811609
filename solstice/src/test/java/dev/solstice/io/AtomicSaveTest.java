package dev.solstice.io;

import static dev.solstice.io.IoTesting.abstractArray;
import static dev.solstice.io.IoTesting.listing;
import static dev.solstice.io.IoTesting.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves that fail part way (a simulated full disk after any number of bytes, a leaf without a value, an
 * error thrown by the writer) leave no partial file and the old file intact; while a replacement is being
 * written, the target still holds the complete old file.
 */
class AtomicSaveTest {
    @TempDir
    Path dir;

    /** A writer of one format, given the target and which of two models to write. */
    @FunctionalInterface
    interface Save {
        void save(Path target, Map<String, Array> model) throws IOException;
    }

    static Map<String, Array> model(int seed) {
        Map<String, Array> m = new LinkedHashMap<>();
        // large enough (1.2 MB) that a failure can strike between the writer's 64 KB chunks
        m.put("w", sample(DType.FLOAT32, 300 + seed, 1000));
        m.put("b", sample(DType.FLOAT64, 7 + seed));
        m.put("mask", sample(DType.BOOL, 3, 3));
        return m;
    }

    static final Map<String, Save> WRITERS = Map.of(
            "safetensors", Safetensors::write,
            "tree", TreeFiles::serialiseLeaves,
            "npz", Npz::write,
            "npy", (p, m) -> Npy.write(p, m.get("w")));

    /** A stream that fails with a simulated full disk once {@code limit} bytes have gone through it. */
    static final class FullDisk extends FilterOutputStream {
        private final long limit;
        private final Runnable halfway;
        private long written;

        FullDisk(OutputStream out, long limit, Runnable halfway) {
            super(out);
            this.limit = limit;
            this.halfway = halfway;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written < limit / 2 && written + len >= limit / 2) {
                halfway.run();
            }
            if (written + len > limit) {
                int part = (int) (limit - written);
                out.write(b, off, part);
                written = limit;
                throw new IOException("simulated: no space left on the device");
            }
            out.write(b, off, len);
            written += len;
        }
    }

    @Test
    void aSaveThatFailsPartWayLeavesTheOldFile() throws IOException {
        for (Map.Entry<String, Save> w : WRITERS.entrySet()) {
            Path target = dir.resolve("model." + w.getKey());
            w.getValue().save(target, model(0));
            byte[] old = Files.readAllBytes(target);
            // the size of the new file, from a save that succeeds elsewhere
            Path probe = dir.resolve("probe");
            w.getValue().save(probe, model(1));
            long size = Files.size(probe);
            Files.delete(probe);
            for (long limit : new long[] {0, 1, 100, 70_000, size / 2, size - 1}) {
                List<byte[]> seenHalfway = new ArrayList<>();
                AtomicFiles.FAULT_FOR_TESTS.set(out -> new FullDisk(out, limit, () -> {
                    try {
                        seenHalfway.add(Files.readAllBytes(target));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
                try {
                    IOException e = assertThrows(IOException.class, () -> w.getValue().save(target, model(1)),
                            w.getKey() + " failing after " + limit + " bytes");
                    assertTrue(e.getMessage().contains("simulated"), e.getMessage());
                } finally {
                    AtomicFiles.FAULT_FOR_TESTS.remove();
                }
                assertArrayEquals(old, Files.readAllBytes(target), w.getKey() + ": old file intact after " + limit);
                assertEquals(List.of(target.getFileName().toString()), listing(dir), "no temporary file left");
                for (byte[] seen : seenHalfway) {
                    assertArrayEquals(old, seen, w.getKey() + ": the target holds the old file while writing");
                }
            }
            // and the same save without the fault replaces the file whole
            w.getValue().save(target, model(1));
            assertEquals(size, Files.size(target));
            Files.delete(target);
        }
    }

    @Test
    void aLeafWithoutAValueOrAnErrorInTheWriterLeavesTheOldFile() throws IOException {
        Map<String, Array> broken = new LinkedHashMap<>(model(1));
        broken.put("ghost", abstractArray(DType.FLOAT32, 2));
        for (Map.Entry<String, Save> w : WRITERS.entrySet()) {
            Path target = dir.resolve("model." + w.getKey());
            w.getValue().save(target, model(0));
            byte[] old = Files.readAllBytes(target);
            if (!w.getKey().equals("npy")) {
                assertThrows(IllegalArgumentException.class, () -> w.getValue().save(target, broken), w.getKey());
                assertArrayEquals(old, Files.readAllBytes(target), w.getKey());
            }
            // an Error (as an OutOfMemoryError would be) thrown midway by the stream
            AtomicFiles.FAULT_FOR_TESTS.set(out -> new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    throw new OutOfMemoryError("simulated");
                }
            });
            try {
                assertThrows(OutOfMemoryError.class, () -> w.getValue().save(target, model(1)), w.getKey());
            } finally {
                AtomicFiles.FAULT_FOR_TESTS.remove();
            }
            assertArrayEquals(old, Files.readAllBytes(target), w.getKey());
            assertEquals(List.of(target.getFileName().toString()), listing(dir), w.getKey() + ": no temporary file");
            Files.delete(target);
        }
    }
}
