package dev.solstice.io;

import dev.solstice.Array;
import dev.solstice.core.DenseArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} format: a zip archive holding one {@code .npy} file per array, named
 * {@code <key>.npy}, as {@code numpy.savez} writes it. Written archives are uncompressed (stored), with a
 * fixed timestamp so that equal contents give equal bytes; reading accepts stored and deflated entries (so
 * {@code numpy.savez_compressed} files too). Each entry's size and CRC-32 are checked, and an entry is never
 * expanded beyond the size the archive declares (see {@code ZipArchive}). The dtypes are those of {@link Npy}:
 * every Solstice dtype but bfloat16, which NumPy lacks (convert it with {@code astype(DType.FLOAT32)} first).
 *
 * {@snippet lang=java :
 * import dev.solstice.io.*;
 * Path file = Files.createTempFile("x", ".npz");
 * Npz.write(file, Map.of("w", Jnp.ones(DType.FLOAT32, 2, 3), "b", Array.of(1.0, 2.0)));
 * Npz.read(file).get("b")   // Array(float64[2], [1.0, 2.0])
 * }
 */
public final class Npz {
    private static final LocalDateTime TIMESTAMP = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {}

    /**
     * Writes the arrays (in the map's order) as {@code <key>.npy} entries, atomically replacing {@code file}.
     * A bfloat16 array is refused before anything is written (NumPy has no bfloat16 dtype): convert it with
     * {@code astype(DType.FLOAT32)} first.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("x", ".npz");
     * Npz.write(file, Map.of("ids", Array.of(3, 1, 4), "h", Array.of(DType.FLOAT16, new double[] {0.5}, 1)));
     * Npz.read(file).get("h").dtype().toString()   // float16
     * Npz.write(file, Map.of("b", Array.of(DType.BFLOAT16, new double[] {1}, 1)))   // throws IllegalArgumentException
     * }
     *
     * @throws IllegalArgumentException for an empty name, a bfloat16 array, or one without a concrete value
     */
    public static void write(Path file, Map<String, ? extends Array> arrays) throws IOException {
        List<String> keys = new ArrayList<>();
        List<DenseArray> values = new ArrayList<>();
        for (Map.Entry<String, ? extends Array> e : arrays.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("Npz.write: array names must be non-empty");
            }
            keys.add(e.getKey());
            values.add(Npy.concreteValue(e.getValue(), "array '" + e.getKey() + "'"));
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (int i = 0; i < keys.size(); i++) {
                DenseArray a = values.get(i);
                long size = Npy.encodedSize(a);
                if (size > Integer.MAX_VALUE - 64) {
                    throw new IllegalArgumentException("Npz.write: array '" + keys.get(i) + "' (" + a.aval()
                            + ") is too large for an entry (" + size + " bytes)");
                }
                ByteArrayOutputStream buf = new ByteArrayOutputStream((int) size);
                Npy.writeTo(buf, a);
                byte[] bytes = buf.toByteArray();
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry entry = new ZipEntry(keys.get(i) + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(TIMESTAMP);
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /**
     * The arrays of an archive, by key (entry name without {@code .npy}), in the archive's order. The archive
     * is checked whole (every offset and size against the file, no overlapping entries, sizes and CRC-32s)
     * and an entry is never inflated beyond its declared size; a failure is a {@link MalformedFileException}.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("x", ".npz");
     * Npz.write(file, Map.of("w", Jnp.ones(DType.FLOAT32, 2, 3)));
     * Npz.read(file).get("w")   // float32[2,3]
     * }
     */
    public static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ZipArchive zip = ZipArchive.open(ch, file);
            for (ZipArchive.Entry e : zip.entries()) {
                String name = e.name();
                String where = "entry " + Texts.quoted(name);
                if (name.endsWith("/") || !name.endsWith(".npy")) {
                    throw new MalformedFileException(file, where + " is not a .npy file");
                }
                String key = name.substring(0, name.length() - 4);
                if (out.containsKey(key)) {
                    throw new MalformedFileException(file, where + " appears twice");
                }
                byte[] bytes = zip.bytes(e);
                out.put(key, Npy.readFrom(new ByteArrayInputStream(bytes), bytes.length, file, where));
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
