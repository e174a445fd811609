package dev.solstice.io;

import static dev.solstice.io.IoTesting.SHAPES;
import static dev.solstice.io.IoTesting.abstractArray;
import static dev.solstice.io.IoTesting.assertSameArray;
import static dev.solstice.io.IoTesting.assertSameArrays;
import static dev.solstice.io.IoTesting.everyDtypeAndRank;
import static dev.solstice.io.IoTesting.listing;
import static dev.solstice.io.IoTesting.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and .npz: round trips of every dtype and rank, the exact header numpy writes, and bad files refused. */
class NpyNpzTest {
    @TempDir
    Path dir;

    /** The bytes of a .npy version 1.0 file with this header dict (padded here as numpy pads) and data. */
    static byte[] npy(String dict, byte[] data) {
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.write(header.length() & 0xff);
        b.write(header.length() >>> 8);
        b.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(data);
        return b.toByteArray();
    }

    private MalformedFileException refusedNpy(byte[] bytes, String... fragments) throws IOException {
        Path p = dir.resolve("bad.npy");
        Files.write(p, bytes);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        return e;
    }

    private MalformedFileException refusedNpz(byte[] bytes, String... fragments) throws IOException {
        Path p = dir.resolve("bad.npz");
        Files.write(p, bytes);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npz.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void npyRoundTripsEveryDtypeAndRank() throws IOException {
        Path p = dir.resolve("a.npy");
        for (DType dt : IoTesting.npyDtypes()) {
            for (int[] shape : SHAPES) {
                Array a = sample(dt, shape);
                Npy.write(p, a);
                assertSameArray(a, Npy.read(p), dt + Arrays.toString(shape));
                assertEquals(0, (Files.size(p) - (long) a.size() * Codec.itemSize(dt)) % 64, "data 64-aligned");
            }
        }
        assertEquals(List.of("a.npy"), listing(dir));
    }

    @Test
    void npyHeaderIsWhatNumpyWrites() throws IOException {
        Path p = dir.resolve("h.npy");
        Npy.write(p, Array.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        byte[] b = Files.readAllBytes(p);
        assertEquals(128 + 24, b.length);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}, Arrays.copyOf(b, 10));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertEquals(dict + " ".repeat(118 - dict.length() - 1) + "\n", new String(b, 10, 118, StandardCharsets.ISO_8859_1));
        Npy.write(p, Array.of(true, false));
        assertTrue(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                .contains("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }"));
        Npy.write(p, Array.scalar(3));
        assertTrue(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                .contains("{'descr': '<i4', 'fortran_order': False, 'shape': (), }"));
    }

