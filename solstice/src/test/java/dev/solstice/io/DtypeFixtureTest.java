package dev.solstice.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * float16, bfloat16, int8, uint8, uint32 and int64 in the three formats, against files written by PyTorch 1.13
 * and NumPy 1.24 (tools/fixtures/dtypes_fixture.py, resources io/dtypes/). The oracle is what those libraries
 * wrote and what they say the files hold (expected.json: the stored bits, torch's widening of each float16 and
 * bfloat16 element, numpy's and torch's rounding of chosen doubles), never Solstice itself. Python is not
 * needed here.
 */
class DtypeFixtureTest {
    @TempDir
    Path dir;

    private static Path resource(String name) {
        return NumpyFixtureTest.resource("dtypes/" + name);
    }

    /** expected.json, parsed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> expectedJson() throws IOException {
        try {
            return (Map<String, Object>) Json.parse(Files.readAllBytes(resource("expected.json")));
        } catch (Json.JsonException e) {
            throw new AssertionError("expected.json does not parse", e);
        }
    }

    /** One fixture tensor as expected.json describes it. */
    record Expected(String name, String stName, int[] shape, long[] bits, List<String> values) {
        DType dtype() {
            return Safetensors.dtypeOf(stName);
        }

        /** An array built from the expected bits alone, independently of any reader. */
        Array build() {
            int n = bits.length;
            Object data = DenseArray.allocate(dtype(), n);
            for (int i = 0; i < n; i++) {
                switch (dtype()) {
                    case FLOAT16, BFLOAT16 -> ((short[]) data)[i] = (short) bits[i];
                    case INT8, UINT8 -> ((byte[]) data)[i] = (byte) bits[i];
                    case FLOAT32 -> ((float[]) data)[i] = Float.intBitsToFloat((int) bits[i]);
                    case INT32, UINT32 -> ((int[]) data)[i] = (int) bits[i];
                    case INT64 -> ((long[]) data)[i] = bits[i];
                    default -> throw new AssertionError("no fixture of " + dtype());
                }
            }
            return DenseArray.wrap(new Aval(dtype(), shape), data);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Expected> expectedTensors() throws IOException {
        Map<String, Object> tensors = (Map<String, Object>) expectedJson().get("tensors");
        Map<String, Expected> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : tensors.entrySet()) {
            Map<String, Object> t = (Map<String, Object>) e.getValue();
            List<Object> shape = (List<Object>) t.get("shape");
            List<Object> bits = (List<Object>) t.get("bits");
            out.put(e.getKey(), new Expected(e.getKey(), (String) t.get("dtype"),
                    shape.stream().mapToInt(o -> ((Long) o).intValue()).toArray(),
                    bits.stream().mapToLong(o -> ((Number) o).longValue()).toArray(),
                    (List<String>) t.get("values")));
        }
        return out;
    }

    /** The stored bits of element i as expected.json writes them (unsigned for floats, the value for integers). */
    private static long storedBits(Array a, int i) {
        Object d = a.concrete().data();
        return switch (a.dtype()) {
            case FLOAT16, BFLOAT16 -> ((short[]) d)[i] & 0xFFFF;
            case INT8 -> ((byte[]) d)[i];
            case UINT8 -> ((byte[]) d)[i] & 0xFF;
            case FLOAT32 -> Float.floatToRawIntBits(((float[]) d)[i]) & 0xFFFFFFFFL;
            case INT32 -> ((int[]) d)[i];
            case UINT32 -> ((int[]) d)[i] & 0xFFFFFFFFL;
            case INT64 -> ((long[]) d)[i];
            default -> throw new AssertionError("no fixture of " + a.dtype());
        };
    }

    /** Same dtype, shape and stored bits; floats also widen to torch's values, integers read as their values. */
    private static void assertHolds(Expected e, Array a, String where) {
        String what = where + " " + e.name();
        assertEquals(e.dtype(), a.dtype(), what + ": dtype");
        assertArrayEquals(e.shape(), a.shape(), what + ": shape");
        for (int i = 0; i < e.bits().length; i++) {
            assertEquals(e.bits()[i], storedBits(a, i), what + ": bits of element " + i);
        }
        if (e.values() != null) {
            double[] got = a.toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                String v = e.values().get(i);
                switch (v) {
                    case "nan" -> assertTrue(Double.isNaN(got[i]), what + " element " + i + " is NaN");
                    case "inf" -> assertEquals(Double.POSITIVE_INFINITY, got[i], what + " element " + i);
                    case "-inf" -> assertEquals(Double.NEGATIVE_INFINITY, got[i], what + " element " + i);
                    default -> assertEquals(Double.doubleToRawLongBits(Double.parseDouble(v)),
                            Double.doubleToRawLongBits(got[i]), what + " element " + i + " widens to torch's " + v);
                }
            }
        } else if (e.dtype() != DType.INT32) {
            assertArrayEquals(e.bits(), a.toLongArray(), what + ": values");
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void safetensorsWrittenByTorchReadToTheirBits() throws IOException {
        Map<String, Expected> want = expectedTensors();
        Map<String, Array> got = Safetensors.read(resource("dtypes.safetensors"));
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()), "tensor names, in order");
        for (Expected e : want.values()) {
            assertHolds(e, got.get(e.name()), "dtypes.safetensors");
        }
    }

