package dev.claudebottle.dashboard;

import dev.claudebottle.records.ApprovalBoard;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows and answers through: the same bottle state, approval board and records
 * the command line uses, read afresh for every request, so the page and the CLI never disagree.
 */
public interface DashboardData {
    /** Every bottle, as {@code bottle ls --json} gives it. */
    List<Map<String, Object>> bottles();

    /** Every kept record, as {@code bottle records ls --json} gives it: stopped bottles' among them. */
    List<Map<String, Object>> records();

    /** Whether the record of {@code slug} chains, as {@code bottle logs SLUG --verify --json} says. */
    Map<String, Object> verify(String slug);

    /** The approval board every bottle's questions are on. */
    ApprovalBoard board();

    /** The file of the record of bottle {@code slug}, whose lines the gateway appends as traffic passes. */
    java.nio.file.Path record(String slug);

    /**
     * Stops bottle {@code slug} as {@code bottle stop} does: its guest, bundle and network go, its
     * record stays.
     */
    void stop(String slug);
}
