package dev.solstice.io;

import dev.solstice.Array;
import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format (Hugging Face's, read by PyTorch, JAX, NumPy and the {@code safetensors} tools):
 * an 8-byte little-endian unsigned header length {@code N}, then {@code N} bytes of UTF-8 JSON mapping each
 * tensor name to its {@code dtype}, {@code shape} and {@code data_offsets} {@code [begin, end]} (relative to
 * the end of the header), with an optional {@code __metadata__} object of string values, then the tensors'
 * bytes, little-endian and row-major, packed without gaps. Written files list the tensors in the map's
 * order and lay their data out widest dtype first, so that each tensor is aligned to its item size.
 *
 * <p>Solstice reads and writes the dtypes {@code F64}, {@code F32}, {@code F16}, {@code BF16}, {@code I64},
 * {@code I32}, {@code U32}, {@code I8}, {@code U8} and {@code BOOL} (one byte, 0 or 1), bit for bit: a float16
 * or bfloat16 tensor keeps its 16 bits (NaN payloads included), uint32 and uint8 their unsigned values. The
 * other safetensors dtypes ({@code F8_E4M3}, {@code F8_E5M2}, {@code I16}, {@code U16}, {@code U64},
 * {@code C64}, ...) are refused with a message naming the tensor; convert them in PyTorch first (for example
 * {@code t.to(torch.float32)}). Writing is atomic (a temporary file is renamed over the target). Reading checks the whole header
 * before allocating any tensor: the header length against the file and against {@value #MAX_HEADER_BYTES}
 * bytes, the JSON, each tensor's byte range against its dtype and shape, and that the ranges tile the data
 * exactly; any failure is a {@link MalformedFileException} naming the file and the problem.
 *
 * {@snippet lang=java :
 * import dev.solstice.io.*;
 * Path file = Files.createTempFile("model", ".safetensors");
 * Safetensors.write(file, Map.of("weight", Jnp.ones(DType.FLOAT32, 4, 3), "bias", Array.of(1f, 2f)));
 * Safetensors.read(file).get("bias")   // Array(float32[2], [1.0, 2.0])
 * Safetensors.write(file, Map.of("h", Array.of(DType.BFLOAT16, new double[] {0.1, -2}, 2)));
 * Safetensors.read(file).get("h").dtype().toString()   // bfloat16
 * }
 */
public final class Safetensors {
    /** The largest header accepted (the limit of the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";

    /** The dtypes of the safetensors specification that Solstice has no type for. */
    private static final Set<String> UNSUPPORTED_DTYPES = Set.of("F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3",
            "F6_E3M2", "I16", "U16", "U64", "C64");

    /** What the refusal of an unsupported dtype lists. */
    private static final String READ_DTYPES = "F64, F32, F16, BF16, I64, I32, U32, I8, U8 and BOOL";

    private Safetensors() {}

    /**
     * What a file holds.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("model", ".safetensors");
     * Safetensors.write(file, Map.of("b", Array.of(1f)), Map.of("format", "pt"));
     * Safetensors.Contents c = Safetensors.readWithMetadata(file);
     * c.metadata()   // {format=pt}
     * c.tensors().get("b")   // Array(float32[1], [1.0])
     * }
     *
     * @param tensors the tensors by name, in the header's order
     * @param metadata the {@code __metadata__} strings (empty when there are none)
     */
    public record Contents(Map<String, Array> tensors, Map<String, String> metadata) {
        /** Makes unmodifiable copies. */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** One tensor's entry in a header, with its byte range relative to the start of the data. */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        Aval aval() {
            int[] s = new int[shape.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (int) shape[i];
            }
            return new Aval(dtype, s);
        }
    }

    /** A checked header: entries in header order, the metadata and where the data start in the file. */
    record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {}

    // ---- writing ------------------------------------------------------------------------------------------

    /**
     * Writes the tensors (in the map's order), atomically replacing {@code file}.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("model", ".safetensors");
     * Safetensors.write(file, Map.of("w", Jnp.zeros(DType.FLOAT32, 2, 2)));
     * Safetensors.read(file).get("w")   // float32[2,2]
     * }
     */
    public static void write(Path file, Map<String, ? extends Array> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes the tensors (in the map's order) and the {@code __metadata__} strings (left out when empty),
     * atomically replacing {@code file}. A tensor's value is taken with {@link Array#concrete()}; one that has
     * none (a tracer) fails the write, leaving {@code file} as it was.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("model", ".safetensors");
     * Safetensors.write(file, Map.of("w", Array.of(1.0)), Map.of("step", "100"));
     * Safetensors.readWithMetadata(file).metadata().get("step")   // 100
     * }
     *
     * @throws IllegalArgumentException for a tensor named {@code __metadata__}, a null name or value, or a
     *     tensor without a concrete value
     */
    public static void write(Path file, Map<String, ? extends Array> tensors, Map<String, String> metadata)
            throws IOException {
        List<String> names = new ArrayList<>();
        List<Array> arrays = new ArrayList<>();
        for (Map.Entry<String, ? extends Array> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("Safetensors.write: null tensor name or value (" + e.getKey() + ")");
            }
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("Safetensors.write: '" + METADATA + "' is reserved and cannot name a tensor");
            }
            names.add(e.getKey());
            arrays.add(e.getValue());
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            Map<String, Object> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("Safetensors.write: null metadata key or value");
                }
                meta.put(e.getKey(), e.getValue());
            }
            header.put(METADATA, meta);
        }
        List<Aval> avals = new ArrayList<>();
        for (Array a : arrays) {
            avals.add(a.aval());
        }
        // the data are laid out widest dtype first (stable), as the reference writer does, so that every
        // tensor starts at a multiple of its item size (the data start on an 8-byte boundary); the header
        // lists the tensors in the map's order
        List<Integer> layout = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            layout.add(i);
        }
        layout.sort(Comparator.comparingInt((Integer i) -> -Codec.itemSize(avals.get(i).dtype())));
        long[] begin = new long[names.size()];
        long offset = 0;
        for (int i : layout) {
            begin[i] = offset;
            offset += (long) avals.get(i).size() * Codec.itemSize(avals.get(i).dtype());
        }
        for (int i = 0; i < names.size(); i++) {
            Aval aval = avals.get(i);
            long bytes = (long) aval.size() * Codec.itemSize(aval.dtype());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtypeName(aval.dtype()));
            List<Object> shape = new ArrayList<>();
            for (int d : aval.shape()) {
                shape.add((long) d);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(begin[i], begin[i] + bytes));
            header.put(names.get(i), info);
        }
        byte[] json = Json.writeUtf8(header);
        // pad with spaces so that the data start on an 8-byte boundary, as the reference writer does
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        Arrays.fill(head, 8 + json.length, head.length, (byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(head);
            for (int i : layout) {
                DenseArray d = concreteValue(names.get(i), arrays.get(i));
                if (!d.aval().equals(avals.get(i))) {
                    throw new IllegalStateException("tensor '" + names.get(i) + "' changed from " + avals.get(i)
                            + " to " + d.aval() + " while being written");
                }
                Codec.writeElements(d, out);
            }
        });
    }

    private static DenseArray concreteValue(String name, Array a) {
        try {
            return a.concrete();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tensor '" + name + "' (" + a.aval() + ") has no concrete value to"
                    + " write: " + e.getMessage(), e);
        }
    }

    /** The safetensors name of a dtype. */
    static String dtypeName(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> "F64";
            case FLOAT32 -> "F32";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case UINT32 -> "U32";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    /** The dtype a safetensors name denotes, or null when Solstice has none for it. */
    static DType dtypeOf(String name) {
        for (DType t : DType.values()) {
            if (dtypeName(t).equals(name)) {
                return t;
            }
        }
        return null;
    }

    // ---- reading ------------------------------------------------------------------------------------------

    /**
     * The tensors of a file, by name, in the header's order.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("model", ".safetensors");
     * Safetensors.write(file, Map.of("ids", Array.of(7, 8)));
     * Safetensors.read(file).get("ids")   // Array(int32[2], [7, 8])
     * }
     */
    public static Map<String, Array> read(Path file) throws IOException {
        return readWithMetadata(file).tensors();
    }

    /**
     * The tensors and metadata of a file.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("model", ".safetensors");
     * Safetensors.write(file, Map.of("w", Array.of(1.0)), Map.of("author", "me"));
     * Safetensors.readWithMetadata(file).metadata()   // {author=me}
     * }
     */
    public static Contents readWithMetadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file);
            return new Contents(readData(ch, file, h), h.metadata());
        }
    }

    /** Reads and checks the header; allocates nothing in proportion to what the header claims. */
    static Header readHeader(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new MalformedFileException(file, "not a safetensors file: " + size
                    + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file, "the header length");
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new MalformedFileException(file, "the header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (corrupt, or not a safetensors file)");
        }
        if (n > size - 8) {
            throw new MalformedFileException(file, "the header claims " + n + " bytes but the file holds only "
                    + (size - 8) + " after the length field (truncated, or not a safetensors file)");
        }
        if (n < 2) {
            throw new MalformedFileException(file, "the header is " + n + " bytes long, too short for a JSON object");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8, file, "the header");
        byte[] bytes = hb.array();
        if (bytes[0] != '{') {
            throw new MalformedFileException(file, "the header does not start with '{' (corrupt, or not a safetensors file)");
        }
        Object parsed;
        try {
            parsed = Json.parse(bytes);
        } catch (Json.JsonException e) {
            throw new MalformedFileException(file, "the header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> top)) {
            throw new MalformedFileException(file, "the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) {
                    throw new MalformedFileException(file, "'" + METADATA + "' is not a JSON object");
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String v)) {
                        throw new MalformedFileException(file, "metadata " + Texts.quoted((String) m.getKey()) + " is not a string");
                    }
                    metadata.put((String) m.getKey(), v);
                }
                continue;
            }
            entries.add(entry(file, name, e.getValue()));
        }
        long dataSize = size - 8 - n;
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry en : sorted) {
            if (en.begin() != expected) {
                throw new MalformedFileException(file, "tensor " + Texts.quoted(en.name()) + " starts at byte "
                        + en.begin() + " of the data, but " + (previous == null ? "the data start at 0" : "tensor "
                        + Texts.quoted(previous) + " ends at " + expected) + " (tensors must be packed without gaps or overlaps)");
            }
            expected = en.end();
            previous = en.name();
        }
        if (expected > dataSize) {
            throw new MalformedFileException(file, "the tensors need " + expected + " bytes of data but the file holds"
                    + " only " + dataSize + " (truncated)");
        }
        if (expected < dataSize) {
            throw new MalformedFileException(file, "the file has " + (dataSize - expected)
                    + " bytes after the last tensor's data (corrupt)");
        }
        return new Header(List.copyOf(entries), metadata, 8 + n);
    }

    private static Entry entry(Path file, String name, Object value) throws MalformedFileException {
        String where = "tensor " + Texts.quoted(name);
        if (!(value instanceof Map<?, ?> info)) {
            throw new MalformedFileException(file, where + ": its header entry is not a JSON object");
        }
        for (Object k : info.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new MalformedFileException(file, where + ": unknown header field " + Texts.quoted((String) k));
            }
        }
        if (!(info.get("dtype") instanceof String dt)) {
            throw new MalformedFileException(file, where + ": missing or non-string 'dtype'");
        }
        DType dtype = dtypeOf(dt);
        if (dtype == null) {
            throw new MalformedFileException(file, where + " has dtype " + Texts.clip(dt)
                    + (UNSUPPORTED_DTYPES.contains(dt) ? ", which Solstice does not read (convert it first, e.g."
                            + " t.to(torch.float32) in PyTorch)" : ", which is not a safetensors dtype")
                    + " (Solstice reads " + READ_DTYPES + ")");
        }
        long[] shape = naturals(file, where, "shape", info.get("shape"));
        long[] offsets = naturals(file, where, "data_offsets", info.get("data_offsets"));
        if (offsets.length != 2) {
            throw new MalformedFileException(file, where + ": 'data_offsets' must be [begin, end], got "
                    + Texts.shape(offsets));
        }
        if (offsets[1] < offsets[0]) {
            throw new MalformedFileException(file, where + ": 'data_offsets' " + Texts.shape(offsets) + " end before they begin");
        }
        if (shape.length > Codec.MAX_RANK) {
            throw new MalformedFileException(file, where + ": the shape has " + shape.length + " axes, more than "
                    + Codec.MAX_RANK);
        }
        long count = Codec.elementCount(shape);
        if (count < 0) {
            throw new MalformedFileException(file, where + ": shape " + Texts.shape(shape)
                    + " has more than 2^31-1 elements (Solstice's limit)");
        }
        long bytes = count * Codec.itemSize(dtype);
        if (offsets[1] - offsets[0] != bytes) {
            throw new MalformedFileException(file, where + ": 'data_offsets' " + Texts.shape(offsets) + " span "
                    + (offsets[1] - offsets[0]) + " bytes but " + dt + Texts.shape(shape) + " needs " + bytes);
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] naturals(Path file, String where, String field, Object v) throws MalformedFileException {
        if (!(v instanceof List<?> list)) {
            throw new MalformedFileException(file, where + ": missing or non-list '" + field + "'");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) {
                throw new MalformedFileException(file, where + ": '" + field + "' must hold non-negative integers"
                        + " below 2^63, got " + Texts.clip(String.valueOf(list.get(i))));
            }
            out[i] = l;
        }
        return out;
    }

    /** Reads the data of every entry of a checked header; the result keeps the header's order. */
    static Map<String, Array> readData(FileChannel ch, Path file, Header h) throws IOException {
        List<Entry> sorted = new ArrayList<>(h.entries());
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Map<String, Array> byName = new LinkedHashMap<>();
        ch.position(h.dataStart());
        InputStream in = Channels.newInputStream(ch);
        for (Entry en : sorted) {
            int n = (int) Codec.elementCount(en.shape());
            String what = "tensor " + Texts.quoted(en.name());
            Object data = Codec.readElements(in, en.dtype(), n, ByteOrder.LITTLE_ENDIAN, file, what);
            byName.put(en.name(), Codec.wrap(en.dtype(), en.shape(), data, file, what));
        }
        Map<String, Array> out = new LinkedHashMap<>();
        for (Entry en : h.entries()) {
            out.put(en.name(), byName.get(en.name()));
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file, String what)
            throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new MalformedFileException(file, what + " is truncated");
            }
            p += r;
        }
    }
}
