package dev.solstice.io;

/**
 * Short renderings of values taken from a file, for messages: a hostile file may hold a name or a number of
 * megabytes, and a refusal must name it without repeating it whole.
 */
final class Texts {
    /** The most characters of one value a message repeats. */
    static final int MAX_SHOWN = 48;

    private Texts() {}

    /**
     * {@code text}, cut to {@link #MAX_SHOWN} characters with its full length said when longer; control
     * characters show as {@code ?} so that a message stays one printable line.
     */
    static String clip(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() <= MAX_SHOWN ? text
                : text.substring(0, MAX_SHOWN - 8) + "... (" + text.length() + " characters)";
        StringBuilder b = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    /** {@code 'name'}, clipped. */
    static String quoted(String name) {
        return "'" + clip(name) + "'";
    }

    /** A shape as {@code [2, 3]}, with at most eight axes shown. */
    static String shape(long[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i == 8) {
                b.append(", ... (").append(shape.length).append(" axes)");
                break;
            }
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(']').toString();
    }
}
