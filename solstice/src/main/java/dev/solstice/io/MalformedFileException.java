package dev.solstice.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid file of the format being read: truncated, corrupt, lying about its sizes, or
 * using a feature Solstice does not read. The message names the file and what is wrong with it. Nothing is
 * returned from a file that fails a check: no partial model.
 *
 * {@snippet lang=java :
 * import dev.solstice.io.*;
 * Path file = Files.createTempFile("broken", ".npy");
 * Files.writeString(file, "garbage");
 * Npy.read(file)   // throws MalformedFileException
 * }
 */
public final class MalformedFileException extends IOException {
    /** The file that was refused (part of the serial form). */
    private final Path file;

    /** A problem with {@code file}, described by {@code what}. */
    public MalformedFileException(Path file, String what) {
        super(file + ": " + what);
        this.file = file;
    }

    /** A problem with {@code file}, described by {@code what}, found through {@code cause}. */
    public MalformedFileException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
        this.file = file;
    }

    /**
     * The file that was refused.
     *
     * {@snippet lang=java :
     * import dev.solstice.io.*;
     * Path file = Files.createTempFile("broken", ".npy");
     * var e = new MalformedFileException(file, "a truncated header");
     * e.file().equals(file)   // true
     * }
     */
    public Path file() {
        return file;
    }
}
