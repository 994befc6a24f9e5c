package dev.claudebottle.kernel.plan;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Orders steps by phase, then topologically by {@code after}; ties keep contribution order.
 * Duplicate ids, unknown ids, waits on a later phase and cycles fail before anything runs,
 * naming the ids.
 */
public final class StepOrderer {
    private static final String HINT = "the plugins named above contribute inconsistent steps; "
            + "remove or fix the dropped-in plugin";

    /** The steps in run order. */
    public List<Owned<Step>> order(List<Owned<Step>> steps) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Owned<Step> s = steps.get(i);
            Integer previous = index.putIfAbsent(s.value().id(), i);
            if (previous != null) {
                problems.add("step id '" + s.value().id() + "' is contributed twice, by " + steps.get(previous).pluginId()
                        + " and " + s.pluginId());
            }
        }
        for (Owned<Step> s : steps) {
            for (String dep : s.value().after()) {
                Integer target = index.get(dep);
                if (target == null) {
                    problems.add("step " + s.label(Step::id) + " runs after '" + dep + "', which no plugin contributes");
                } else {
                    Phase depPhase = steps.get(target).value().phase();
                    if (depPhase.compareTo(s.value().phase()) > 0) {
                        problems.add("step " + s.label(Step::id) + " in phase " + s.value().phase()
                                + " cannot run after " + steps.get(target).label(Step::id) + " in the later phase " + depPhase);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PlanException(String.join("; ", problems), HINT);
        }
        return topological(steps, index);
    }

    private List<Owned<Step>> topological(List<Owned<Step>> steps, Map<String, Integer> index) {
        int n = steps.size();
        int[] waiting = new int[n];
        Map<Integer, List<Integer>> dependents = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (String dep : steps.get(i).value().after()) {
                waiting[i]++;
                dependents.computeIfAbsent(index.get(dep), k -> new ArrayList<>()).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator
                .comparing((Integer i) -> steps.get(i).value().phase())
                .thenComparing(i -> i));
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<Owned<Step>> out = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(steps.get(i));
            for (int d : dependents.getOrDefault(i, List.of())) {
                if (--waiting[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (out.size() < n) {
            throw new PlanException("steps form a cycle: " + cycle(steps, index, waiting), HINT);
        }
        return out;
    }

    /** One cycle among the steps still waiting, as {@code a -> b -> a}. */
    private String cycle(List<Owned<Step>> steps, Map<String, Integer> index, int[] waiting) {
        int start = 0;
        while (waiting[start] == 0) {
            start++;
        }
        List<Integer> path = new ArrayList<>();
        Map<Integer, Integer> seenAt = new HashMap<>();
        int current = start;
        while (!seenAt.containsKey(current)) {
            seenAt.put(current, path.size());
            path.add(current);
            int next = -1;
            for (String dep : steps.get(current).value().after()) {
                int d = index.get(dep);
                if (waiting[d] > 0) {
                    next = d;
                    break;
                }
            }
            current = next;
        }
        List<String> ids = new ArrayList<>();
        for (int k = seenAt.get(current); k < path.size(); k++) {
            ids.add(steps.get(path.get(k)).label(Step::id));
        }
        ids.add(steps.get(current).label(Step::id));
        // path follows "after" edges (step -> what it waits for); print in run order instead
        java.util.Collections.reverse(ids);
        return String.join(" -> ", ids);
    }
}
