package dev.solstice.core;

/** Naming helpers shared by primitives and error messages. */
final class Names {
    private Names() {}

    private static final ClassValue<String> PRIMITIVE_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return snakeCase(type.getSimpleName());
        }
    };

    /** The default primitive name of a class, computed once per class (it is on every dispatch's path). */
    static String primitiveName(Class<?> type) {
        return PRIMITIVE_NAMES.get(type);
    }

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
