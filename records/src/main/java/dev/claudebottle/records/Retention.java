package dev.claudebottle.records;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.HostEnvironment;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long records are kept: {@code CLAUDE_BOTTLE_RECORDS_MAX_AGE} (a record last written longer
 * ago goes; default 90 days) and {@code CLAUDE_BOTTLE_RECORDS_MAX_SIZE} (the oldest records go until
 * all of them fit; default 2 GiB). {@code 0} switches a limit off.
 *
 * @param maxAge   the age limit, if any
 * @param maxBytes the size limit, if any
 */
public record Retention(Optional<Duration> maxAge, Optional<Long> maxBytes) {
    /** The variable with the age limit. */
    public static final String MAX_AGE = "CLAUDE_BOTTLE_RECORDS_MAX_AGE";
    /** The variable with the size limit. */
    public static final String MAX_SIZE = "CLAUDE_BOTTLE_RECORDS_MAX_SIZE";
    private static final Pattern AGE = Pattern.compile("([0-9]+)([hd])");
    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kmg]?)", Pattern.CASE_INSENSITIVE);

    /** The limits the environment sets. */
    public static Retention from(HostEnvironment env) {
        Optional<Duration> age = Optional.of(Duration.ofDays(90));
        Optional<String> ageText = env.get(MAX_AGE).map(String::strip).filter(v -> !v.isEmpty());
        if (ageText.isPresent()) {
            Matcher m = AGE.matcher(ageText.get());
            if (ageText.get().equals("0")) {
                age = Optional.empty();
            } else if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                age = Optional.of(m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n));
            } else {
                throw new BadInputException(MAX_AGE + " is '" + ageText.get() + "', not an age",
                        "set it like 30d or 12h, or 0 to keep records whatever their age");
            }
        }
        Optional<Long> size = Optional.of(2L << 30);
        Optional<String> sizeText = env.get(MAX_SIZE).map(String::strip).filter(v -> !v.isEmpty());
        if (sizeText.isPresent()) {
            Matcher m = SIZE.matcher(sizeText.get());
            if (!m.matches()) {
                throw new BadInputException(MAX_SIZE + " is '" + sizeText.get() + "', not a size",
                        "set it like 500m or 2g, or 0 to keep records whatever their size");
            }
            long n = Long.parseLong(m.group(1));
            long unit = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "k" -> 1L << 10;
                case "m" -> 1L << 20;
                case "g" -> 1L << 30;
                default -> 1;
            };
            size = n == 0 ? Optional.empty() : Optional.of(n * unit);
        }
        return new Retention(age, size);
    }
}
