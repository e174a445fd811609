package dev.solstice.io;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A generator of malformed safetensors, .npy and .npz files, each built by hand from the formats'
 * specifications (not by Solstice's writers) as a valid file with one lie in it. The unmodified valid files
 * are exposed too, so that a test can show the builders make files the readers accept: a refusal then
 * comes from the lie, not from a broken builder.
 */
final class HostileFiles {
    private HostileFiles() {}

    /** One hostile file: its format ({@code safetensors}, {@code npy}, {@code npz}), kind, label and bytes. */
    record Hostile(String format, String kind, String label, byte[] bytes) {}

    static String digits(int n) {
        return "9".repeat(n);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static void truncations(List<Hostile> out, String format, byte[] valid) {
        for (int n = 0; n < valid.length; n++) {
            out.add(new Hostile(format, "truncation", "first " + n + " bytes", Arrays.copyOf(valid, n)));
        }
        out.add(new Hostile(format, "truncation", "one byte appended", Arrays.copyOf(valid, valid.length + 1)));
    }

    // ---- safetensors ----------------------------------------------------------------------------------------

    /** 8-byte little-endian header length, the header bytes, the data. */
    static byte[] st(long headerLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(headerLength).put(header).put(data).array();
    }

    static byte[] st(String json, byte[] data) {
        byte[] h = utf8(json);
        return st(h.length, h, data);
    }

    static byte[] st(byte[] header, byte[] data) {
        return st(header.length, header, data);
    }

    /** The valid file: a = float32 [1.5, -2], b = int32 [7]. */
    static final String ST_HEADER = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

    static byte[] stData() {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putInt(7).array();
    }

    static byte[] validSafetensors() {
        return st(ST_HEADER, stData());
    }

    /** A one-tensor header {"t": {dtype, shape, data_offsets}} from raw JSON fragments. */
    static String one(String dtype, String shape, String offsets) {
        return "{\"t\":{\"dtype\":" + dtype + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
    }

    static List<Hostile> safetensors() {
        List<Hostile> out = new ArrayList<>();
        byte[] d = stData();
        byte[] h = utf8(ST_HEADER);
        String f = "safetensors";
        // lying header lengths
        out.add(new Hostile(f, "header length", "past the end", st(h.length + 13, h, d)));
        out.add(new Hostile(f, "header length", "2^64-1", st(-1, h, d)));
        out.add(new Hostile(f, "header length", "2^63", st(Long.MIN_VALUE, h, d)));
        out.add(new Hostile(f, "header length", "zero", st(0, h, d)));
        out.add(new Hostile(f, "header length", "one", st(1, h, d)));
        out.add(new Hostile(f, "header length", "100 MB claimed by a small file", st(99_999_999, h, d)));
        out.add(new Hostile(f, "header length", "over the limit", st(Safetensors.MAX_HEADER_BYTES + 1, h, d)));
        out.add(new Hostile(f, "header length", "cuts the JSON", st(h.length - 5, h, d)));
        out.add(new Hostile(f, "header length", "takes in the data", st(h.length + 4, h, d)));
        // JSON syntax
        out.add(new Hostile(f, "json", "top-level array", st("[1,2]   ", new byte[0])));
        out.add(new Hostile(f, "json", "leading garbage", st("x{}", new byte[0])));
        out.add(new Hostile(f, "json", "unterminated object", st("{\"t\":{\"dtype\":\"F32\"", new byte[0])));
        out.add(new Hostile(f, "json", "unterminated string", st("{\"t", new byte[0])));
        out.add(new Hostile(f, "json", "unterminated huge string", st("{\"" + "x".repeat(200_000), new byte[0])));
        out.add(new Hostile(f, "json", "trailing comma", st("{\"__metadata__\":{\"k\":\"v\",}}", new byte[0])));
        out.add(new Hostile(f, "json", "control character", st("{\"t\u0001\":1}", new byte[0])));
        out.add(new Hostile(f, "json", "invalid escape", st("{\"t\\x\":1}", new byte[0])));
        out.add(new Hostile(f, "json", "lone surrogate escape", st("{\"\\ud800\":1}", new byte[0])));
        out.add(new Hostile(f, "json", "text after the object", st("{} {}", new byte[0])));
        out.add(new Hostile(f, "json", "NaN literal", st(one("\"F32\"", "[NaN]", "[0,0]"), new byte[0])));
        out.add(new Hostile(f, "json", "nesting 100000 deep",
                st("{\"__metadata__\":" + "[".repeat(100_000), new byte[0])));
        out.add(new Hostile(f, "json", "nesting 65 deep", st("{\"m\":" + "{\"x\":".repeat(64) + "1"
                + "}".repeat(65), new byte[0])));
        // names
        out.add(new Hostile(f, "names", "bad UTF-8 (C3 28)", st(concat(utf8("{\""), new byte[] {(byte) 0xc3, 0x28},
                utf8("\":1}")), new byte[0])));
        out.add(new Hostile(f, "names", "overlong UTF-8 (C0 AF)", st(concat(utf8("{\""),
                new byte[] {(byte) 0xc0, (byte) 0xaf}, utf8("\":1}")), new byte[0])));
        out.add(new Hostile(f, "names", "UTF-8 surrogate (ED A0 80)", st(concat(utf8("{\""),
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, utf8("\":1}")), new byte[0])));
        out.add(new Hostile(f, "names", "cut UTF-8 sequence", st(concat(utf8("{\""),
                new byte[] {(byte) 0xe2, (byte) 0x82}, utf8("\":1}")), new byte[0])));
        out.add(new Hostile(f, "names", "duplicate tensor", st("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[8,12]}}", d)));
        out.add(new Hostile(f, "names", "duplicate field", st("{\"t\":{\"dtype\":\"F32\",\"dtype\":\"F32\","
                + "\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4])));
        out.add(new Hostile(f, "names", "1 MB name with a bad entry", st("{\"" + "n".repeat(1 << 20) + "\":7}",
                new byte[0])));
        out.add(new Hostile(f, "names", "1 MB metadata key, not a string",
                st("{\"__metadata__\":{\"" + "k".repeat(1 << 20) + "\":7}}", new byte[0])));
        // numbers
        out.add(new Hostile(f, "numbers", "500000-digit offset", st(one("\"F32\"", "[1]", "[0," + digits(500_000)
                + "]"), new byte[4])));
        out.add(new Hostile(f, "numbers", "500000-digit shape", st(one("\"F32\"", "[" + digits(500_000) + "]",
                "[0,4]"), new byte[4])));
        out.add(new Hostile(f, "numbers", "500000-digit fraction", st(one("\"F32\"", "[1." + digits(500_000) + "]",
                "[0,4]"), new byte[4])));
        out.add(new Hostile(f, "numbers", "huge exponent", st(one("\"F32\"", "[1e999999999999]", "[0,4]"),
                new byte[4])));
        out.add(new Hostile(f, "numbers", "2^64 offset", st(one("\"F32\"", "[1]", "[0,18446744073709551616]"),
                new byte[4])));
        out.add(new Hostile(f, "numbers", "fractional shape", st(one("\"F32\"", "[1.5]", "[0,4]"), new byte[4])));
        out.add(new Hostile(f, "numbers", "2.0 shape", st(one("\"F32\"", "[2.0]", "[0,8]"), new byte[8])));
        out.add(new Hostile(f, "numbers", "negative shape", st(one("\"F32\"", "[-1]", "[0,4]"), new byte[4])));
        out.add(new Hostile(f, "numbers", "negative offset", st(one("\"F32\"", "[1]", "[-4,0]"), new byte[4])));
        out.add(new Hostile(f, "numbers", "string offset", st(one("\"F32\"", "[1]", "[\"0\",4]"), new byte[4])));
        out.add(new Hostile(f, "numbers", "leading zero", st(one("\"F32\"", "[01]", "[0,4]"), new byte[4])));
        // fields
        out.add(new Hostile(f, "fields", "offsets of one number", st(one("\"F32\"", "[1]", "[4]"), new byte[4])));
        out.add(new Hostile(f, "fields", "offsets of three numbers", st(one("\"F32\"", "[1]", "[0,4,8]"),
                new byte[4])));
        out.add(new Hostile(f, "fields", "null offsets", st(one("\"F32\"", "[1]", "null"), new byte[4])));
        out.add(new Hostile(f, "fields", "shape not a list", st(one("\"F32\"", "1", "[0,4]"), new byte[4])));
        out.add(new Hostile(f, "fields", "missing dtype", st("{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4])));
        out.add(new Hostile(f, "fields", "unknown field", st("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[0,4],\"x\":1}}", new byte[4])));
        out.add(new Hostile(f, "fields", "entry not an object", st("{\"t\":[1]}", new byte[0])));
        out.add(new Hostile(f, "fields", "metadata not an object", st("{\"__metadata__\":\"x\"}", new byte[0])));
        out.add(new Hostile(f, "fields", "metadata value a number", st("{\"__metadata__\":{\"k\":1}}", new byte[0])));
        out.add(new Hostile(f, "fields", "65 axes", st(one("\"F32\"", "[" + "1,".repeat(64) + "1]", "[0,4]"),
                new byte[4])));
        out.add(new Hostile(f, "fields", "200000 axes", st(one("\"F32\"", "[" + "1,".repeat(199_999) + "1]",
                "[0,4]"), new byte[4])));
        for (String dt : new String[] {"\"F8_E4M3\"", "\"U64\"", "\"f32\"", "\"\"", "\"float32\"", "\"F32 \"", "32", "null",
            "\"" + "Q".repeat(100_000) + "\""}) {
            out.add(new Hostile(f, "dtype", Texts.clip(dt), st(one(dt, "[1]", "[0,4]"), new byte[4])));
        }
        // ranges
        out.add(new Hostile(f, "ranges", "data shorter than the offsets", st(ST_HEADER, Arrays.copyOf(d, 8))));
        out.add(new Hostile(f, "ranges", "offsets far past the end", st(one("\"F32\"", "[2]",
                "[1000000,1000008]"), new byte[8])));
        out.add(new Hostile(f, "ranges", "17 GB declared, 8 bytes held", st(one("\"F64\"", "[2147483647]",
                "[0,17179869176]"), new byte[8])));
        out.add(new Hostile(f, "ranges", "span disagrees with shape", st(one("\"F32\"", "[3]", "[0,8]"),
                new byte[8])));
        out.add(new Hostile(f, "ranges", "end before begin", st(one("\"F32\"", "[0]", "[8,0]"), new byte[8])));
        out.add(new Hostile(f, "ranges", "overlap", st("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":"
                + "[0,8]},\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8])));
        out.add(new Hostile(f, "ranges", "unsorted overlap", st("{\"b\":{\"dtype\":\"I32\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                new byte[8])));
        out.add(new Hostile(f, "ranges", "gap between tensors", st("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[12,16]}}",
                new byte[16])));
        out.add(new Hostile(f, "ranges", "leading gap", st(one("\"F32\"", "[2]", "[4,12]"), new byte[12])));
        out.add(new Hostile(f, "ranges", "trailing bytes", st(ST_HEADER, Arrays.copyOf(d, 16))));
        out.add(new Hostile(f, "ranges", "no tensors but data", st("{}", new byte[4])));
        out.add(new Hostile(f, "ranges", "same range twice", st("{\"a\":{\"dtype\":\"I32\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[4])));
        // shapes whose element count overflows
        for (String shape : new String[] {"[2147483648]", "[65536,65536,65536,65536]", "[4294967296,4294967296]",
            "[3037000500,3037000500]", "[2147483647,2147483647,4]", "[9223372036854775807]"}) {
            out.add(new Hostile(f, "shape overflow", shape, st(one("\"F32\"", shape, "[0,0]"), new byte[0])));
        }
        out.add(new Hostile(f, "values", "bool byte 2", st(one("\"BOOL\"", "[2]", "[0,2]"), new byte[] {1, 2})));
        truncations(out, f, validSafetensors());
        return out;
    }

    // ---- npy ------------------------------------------------------------------------------------------------

    /** A .npy of the given version with this header text (padded to 64 bytes with a newline) and data. */
    static byte[] npy(int major, int minor, byte[] dict, byte[] data) {
        int pre = major == 1 ? 10 : 12;
        int total = (pre + dict.length + 1 + 63) / 64 * 64;
        int len = total - pre;
        ByteBuffer b = ByteBuffer.allocate(total + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        if (major == 1) {
            b.putShort((short) len);
        } else {
            b.putInt(len);
        }
        b.put(dict);
        for (int i = pre + dict.length; i < total - 1; i++) {
            b.put((byte) ' ');
        }
        return b.put((byte) '\n').put(data).array();
    }

    /** Version 1.0, or 2.0 when the header does not fit a 2-byte length. */
    static byte[] npy(String dict, byte[] data) {
        return npy(dict.length() < 65000 ? 1 : 2, 0, dict.getBytes(StandardCharsets.ISO_8859_1), data);
    }

    static String dict(String descr, String fortran, String shape) {
        return "{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    }

    /** The valid .npy: int32 [[1, 2, 3], [4, 5, 6]]. */
    static byte[] validNpy() {
        ByteBuffer d = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= 6; i++) {
            d.putInt(i);
        }
        return npy(dict("'<i4'", "False", "(2, 3)"), d.array());
    }

    static List<Hostile> npy() {
        List<Hostile> out = new ArrayList<>();
        String f = "npy";
        byte[] good = validNpy();
        byte[] d24 = new byte[24];
        String ok = dict("'<i4'", "False", "(2, 3)");
        // magic and version
        byte[] m = good.clone();
        m[0] = (byte) 0x92;
        out.add(new Hostile(f, "magic", "first byte", m));
        m = good.clone();
        m[1] = 'n';
        out.add(new Hostile(f, "magic", "lower case", m));
        out.add(new Hostile(f, "magic", "a zip file", concat(new byte[] {'P', 'K', 3, 4}, new byte[60])));
        for (int[] v : new int[][] {{0, 0}, {1, 1}, {4, 0}, {255, 255}}) {
            m = good.clone();
            m[6] = (byte) v[0];
            m[7] = (byte) v[1];
            out.add(new Hostile(f, "version", v[0] + "." + v[1], m));
        }
        // header length
        m = good.clone();
        m[8] = 0;
        m[9] = 0;
        out.add(new Hostile(f, "header length", "zero", m));
        m = good.clone();
        m[8] = (byte) 0xff;
        m[9] = (byte) 0xff;
        out.add(new Hostile(f, "header length", "65535 in a small file", m));
        m = good.clone();
        m[8] = 10;
        m[9] = 0;
        out.add(new Hostile(f, "header length", "cuts the dict", m));
        byte[] v2 = npy(2, 0, ok.getBytes(StandardCharsets.ISO_8859_1), d24);
        m = v2.clone();
        m[8] = m[9] = m[10] = m[11] = (byte) 0xff;
        out.add(new Hostile(f, "header length", "2^32-1 (version 2)", m));
        m = v2.clone();
        m[11] = 0x7f;
        out.add(new Hostile(f, "header length", "2^31 (version 2)", m));
        // the header dict
        out.add(new Hostile(f, "header dict", "not a dict", npy("['<i4', False, (2, 3)]", d24)));
        out.add(new Hostile(f, "header dict", "missing key", npy("{'descr': '<i4', 'shape': (2, 3), }", d24)));
        out.add(new Hostile(f, "header dict", "extra key", npy("{'descr': '<i4', 'fortran_order': False, "
                + "'shape': (2, 3), 'x': False}", d24)));
        out.add(new Hostile(f, "header dict", "duplicate key", npy("{'descr': '<i4', 'descr': '<i4', "
                + "'fortran_order': False, 'shape': (2, 3), }", d24)));
        out.add(new Hostile(f, "header dict", "unquoted key", npy("{descr: '<i4', 'fortran_order': False, "
                + "'shape': (2, 3), }", d24)));
        out.add(new Hostile(f, "header dict", "unterminated string", npy("{'descr: '<i4, 'fortran_order': False",
                d24)));
        out.add(new Hostile(f, "header dict", "no closing brace", npy("{'descr': '<i4', 'fortran_order': False, "
                + "'shape': (2, 3), ", d24)));
        out.add(new Hostile(f, "header dict", "text after", npy(ok + " x", d24)));
        out.add(new Hostile(f, "header dict", "empty", npy("", d24)));
        out.add(new Hostile(f, "header dict", "1 MB key", npy(2, 0, ("{'" + "k".repeat(1 << 19) + "': 1}")
                .getBytes(StandardCharsets.ISO_8859_1), d24)));
        out.add(new Hostile(f, "header dict", "escape in a string", npy(dict("'<i\\x34'", "False", "(2, 3)"), d24)));
        out.add(new Hostile(f, "header dict", "bad UTF-8 (version 3)", npy(3, 0, concat(utf8("{'descr': '<i4"),
                new byte[] {(byte) 0xc3, 0x28}, utf8("', 'fortran_order': False, 'shape': (2, 3), }")), d24)));
        // descr
        for (String descr : new String[] {"'<u8'", "'<i2'", "'<c8'", "'|V2'", "'|f2'", "'<f16'", "'f4'", "'|f4'", "'<f4 '", "''", "'=i4'", "3", "None",
            "[('a', '<i4')]", "'" + "<".repeat(1 << 19) + "'", "[" + "[".repeat(100_000)}) {
            out.add(new Hostile(f, "descr", Texts.clip(descr), npy(dict(descr, "False", "(2, 3)"), d24)));
        }
        // fortran_order
        for (String fo : new String[] {"'yes'", "1", "None", "true"}) {
            out.add(new Hostile(f, "fortran_order", fo, npy(dict("'<i4'", fo, "(2, 3)"), d24)));
        }
        out.add(new Hostile(f, "fortran_order", "Fortran data too short", npy(dict("'<i4'", "True", "(2, 3)"),
                new byte[20])));
        // shape
        for (String shape : new String[] {"(6)", "(-1,)", "(2.0, 3)", "(1e3,)", "[2, 3]", "'(2, 3)'", "(2, 3",
            "(" + digits(500_000) + ",)", "(2147483648,)", "(65536, 65536, 65536, 65536)", "(100000, 100000, 100000)",
            "(" + "1, ".repeat(65) + ")", "(" + "1, ".repeat(300_000) + ")", "(2,, 3)"}) {
            out.add(new Hostile(f, "shape", Texts.clip(shape), npy(dict("'<i4'", "False", shape), d24)));
        }
        // data
        out.add(new Hostile(f, "data", "one byte short", Arrays.copyOf(good, good.length - 1)));
        out.add(new Hostile(f, "data", "2 GB declared, 8 bytes held", npy(dict("'<f8'", "False", "(268435455,)"),
                new byte[8])));
        out.add(new Hostile(f, "data", "empty shape with data", npy(dict("'<i4'", "False", "(0,)"), new byte[4])));
        out.add(new Hostile(f, "data", "bool byte 2", npy(dict("'|b1'", "False", "(2,)"), new byte[] {0, 2})));
        truncations(out, f, good);
        return out;
    }

    // ---- npz ------------------------------------------------------------------------------------------------

    /** One zip entry to build. */
    static final class ZipEntrySpec {
        byte[] name;
        byte[] raw;
        boolean deflate;
        boolean descriptor;
        byte[] centralExtra = new byte[0];
        byte[] localExtra = new byte[0];
        byte[] compressed;
        long crc;

        ZipEntrySpec(String name, byte[] raw, boolean deflate) {
            this.name = utf8(name);
            this.raw = raw;
            this.deflate = deflate;
            CRC32 c = new CRC32();
            c.update(raw);
            crc = c.getValue();
            compressed = deflate ? deflate(raw) : raw;
        }
    }

    static byte[] deflate(byte[] raw) {
        Deflater def = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        def.setInput(raw);
        def.finish();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!def.finished()) {
            b.write(buf, 0, def.deflate(buf));
        }
        def.end();
        return b.toByteArray();
    }

    /** A built archive and where its records lie, for patching. */
    static final class BuiltZip {
        byte[] bytes;
        int[] local;
        int[] central;
        int end;

        BuiltZip copy() {
            BuiltZip c = new BuiltZip();
            c.bytes = bytes.clone();
            c.local = local;
            c.central = central;
            c.end = end;
            return c;
        }

        BuiltZip u16(int at, int v) {
            bytes[at] = (byte) v;
            bytes[at + 1] = (byte) (v >>> 8);
            return this;
        }

        BuiltZip u32(int at, long v) {
            for (int i = 0; i < 4; i++) {
                bytes[at + i] = (byte) (v >>> (8 * i));
            }
            return this;
        }
    }

    /** Local headers, data (and descriptors), central directory and end record, as the zip note lays out. */
    static BuiltZip zip(List<ZipEntrySpec> entries) {
        ByteBuffer b = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        BuiltZip z = new BuiltZip();
        z.local = new int[entries.size()];
        z.central = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            ZipEntrySpec e = entries.get(i);
            z.local[i] = b.position();
            b.putInt(0x04034b50).putShort((short) 20).putShort((short) (e.descriptor ? 8 : 0))
                    .putShort((short) (e.deflate ? 8 : 0)).putShort((short) 0).putShort((short) 0x21);
            b.putInt(e.descriptor ? 0 : (int) e.crc).putInt(e.descriptor ? 0 : e.compressed.length)
                    .putInt(e.descriptor ? 0 : e.raw.length);
            b.putShort((short) e.name.length).putShort((short) e.localExtra.length).put(e.name).put(e.localExtra);
            b.put(e.compressed);
            if (e.descriptor) {
                b.putInt(0x08074b50).putInt((int) e.crc).putInt(e.compressed.length).putInt(e.raw.length);
            }
        }
        int cd = b.position();
        for (int i = 0; i < entries.size(); i++) {
            ZipEntrySpec e = entries.get(i);
            z.central[i] = b.position();
            b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) (e.descriptor ? 8 : 0))
                    .putShort((short) (e.deflate ? 8 : 0)).putShort((short) 0).putShort((short) 0x21);
            b.putInt((int) e.crc).putInt(e.compressed.length).putInt(e.raw.length);
            b.putShort((short) e.name.length).putShort((short) e.centralExtra.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(z.local[i]);
            b.put(e.name).put(e.centralExtra);
        }
        z.end = b.position();
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(z.end - cd).putInt(cd).putShort((short) 0);
        z.bytes = Arrays.copyOf(b.array(), b.position());
        return z;
    }

    static byte[] npyOf(Array a) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            Npy.writeTo(b, (DenseArray) a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static List<ZipEntrySpec> validEntries() {
        return List.of(new ZipEntrySpec("a.npy", validNpy(), false),
                new ZipEntrySpec("b.npy", npyOf(IoTesting.sample(DType.FLOAT64, 2, 3)), true));
    }

    /** The valid archive: a stored int32 [2, 3] and a deflated float64 [2, 3]. */
    static BuiltZip validZip() {
        return zip(validEntries());
    }

    /** The same archive with every size and offset in zip64 fields and a zip64 end record. */
    static BuiltZip validZip64() {
        List<ZipEntrySpec> es = validEntries();
        BuiltZip z = zip(es);
        // rebuild with saturated central sizes/offsets and the zip64 extra fields holding them
        long[] offsets = new long[es.size()];
        for (int i = 0; i < es.size(); i++) {
            offsets[i] = z.local[i];
        }
        for (int i = 0; i < es.size(); i++) {
            ZipEntrySpec e = es.get(i);
            e.centralExtra = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1)
                    .putShort((short) 24).putLong(e.raw.length).putLong(e.compressed.length).putLong(offsets[i]).array();
        }
        z = zip(es);
        for (int i = 0; i < es.size(); i++) {
            z.u32(z.central[i] + 20, 0xffffffffL).u32(z.central[i] + 24, 0xffffffffL).u32(z.central[i] + 42, 0xffffffffL);
        }
        int cd = z.central[0];
        int cdSize = z.end - cd;
        ByteBuffer tail = ByteBuffer.allocate(56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
        tail.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(es.size()).putLong(es.size()).putLong(cdSize).putLong(cd);
        tail.putInt(0x07064b50).putInt(0).putLong(z.end).putInt(1);
        tail.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xffff)
                .putShort((short) 0xffff).putInt(-1).putInt(-1).putShort((short) 0);
        BuiltZip out = new BuiltZip();
        out.bytes = concat(Arrays.copyOf(z.bytes, z.end), tail.array());
        out.local = z.local;
        out.central = z.central;
        out.end = z.end + 76;
        return out;
    }

    static List<Hostile> npz() {
        List<Hostile> out = new ArrayList<>();
        String f = "npz";
        BuiltZip v = validZip();
        int c0 = v.central[0];
        int c1 = v.central[1];
        int l0 = v.local[0];
        int l1 = v.local[1];
        int end = v.end;
        // not an archive
        out.add(new Hostile(f, "not a zip", "text", utf8("this is not a zip archive at all, just text")));
        out.add(new Hostile(f, "not a zip", "an npy", validNpy()));
        out.add(new Hostile(f, "not a zip", "22 zero bytes", new byte[22]));
        // end record
        out.add(new Hostile(f, "end record", "comment length lies", v.copy().u16(end + 20, 5).bytes));
        out.add(new Hostile(f, "end record", "directory offset past the end", v.copy().u32(end + 16, 1 << 30).bytes));
        out.add(new Hostile(f, "end record", "directory offset 0", v.copy().u32(end + 16, 0).bytes));
        out.add(new Hostile(f, "end record", "directory size + 1", v.copy().u32(end + 12, end - c0 + 1).bytes));
        out.add(new Hostile(f, "end record", "directory size - 1", v.copy().u32(end + 12, end - c0 - 1).bytes));
        out.add(new Hostile(f, "end record", "directory size 2^32-2", v.copy().u32(end + 12, 0xfffffffeL).bytes));
        out.add(new Hostile(f, "end record", "one entry more", v.copy().u16(end + 8, 3).u16(end + 10, 3).bytes));
        out.add(new Hostile(f, "end record", "one entry fewer", v.copy().u16(end + 8, 1).u16(end + 10, 1).bytes));
        out.add(new Hostile(f, "end record", "65534 entries", v.copy().u16(end + 8, 65534).u16(end + 10, 65534).bytes));
        out.add(new Hostile(f, "end record", "entries on this disk differ", v.copy().u16(end + 8, 1).bytes));
        out.add(new Hostile(f, "end record", "disk 1", v.copy().u16(end + 4, 1).bytes));
        // central directory
        out.add(new Hostile(f, "central directory", "bad signature", v.copy().u32(c1, 0x02014b51).bytes));
        out.add(new Hostile(f, "central directory", "name length past the directory", v.copy().u16(c1 + 28, 60000)
                .bytes));
        out.add(new Hostile(f, "central directory", "extra length past the directory", v.copy().u16(c0 + 30, 9)
                .bytes));
        out.add(new Hostile(f, "central directory", "local header offset past the end", v.copy()
                .u32(c0 + 42, 1 << 20).bytes));
        out.add(new Hostile(f, "central directory", "local header offset 2^32-2", v.copy()
                .u32(c0 + 42, 0xfffffffeL).bytes));
        out.add(new Hostile(f, "central directory", "local header offset into data", v.copy().u32(c0 + 42, 7).bytes));
        out.add(new Hostile(f, "central directory", "start disk 1", v.copy().u16(c0 + 34, 1).bytes));
        out.add(new Hostile(f, "central directory", "size lies (stored)", v.copy().u32(c0 + 24, 1000).bytes));
        out.add(new Hostile(f, "central directory", "compressed size past the directory", v.copy()
                .u32(c1 + 20, 100000).u32(l1 + 18, 100000).bytes));
        out.add(new Hostile(f, "central directory", "CRC lies", v.copy().u32(c0 + 16, 12345).bytes));
        // both headers agree, the data do not
        out.add(new Hostile(f, "CRC", "stored data byte flipped", flip(v, l0 + 30 + 5 + 100)));
        out.add(new Hostile(f, "CRC", "both CRC fields lie", v.copy().u32(c0 + 16, 12345).u32(l0 + 14, 12345).bytes));
        // unsupported features
        out.add(new Hostile(f, "unsupported", "encrypted", v.copy().u16(c0 + 8, 1).u16(l0 + 6, 1).bytes));
        out.add(new Hostile(f, "unsupported", "strong encryption", v.copy().u16(c0 + 8, 0x41).u16(l0 + 6, 0x41)
                .bytes));
        for (int method : new int[] {1, 12, 14, 93, 99}) {
            out.add(new Hostile(f, "unsupported", "method " + method, v.copy().u16(c1 + 10, method)
                    .u16(l1 + 8, method).bytes));
        }
        // local header disagreements
        out.add(new Hostile(f, "local header", "bad signature", v.copy().u32(l1, 0x04034b51).bytes));
        out.add(new Hostile(f, "local header", "other name", flip(v, l0 + 30)));
        out.add(new Hostile(f, "local header", "other method", v.copy().u16(l0 + 8, 8).bytes));
        out.add(new Hostile(f, "local header", "other CRC", v.copy().u32(l0 + 14, 1).bytes));
        out.add(new Hostile(f, "local header", "other size", v.copy().u32(l0 + 22, 1).bytes));
        out.add(new Hostile(f, "local header", "name length into the directory", v.copy().u16(l1 + 26, 60000).bytes));
        out.add(new Hostile(f, "local header", "descriptor flag only here", v.copy().u16(l0 + 6, 8).bytes));
        // names
        out.add(new Hostile(f, "names", "not .npy", v.copy().u16(c0 + 30 + 16 + 2, 'x').u16(l0 + 30 + 2, 'x').bytes));
        out.add(new Hostile(f, "names", "bad UTF-8", v.copy().u16(c0 + 46, 0x28c3).u16(l0 + 30, 0x28c3).bytes));
        List<ZipEntrySpec> dup = List.of(new ZipEntrySpec("a.npy", validNpy(), false),
                new ZipEntrySpec("a.npy", validNpy(), false));
        out.add(new Hostile(f, "names", "duplicate", zip(dup).bytes));
        out.add(new Hostile(f, "names", "directory", zip(List.of(new ZipEntrySpec("d.npy/", new byte[0], false)))
                .bytes));
        // deflate data
        ZipEntrySpec corrupt = new ZipEntrySpec("a.npy", validNpy(), true);
        corrupt.compressed = new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3};
        out.add(new Hostile(f, "deflate", "corrupt stream", zip(List.of(corrupt)).bytes));
        ZipEntrySpec cut = new ZipEntrySpec("a.npy", validNpy(), true);
        cut.compressed = Arrays.copyOf(cut.compressed, cut.compressed.length / 2);
        out.add(new Hostile(f, "deflate", "stream cut short", zip(List.of(cut)).bytes));
        ZipEntrySpec trailing = new ZipEntrySpec("a.npy", validNpy(), true);
        trailing.compressed = concat(trailing.compressed, new byte[] {1, 2, 3});
        out.add(new Hostile(f, "deflate", "bytes after the stream", zip(List.of(trailing)).bytes));
        ZipEntrySpec bad = new ZipEntrySpec("a.npy", utf8("this is no npy file, though its CRC is right"), true);
        out.add(new Hostile(f, "deflate", "inner file not an npy", zip(List.of(bad)).bytes));
        // zip bombs: a size no deflate stream of this length can produce; a stream that inflates past its size;
        // two entries sharing one local header and data
        out.add(new Hostile(f, "zip bomb", "claims 2 GB from a few bytes", v.copy().u32(c1 + 24, 0x7fff0000L).bytes));
        ZipEntrySpec bomb = new ZipEntrySpec("a.npy", new byte[20 << 20], true);
        BuiltZip bz = zip(List.of(bomb));
        out.add(new Hostile(f, "zip bomb", "20 MB of zeros declared as 1000 bytes", bz.copy()
                .u32(bz.central[0] + 24, 1000).u32(22, 1000).bytes));
        ZipEntrySpec honest = new ZipEntrySpec("a.npy", new byte[1 << 20], true);
        BuiltZip hz = zip(List.of(honest));
        out.add(new Hostile(f, "zip bomb", "1 MB of zeros declared as 2 MB", hz.copy().u32(hz.central[0] + 24, 2 << 20)
                .u32(22, 2 << 20).bytes));
        BuiltZip shared = zip(List.of(new ZipEntrySpec("a.npy", validNpy(), false),
                new ZipEntrySpec("a.npy", validNpy(), false)));
        out.add(new Hostile(f, "zip bomb", "two entries, one local header", shared.copy()
                .u32(shared.central[1] + 42, 0).bytes));
        // data descriptors
        ZipEntrySpec streamed = new ZipEntrySpec("a.npy", validNpy(), true);
        streamed.descriptor = true;
        BuiltZip sz = zip(List.of(streamed));
        int descriptor = sz.local[0] + 30 + 5 + streamed.compressed.length;
        out.add(new Hostile(f, "data descriptor", "CRC lies", sz.copy().u32(descriptor + 4, 1).bytes));
        out.add(new Hostile(f, "data descriptor", "size lies", sz.copy().u32(descriptor + 12, 1).bytes));
        byte[] noDescriptor = concat(Arrays.copyOf(sz.bytes, descriptor), Arrays.copyOfRange(sz.bytes, descriptor + 16,
                sz.bytes.length));
        BuiltZip nd = new BuiltZip();
        nd.bytes = noDescriptor;
        nd.u32(noDescriptor.length - 6, descriptor);
        out.add(new Hostile(f, "data descriptor", "missing", nd.bytes));
        // zip64
        BuiltZip z64 = validZip64();
        int e64 = z64.end - 76;
        out.add(new Hostile(f, "zip64", "locator past the end", z64.copy().u32(e64 + 56 + 8, 1 << 30).bytes));
        out.add(new Hostile(f, "zip64", "locator 2^64-1", z64.copy().u32(e64 + 56 + 8, -1).u32(e64 + 56 + 12, -1)
                .bytes));
        out.add(new Hostile(f, "zip64", "locator bad signature", z64.copy().u32(e64 + 56, 0x07064b51).bytes));
        out.add(new Hostile(f, "zip64", "end record bad signature", z64.copy().u32(e64, 0x06064b51).bytes));
        out.add(new Hostile(f, "zip64", "record size lies", z64.copy().u32(e64 + 4, 100).bytes));
        out.add(new Hostile(f, "zip64", "2^40 entries", z64.copy().u32(e64 + 24, 0).u32(e64 + 28, 256)
                .u32(e64 + 32, 0).u32(e64 + 36, 256).bytes));
        out.add(new Hostile(f, "zip64", "directory offset 2^63", z64.copy().u32(e64 + 52, 0x80000000L).bytes));
        out.add(new Hostile(f, "zip64", "directory size lies", z64.copy().u32(e64 + 40, 5).bytes));
        int x0 = z64.central[0] + 46 + 5;
        out.add(new Hostile(f, "zip64", "extra size 2^62", z64.copy().u32(x0 + 4 + 4, 0x40000000L)
                .u32(x0 + 12 + 4, 0x40000000L).bytes));
        out.add(new Hostile(f, "zip64", "extra size 2^64-1", z64.copy().u32(x0 + 4, -1).u32(x0 + 8, -1).bytes));
        out.add(new Hostile(f, "zip64", "extra offset past the end", z64.copy().u32(x0 + 20, 1 << 30).bytes));
        out.add(new Hostile(f, "zip64", "extra too short", z64.copy().u16(x0 + 2, 8).bytes));
        out.add(new Hostile(f, "zip64", "extra of another id", z64.copy().u16(x0, 0x5455).bytes));
        out.add(new Hostile(f, "zip64", "saturated without extra", v.copy().u32(c0 + 24, 0xffffffffL)
                .u32(c0 + 20, 0xffffffffL).bytes));
        out.add(new Hostile(f, "zip64", "end record saturated, no locator", v.copy().u16(end + 8, 0xffff)
                .u16(end + 10, 0xffff).bytes));
        truncations(out, f, v.bytes);
        return out;
    }

    private static byte[] flip(BuiltZip z, int at) {
        byte[] b = z.bytes.clone();
        b[at] ^= 0x40;
        return b;
    }

    /** Every hostile file of the three formats. */
    static List<Hostile> all() {
        List<Hostile> out = new ArrayList<>(safetensors());
        out.addAll(npy());
        out.addAll(npz());
        return out;
    }
}
