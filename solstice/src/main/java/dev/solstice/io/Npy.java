package dev.solstice.io;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.DenseArray;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy's {@code .npy} format for one array: the magic {@code \x93NUMPY}, a version byte pair (1.0, 2.0 or
 * 3.0), the header length (2 bytes little-endian in version 1, 4 in versions 2 and 3), a header that is a
 * Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces
 * and a newline so that the data start on a 64-byte boundary, then the elements.
 *
 * <p>Written files are version 1.0 (2.0 when the header does not fit), little-endian, C order, with the
 * descrs {@code <f8}, {@code <f4}, {@code <f2} (float16), {@code <i8}, {@code <i4}, {@code <u4},
 * {@code |i1}, {@code |u1} and {@code |b1}, as {@code numpy.save} writes them; the elements are written bit for
 * bit (a float16 NaN keeps its payload). NumPy has no bfloat16 dtype, so a bfloat16 array is refused with an
 * {@link IllegalArgumentException}: convert it first ({@code x.astype(DType.FLOAT32)}, which is exact). Reading
 * accepts the same descrs, their big-endian forms ({@code >f4}, {@code >i8}, ...) and Fortran order (the
 * result is row-major, little- or big-endian alike). Other dtypes ({@code <i2}, {@code <u8}, {@code <c8},
 * strings, structured and object arrays) are refused with a {@link MalformedFileException} saying so; convert
 * them in NumPy first (for example {@code a.astype(np.int64)}). Every size is checked against the file before
 * anything is allocated.
 *
 * {@snippet lang=java :
 * import dev.solstice.io.*;
 * Path file = Files.createTempFile("x", ".npy");
 * Npy.write(file, Array.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
 * Npy.read(file)   // float32[2,3]
 * }
 */
public final class Npy {
    /** The largest header accepted (NumPy itself refuses headers above 10000 bytes by default). */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {}

    /**
     * Writes one array, atomically replacing {@code file}. A bfloat16 array is refused (NumPy has no bfloat16
     * dtype): write {@code x.astype(DType.FLOAT32)} instead.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("x", ".npy");
     * Npy.write(file, Array.of(1, 2, 3));
     * Files.size(file)   // 140
     * Npy.write(file, Array.of(DType.BFLOAT16, new double[] {1}, 1))   // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException for a bfloat16 array, or one without a concrete value (a tracer)
     */
    public static void write(Path file, Array array) throws IOException {
        DenseArray d = concreteValue(array, "the array");
        AtomicFiles.write(file, out -> writeTo(out, d));
    }

    /**
     * Reads one array.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("x", ".npy");
     * Npy.write(file, Array.of(0.5, 1.5));
     * Npy.read(file)   // Array(float64[2], [0.5, 1.5])
     * Files.writeString(file, "not numpy");
     * Npy.read(file)   // throws MalformedFileException
     * }
     */
    public static Array read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return readFrom(in, size, file, "the array");
        }
    }

    static DenseArray concreteValue(Array a, String what) {
        if (a == null) {
            throw new IllegalArgumentException("cannot write " + what + ": it is null");
        }
        if (a.dtype() == DType.BFLOAT16) {
            throw new IllegalArgumentException("cannot write " + what + " (" + a.aval() + ") as .npy: NumPy has no"
                    + " bfloat16 dtype; convert it first with astype(DType.FLOAT32) (exact), or save it with"
                    + " Safetensors, which has BF16");
        }
        try {
            return a.concrete();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot write " + what + " (" + a.aval() + "): it has no concrete"
                    + " value: " + e.getMessage(), e);
        }
    }

    /** The descr numpy writes for a dtype (without the byte order for bfloat16, which numpy lacks). */
    static String descr(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> "<f8";
            case FLOAT32 -> "<f4";
            case FLOAT16 -> "<f2";
            case INT64 -> "<i8";
            case INT32 -> "<i4";
            case UINT32 -> "<u4";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case BOOL -> "|b1";
            case BFLOAT16 -> throw new IllegalArgumentException("npy: NumPy has no bfloat16 dtype; convert the"
                    + " array first with astype(DType.FLOAT32)");
        };
    }

    /**
     * The dtype of a descr's kind and size ({@code f4} of {@code <f4}), or null when Solstice has none for it.
     * bfloat16 has no descr, so no descr reads as bfloat16.
     */
    static DType dtypeOf(String kindAndSize) {
        for (DType t : DType.values()) {
            if (t != DType.BFLOAT16 && descr(t).substring(1).equals(kindAndSize)) {
                return t;
            }
        }
        return null;
    }

    /** The preamble and header of an array of this dtype and shape. */
    static byte[] header(DType dtype, int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr(dtype) + "', 'fortran_order': False, 'shape': " + s + ", }";
        int major = 1;
        int preamble = 10;
        int total = (preamble + dict.length() + 1 + 63) / 64 * 64;
        if (total - preamble > 65535) {
            major = 2;
            preamble = 12;
            total = (preamble + dict.length() + 1 + 63) / 64 * 64;
        }
        int headerLen = total - preamble;
        ByteArrayOutputStream b = new ByteArrayOutputStream(total);
        b.writeBytes(MAGIC);
        b.write(major);
        b.write(0);
        b.write(headerLen & 0xff);
        b.write((headerLen >>> 8) & 0xff);
        if (major == 2) {
            b.write((headerLen >>> 16) & 0xff);
            b.write((headerLen >>> 24) & 0xff);
        }
        b.writeBytes(dict.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = preamble + dict.length(); i < total - 1; i++) {
            b.write(' ');
        }
        b.write('\n');
        return b.toByteArray();
    }

    /** Writes a whole .npy file's bytes to {@code out}. */
    static void writeTo(OutputStream out, DenseArray a) throws IOException {
        out.write(header(a.dtype(), a.shape()));
        Codec.writeElements(a, out);
    }

    /** The size in bytes of the .npy form of {@code a}. */
    static long encodedSize(DenseArray a) {
        return header(a.dtype(), a.shape()).length + (long) a.size() * Codec.itemSize(a.dtype());
    }

    /**
     * Reads a .npy from a stream that holds exactly {@code available} bytes; {@code what} names the array in
     * messages (with {@code file}).
     */
    static Array readFrom(InputStream in, long available, Path file, String what) throws IOException {
        String pre = what.equals("the array") ? "" : what + ": ";
        if (available < 10) {
            throw new MalformedFileException(file, pre + "not a .npy file: " + available + " bytes, too short for"
                    + " the magic string, version and header length");
        }
        byte[] start = in.readNBytes(8);
        if (start.length < 8) {
            throw new MalformedFileException(file, pre + "truncated before the header");
        }
        if (!Arrays.equals(Arrays.copyOf(start, 6), MAGIC)) {
            throw new MalformedFileException(file, pre + "not a .npy file: it does not start with \\x93NUMPY");
        }
        int major = start[6] & 0xff;
        int minor = start[7] & 0xff;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new MalformedFileException(file, pre + "unsupported .npy version " + major + "." + minor
                    + " (Solstice reads 1.0, 2.0 and 3.0)");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = in.readNBytes(lenBytes);
        if (lb.length < lenBytes) {
            throw new MalformedFileException(file, pre + "truncated in the header length");
        }
        long headerLen = 0;
        for (int i = lenBytes - 1; i >= 0; i--) {
            headerLen = (headerLen << 8) | (lb[i] & 0xff);
        }
        long preamble = 8 + lenBytes;
        if (headerLen > MAX_HEADER_BYTES) {
            throw new MalformedFileException(file, pre + "the header length " + headerLen + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes (corrupt?)");
        }
        if (preamble + headerLen > available) {
            throw new MalformedFileException(file, pre + "the header claims " + headerLen + " bytes but only "
                    + (available - preamble) + " follow (truncated)");
        }
        byte[] hb = in.readNBytes((int) headerLen);
        if (hb.length < headerLen) {
            throw new MalformedFileException(file, pre + "truncated in the header");
        }
        String text;
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(hb)).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedFileException(file, pre + "the version 3.0 header is not valid UTF-8");
            }
        } else {
            text = new String(hb, StandardCharsets.ISO_8859_1);
        }
        Map<String, Object> dict;
        try {
            dict = new DictParser(text).parse();
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, pre + "the header is not a valid .npy header dict: " + e.getMessage(), e);
        }
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new MalformedFileException(file, pre + "the header must have exactly the keys 'descr', 'fortran_order'"
                    + " and 'shape', got " + keys(dict));
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new MalformedFileException(file, pre + "'descr' is not a simple dtype string (structured arrays are"
                    + " not supported)");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new MalformedFileException(file, pre + "'fortran_order' is not True or False");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new MalformedFileException(file, pre + "'shape' is not a tuple of integers");
        }
        String body = descr.length() == 3 ? descr.substring(1) : "";
        char endian = descr.isEmpty() ? '?' : descr.charAt(0);
        DType dtype = dtypeOf(body);
        // numpy writes '|' (no byte order) for one-byte types and '<' or '>' for the others; '<' and '>' are
        // harmless on one byte, '|' on several bytes is ambiguous
        boolean oneByte = dtype != null && Codec.itemSize(dtype) == 1;
        if (dtype == null || (endian != '<' && endian != '>' && endian != '|') || (endian == '|' && !oneByte)) {
            throw new MalformedFileException(file, pre + "dtype " + Texts.quoted(descr) + " is not supported"
                    + (descr.equals("|V2") || descr.equals("<V2") ? " (a bfloat16 array saved through ml_dtypes"
                            + " is a raw void type in .npy: save it as float32)" : "")
                    + " (Solstice reads <f8, <f4, <f2, <i8, <i4, <u4, |i1, |u1 and |b1, or their big-endian forms;"
                    + " convert in NumPy, e.g. a.astype(np.float32) or a.astype(np.int64))");
        }
        ByteOrder order = endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        if (shape.length > Codec.MAX_RANK) {
            throw new MalformedFileException(file, pre + "the shape has " + shape.length + " axes, more than "
                    + Codec.MAX_RANK);
        }
        long count = Codec.elementCount(shape);
        if (count < 0) {
            throw new MalformedFileException(file, pre + "shape " + Texts.shape(shape)
                    + " has more than 2^31-1 elements (Solstice's limit)");
        }
        long need = count * Codec.itemSize(dtype);
        long have = available - preamble - headerLen;
        if (need > have) {
            throw new MalformedFileException(file, pre + descr + Texts.shape(shape) + " needs " + need
                    + " bytes of data but only " + have + " follow the header (truncated)");
        }
        if (need < have) {
            throw new MalformedFileException(file, pre + (have - need) + " unexpected bytes after the data of "
                    + descr + Texts.shape(shape) + " (corrupt)");
        }
        Object data = Codec.readElements(in, dtype, (int) count, order, file, what);
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) shape[i];
        }
        if (fortran) {
            data = Codec.fortranToC(data, s, dtype);
        }
        return Codec.wrap(dtype, shape, data, file, what);
    }

    private static String keys(Map<String, Object> dict) {
        List<String> quoted = new ArrayList<>();
        for (String k : dict.keySet()) {
            if (quoted.size() == 5) {
                quoted.add("... (" + dict.size() + " keys)");
                break;
            }
            quoted.add(Texts.quoted(k));
        }
        return "[" + String.join(", ", quoted) + "]";
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    /**
     * The subset of Python literals a .npy header uses: a dict with string keys whose values are strings,
     * {@code True}/{@code False} or tuples of non-negative integers (read as {@code long[]}); a list value (a
     * structured dtype) reads as a {@code List}. Trailing commas are allowed, as in Python; after the closing
     * brace only spaces and a newline may follow.
     */
    private static final class DictParser {
        private final String s;
        private int pos;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            ws();
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                ws();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                ws();
                expect(':');
                ws();
                Object v = value();
                if (out.put(key, v) != null) {
                    throw new IllegalArgumentException("duplicate key " + Texts.quoted(key));
                }
                ws();
                if (peek() == ',') {
                    pos++;
                    continue;
                }
                ws();
                expect('}');
                break;
            }
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\0') {
                    throw new IllegalArgumentException("unexpected text after the dict at character " + (pos - 1));
                }
            }
            return out;
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of the header");
            }
            return s.charAt(pos);
        }

        private void ws() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n')) {
                pos++;
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at character " + pos + ", found '" + printable(peek()) + "'");
            }
            pos++;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                // a structured dtype's field list: skipped whole (quotes respected), and refused by the caller
                int depth = 0;
                while (true) {
                    char d = peek();
                    if (d == '\'' || d == '"') {
                        string();
                        continue;
                    }
                    pos++;
                    if (d == '[' || d == '(') {
                        depth++;
                    } else if ((d == ']' || d == ')') && --depth == 0) {
                        return List.of("a list (structured dtype)");
                    }
                }
            }
            throw new IllegalArgumentException("unexpected value at character " + pos);
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw new IllegalArgumentException("expected a quoted string at character " + pos);
            }
            int end = s.indexOf(q, pos + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string at character " + pos);
            }
            String v = s.substring(pos + 1, end);
            if (v.indexOf('\\') >= 0 || v.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("unsupported escape in a string at character " + pos);
            }
            pos = end + 1;
            return v;
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean sawComma = false;
            while (true) {
                ws();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                    pos++;
                }
                if (start == pos) {
                    throw new IllegalArgumentException("expected a non-negative integer in the shape at character " + pos);
                }
                if (pos - start > 12) {
                    throw new IllegalArgumentException("a dimension of " + (pos - start) + " digits is too large");
                }
                dims.add(Long.parseLong(s, start, pos, 10));
                ws();
                if (peek() == ',') {
                    pos++;
                    sawComma = true;
                    continue;
                }
                ws();
                expect(')');
                break;
            }
            if (dims.size() == 1 && !sawComma) {
                throw new IllegalArgumentException("(n) is not a tuple: a one-axis shape is written (n,)");
            }
            long[] out = new long[dims.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = dims.get(i);
            }
            return out;
        }
    }
}
