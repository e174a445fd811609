package dev.solstice.io;

import dev.solstice.DType;
import dev.solstice.core.Aval;
import dev.solstice.core.DenseArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Raw element bytes of every dtype, read and written in bounded chunks: floats and integers as their IEEE or
 * two's-complement bits (float16 and bfloat16 are the raw 16 bits Solstice stores, uint32 the 32 bits of its
 * {@code int[]} storage, uint8 the byte itself), bool as one byte 0 or 1.
 */
final class Codec {
    /** The chunk size for streaming element bytes (a multiple of every item size). */
    static final int CHUNK = 1 << 16;

    /** The highest rank read (NumPy's limit): no writer makes more axes, and a hostile file may claim millions. */
    static final int MAX_RANK = 64;

    private Codec() {}

    /** Bytes per element in a file (bool takes one byte, as in NumPy and safetensors). */
    static int itemSize(DType dtype) {
        return switch (dtype) {
            case BOOL, INT8, UINT8 -> 1;
            case FLOAT16, BFLOAT16 -> 2;
            case FLOAT32, INT32, UINT32 -> 4;
            case FLOAT64, INT64 -> 8;
        };
    }

    /** The number of elements of a shape, or -1 when it is negative somewhere or above 2^31-1 elements. */
    static long elementCount(long[] shape) {
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                return -1;
            }
        }
        for (long d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return n;
    }

    /** Writes the elements of {@code a} little-endian (bool as one byte, 0 or 1). */
    static void writeElements(DenseArray a, OutputStream out) throws IOException {
        DType dt = a.dtype();
        Object data = a.data();
        int n = a.size();
        int item = itemSize(dt);
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(item, (long) n * item))];
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < n) {
            int count = Math.min(n - done, chunk.length / item);
            bb.clear();
            switch (dt) {
                case FLOAT32 -> bb.asFloatBuffer().put((float[]) data, done, count);
                case FLOAT64 -> bb.asDoubleBuffer().put((double[]) data, done, count);
                case INT32, UINT32 -> bb.asIntBuffer().put((int[]) data, done, count);
                case INT64 -> bb.asLongBuffer().put((long[]) data, done, count);
                case FLOAT16, BFLOAT16 -> bb.asShortBuffer().put((short[]) data, done, count);
                case INT8, UINT8 -> System.arraycopy((byte[]) data, done, chunk, 0, count);
                case BOOL -> {
                    boolean[] b = (boolean[]) data;
                    for (int i = 0; i < count; i++) {
                        chunk[i] = (byte) (b[done + i] ? 1 : 0);
                    }
                }
            }
            out.write(chunk, 0, count * item);
            done += count;
        }
    }

    /**
     * Reads {@code n} elements of {@code dtype} in byte order {@code order}; the caller has checked that the
     * source holds that many bytes, so the storage is allocated first. A short read or a bool byte other than
     * 0 or 1 is a {@link MalformedFileException} naming {@code file} and {@code what}.
     */
    static Object readElements(InputStream in, DType dtype, int n, ByteOrder order, Path file, String what)
            throws IOException {
        Object data = DenseArray.allocate(dtype, n);
        int item = itemSize(dtype);
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(item, (long) n * item))];
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(order);
        int done = 0;
        while (done < n) {
            int count = Math.min(n - done, chunk.length / item);
            int bytes = count * item;
            int got = in.readNBytes(chunk, 0, bytes);
            if (got < bytes) {
                throw new MalformedFileException(file, what + " is truncated: the data end after "
                        + ((long) done * item + got) + " of " + ((long) n * item) + " bytes");
            }
            bb.clear();
            switch (dtype) {
                case FLOAT32 -> bb.asFloatBuffer().get((float[]) data, done, count);
                case FLOAT64 -> bb.asDoubleBuffer().get((double[]) data, done, count);
                case INT32, UINT32 -> bb.asIntBuffer().get((int[]) data, done, count);
                case INT64 -> bb.asLongBuffer().get((long[]) data, done, count);
                case FLOAT16, BFLOAT16 -> bb.asShortBuffer().get((short[]) data, done, count);
                case INT8, UINT8 -> System.arraycopy(chunk, 0, (byte[]) data, done, count);
                case BOOL -> {
                    boolean[] b = (boolean[]) data;
                    for (int i = 0; i < count; i++) {
                        byte v = chunk[i];
                        if (v != 0 && v != 1) {
                            throw new MalformedFileException(file, what + ": bool element " + (done + i)
                                    + " is the byte " + (v & 0xff) + ", not 0 or 1");
                        }
                        b[done + i] = v == 1;
                    }
                }
            }
            done += count;
        }
        return data;
    }

    /** Wraps storage as an array, turning a shape that cannot be an array into a clear error. */
    static DenseArray wrap(DType dtype, long[] shape, Object data, Path file, String what) throws IOException {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) shape[i];
        }
        try {
            return DenseArray.wrap(new Aval(dtype, s), data);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file, what + ": shape " + Texts.shape(shape) + " is not valid: "
                    + Texts.clip(e.getMessage()), e);
        }
    }

    /**
     * Reorders column-major (Fortran) storage of the given shape into row-major order. The shape's element
     * count must match the storage.
     */
    static Object fortranToC(Object data, int[] shape, DType dtype) {
        int rank = shape.length;
        int n = java.lang.reflect.Array.getLength(data);
        if (rank < 2 || n == 0) {
            return data;
        }
        Object out = DenseArray.allocate(dtype, n);
        // column-major strides
        long[] fStride = new long[rank];
        long s = 1;
        for (int k = 0; k < rank; k++) {
            fStride[k] = s;
            s *= shape[k];
        }
        int[] idx = new int[rank];
        long src = 0;
        for (int i = 0; i < n; i++) {
            int j = (int) src;
            switch (dtype) {
                case FLOAT32 -> ((float[]) out)[i] = ((float[]) data)[j];
                case FLOAT64 -> ((double[]) out)[i] = ((double[]) data)[j];
                case INT32, UINT32 -> ((int[]) out)[i] = ((int[]) data)[j];
                case INT64 -> ((long[]) out)[i] = ((long[]) data)[j];
                case FLOAT16, BFLOAT16 -> ((short[]) out)[i] = ((short[]) data)[j];
                case INT8, UINT8 -> ((byte[]) out)[i] = ((byte[]) data)[j];
                case BOOL -> ((boolean[]) out)[i] = ((boolean[]) data)[j];
            }
            // advance the row-major multi-index (last axis fastest) and the matching column-major offset
            for (int k = rank - 1; k >= 0; k--) {
                idx[k]++;
                src += fStride[k];
                if (idx[k] < shape[k]) {
                    break;
                }
                src -= fStride[k] * shape[k];
                idx[k] = 0;
            }
        }
        return out;
    }
}
