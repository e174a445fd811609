package dev.solstice.io;

import dev.solstice.Array;
import dev.solstice.core.DenseArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} format: a zip archive holding one {@code .npy} file per array, named
 * {@code <key>.npy}, as {@code numpy.savez} writes it. Written archives are uncompressed (stored), with a
 * fixed timestamp so that equal contents give equal bytes; reading accepts stored and deflated entries (so
 * {@code numpy.savez_compressed} files too). Each entry's size and CRC-32 are checked, and an entry is never
 * expanded beyond the size the archive declares.
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
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("x", ".npz");
     * Npz.write(file, Map.of("ids", Array.of(3, 1, 4)));
     * Npz.read(file).keySet()   // [ids]
     * }
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
     * The arrays of an archive, by key (entry name without {@code .npy}), in the archive's order.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("x", ".npz");
     * Npz.write(file, Map.of("w", Jnp.ones(DType.FLOAT32, 2, 3)));
     * Npz.read(file).get("w")   // float32[2,3]
     * }
     */
    public static Map<String, Array> read(Path file) throws IOException {
        ZipFile zf;
        try {
            zf = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new MalformedFileException(file, "not a valid .npz (zip) archive: " + e.getMessage(), e);
        }
        Map<String, Array> out = new LinkedHashMap<>();
        try (zf) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".npy")) {
                    throw new MalformedFileException(file, "entry '" + name + "' is not a .npy file");
                }
                String key = name.substring(0, name.length() - 4);
                if (out.containsKey(key)) {
                    throw new MalformedFileException(file, "entry '" + name + "' appears twice");
                }
                byte[] bytes = entryBytes(zf, e, file);
                out.put(key, Npy.readFrom(new ByteArrayInputStream(bytes), bytes.length, file, "entry '" + name + "'"));
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new MalformedFileException(file, "corrupt .npz (zip) archive: " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(out);
    }

    /** An entry's bytes, read in growing steps and never beyond the declared size; size and CRC checked. */
    private static byte[] entryBytes(ZipFile zf, ZipEntry e, Path file) throws IOException {
        String where = "entry '" + e.getName() + "'";
        long declared = e.getSize();
        if (declared > Integer.MAX_VALUE - 64) {
            throw new MalformedFileException(file, where + " declares " + declared + " bytes, more than Solstice"
                    + " reads from one entry");
        }
        long limit = declared >= 0 ? declared : Integer.MAX_VALUE - 64;
        byte[] buf = new byte[(int) Math.min(limit + 1, 1 << 16)];
        int n = 0;
        try (InputStream in = zf.getInputStream(e)) {
            while (true) {
                if (n == buf.length) {
                    if (n > limit) {
                        break;
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, Math.max(2L * buf.length, 1)));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (ZipException | java.io.EOFException ex) {
            throw new MalformedFileException(file, where + " is corrupt: " + ex.getMessage(), ex);
        }
        if (declared >= 0 && n != declared) {
            throw new MalformedFileException(file, where + " declares " + declared + " bytes but holds "
                    + (n > declared ? "more" : String.valueOf(n)) + " (corrupt or truncated)");
        }
        byte[] bytes = Arrays.copyOf(buf, n);
        if (e.getCrc() != -1) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            if (crc.getValue() != e.getCrc()) {
                throw new MalformedFileException(file, where + " fails its CRC-32 check (corrupt)");
            }
        }
        return bytes;
    }
}
