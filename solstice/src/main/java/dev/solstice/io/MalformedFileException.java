package dev.solstice.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid file of the format being read: truncated, corrupt, lying about its sizes, or
 * using a feature Solstice does not read. The message names the file and what is wrong with it, and is short:
 * a description longer than {@value #MAX_DESCRIPTION} characters is cut (a hostile file's fields are never
 * repeated whole). Nothing is returned from a file that fails a check: no partial model.
 *
 * {@snippet lang=java :
 * import dev.solstice.io.*;
 * Path file = Files.createTempFile("broken", ".npy");
 * Files.writeString(file, "garbage");
 * Npy.read(file)   // throws MalformedFileException
 * }
 */
public final class MalformedFileException extends IOException {
    /** The most characters of the description a message keeps. */
    public static final int MAX_DESCRIPTION = 240;

    /** The file that was refused (part of the serial form). */
    private final Path file;

    /** A problem with {@code file}, described by {@code what}. */
    public MalformedFileException(Path file, String what) {
        super(file + ": " + shortened(what));
        this.file = file;
    }

    /** A problem with {@code file}, described by {@code what}, found through {@code cause}. */
    public MalformedFileException(Path file, String what, Throwable cause) {
        super(file + ": " + shortened(what), cause);
        this.file = file;
    }

    private static String shortened(String what) {
        if (what == null || what.length() <= MAX_DESCRIPTION) {
            return what;
        }
        return what.substring(0, MAX_DESCRIPTION - 20) + "... (message cut)";
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
