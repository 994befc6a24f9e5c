package dev.claudebottle.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * One walk of a record's files, oldest first: where it stops chaining, or what it holds. A record
 * whose first line is not the chain's first must hold the rotation note that accounts for the lines
 * before it (their count ends just before it, their head is the hash it chains to); lines gone
 * without one were cut, not rotated.
 *
 * @param broken where it stops chaining, if it does
 * @param intact what it holds, if it chains
 */
record RecordWalk(Optional<RecordChain.Break> broken, Optional<RecordChain.Intact> intact) {

    static RecordWalk of(List<Path> files) throws IOException {
        String previous = null;
        String firstPrev = null;
        long expected = -1;
        long lines = 0;
        long firstSeq = 0;
        Optional<RotatedAway> accounts = Optional.empty();
        for (Path f : files) {
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                int number = 0;
                while ((line = in.readLine()) != null) {
                    number++;
                    Matcher m = RecordChain.HEAD.matcher(line);
                    if (!m.find()) {
                        return broken(f, number, "is not a record line (no seq and prev at its start)");
                    }
                    long seq = Long.parseLong(m.group(1));
                    if (previous == null) {
                        firstSeq = seq;
                        firstPrev = m.group(2);
                        if (seq == 0 && !firstPrev.equals(RecordChain.GENESIS)) {
                            return broken(f, number, "is the first line but does not start the chain");
                        }
                    } else if (!m.group(2).equals(previous)) {
                        return broken(f, number, "does not chain to the line before it: that line was changed, "
                                + "or lines between them were removed or moved");
                    } else if (seq != expected) {
                        return broken(f, number, "has seq " + seq + " where " + expected + " comes next");
                    }
                    Optional<RotatedAway> note = RotatedAway.parse(line);
                    if (note.isPresent() && note.get().toSeq() + 1 == firstSeq && note.get().head().equals(firstPrev)) {
                        accounts = note;
                    }
                    previous = RecordChain.sha256(line);
                    expected = seq + 1;
                    lines++;
                }
            }
        }
        if (firstSeq > 0 && accounts.isEmpty()) {
            return broken(files.get(0), 1, "has seq " + firstSeq + ": the " + firstSeq + " lines before it are gone "
                    + "and no rotation note in the record accounts for them (cut off, or deleted by hand)");
        }
        return new RecordWalk(Optional.empty(), Optional.of(new RecordChain.Intact(lines, firstSeq,
                previous == null ? RecordChain.GENESIS : previous, accounts)));
    }

    private static RecordWalk broken(Path f, int line, String what) {
        return new RecordWalk(Optional.of(new RecordChain.Break(f, line, what)), Optional.empty());
    }
}
