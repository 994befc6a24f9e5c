package dev.claudebottle.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The record's line for one metered model call ({@code "kind":"usage"}): what the call used, what
 * it cost, and the bottle's running total after it, so that what a bottle spent survives it and
 * the host reads it back from the last such line ({@code bottle ls}, {@code bottle records ls}).
 *
 * @param time        when the call ended
 * @param bottle      the bottle's slug
 * @param model       the model the API named
 * @param tokens      input, output and cache tokens of this call together
 * @param usd         what this call cost, in US dollars
 * @param totalTokens the bottle's tokens so far, this call's included
 * @param totalUsd    the bottle's dollars so far
 * @param detail      the counts by kind, for a person
 */
public record UsageLine(Instant time, String bottle, String model, long tokens, BigDecimal usd, long totalTokens,
                        BigDecimal totalUsd, String detail) {
    /** The line's kind in the record. */
    public static final String KIND = "usage";
    /**
     * The file beside the record that holds the bottle's running total ({@link Spent}), written after
     * each call: what {@code bottle ls} shows and a restarted bundle goes on from.
     */
    public static final String SPENT_FILE = "spent.json";

    /** Requires every part. */
    public UsageLine {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usd, "usd");
        Objects.requireNonNull(totalUsd, "totalUsd");
        Objects.requireNonNull(detail, "detail");
    }

    /** The line's JSON tree (the record's chain adds its own fields). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", time.toString());
        json.put("bottle", bottle);
        json.put("kind", KIND);
        json.put("model", model);
        json.put("tokens", tokens);
        json.put("usd", usd.toPlainString());
        json.put("total_tokens", totalTokens);
        json.put("total_usd", totalUsd.toPlainString());
        json.put("reason", detail);
        return json;
    }

    /** The running total a record line carries, if it is a usage line this build can read. */
    public static Optional<Spent> spentIn(Object tree) {
        if (!(tree instanceof Map<?, ?> m) || !KIND.equals(m.get("kind"))) {
            return Optional.empty();
        }
        try {
            JsonTree line = new JsonTree("the usage line", tree);
            return Optional.of(new Spent(line.get("total_tokens").number(0),
                    new BigDecimal(line.get("total_usd").text())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * What a bottle spent so far, and what its gateway last told the person of its budget.
     *
     * @param tokens its tokens
     * @param usd    its dollars
     * @param notice the last budget line (its warning share reached, or the budget spent), if any:
     *               the host shows each new one on the terminal of a bottle run attached
     */
    public record Spent(long tokens, BigDecimal usd, Optional<String> notice) {
        /** Nothing yet. */
        public static final Spent NONE = new Spent(0, BigDecimal.ZERO);
        /** The longest notice kept; the gateway writes a line of a hundred characters or so. */
        public static final int NOTICE_CAP = 500;

        /** Requires the amount and cuts a long notice. */
        public Spent {
            Objects.requireNonNull(usd, "usd");
            notice = notice.map(n -> n.length() > NOTICE_CAP ? n.substring(0, NOTICE_CAP) : n);
        }

        /** A total with no notice. */
        public Spent(long tokens, BigDecimal usd) {
            this(tokens, usd, Optional.empty());
        }

        /** Its JSON tree, as {@link #SPENT_FILE} holds it. */
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tokens", tokens);
            json.put("usd", usd.toPlainString());
            notice.ifPresent(n -> json.put("notice", n));
            return json;
        }

        /**
         * What a {@link #SPENT_FILE} tree says.
         *
         * @throws IllegalArgumentException when it is not what {@link #toJson} writes
         */
        public static Spent fromJson(Object tree) {
            JsonTree root = new JsonTree("the spent file", tree);
            try {
                return new Spent(root.get("tokens").number(0), new BigDecimal(root.get("usd").text()),
                        root.get("notice").optionalText());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the spent file's usd is not a decimal number");
            }
        }
    }
}
