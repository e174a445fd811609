package dev.solstice.data;

import dev.solstice.Array;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The UCI "Optical Recognition of Handwritten Digits" data (test set; E. Alpaydin, C. Kaynak, 1998, CC BY
 * 4.0; see {@code dev/solstice/data/README.md}): 1797 images of 8x8 pixel counts 0..16 with labels 0..9,
 * read from the classpath resource {@value #RESOURCE}.
 *
 * <p>An instance holds the examples as plain Java arrays (pixels scaled to {@code [0, 1]} by dividing by 16);
 * {@link #images()}, {@link #imagesNchw()} and {@link #labels()} give them as Solstice arrays, and
 * {@link #subset(int[])} picks examples by index (for splits and mini-batches, see {@link Batches}).
 * Instances are immutable.
 *
 * {@snippet lang=java :
 * import dev.solstice.data.*;
 * Digits d = Digits.load();
 * d.images()                      // float32[1797,64]
 * d.label(0)                      // 0
 * }
 */
public final class Digits {
    /** The classpath resource holding the data (gzip-compressed CSV, 65 columns, the label last). */
    public static final String RESOURCE = "/dev/solstice/data/digits.csv.gz";
    /** Number of examples in the full data set. */
    public static final int SIZE = 1797;
    /** Pixels per image (8 x 8). */
    public static final int FEATURES = 64;
    /** Image side length. */
    public static final int SIDE = 8;
    /** Number of classes (digits 0..9). */
    public static final int CLASSES = 10;
    /** The largest pixel count in the raw data; pixels are divided by it. */
    public static final int MAX_PIXEL = 16;

    private final float[] pixels; // [n * 64], row-major
    private final int[] labels; // [n]

    private Digits(float[] pixels, int[] labels) {
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Loads the full data set (1797 examples) from the classpath.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * Digits.load().size()            // 1797
     * }
     *
     * @throws UncheckedIOException when the resource cannot be read
     * @throws IllegalStateException when the resource is missing or a row is malformed (the message names
     *     the line)
     */
    public static Digits load() {
        try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("Digits: the resource " + RESOURCE + " is not on the classpath");
            }
            return parse(new GZIPInputStream(raw), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("Digits: cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses digits CSV text (no header; 64 pixel counts in 0..16, then the label in 0..9, per line; blank
     * lines are skipped).
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "16,".repeat(64) + "7\n";
     * Digits d = Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows");
     * d.labelArray()                  // [3, 7]
     * Digits.parse(new java.io.ByteArrayInputStream("1,2\n".getBytes()), "short")   // throws IllegalStateException
     * }
     *
     * @param in the uncompressed CSV text (UTF-8); not closed
     * @param source a name for error messages
     * @throws IOException when reading fails
     * @throws IllegalStateException when a line has the wrong number of fields or a value out of range
     */
    public static Digits parse(InputStream in, String source) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        float[] px = new float[SIZE * FEATURES];
        int[] lab = new int[SIZE];
        int n = 0;
        int lineNo = 0;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != FEATURES + 1) {
                throw new IllegalStateException("Digits: " + source + " line " + lineNo + " has " + f.length
                        + " fields, expected " + (FEATURES + 1));
            }
            if (n == lab.length) {
                lab = Arrays.copyOf(lab, lab.length * 2);
                px = Arrays.copyOf(px, px.length * 2);
            }
            for (int j = 0; j <= FEATURES; j++) {
                int v;
                try {
                    v = Integer.parseInt(f[j].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("Digits: " + source + " line " + lineNo + " field " + (j + 1)
                            + " is not an integer: '" + f[j] + "'", e);
                }
                int max = j < FEATURES ? MAX_PIXEL : CLASSES - 1;
                if (v < 0 || v > max) {
                    throw new IllegalStateException("Digits: " + source + " line " + lineNo + " field " + (j + 1)
                            + " is " + v + ", outside 0.." + max);
                }
                if (j < FEATURES) {
                    px[n * FEATURES + j] = v / (float) MAX_PIXEL;
                } else {
                    lab[n] = v;
                }
            }
            n++;
        }
        return new Digits(Arrays.copyOf(px, n * FEATURES), Arrays.copyOf(lab, n));
    }

    /**
     * The number of examples.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "16,".repeat(64) + "7\n";
     * Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows").size()   // 2
     * }
     */
    public int size() {
        return labels.length;
    }

    /**
     * The images as float32 {@code [n, 64]}, pixels in {@code [0, 1]}, row-major within each image.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "16,".repeat(64) + "7\n";
     * Array x = Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows").images();
     * x                               // float32[2,64]
     * x.get(1).get(0).item()          // 1.0
     * }
     */
    public Array images() {
        return Array.of(pixels.clone(), size(), FEATURES);
    }

    /**
     * The images as float32 {@code [n, 1, 8, 8]} (one channel, for convolutions), pixels in {@code [0, 1]}.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "8,".repeat(64) + "7\n";
     * Array x = Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows").imagesNchw();
     * x                               // float32[2,1,8,8]
     * x.get(1).get(0).get(7).get(7).item()   // 0.5
     * }
     */
    public Array imagesNchw() {
        return Array.of(pixels.clone(), size(), 1, SIDE, SIDE);
    }

    /**
     * The labels as int32 {@code [n]}, each in 0..9.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "16,".repeat(64) + "7\n";
     * Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows").labels()   // [3, 7]
     * }
     */
    public Array labels() {
        return Array.of(labels.clone(), size());
    }

    /**
     * The label of example {@code i}.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "16,".repeat(64) + "7\n";
     * Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows").label(1)   // 7
     * }
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * A copy of the labels.
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "16,".repeat(64) + "7\n";
     * Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows").labelArray()   // [3, 7]
     * }
     */
    public int[] labelArray() {
        return labels.clone();
    }

    /**
     * The examples at the given indices, in that order (repeats allowed).
     *
     * {@snippet lang=java :
     * import dev.solstice.data.*;
     * String csv = "0,".repeat(64) + "3\n" + "16,".repeat(64) + "7\n";
     * Digits d = Digits.parse(new java.io.ByteArrayInputStream(csv.getBytes()), "two rows");
     * d.subset(new int[] {1, 1, 0}).labelArray()   // [7, 7, 3]
     * d.subset(new int[] {2})                      // throws IndexOutOfBoundsException
     * }
     *
     * @throws IndexOutOfBoundsException when an index is outside {@code [0, size())}
     */
    public Digits subset(int[] indices) {
        float[] px = new float[indices.length * FEATURES];
        int[] lab = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("Digits.subset: index " + i + " outside [0, " + size() + ")");
            }
            System.arraycopy(pixels, i * FEATURES, px, k * FEATURES, FEATURES);
            lab[k] = labels[i];
        }
        return new Digits(px, lab);
    }

    @Override
    public String toString() {
        return "Digits[" + size() + " examples]";
    }
}
