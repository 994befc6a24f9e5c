package dev.claudebottle.cli;

import dev.claudebottle.pluginhost.PluginCatalog;
import dev.claudebottle.pluginhost.PluginFailure;
import dev.claudebottle.pluginhost.PluginInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bottle plugins}: what is loaded, from where, and what was skipped. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the loaded plugins: id, version, kind (backend, provisioner), and whether each is "
                + "bundled or dropped into the plugins dir. Plugins that failed to load are listed as skipped."})
final class PluginsCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JsonOption json;

    PluginsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PluginCatalog catalog = context.kernel().plugins();
        if (json.json) {
            Json.print(context.out(), rows(catalog));
            return ExitCodes.OK;
        }
        PrintWriter out = context.out();
        // the widest id and kind list set their columns, so every row lines up whatever a plugin extends
        int idWidth = catalog.plugins().stream().mapToInt(p -> p.id().length()).max().orElse(0);
        int kindWidth = catalog.plugins().stream().mapToInt(p -> kind(p.kinds()).length()).max().orElse(0);
        String format = "%-" + Math.max(22, idWidth) + "s %-16s %-" + Math.max(12, kindWidth) + "s %-11s %s%n";
        out.printf(format, "ID", "VERSION", "KIND", "SOURCE", "PATH");
        for (PluginInfo p : catalog.plugins()) {
            out.printf(format, p.id(), p.version(), kind(p.kinds()), p.source().label(), p.path());
        }
        for (PluginFailure f : catalog.failures()) {
            out.printf("skipped: %s: %s%n", f.label(), f.reason());
        }
        if (catalog.plugins().isEmpty() && catalog.failures().isEmpty()) {
            out.println("(no plugins found in " + context.kernel().paths().bundledPluginsDir()
                    .map(Object::toString).orElse("the distribution") + " or " + context.kernel().paths().pluginsDir()
                    + ")");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String kind(List<String> kinds) {
        return kinds.isEmpty() ? "none" : String.join(",", kinds);
    }

    static List<Map<String, Object>> rows(PluginCatalog catalog) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PluginInfo p : catalog.plugins()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", p.id());
            row.put("version", p.version());
            row.put("kind", kind(p.kinds()));
            row.put("kinds", p.kinds());
            row.put("source", p.source().label());
            row.put("state", "loaded");
            row.put("description", p.description());
            row.put("path", p.path().toString());
            rows.add(row);
        }
        for (PluginFailure f : catalog.failures()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", f.id().orElse(null));
            row.put("source", f.source().label());
            row.put("state", "skipped");
            row.put("error", f.reason());
            row.put("path", f.path().toString());
            rows.add(row);
        }
        return rows;
    }
}
