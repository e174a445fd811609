package dev.solstice.io;

import static dev.solstice.io.IoTesting.assertSameArrays;
import static dev.solstice.io.IoTesting.everyDtypeAndRank;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.io.HostileFiles.BuiltZip;
import dev.solstice.io.HostileFiles.Hostile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of {@link HostileFiles} is refused with a short {@link MalformedFileException} (never another
 * exception, an {@link OutOfMemoryError} or a hang), while the valid files the generator starts from are
 * read, and Solstice's own files still round-trip. Prints the table of kinds, counts and the slowest refusal.
 */
class HostileFilesTest {
    /** A refusal's whole message, path included, must be shorter than this. */
    static final int MAX_MESSAGE = 300;

    @TempDir
    Path dir;

    private Object read(String format, Path p) throws IOException {
        return switch (format) {
            case "safetensors" -> Safetensors.readWithMetadata(p);
            case "npy" -> Npy.read(p);
            case "npz" -> Npz.read(p);
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** Per kind: count, refusals, slowest refusal in ms. */
    private static final class Row {
        int count;
        int refused;
        double maxMs;
    }

    @Test
    void everyHostileFileIsRefusedWithAShortMessage() throws IOException {
        List<Hostile> all = HostileFiles.all();
        Map<String, Row> table = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Hostile h : all) {
            Path p = dir.resolve("x." + h.format());
            Files.write(p, h.bytes());
            Row row = table.computeIfAbsent(h.format() + " | " + h.kind(), k -> new Row());
            row.count++;
            long t0 = System.nanoTime();
            Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try {
                    read(h.format(), p);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, () -> h.format() + " / " + h.kind() + " / " + h.label() + ": hangs");
            row.maxMs = Math.max(row.maxMs, (System.nanoTime() - t0) / 1e6);
            String what = h.format() + " / " + h.kind() + " / " + h.label() + ": ";
            if (!(thrown instanceof MalformedFileException m)) {
                failures.add(what + (thrown == null ? "accepted" : "threw " + thrown));
                continue;
            }
            String msg = m.getMessage();
            if (msg.length() >= MAX_MESSAGE || !msg.startsWith(p + ": ") || !p.equals(m.file())
                    || msg.chars().anyMatch(c -> c < 0x20)) {
                failures.add(what + "message of " + msg.length() + " characters: "
                        + msg.substring(0, Math.min(msg.length(), 400)));
                continue;
            }
            row.refused++;
            if (Boolean.getBoolean("solstice.hostile.verbose")) {
                System.out.println(what + msg.substring(p.toString().length() + 2));
            }
        }
        StringBuilder out = new StringBuilder(String.format("%n%-40s %6s %12s %14s%n", "format | kind", "count",
                "all refused", "max ms/file"));
        for (Map.Entry<String, Row> e : table.entrySet()) {
            Row r = e.getValue();
            out.append(String.format("%-40s %6d %12s %14.1f%n", e.getKey(), r.count,
                    r.refused == r.count ? "yes" : "NO (" + (r.count - r.refused) + ")", r.maxMs));
        }
        out.append(String.format("%-40s %6d%n", "total", all.size()));
        System.out.println(out);
        assertTrue(failures.isEmpty(), failures.size() + " not refused cleanly:\n" + String.join("\n",
                failures.subList(0, Math.min(40, failures.size()))));
        assertTrue(all.stream().filter(h -> !h.kind().equals("truncation")).count() >= 100,
                "at least 100 hostile files besides truncations");
    }

    /** The two refusals the issue reported as slow or unclear now name the problem. */
    @Test
    void theReportedFailuresGiveClearMessages() throws IOException {
        Path st = dir.resolve("digits.safetensors");
        Files.write(st, HostileFiles.st(HostileFiles.one("\"F32\"", "[1]", "[0," + HostileFiles.digits(500_000)
                + "]"), new byte[4]));
        MalformedFileException e = org.junit.jupiter.api.Assertions.assertThrows(MalformedFileException.class,
                () -> Safetensors.read(st));
        assertTrue(e.getMessage().contains("a number of 500000 characters"), e.getMessage());
        BuiltZip z = HostileFiles.validZip().copy().u32(HostileFiles.validZip().central[0] + 42, 1 << 20);
        Path npz = dir.resolve("offset.npz");
        Files.write(npz, z.bytes);
        e = org.junit.jupiter.api.Assertions.assertThrows(MalformedFileException.class, () -> Npz.read(npz));
        assertTrue(e.getMessage().contains("entry 'a.npy' has its local header at 1048576"), e.getMessage());
    }

    @Test
    void theGeneratorsValidFilesAreRead() throws IOException {
        Path st = dir.resolve("v.safetensors");
        Files.write(st, HostileFiles.validSafetensors());
        Map<String, Array> t = Safetensors.read(st);
        assertArrayEquals(new float[] {1.5f, -2f}, t.get("a").toFloatArray());
        assertArrayEquals(new int[] {7}, t.get("b").toIntArray());

        Path npy = dir.resolve("v.npy");
        Files.write(npy, HostileFiles.validNpy());
        Array a = Npy.read(npy);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, a.toIntArray());

        for (BuiltZip z : List.of(HostileFiles.validZip(), HostileFiles.validZip64())) {
            Path npz = dir.resolve("v.npz");
            Files.write(npz, z.bytes);
            Map<String, Array> m = Npz.read(npz);
            assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
            assertArrayEquals(a.toIntArray(), m.get("a").toIntArray());
            IoTesting.assertSameArray(IoTesting.sample(dev.solstice.DType.FLOAT64, 2, 3), m.get("b"), "b");
            // an independent reader (the JDK's) agrees that the builder's archive is valid and holds these bytes
            try (ZipFile zf = new ZipFile(npz.toFile())) {
                Enumeration<? extends ZipEntry> es = zf.entries();
                List<String> names = new ArrayList<>();
                while (es.hasMoreElements()) {
                    ZipEntry e = es.nextElement();
                    names.add(e.getName());
                    try (InputStream in = zf.getInputStream(e)) {
                        byte[] bytes = in.readAllBytes();
                        if (e.getName().equals("a.npy")) {
                            assertArrayEquals(HostileFiles.validNpy(), bytes);
                        }
                    }
                }
                assertEquals(List.of("a.npy", "b.npy"), names);
            }
        }
        // a streamed entry (data descriptor) as the JDK's ZipOutputStream writes deflated entries
        HostileFiles.ZipEntrySpec streamed = new HostileFiles.ZipEntrySpec("s.npy", HostileFiles.validNpy(), true);
        streamed.descriptor = true;
        Path npz = dir.resolve("s.npz");
        Files.write(npz, HostileFiles.zip(List.of(streamed)).bytes);
        assertArrayEquals(a.toIntArray(), Npz.read(npz).get("s").toIntArray());
    }

