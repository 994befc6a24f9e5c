package dev.claudebottle.contract;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one rotation took from a record: the lines of its oldest file, which went to keep the record
 * within its size. Rotation writes it into the chain as a line of its own (kind {@code audit}, rule
 * {@code rotation}) before anything goes, so the record says what it lost and where: the line after
 * the ones that went chains to {@link #head}.
 *
 * @param lines   how many lines the file held
 * @param carried how many of them were copied on rather than lost: the host's lifecycle lines
 * @param fromSeq the first of them
 * @param toSeq   the last of them
 * @param head    the SHA-256 of the last of them, to which the first line kept chains
 * @param from    the time of the first of them that has one, or empty
 * @param to      the time of the last of them that has one, or empty
 * @param kinds   how many of each kind were lost
 * @param at      when they went
 */
public record RotatedAway(long lines, long carried, long fromSeq, long toSeq, String head, String from, String to,
                          Map<String, Long> kinds, Instant at) {
    /** The rule a rotation note names. */
    public static final String RULE = "rotation";
    private static final Pattern NOTE = Pattern.compile("^\\{\"seq\":[0-9]{1,18},\"prev\":\"[0-9a-f]{64}\","
            + "\"time\":\"([^\"]{1,64})\",\"kind\":\"audit\",\"decision\":\"dropped\",\"rule\":\"" + RULE + "\","
            + "\"reason\":\"[^\"]*\",\"rotated\":\\{\"lines\":([0-9]{1,18}),\"carried\":([0-9]{1,18}),"
            + "\"from_seq\":([0-9]{1,18}),\"to_seq\":([0-9]{1,18}),\"head\":\"([0-9a-f]{64})\","
            + "\"from\":\"([^\"]{0,64})\",\"to\":\"([^\"]{0,64})\",\"kinds\":\\{([^}]*)\\}\\}\\}$");
    private static final Pattern COUNT = Pattern.compile("\"([a-z0-9-]{1,32})\":([0-9]{1,18})");

    /** Requires every part, copying the counts. */
    public RotatedAway {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        kinds = Map.copyOf(kinds);
    }

    /** The note as the JSON object rotation appends (the chain adds its {@code seq} and {@code prev}). */
    String toJson() {
        StringBuilder counts = new StringBuilder();
        new java.util.TreeMap<>(kinds).forEach((kind, n) -> counts.append(counts.isEmpty() ? "" : ",")
                .append('"').append(kind).append("\":").append(n));
        return "{\"time\":\"" + at + "\",\"kind\":\"audit\",\"decision\":\"dropped\",\"rule\":\"" + RULE
                + "\",\"reason\":\"" + reason() + "\",\"rotated\":{\"lines\":" + lines + ",\"carried\":" + carried
                + ",\"from_seq\":" + fromSeq
                + ",\"to_seq\":" + toSeq + ",\"head\":\"" + head + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"kinds\":{" + counts + "}}}";
    }

    /** What went, in a sentence: how many, which, of what kinds, over what span. */
    public String reason() {
        StringBuilder text = new StringBuilder(lines + " line(s), seq " + fromSeq + " to " + toSeq);
        if (!from.isEmpty()) {
            text.append(", from ").append(from).append(" to ").append(to);
        }
        text.append(", rotated away with the record's oldest file");
        if (!kinds.isEmpty()) {
            StringBuilder counts = new StringBuilder();
            new java.util.TreeMap<>(kinds).forEach((kind, n) -> counts.append(counts.isEmpty() ? "" : ", ")
                    .append(n).append(' ').append(kind));
            text.append(": ").append(counts).append(" lost");
        }
        if (carried > 0) {
            text.append("; ").append(carried).append(" lifecycle line(s) copied on");
        }
        return text.toString();
    }

    /** The note a record line is, if it is one; only the chain writes lines of this shape. */
    static Optional<RotatedAway> parse(String line) {
        if (!line.contains("\"rule\":\"" + RULE + "\"")) {
            return Optional.empty();
        }
        Matcher m = NOTE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        Map<String, Long> kinds = new LinkedHashMap<>();
        Matcher count = COUNT.matcher(m.group(9));
        while (count.find()) {
            kinds.put(count.group(1), Long.parseLong(count.group(2)));
        }
        try {
            return Optional.of(new RotatedAway(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), m.group(6), m.group(7), m.group(8), kinds,
                    Instant.parse(m.group(1))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
