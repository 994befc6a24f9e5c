package dev.claudebottle.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node of a JSON tree (maps, lists, strings, numbers, booleans) and where it is, so that a
 * file the bundle reads is checked part by part and a wrong part is named.
 */
record JsonTree(String where, Object value) {
    /** The path of a root node's child: its key alone. */
    private static final String ROOT_PREFIX = "the ";

    boolean isAbsent() {
        return value == null;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        return (Map<String, Object>) value;
    }

    JsonTree get(String key) {
        return new JsonTree(where.startsWith(ROOT_PREFIX) ? key : where + "." + key, map().get(key));
    }

    @SuppressWarnings("unchecked")
    List<Object> listOrEmpty() {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?>)) {
            throw new IllegalArgumentException(where + " is not a list");
        }
        return (List<Object>) value;
    }

    String text() {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(where + " is not a string");
        }
        return s;
    }

    Optional<String> optionalText() {
        return value == null ? Optional.empty() : Optional.of(text());
    }

    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Object item : listOrEmpty()) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException(where + " is not a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    boolean flag() {
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException(where + " is not true or false");
        }
        return b;
    }

    java.time.Instant instant() {
        try {
            return java.time.Instant.parse(text());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(where + " is not a time like 2026-01-31T12:00:00Z");
        }
    }

    /** A whole number, or {@code otherwise} when absent. */
    long number(long otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Number n) || n.doubleValue() != n.longValue()) {
            throw new IllegalArgumentException(where + " is not a whole number");
        }
        return n.longValue();
    }

    /** Whether this node is the number {@code expected}. */
    boolean isNumber(int expected) {
        return value instanceof Number n && n.intValue() == expected;
    }
}
