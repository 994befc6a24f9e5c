package dev.claudebottle.contract;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an enum travels between the host and the bundle: its constant's name in lower case, with
 * {@code -} for {@code _} ({@code ASK} is {@code ask}, {@code GIT_GATE} is {@code git-gate}). Both
 * sides write and read every enum of the contract through here, so a value is spelled one way.
 */
public final class Wire {
    private Wire() {
    }

    /** The value as written in a file or variable. */
    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant {@code text} names.
     *
     * @param what what the text is, for the message
     * @throws IllegalArgumentException naming {@code what} and every value it may be
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E value : type.getEnumConstants()) {
            if (name(value).equals(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException(what + " is not " + choices(type));
    }

    /** Every value of {@code type} as written, {@code a, b or c}. */
    public static String choices(Class<? extends Enum<?>> type) {
        String all = Arrays.stream(type.getEnumConstants()).map(Wire::name).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return last < 0 ? all : all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