    @Test
    void safetensorsWrittenBySolsticeAreTorchsBytes() throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        for (Expected e : expectedTensors().values()) {
            arrays.put(e.name(), e.build());
        }
        Path p = dir.resolve("ours.safetensors");
        Safetensors.write(p, arrays);
        assertEquals(hex(Files.readAllBytes(resource("dtypes.safetensors"))), hex(Files.readAllBytes(p)),
                "the same header, layout and data bytes");
        // and a read-then-write round trip is bit for bit
        Path again = dir.resolve("again.safetensors");
        Safetensors.write(again, Safetensors.read(resource("dtypes.safetensors")));
        assertArrayEquals(Files.readAllBytes(resource("dtypes.safetensors")), Files.readAllBytes(again));
    }

    /** The fixture tensors numpy has a dtype for (bfloat16 and the float32/int32 companions are not in .npy). */
    private static List<Expected> npyTensors() throws IOException {
        List<Expected> out = new ArrayList<>();
        for (Expected e : expectedTensors().values()) {
            if (!List.of("BF16", "F32", "I32").contains(e.stName())) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void npyWrittenByNumpyReadsLittleAndBigEndian() throws IOException {
        List<Expected> tensors = npyTensors();
        assertEquals(5, tensors.size());
        for (Expected e : tensors) {
            assertHolds(e, Npy.read(resource(e.name() + ".npy")), e.name() + ".npy");
            if (Codec.itemSize(e.dtype()) > 1) {
                assertHolds(e, Npy.read(resource(e.name() + "_be.npy")), e.name() + "_be.npy");
            }
        }
    }

    @Test
    void npyWrittenBySolsticeIsNumpysBytes() throws IOException {
        for (Expected e : npyTensors()) {
            Path p = dir.resolve(e.name() + ".npy");
            Npy.write(p, e.build());
            assertEquals(hex(Files.readAllBytes(resource(e.name() + ".npy"))), hex(Files.readAllBytes(p)), e.name());
            // the big-endian file, read and written back, gives numpy's little-endian bytes
            String source = e.name() + (Codec.itemSize(e.dtype()) > 1 ? "_be.npy" : ".npy");
            Npy.write(p, Npy.read(resource(source)));
            assertEquals(hex(Files.readAllBytes(resource(e.name() + ".npy"))), hex(Files.readAllBytes(p)),
                    e.name() + " from big-endian");
        }
    }

    @Test
    void npzWrittenByNumpySavezAndWrittenBack() throws IOException {
        List<Expected> tensors = npyTensors();
        Map<String, Array> got = Npz.read(resource("dtypes.npz"));
        assertEquals(tensors.stream().map(Expected::name).toList(), new ArrayList<>(got.keySet()));
        for (Expected e : tensors) {
            assertHolds(e, got.get(e.name()), "dtypes.npz");
        }
        // Solstice's archive holds numpy's .npy bytes entry by entry (the zip framing differs: timestamps)
        Path p = dir.resolve("ours.npz");
        Npz.write(p, got);
        try (ZipFile z = new ZipFile(p.toFile())) {
            for (Expected e : tensors) {
                ZipEntry entry = z.getEntry(e.name() + ".npy");
                try (InputStream in = z.getInputStream(entry)) {
                    assertArrayEquals(Files.readAllBytes(resource(e.name() + ".npy")), in.readAllBytes(), e.name());
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void conversionsRoundAsNumpyAndTorch() throws IOException {
        List<Object> conversions = (List<Object>) expectedJson().get("conversions");
        assertTrue(conversions.size() > 20);
        for (Object o : conversions) {
            Map<String, Object> c = (Map<String, Object>) o;
            DType t = ((String) c.get("dtype")).equals("float16") ? DType.FLOAT16 : DType.BFLOAT16;
            double x = Double.parseDouble((String) c.get("value"));
            long bits = (Long) c.get("bits");
            Array a = Array.of(t, new double[] {x}, 1);
            assertEquals(Long.toHexString(bits), Long.toHexString(storedBits(a, 0)),
                    t + " of " + c.get("value") + " (" + x + ")");
        }
        // the example of the brief, spelled out: torch.tensor([0.1], dtype=torch.float16).view(torch.int16)
        assertEquals(0x2E66, storedBits(Array.of(DType.FLOAT16, new double[] {0.1}, 1), 0));
    }

    @Test
    void bfloat16IsRefusedByNpyAndNpzWithAClearMessage() throws IOException {
        Array b = Array.of(DType.BFLOAT16, new double[] {1, 2}, 2);
        Path npy = dir.resolve("b.npy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.write(npy, b));
        assertTrue(e.getMessage().contains("bfloat16") && e.getMessage().contains("astype(DType.FLOAT32)"),
                e.getMessage());
        Path npz = dir.resolve("b.npz");
        Map<String, Array> m = new LinkedHashMap<>();
        m.put("ok", Array.of(1f));
        m.put("weights", b);
        e = assertThrows(IllegalArgumentException.class, () -> Npz.write(npz, m));
        assertTrue(e.getMessage().contains("'weights'") && e.getMessage().contains("bfloat16[2]")
                && e.getMessage().contains("astype(DType.FLOAT32)"), e.getMessage());
        assertFalse(Files.exists(npy) || Files.exists(npz), "nothing written");
        // the suggested conversion is exact and writes
        Npy.write(npy, b.astype(DType.FLOAT32));
        assertArrayEquals(new float[] {1, 2}, Npy.read(npy).toFloatArray());
    }

    /** A one-tensor safetensors file with this dtype name and byte count. */
    private Path safetensors(String dtype, int bytes) throws IOException {
        String json = "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[1],\"data_offsets\":[0," + bytes + "]}}";
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            b.write((int) ((long) h.length >>> (8 * i)));
        }
        b.writeBytes(h);
        b.writeBytes(new byte[bytes]);
        Path p = dir.resolve("t.safetensors");
        Files.write(p, b.toByteArray());
        return p;
    }

    @Test
    void unsupportedDtypesAreRefusedByName() throws IOException {
        Map<String, Integer> sizes = Map.of("F8_E4M3", 1, "F8_E5M2", 1, "I16", 2, "U16", 2, "U64", 8, "C64", 8);
        for (Map.Entry<String, Integer> s : sizes.entrySet()) {
            Path p = safetensors(s.getKey(), s.getValue());
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> Safetensors.read(p));
            assertTrue(e.getMessage().contains("tensor 't' has dtype " + s.getKey() + ", which Solstice does not read")
                    && e.getMessage().contains("BF16"), e.getMessage());
        }
        for (String descr : List.of("<i2", "<u2", "<u8", "<c8", "<f16", "|V2", "|f2", "=f2", "<U1", "|O")) {
            Path p = dir.resolve("t.npy");
            Files.write(p, NpyNpzTest.npy("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,), }",
                    new byte[8]));
            MalformedFileException e = assertThrows(MalformedFileException.class, () -> Npy.read(p), descr);
            assertTrue(e.getMessage().contains("dtype '" + descr + "' is not supported")
                    && e.getMessage().contains("<f2"), e.getMessage());
            // np.save of an ml_dtypes bfloat16 array writes a two-byte void descr (ml_dtypes issue #41)
            assertEquals(descr.equals("|V2"), e.getMessage().contains("ml_dtypes"), e.getMessage());
        }
        // one-byte types with an explicit byte order (numpy writes '|', but '<' and '>' mean the same)
        for (String descr : List.of("<i1", ">u1", "|u1", "|i1")) {
            Path p = dir.resolve("t.npy");
            Files.write(p, NpyNpzTest.npy("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,), }",
                    new byte[] {-1, 7}));
            long first = descr.endsWith("u1") ? 255 : -1;
            assertArrayEquals(new long[] {first, 7}, Npy.read(p).toLongArray(), descr);
        }
    }

    @Test
    void fortranOrderOfTheNewDtypes() throws IOException {
        // column-major int64 [[1, 2, 3], [4, 5, 6]] big-endian, and float16 bits little-endian
        byte[] be = new byte[48];
        long[] colMajor = {1, 4, 2, 5, 3, 6};
        for (int i = 0; i < 6; i++) {
            be[8 * i + 7] = (byte) colMajor[i];
        }
        Path p = dir.resolve("f.npy");
        Files.write(p, NpyNpzTest.npy("{'descr': '>i8', 'fortran_order': True, 'shape': (2, 3), }", be));
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, Npy.read(p).toLongArray());
        byte[] le = {0x00, 0x3C, 0x00, 0x44, 0x00, 0x40, 0x00, 0x45}; // 1, 4, 2, 5 as float16
        Files.write(p, NpyNpzTest.npy("{'descr': '<f2', 'fortran_order': True, 'shape': (2, 2), }", le));
        assertArrayEquals(new double[] {1, 2, 4, 5}, Npy.read(p).toDoubleArray());
    }

    @Test
    void treeFilesKeepEveryDtype() throws IOException {
        List<Array> leaves = new ArrayList<>();
        List<Array> zeros = new ArrayList<>();
        for (DType t : DType.values()) {
            Array a = IoTesting.sample(t, 2, 3);
            leaves.add(a);
            zeros.add(DenseArray.wrap(a.aval(), DenseArray.allocate(t, 6)));
        }
        Path p = dir.resolve("tree.bin");
        TreeFiles.serialiseLeaves(p, leaves);
        List<Array> back = TreeFiles.deserialiseLeaves(p, zeros);
        for (int i = 0; i < leaves.size(); i++) {
            IoTesting.assertSameArray(leaves.get(i), back.get(i), leaves.get(i).dtype().toString());
        }
    }
}
