package dev.solstice.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer: just what the safetensors header needs. Objects read as
 * insertion-ordered maps (duplicate keys are refused), arrays as lists, strings as strings, integers as
 * {@link Long} (or {@link BigInteger} when they do not fit), other numbers as {@link BigDecimal}, {@code true}
 * and {@code false} as booleans and {@code null} as {@code null}. Invalid UTF-8, unescaped control
 * characters, lone surrogates, leading zeros, trailing commas, trailing text, numbers longer than
 * {@value #MAX_NUMBER_CHARS} characters and nesting deeper than {@value #MAX_DEPTH} levels are all refused with a {@link JsonException} that says where.
 */
final class Json {
    /** The deepest nesting accepted. */
    static final int MAX_DEPTH = 64;

    /**
     * The longest number accepted, in characters: converting a longer one to {@link BigInteger} or
     * {@link BigDecimal} costs more than linear time, so a hostile header of a million digits is refused as
     * soon as it is scanned.
     */
    static final int MAX_NUMBER_CHARS = 100;

    private Json() {}

    /** A syntax error, with the character offset where it was found. */
    static final class JsonException extends Exception {
        JsonException(String message) {
            super(message);
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /** Parses a complete UTF-8 document (whitespace may surround the value). */
    static Object parse(byte[] utf8) throws JsonException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("not valid UTF-8");
        }
        return parse(text);
    }

    /** Parses a complete document (whitespace may surround the value). */
    static Object parse(String text) throws JsonException {
        Reader r = new Reader(text);
        r.skipWhitespace();
        Object v = r.value(0);
        r.skipWhitespace();
        if (r.pos != text.length()) {
            throw r.error("unexpected text after the JSON value");
        }
        return v;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        /** Instances of short strings already read (bounded). */
        private final Map<String, String> shortStrings = new HashMap<>();

        private String shared(String v) {
            if (v.length() > 16) {
                return v;
            }
            String seen = shortStrings.get(v);
            if (seen != null) {
                return seen;
            }
            if (shortStrings.size() < 1024) {
                shortStrings.put(v, v);
            }
            return v;
        }

        Reader(String s) {
            this.s = s;
        }

        JsonException error(String what) {
            return new JsonException(what + " at character " + pos);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of JSON");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + printable(c) + "'");
                }
            };
        }

        private Object literal(String word, Object v) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error("invalid literal");
            }
            pos += word.length();
            return v;
        }

        private Map<String, Object> object(int depth) throws JsonException {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
            pos++; // {
            Map<String, Object> out = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return out;
            }
            while (true) {
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a string key");
                }
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object v = value(depth);
                if (out.containsKey(key)) {
                    pos = keyAt;
                    throw error("duplicate key \"" + Texts.clip(key) + "\"");
                }
                out.put(key, v);
                skipWhitespace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return out;
            }
        }

        private List<Object> array(int depth) throws JsonException {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
            pos++; // [
            List<Object> out = new ArrayList<>();
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return out;
            }
            while (true) {
                skipWhitespace();
                out.add(value(depth));
                skipWhitespace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return out;
            }
        }

        private void expect(char c) throws JsonException {
            if (pos >= s.length()) {
                throw error("unexpected end of JSON (expected '" + c + "')");
            }
            if (s.charAt(pos) != c) {
                throw error("expected '" + c + "' but found '" + printable(s.charAt(pos)) + "'");
            }
            pos++;
        }

        private String string() throws JsonException {
            pos++; // opening quote
            int start = pos;
            // the common case, a string without escapes, is one substring; short ones (keys such as "dtype",
            // repeated for every tensor) share one instance, so a header of many small entries costs less
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return shared(s.substring(start, pos - 1));
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            StringBuilder b = new StringBuilder().append(s, start, pos);
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("unescaped control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    pos++;
                    continue;
                }
                pos++;
                if (pos >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        char u = hex4();
                        if (Character.isHighSurrogate(u)) {
                            if (!s.startsWith("\\u", pos)) {
                                throw error("lone surrogate in a \\u escape");
                            }
                            pos += 2;
                            char low = hex4();
                            if (!Character.isLowSurrogate(low)) {
                                throw error("lone surrogate in a \\u escape");
                            }
                            b.append(u).append(low);
                        } else if (Character.isLowSurrogate(u)) {
                            throw error("lone surrogate in a \\u escape");
                        } else {
                            b.append(u);
                        }
                    }
                    default -> {
                        pos--;
                        throw error("invalid escape '\\" + printable(e) + "'");
                    }
                }
            }
        }

        private char hex4() throws JsonException {
            if (pos + 4 > s.length()) {
                throw error("truncated \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                if (d < 0 || s.charAt(pos + i) > 'f') {
                    throw error("invalid \\u escape");
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private Object number() throws JsonException {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("invalid number");
            }
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    throw error("leading zero in a number");
                }
            } else {
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("invalid number: digits must follow '.'");
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw error("invalid number: digits must follow the exponent");
                }
                while (pos < s.length() && isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            if (pos - start > MAX_NUMBER_CHARS) {
                int length = pos - start;
                pos = start;
                throw error("a number of " + length + " characters (more than " + MAX_NUMBER_CHARS + ")");
            }
            String text = s.substring(start, pos);
            if (integral && text.length() <= 18) {
                return Long.parseLong(text);
            }
            if (!integral) {
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException | ArithmeticException ex) {
                    pos = start;
                    throw error("number out of range");
                }
            }
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    // ---- writing ----------------------------------------------------------------------------------------

    /**
     * Writes a value made of maps with string keys, lists, strings, integers ({@code Long}, {@code Integer},
     * {@code BigInteger}), booleans and {@code null}, compactly, in map iteration order.
     */
    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString();
    }

    /** UTF-8 bytes of {@link #write}; a string with a lone surrogate (not encodable) is refused. */
    static byte[] writeUtf8(Object value) {
        String text = write(value);
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a name holds a lone UTF-16 surrogate and cannot be written as UTF-8");
        }
    }

    private static void write(Object v, StringBuilder b) {
        switch (v) {
            case null -> b.append("null");
            case String str -> quote(str, b);
            case Boolean bool -> b.append(bool);
            case Long l -> b.append(l);
            case Integer i -> b.append(i);
            case BigInteger bi -> b.append(bi);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    }
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(k, b);
                    b.append(':');
                    write(e.getValue(), b);
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(l.get(i), b);
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
