package dev.solstice.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Atomic replacement of a file: the content goes to a temporary file in the target's directory, is flushed
 * to the disk ({@code fsync}), and is then renamed over the target. Readers see the old file or the new one,
 * never a half-written one; when writing fails, the temporary file is deleted and the target is untouched.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Tests only: wraps the stream to the temporary file on this thread, to simulate an I/O failure part way
     * through a save (a full disk). Null, the default, leaves the stream as it is.
     */
    static final ThreadLocal<UnaryOperator<OutputStream>> FAULT_FOR_TESTS = new ThreadLocal<>();

    /** Writes the content of a file to a stream (which it must not close). */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code target} by what {@code body} writes, atomically. */
    static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new IOException(target + ": cannot write a file without a parent directory");
        }
        if (Files.isDirectory(abs)) {
            throw new IOException(target + ": is a directory");
        }
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                // CREATE_NEW with the default permissions (the umask), as a plain new file would get
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
        boolean moved = false;
        try {
            try (FileChannel c = ch) {
                OutputStream raw = Channels.newOutputStream(c);
                UnaryOperator<OutputStream> fault = FAULT_FOR_TESTS.get();
                OutputStream out = new BufferedOutputStream(fault == null ? raw : fault.apply(raw), 1 << 16);
                body.writeTo(out);
                out.flush();
                c.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported here (Windows): the rename itself is still atomic
        }
    }
}
