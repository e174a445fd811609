package dev.solstice.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON reader and writer behind the safetensors header. */
class JsonTest {

    @Test
    void readsValues() throws Json.JsonException {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", List.of(1L, -2L, 0L));
        expected.put("a", "x\"\\/\b\f\n\r\t\u00e9\ud83d\ude00");
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("big", new BigInteger("18446744073709551616"));
        expected.put("d", new BigDecimal("-1.5e3"));
        expected.put("o", Map.of());
        Object v = Json.parse(" {\"b\": [1, -2, 0], \"a\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\","
                + " \"t\": true, \"f\": false, \"n\": null, \"big\": 18446744073709551616, \"d\": -1.5e3, \"o\": {}}\n");
        assertEquals(expected, v);
        assertEquals(List.of("b", "a", "t", "f", "n", "big", "d", "o"), List.copyOf(((Map<?, ?>) v).keySet()));
    }

    @Test
    void refusesWhatJsonDoesNotAllow() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "-", "1.",
                ".5", "1e", "+1", "NaN", "tru", "\"\u0001\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"", "\"abc",
                "{} {}", "{\"a\":1,\"a\":2}", "[" .repeat(65) + "]".repeat(65), "\"\\u12g4\"")) {
            Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("at character") || e.getMessage().contains("UTF-8"), e.getMessage());
        }
        assertThrows(Json.JsonException.class, () -> Json.parse(new byte[] {'"', (byte) 0xc3, '"'}));
        assertThrows(Json.JsonException.class, () -> Json.parse(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}));
    }

    @Test
    void numbersUpToTheLengthLimitAreReadAndLongerOnesRefusedBriefly() throws Json.JsonException {
        String hundred = "1" + "0".repeat(Json.MAX_NUMBER_CHARS - 1);
        assertEquals(List.of(new BigInteger(hundred)), Json.parse("[" + hundred + "]"));
        assertEquals(Long.MAX_VALUE, Json.parse(String.valueOf(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE, Json.parse(String.valueOf(Long.MIN_VALUE)));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(-12L, Json.parse("-12"));
        Json.JsonException e = assertThrows(Json.JsonException.class,
                () -> Json.parse("[" + hundred + "0]"));
        assertTrue(e.getMessage().contains("a number of 101 characters"), e.getMessage());
        Json.JsonException huge = assertThrows(Json.JsonException.class,
                () -> Json.parse("[1." + "5".repeat(500_000) + "]"));
        assertTrue(huge.getMessage().length() < 100, huge.getMessage());
    }

    @Test
    void writesAndReadsBack() throws Json.JsonException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name \"q\" \\ \n\u0001 é 😀", List.of(0L, Long.MAX_VALUE, 3));
        m.put("x", Map.of("k", "v"));
        m.put("e", List.of());
        String text = Json.write(m);
        assertEquals("{\"name \\\"q\\\" \\\\ \\n\\u0001 é 😀\":[0,9223372036854775807,3],\"x\":{\"k\":\"v\"},\"e\":[]}", text);
        Map<String, Object> back = new LinkedHashMap<>(m);
        back.put("name \"q\" \\ \n\u0001 é 😀", List.of(0L, Long.MAX_VALUE, 3L));
        assertEquals(back, Json.parse(Json.writeUtf8(m)));
        assertEquals(text, new String(Json.writeUtf8(m), StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> Json.writeUtf8(Map.of("lone \ud800", 1L)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(1.5)));
        assertEquals("[true,null]", Json.write(Arrays.asList(true, null)));
    }
}
