package dev.claudebottle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.BadInputException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The record lines {@code bottle logs --egress} shows: of some kinds, from some time on. */
final class RecordFilter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AGE = Pattern.compile("([0-9]+)([smhd])");
    private final List<String> kinds;
    private final Optional<Instant> since;

    /** Lines of {@code kinds} (any when empty) from {@code since} (an instant or an age) on. */
    RecordFilter(List<String> kinds, String since) {
        this.kinds = List.copyOf(kinds);
        this.since = Optional.ofNullable(since).map(RecordFilter::instant);
    }

    private static Instant instant(String when) {
        Matcher age = AGE.matcher(when);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().minus(d);
        }
        try {
            return Instant.parse(when);
        } catch (DateTimeParseException e) {
            throw new BadInputException("--since " + when + " is neither an instant nor an age",
                    "give 2026-11-30T09:00:00Z, or 30s, 10m, 2h, 1d");
        }
    }

    /** The lines that pass; a line that is not JSON passes only when nothing filters. */
    List<String> apply(List<String> lines) {
        if (kinds.isEmpty() && since.isEmpty()) {
            return lines;
        }
        return lines.stream().filter(this::passes).toList();
    }

    private boolean passes(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            return false;
        }
        if (!kinds.isEmpty() && !kinds.contains(node.path("kind").asText())) {
            return false;
        }
        if (since.isPresent()) {
            try {
                return !Instant.parse(node.path("time").asText()).isBefore(since.get());
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return true;
    }
}