    @Test
    void npyVariantsAreRead() throws IOException {
        Path p = dir.resolve("v.npy");
        // big-endian float64, keys in another order, double quotes, no trailing comma
        byte[] be = {0x3f, (byte) 0xf8, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 0, 0, 0, 0, 0, 0, 0};
        Files.write(p, npy("{\"shape\": (2,), 'fortran_order': False, 'descr': '>f8'}", be));
        assertArrayEquals(new double[] {1.5, -2.0}, Npy.read(p).toDoubleArray());
        // Fortran order: column-major storage of [[0, 1, 2], [3, 4, 5]]
        byte[] f = new byte[24];
        int[] colMajor = {0, 3, 1, 4, 2, 5};
        for (int i = 0; i < 6; i++) {
            f[4 * i] = (byte) colMajor[i];
        }
        Files.write(p, npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", f));
        Array a = Npy.read(p);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, a.toIntArray());
        // version 2.0 (4-byte header length)
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }";
        int total = (12 + dict.length() + 1 + 63) / 64 * 64;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) (total - 12), 0, 0, 0});
        b.writeBytes((dict + " ".repeat(total - 12 - dict.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(new byte[] {7, 0, 0, 0});
        Files.write(p, b.toByteArray());
        assertArrayEquals(new int[] {7}, Npy.read(p).toIntArray());
    }

    @Test
    void badNpyFilesAreRefused() throws IOException {
        refusedNpy(new byte[0], "too short");
        refusedNpy("PK\u0003\u0004xxxxxxxxxxxx".getBytes(StandardCharsets.ISO_8859_1), "\\x93NUMPY");
        byte[] v9 = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        v9[6] = 9;
        refusedNpy(v9, "version 9.0");
        refusedNpy(npy("{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "dtype '<u8' is not supported", "astype(np.int64)");
        refusedNpy(npy("{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }", new byte[2]), "'<i2'");
        refusedNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                "structured");
        refusedNpy(npy("{'descr': '<f4', 'shape': (1,), }", new byte[4]), "exactly the keys");
        refusedNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", new byte[4]), "header");
        refusedNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[4]), "non-negative");
        refusedNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", new byte[12]), "(n,)");
        refusedNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } junk", new byte[4]), "after the dict");
        refusedNpy(npy("{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,), }", new byte[4]), "header");
        // data shorter or longer than the shape needs
        refusedNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20]),
                "needs 24 bytes of data but only 20", "truncated");
        refusedNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[9]), "1 unexpected bytes");
        refusedNpy(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {0, 5}), "not 0 or 1");
        // a lying shape: 4 GB claimed, refused from the sizes alone (allocating would run out of heap)
        refusedNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (500000000,), }", new byte[8]),
                "needs 4000000000 bytes of data but only 8");
        refusedNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", new byte[8]),
                "more than 2^31-1 elements");
        // a header length beyond the file
        byte[] lying = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        lying[8] = (byte) 0xff;
        lying[9] = (byte) 0xff;
        refusedNpy(lying, "the header claims 65535 bytes");
        // every truncation of a valid file
        Path good = dir.resolve("good.npy");
        Npy.write(good, sample(DType.FLOAT64, 2, 3));
        byte[] bytes = Files.readAllBytes(good);
        for (int n = 0; n < bytes.length; n++) {
            refusedNpy(Arrays.copyOf(bytes, n));
        }
    }

    @Test
    void npzRoundTripsEveryDtypeAndRank() throws IOException {
        Map<String, Array> arrays = everyDtypeAndRank(IoTesting.npyDtypes());
        Path p = dir.resolve("all.npz");
        Npz.write(p, arrays);
        assertSameArrays(arrays, Npz.read(p));
        byte[] first = Files.readAllBytes(p);
        Npz.write(p, arrays);
        assertArrayEquals(first, Files.readAllBytes(p), "equal contents give equal bytes");
        Npz.write(p, Map.of());
        assertEquals(Map.of(), Npz.read(p));
        assertEquals(List.of("all.npz"), listing(dir));
    }

    /** A zip built entry by entry: name, bytes, deflated or stored. */
    private static byte[] zip(Object... nameBytesDeflate) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < nameBytesDeflate.length; i += 3) {
                byte[] data = (byte[]) nameBytesDeflate[i + 1];
                ZipEntry e = new ZipEntry((String) nameBytesDeflate[i]);
                if (!(Boolean) nameBytesDeflate[i + 2]) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(data.length);
                    e.setCompressedSize(data.length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(data);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void deflatedNpzIsRead() throws IOException {
        byte[] a = npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
        Path p = dir.resolve("d.npz");
        Files.write(p, zip("a.npy", a, true, "b.npy", a, false));
        Map<String, Array> m = Npz.read(p);
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
        assertArrayEquals(new int[] {1, 2}, m.get("a").toIntArray());
        assertArrayEquals(new int[] {1, 2}, m.get("b").toIntArray());
    }

    @Test
    void badNpzFilesAreRefused() throws IOException {
        byte[] a = npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
        refusedNpz(new byte[0], "not a valid .npz (zip) archive");
        refusedNpz("not a zip at all".getBytes(StandardCharsets.US_ASCII), "not a valid .npz");
        refusedNpz(zip("a.txt", a, false), "entry 'a.txt' is not a .npy file");
        refusedNpz(zip("a.npy", Arrays.copyOf(a, a.length - 1), true), "entry 'a.npy'", "truncated");
        refusedNpz(zip("a.npy", "garbage that is no npy file".getBytes(StandardCharsets.US_ASCII), false), "entry 'a.npy'", "\\x93NUMPY");
        // a flipped data byte in a stored entry: caught by the CRC
        byte[] z = zip("a.npy", a, false);
        int at = indexOf(z, a) + a.length - 1;
        z[at] ^= 0x40;
        refusedNpz(z, "CRC");
        // every truncation of a valid archive
        Path good = dir.resolve("good.npz");
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("x", sample(DType.FLOAT32, 3));
        m.put("y", sample(DType.BOOL, 2, 2));
        Npz.write(good, m);
        byte[] bytes = Files.readAllBytes(good);
        for (int n = 0; n < bytes.length; n++) {
            refusedNpz(Arrays.copyOf(bytes, n));
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void failedWritesLeaveTheTargetUntouched() throws IOException {
        Path npy = dir.resolve("a.npy");
        Path npz = dir.resolve("a.npz");
        Npy.write(npy, Array.of(1.0));
        Npz.write(npz, Map.of("a", Array.of(1.0)));
        byte[] npyBefore = Files.readAllBytes(npy);
        byte[] npzBefore = Files.readAllBytes(npz);
        assertThrows(IllegalArgumentException.class, () -> Npy.write(npy, abstractArray(DType.FLOAT32, 2)));
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("ok", Array.of(1f));
        m.put("ghost", abstractArray(DType.FLOAT32, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npz.write(npz, m));
        assertTrue(e.getMessage().contains("'ghost'"), e.getMessage());
        assertArrayEquals(npyBefore, Files.readAllBytes(npy));
        assertArrayEquals(npzBefore, Files.readAllBytes(npz));
        assertEquals(List.of("a.npy", "a.npz"), listing(dir));
    }
}
