package dev.claudebottle.cli;

import dev.claudebottle.kernel.run.Probes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The probes' outcomes as {@code --json} shows them. */
final class ProbeRows {
    private ProbeRows() {
    }

    static List<Map<String, Object>> of(List<Probes.Outcome> outcomes) {
        return outcomes.stream().map(o -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", o.probe().value().id());
            row.put("plugin", o.probe().pluginId());
            row.put("proves", o.probe().value().summary());
            row.put("held", o.result().held());
            row.put("saw", o.result().saw());
            row.put("ms", o.result().millis());
            return row;
        }).toList();
    }
}
