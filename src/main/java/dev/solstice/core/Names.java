package dev.solstice.core;

/** Naming helpers shared by primitives and error messages. */
final class Names {
    private Names() {}

    /** {@code DotGeneral} becomes {@code dot_general}. */
    static String snakeCase(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
