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

    /** The approval board every bottle's questions are on. */
    ApprovalBoard board();
}
