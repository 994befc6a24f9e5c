package dev.claudebottle.cli;

import dev.claudebottle.kernel.DoctorReport;
import dev.claudebottle.spi.Check;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bottle doctor}: are the kernel and the backends ready? Exit 3 when the selected backend is not. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the prerequisites of the kernel and of every backend. Exits 0 when the kernel and "
                + "the selected backend are ready, 3 when something they need is missing."})
final class DoctorCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JsonOption json;

    @Option(names = "--backend", paramLabel = "B",
            description = "The backend whose readiness decides the exit code (default: $CLAUDE_BOTTLE_BACKEND, "
                    + "else docker).")
    String backend;

    DoctorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        DoctorReport report = context.kernel().doctor(java.util.Optional.ofNullable(backend));
        int code = report.ready() ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
        if (json.json) {
            Json.print(context.out(), view(report));
            return code;
        }
        PrintWriter out = context.out();
        for (DoctorReport.Section s : report.sections()) {
            out.println(s.name() + (s.name().startsWith("backend") && s.selected() ? " (selected)" : "")
                    + "  [" + s.plugin() + "]");
            for (Check c : s.checks()) {
                out.printf("  %-5s %-30s %s%n", c.status().name().toLowerCase(Locale.ROOT), c.name(), c.detail());
                c.hint().ifPresent(h -> out.printf("  %-5s %-30s hint: %s%n", "", "", h));
            }
        }
        out.println(report.ready() ? "ready: backend " + report.backend()
                : "not ready: backend " + report.backend() + " is missing prerequisites");
        out.flush();
        return code;
    }

    private static Map<String, Object> view(DoctorReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backend", report.backend());
        root.put("ready", report.ready());
        List<Map<String, Object>> sections = new ArrayList<>();
        for (DoctorReport.Section s : report.sections()) {
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("name", s.name());
            section.put("plugin", s.plugin());
            section.put("selected", s.selected());
            List<Map<String, Object>> checks = new ArrayList<>();
            for (Check c : s.checks()) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("name", c.name());
                check.put("status", c.status().name().toLowerCase(Locale.ROOT));
                check.put("detail", c.detail());
                check.put("hint", c.hint().orElse(null));
                checks.add(check);
            }
            section.put("checks", checks);
            sections.add(section);
        }
        root.put("sections", sections);
        return root;
    }
}
