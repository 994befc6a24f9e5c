package dev.claudebottle.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What rotation writes before a record's oldest file goes: a {@link RotatedAway} note of its lines
 * (what was lost, by kind and time, counts all but the copied ones), then a copy of each of its lines of
 * {@link RecordChain#KEPT_KIND}, so the host's lifecycle lines
 * are never rotated away (a copy names the seq and hash of the line it copies; a copy of a copy keeps
 * naming the first). The kinds counted are the record's own, a few dozen at most: any beyond that are
 * counted as {@code other}.
 */
final class Rotation {
    private static final Pattern KIND = Pattern.compile("\"kind\":\"([a-z0-9-]{1,32})\"");
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"\\\\]{1,64})\"");
    private static final String KEPT = "\"kind\":\"" + RecordChain.KEPT_KIND + "\"";
    private static final String CARRIED = ",\"carried_seq\":";
    private static final int KINDS = 32;

    private Rotation() {
    }

    /** The JSON objects to append before {@code oldest} goes at {@code at}: the note first. */
    static List<String> before(Path oldest, Instant at) throws IOException {
        List<String> carried = new ArrayList<>();
        Map<String, Long> kinds = new LinkedHashMap<>();
        long lines = 0;
        long fromSeq = -1;
        long toSeq = -1;
        String last = null;
        String from = "";
        String to = "";
        try (BufferedReader in = Files.newBufferedReader(oldest, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                last = line;
                Matcher head = RecordChain.HEAD.matcher(line);
                if (head.find()) {
                    toSeq = Long.parseLong(head.group(1));
                    fromSeq = fromSeq < 0 ? toSeq : fromSeq;
                    if (line.contains(KEPT)) {
                        carried.add(copy(line, head));
                        continue;
                    }
                }
                String time = time(line);
                if (!time.isEmpty()) {
                    from = from.isEmpty() ? time : from;
                    to = time;
                }
                Matcher kind = KIND.matcher(line);
                String name = kind.find() ? kind.group(1) : "other";
                kinds.merge(kinds.containsKey(name) || kinds.size() < KINDS ? name : "other", 1L, Long::sum);
            }
        }
        List<String> out = new ArrayList<>();
        if (last != null) {
            out.add(new RotatedAway(lines, carried.size(), Math.max(0, fromSeq), Math.max(0, toSeq),
                    RecordChain.sha256(last), from, to, kinds, at).toJson());
        }
        out.addAll(carried);
        return out;
    }

    /** A kept line as a new JSON object: its fields after the seq and hash of the line it copies. */
    private static String copy(String line, Matcher head) {
        String rest = line.substring(head.end());
        if (!rest.startsWith(CARRIED)) {
            rest = CARRIED + head.group(1) + ",\"carried_sha256\":\"" + RecordChain.sha256(line) + "\"" + rest;
        }
        return "{" + rest.substring(1);
    }

    /** A line's time, when it has one that reads as an instant. */
    private static String time(String line) {
        Matcher m = TIME.matcher(line);
        if (!m.find()) {
            return "";
        }
        try {
            return Instant.parse(m.group(1)).toString();
        } catch (DateTimeParseException e) {
            return "";
        }
    }
}
