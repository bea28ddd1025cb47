package io.unichannel.common.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generates adversarial variants of a good JSON payload, property-test style: each variant breaks
 * one field in one way (control characters, invalid Unicode, over-long text, a wrong type, a
 * missing field) or breaks the document itself (not JSON, trailing garbage, deep nesting, not an
 * object). A seed makes a failing run repeatable; tests print it.
 */
public final class HostilePayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One hostile payload and what was done to it (for assertion messages). */
    public record Variant(String description, String payload) {
    }

    private HostilePayloads() {
    }

    /** Field-level attacks on {@code fields} of {@code good}, plus document-level ones; {@code count} in all. */
    public static List<Variant> of(String good, List<String> fields, int count, long seed) {
        Random random = new Random(seed);
        List<Function<Random, Object>> values = List.of(
                r -> "text with NUL \u0000 inside",
                r -> "bell \u0007 and escape \u001b",
                r -> "lone surrogate \ud800 here",
                r -> "reversed pair \udc00\ud800",
                r -> "x".repeat(65 + r.nextInt(5000)),
                r -> "长".repeat(4001 + r.nextInt(100)),
                r -> r.nextInt(),
                r -> r.nextBoolean(),
                r -> List.of("an", "array"),
                r -> Map.of("nested", Map.of("object", 1)),
                r -> "",
                r -> "   ",
                r -> randomText(r));
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("not JSON", "{not json"));
        variants.add(new Variant("trailing garbage", good + " {\"more\":1}"));
        variants.add(new Variant("a JSON array", "[" + good + "]"));
        variants.add(new Variant("a JSON string", "\"just text\""));
        variants.add(new Variant("null", "null"));
        variants.add(new Variant("deep nesting", "[".repeat(5000) + "]".repeat(5000)));
        while (variants.size() < count) {
            String field = fields.get(random.nextInt(fields.size()));
            try {
                ObjectNode node = (ObjectNode) JSON.readTree(good);
                if (random.nextInt(8) == 0) {
                    node.remove(field);
                    variants.add(new Variant("without " + field, JSON.writeValueAsString(node)));
                } else {
                    int kind = random.nextInt(values.size());
                    node.set(field, JSON.valueToTree(values.get(kind).apply(random)));
                    variants.add(new Variant(field + " attack #" + kind, escapeLoneSurrogates(JSON.writeValueAsString(node))));
                }
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("the good payload must be a JSON object", e);
            }
        }
        return variants;
    }

    /**
     * A lone surrogate cannot travel as UTF-8 (an encoder replaces it with '?'), but JSON can carry
     * it as an escape, which is how a hostile client sends invalid Unicode.
     */
    static String escapeLoneSurrogates(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1));
            if (paired) {
                out.append(c).append(json.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Text from the whole range of UTF-16 code units, controls and surrogates included. */
    private static String randomText(Random random) {
        char[] chars = new char[1 + random.nextInt(80)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(0x10000);
        }
        return new String(chars);
    }
}
