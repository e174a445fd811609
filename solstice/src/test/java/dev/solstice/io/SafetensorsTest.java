package dev.solstice.io;

import static dev.solstice.io.IoTesting.abstractArray;
import static dev.solstice.io.IoTesting.assertSameArrays;
import static dev.solstice.io.IoTesting.everyDtypeAndRank;
import static dev.solstice.io.IoTesting.listing;
import static dev.solstice.io.IoTesting.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.solstice.Array;
import dev.solstice.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safetensors: round trips of every dtype and rank, the exact bytes of a small file, and the refusal of
 * truncated, corrupt and lying files (each crafted here byte by byte) with a message naming the file and the
 * problem; atomic writes.
 */
class SafetensorsTest {
    private static final String CHARS = "0123456789[]{},:\" -e.";

    @TempDir
    Path dir;

    /** The bytes of a safetensors file with this header text (not padded) and data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, data);
    }

    static byte[] file(long claimedHeaderLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(claimedHeaderLength).put(header).put(data);
        return b.array();
    }

    private MalformedFileException refused(byte[] bytes, String... fragments) throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, bytes);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        assertEquals(p, e.file());
        return e;
    }

    @Test
    void everyDtypeAndRankRoundTrips() throws IOException {
        Map<String, Array> arrays = everyDtypeAndRank();
        Path p = dir.resolve("all.safetensors");
        Safetensors.write(p, arrays, Map.of("format", "solstice", "note", "ünïcödé \"quoted\"\n"));
        Safetensors.Contents c = Safetensors.readWithMetadata(p);
        assertSameArrays(arrays, c.tensors());
        assertEquals(Map.of("format", "solstice", "note", "ünïcödé \"quoted\"\n"), c.metadata());
        assertSameArrays(arrays, Safetensors.read(p));
        assertEquals(List.of("all.safetensors"), listing(dir));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
            Safetensors.Header h = Safetensors.readHeader(ch, p);
            assertEquals(0, h.dataStart() % 8, "data start 8-aligned");
            for (Safetensors.Entry e : h.entries()) {
                assertEquals(0, e.begin() % Codec.itemSize(e.dtype()), e.name() + " aligned to its item size");
            }
        }
    }

    @Test
    void layoutFollowsTheSpecification() throws IOException {
        Path p = dir.resolve("layout.safetensors");
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("a", Array.of(1f, 2f));
        m.put("b", Array.scalar(true));
        m.put("c", Array.of(new int[] {-2}, 1, 1));
        Safetensors.write(p, m);
        byte[] bytes = Files.readAllBytes(p);
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[12,13]},"
                + "\"c\":{\"dtype\":\"I32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        assertEquals(padded, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0), "header length");
        assertEquals(json + " ".repeat(padded - json.length()), new String(bytes, 8, padded, StandardCharsets.UTF_8));
        // the data widest dtype first: a (F32), c (I32), then b (BOOL)
        assertEquals("0000803f00000040" + "feffffff" + "01",
                HexFormat.of().formatHex(Arrays.copyOfRange(bytes, 8 + padded, bytes.length)));
    }

    @Test
    void emptyMapAndEmptyTensors() throws IOException {
        Path p = dir.resolve("empty.safetensors");
        Safetensors.write(p, Map.of());
        assertEquals(Map.of(), Safetensors.read(p));
        assertEquals(16, Files.size(p)); // 8 + "{}" padded to 8
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("z", sample(DType.FLOAT64, 0, 4));
        m.put("s", sample(DType.FLOAT32));
        m.put("z2", sample(DType.BOOL, 0));
        Safetensors.write(p, m);
        assertSameArrays(m, Safetensors.read(p));
    }

    @Test
    void headerWithWhitespaceAndAnyKeyOrderIsRead() throws IOException {
        // tensors listed in another order than their data, JSON whitespace, the reference writer's padding
        byte[] data = {0, 0, (byte) 0x80, 0x3f, 1, 0};
        String header = "{ \"second\" : {\"shape\": [2], \"dtype\": \"BOOL\", \"data_offsets\": [4, 6]},\n"
                + "  \"first\": {\"data_offsets\": [0, 4], \"dtype\": \"F32\", \"shape\": []} }   ";
        Path p = dir.resolve("ws.safetensors");
        Files.write(p, file(header, data));
        Map<String, Array> m = Safetensors.read(p);
        assertEquals(List.of("second", "first"), List.copyOf(m.keySet()));
        assertEquals(1.0, m.get("first").item());
        assertArrayEquals(new boolean[] {true, false}, m.get("second").toBooleanArray());
    }

    @Test
    void tooShortAndNotSafetensors() throws IOException {
        refused(new byte[0], "too short");
        refused(new byte[] {1, 2, 3, 4, 5}, "too short");
        refused(file("[1, 2]", new byte[0]), "does not start with '{'");
        refused(file("PK\u0003\u0004 a zip?", new byte[0]), "does not start with '{'");
        refused(file(1, new byte[] {'{'}, new byte[0]), "too short for a JSON object");
    }

    @Test
    void headerLengthBeyondTheFileOrTheLimitIsRefused() throws IOException {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        refused(file(1000, h, new byte[10]), "claims 1000 bytes", "only 12");
        refused(file(Safetensors.MAX_HEADER_BYTES + 1, h, new byte[0]), "exceeds the limit");
        refused(file(-1L, h, new byte[0]), "18446744073709551615", "exceeds the limit");
        refused(file(Long.MAX_VALUE, h, new byte[0]), "exceeds the limit");
    }

    @Test
    void invalidJsonIsRefused() throws IOException {
        refused(file("{\"a\": ", new byte[0]), "not valid JSON");
        refused(file("{\"a\":1,}", new byte[0]), "not valid JSON");
        refused(file("{\"a\":{}} x", new byte[0]), "not valid JSON");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "duplicate key");
        byte[] badUtf8 = {'{', '"', (byte) 0xff, '"', ':', '1', '}'};
        refused(file(badUtf8.length, badUtf8, new byte[0]), "UTF-8");
    }

    @Test
    void badEntriesAreRefused() throws IOException {
        refused(file("{\"t\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]),
                "tensor 't' has dtype F8_E4M3, which Solstice does not read");
        refused(file("{\"t\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,2]}}", new byte[2]),
                "not a safetensors dtype");
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "non-negative");
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "non-negative integers");
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
                "[begin, end]");
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]),
                "end before they begin");
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", new byte[4]),
                "unknown header field 'extra'");
        refused(file("{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "'dtype'");
        refused(file("{\"t\":[1]}", new byte[4]), "not a JSON object");
        refused(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "metadata 'k' is not a string");
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20]),
                "span 20 bytes but F32[2, 3] needs 24");
        refused(file("{\"t\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[] {1, 2}),
                "tensor 't'", "byte 2, not 0 or 1");
    }

    @Test
    void offsetsMustTileTheDataExactly() throws IOException {
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]}}";
        // a gap between the tensors
        refused(file(two.formatted(0, 4, 8, 12), new byte[12]), "tensor 'b' starts at byte 8", "ends at 4", "gaps");
        // overlapping tensors
        refused(file(two.formatted(0, 4, 2, 6), new byte[6]), "tensor 'b' starts at byte 2");
        // data not starting at 0
        refused(file(two.formatted(4, 8, 8, 12), new byte[12]), "tensor 'a' starts at byte 4", "the data start at 0");
        // the same range twice
        refused(file(two.formatted(0, 4, 0, 4), new byte[8]), "starts at byte 0");
        // bytes after the last tensor
        refused(file(two.formatted(0, 4, 4, 8), new byte[9]), "1 bytes after the last tensor");
        // fine when exact
        Path ok = dir.resolve("ok.safetensors");
        Files.write(ok, file(two.formatted(4, 8, 0, 4), new byte[8]));
        assertEquals(List.of("a", "b"), List.copyOf(Safetensors.read(ok).keySet()));
    }

    @Test
    void lyingHeaderIsRefusedWithoutAllocating() throws IOException {
        // 4 GB of float64 claimed in a tiny file: refused from the sizes alone (allocating would run out of heap)
        refused(file("{\"t\":{\"dtype\":\"F64\",\"shape\":[500000000],\"data_offsets\":[0,4000000000]}}", new byte[16]),
                "need 4000000000 bytes of data but the file holds only 16", "truncated");
        // more elements than any Java array holds
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[100000,100000,100000],"
                + "\"data_offsets\":[0,4000000000000000]}}", new byte[16]), "more than 2^31-1 elements");
        // an offset beyond 2^63
        refused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", new byte[4]),
                "below 2^63");
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("w", sample(DType.FLOAT32, 2, 3));
        m.put("m", sample(DType.BOOL, 3));
        m.put("k", sample(DType.INT32));
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, m);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        for (int n = 0; n < bytes.length; n++) {
            Files.write(cut, Arrays.copyOf(bytes, n));
            int len = n;
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> Safetensors.read(cut),
                    "truncated to " + len + " bytes");
            assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        }
    }

    @Test
    void corruptedHeaderBytesGiveOnlyClearErrors() throws IOException {
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("layers[0].weight", sample(DType.FLOAT64, 2, 2));
        m.put("layers[0].bias", sample(DType.INT32, 2));
        m.put("mask", sample(DType.BOOL, 4));
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, m);
        byte[] bytes = Files.readAllBytes(good);
        long headerEnd = 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Random rnd = new Random(42);
        Path bad = dir.resolve("flipped.safetensors");
        int refusedCount = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] b = bytes.clone();
            int at = rnd.nextInt((int) headerEnd);
            b[at] = (byte) (trial % 3 == 0 ? b[at] ^ (1 << rnd.nextInt(8)) : CHARS.charAt(rnd.nextInt(CHARS.length())));
            Files.write(bad, b);
            try {
                Map<String, Array> r = Safetensors.read(bad);
                // a change that leaves a valid file (a changed name, a changed space) must still be consistent
                long total = r.values().stream().mapToLong(a -> (long) a.size() * Codec.itemSize(a.dtype())).sum();
                assertEquals(bytes.length - headerEnd, total, "a file read despite a flipped byte at " + at);
            } catch (MalformedFileException e) {
                refusedCount++;
                assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
            } catch (RuntimeException | IOException e) {
                fail("byte " + at + " changed: expected a MalformedFileException, got " + e, e);
            }
        }
        assertTrue(refusedCount > 200, "most corruptions are refused: " + refusedCount);
    }

    @Test
    void failedWriteLeavesTheTargetUntouched() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Safetensors.write(p, Map.of("x", Array.of(1.0, 2.0)));
        byte[] before = Files.readAllBytes(p);
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("big", sample(DType.FLOAT32, 300, 300)); // written before the failure: more than one chunk
        m.put("ghost", abstractArray(DType.FLOAT32, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(p, m));
        assertTrue(e.getMessage().contains("tensor 'ghost'"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p), "the old file is intact");
        assertEquals(List.of("model.safetensors"), listing(dir), "no temporary file is left behind");
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(p, Map.of("__metadata__", Array.of(1f))));
        assertArrayEquals(before, Files.readAllBytes(p));
    }

    @Test
    void writeIntoAMissingDirectoryOrOntoADirectoryFails() throws IOException {
        assertThrows(IOException.class, () -> Safetensors.write(dir.resolve("no/such/dir/x.safetensors"),
                Map.of("x", Array.of(1f))));
        Path sub = Files.createDirectory(dir.resolve("sub.safetensors"));
        assertThrows(IOException.class, () -> Safetensors.write(sub, Map.of("x", Array.of(1f))));
        assertTrue(Files.isDirectory(sub));
        assertEquals(List.of("sub.safetensors"), listing(dir));
    }
}