    @Test
    void validFilesStillRoundTrip() throws IOException {
        Map<String, Array> arrays = everyDtypeAndRank();
        Path st = dir.resolve("r.safetensors");
        Safetensors.write(st, arrays, Map.of("k", "v"));
        assertSameArrays(arrays, Safetensors.read(st));
        Path npz = dir.resolve("r.npz");
        Map<String, Array> npyArrays = IoTesting.everyDtypeAndRank(IoTesting.npyDtypes());
        Npz.write(npz, npyArrays);
        assertSameArrays(npyArrays, Npz.read(npz));
        for (Map.Entry<String, Array> e : npyArrays.entrySet()) {
            Path npy = dir.resolve("r.npy");
            Npy.write(npy, e.getValue());
            IoTesting.assertSameArray(e.getValue(), Npy.read(npy), e.getKey());
        }
    }

    @Test
    void longValidNumbersAndNamesAreStillRead() throws IOException {
        // the limits refuse hostile sizes, not long but honest names and metadata
        String name = "n".repeat(10_000);
        Path st = dir.resolve("long.safetensors");
        Files.write(st, HostileFiles.st("{\"" + name + "\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"__metadata__\":{\"k\":\"" + "v".repeat(10_000) + "\"}}", new byte[] {5, 0, 0, 0}));
        Safetensors.Contents c = Safetensors.readWithMetadata(st);
        assertArrayEquals(new int[] {5}, c.tensors().get(name).toIntArray());
        assertEquals(10_000, c.metadata().get("k").length());
    }
}
