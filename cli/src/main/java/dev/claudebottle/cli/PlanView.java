package dev.claudebottle.cli;

import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.manifest.ClaudeSignIn;
import dev.claudebottle.manifest.ValueTemplate;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.Step;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bottle plan} as text and as JSON. Secret bundle env values print as {@code ***}; routes
 * show the host variables they read, never a value.
 */
final class PlanView {
    private final LaunchPlan plan;
    private final java.util.Optional<String> objects;

    /** The view of {@code plan}, with the objects its backend would create, where it describes them. */
    PlanView(LaunchPlan plan, java.util.Optional<String> objects) {
        this.plan = plan;
        this.objects = objects;
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        var spec = plan.spec();
        root.put("agent", spec.agent().name());
        root.put("bottle", spec.bottle().name());
        root.put("backend", plan.backend());
        root.put("backend_plugin", plan.backendPlugin());
        root.put("slug", spec.slug());
        root.put("manifest", plan.manifest());
        root.put("state_dir", spec.stateDir().toString());
        root.put("cwd", spec.cwd().map(Object::toString).orElse(null));
        root.put("command", spec.agent().command());
        root.put("daemons", rows(plan.daemons(), (BundleDaemon d) -> ordered("name", d.name(), "port", d.port())));
        root.put("ports", rows(plan.ports(), (GuestPort p) -> ordered("name", p.name(), "port", p.port())));
        List<Map<String, Object>> routes = new ArrayList<>();
        for (CredentialRoute r : plan.spec().routes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("host", r.route().host().pattern());
            row.put("methods", r.route().methods());
            row.put("paths", r.route().paths());
            row.put("header", r.route().header());
            row.put("variables", ValueTemplate.parse(r.route().valueTemplate()).variables());
            row.put("login", r.route().login().map(l -> l.name().toLowerCase(java.util.Locale.ROOT)).orElse(null));
            row.put("bundle_env", r.bundleEnv());
            row.put("placeholder_env", r.route().placeholder().map(p -> p.env()).orElse(null));
            routes.add(row);
        }
        root.put("routes", routes);
        var egress = spec.bottle().egress();
        Map<String, Object> allowed = new LinkedHashMap<>();
        allowed.put("allow", egress.allow().stream().map(a -> ordered("host", a.host().pattern(), "ports", a.ports(),
                "methods", a.methods(), "paths", a.paths(), "preset", a.preset().orElse(null))).toList());
        allowed.put("unknown", egress.unknown().name().toLowerCase(java.util.Locale.ROOT));
        allowed.put("ask_timeout_seconds", egress.askTimeout().toSeconds());
        allowed.put("on_alert", egress.onAlert().name().toLowerCase(java.util.Locale.ROOT));
        root.put("egress", allowed);
        var limits = spec.bottle().limits();
        root.put("limits", ordered("memory", limits.memory(), "memory_bytes", limits.memoryBytes(), "swap_bytes", 0,
                "pids", limits.pids(), "cpus", limits.cpus().orElse(null)));
        root.put("bundle_mounts", rows(plan.bundleMounts(), (BundleMount m) -> ordered("host", m.hostPath().toString(),
                "bundle", m.bundlePath(), "read_only", m.readOnly())));
        root.put("bundle_env", rows(plan.bundleEnv(), (BundleEnv e) -> ordered("name", e.name(),
                "value", e.display(), "secret", e.secret().isPresent())));
        root.put("guest_env", rows(plan.guestEnv(), (GuestEnv e) -> ordered("name", e.name(), "value", e.template())));
        List<Map<String, Object>> steps = new ArrayList<>();
        int index = 1;
        for (Owned<Step> s : plan.steps()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", index++);
            row.put("id", s.value().id());
            row.put("phase", s.value().phase().name());
            row.put("plugin", s.pluginId());
            row.put("after", s.value().after());
            row.put("summary", s.value().summary());
            steps.add(row);
        }
        root.put("steps", steps);
        objects.ifPresent(yaml -> root.put("objects", yaml));
        return root;
    }

    void text(PrintWriter out) {
        var spec = plan.spec();
        out.println("Plan for agent '" + spec.agent().name() + "' in bottle '" + spec.bottle().name() + "' on backend "
                + plan.backend() + " (slug " + spec.slug() + ")");
        out.println("  manifest:  " + plan.manifest());
        out.println("  state dir: " + spec.stateDir());
        out.println("  command:   " + String.join(" ", spec.agent().command()));
        spec.cwd().ifPresent(c -> out.println("  cwd:       " + c));
        section(out, "Bundle daemons", plan.daemons(), d -> d.name() + " :" + d.port());
        section(out, "Ports the guest reaches", plan.ports(), p -> p.name() + " " + p.port()
                + " (resolved by " + plan.backend() + " at launch)");
        var egress = spec.bottle().egress();
        out.println();
        out.println("Hosts the gateway allows (default deny; routes below allow their hosts too):");
        if (egress.allow().isEmpty()) {
            out.println("  (none)");
        }
        egress.allow().forEach(a -> out.println("  " + a.host().pattern()
                + (a.ports().isEmpty() ? "" : "  ports " + a.ports())
                + (a.methods().isEmpty() ? "" : "  methods " + a.methods())
                + (a.paths().isEmpty() ? "" : "  paths " + a.paths())
                + a.preset().map(p -> "  (preset " + p + ")").orElse("")));
        out.println("  unknown hosts: " + switch (egress.unknown()) {
            case DENY -> "refused";
            case ASK -> "a person is asked (waits up to " + egress.askTimeout().toSeconds() + "s)";
            case LEARN -> "LEARNING: let through and recorded";
        } + "; at the first alert: " + (egress.onAlert().name().equals("STOP") ? "stop the bottle" : "log it"));
        out.println();
        out.println("Limits of the guest:");
        out.println("  " + spec.bottle().limits().summary());
        out.println();
        out.println("Credential routes (values injected by the gateway, never in the guest):");
        if (plan.spec().routes().isEmpty()) {
            out.println("  (none)");
        }
        for (CredentialRoute r : plan.spec().routes()) {
            out.println("  " + r.route().host() + "  " + r.route().header() + " from " + source(r)
                    + (r.route().paths().isEmpty() ? "" : "  paths " + r.route().paths())
                    + (r.route().methods().isEmpty() ? "" : "  methods " + r.route().methods())
                    + r.route().placeholder().map(p -> "  guest sees $" + p.env() + "=" + p.value()).orElse(""));
        }
        section(out, "Bundle mounts", plan.bundleMounts(), m -> m.hostPath() + " -> " + m.bundlePath()
                + (m.readOnly() ? " (ro)" : " (rw)"));
        section(out, "Bundle env", plan.bundleEnv(), e -> e.name() + "=" + e.display());
        section(out, "Guest env", plan.guestEnv(), e -> e.name() + "=" + e.template());
        out.println();
        out.println("Steps:");
        int index = 1;
        for (Owned<Step> s : plan.steps()) {
            out.printf("  %2d. %-9s %-20s %-18s %s%n", index++, s.value().phase(), s.pluginId(), s.value().id(),
                    s.value().summary());
        }
        objects.ifPresent(yaml -> {
            out.println();
            out.println("Objects the backend would create (YAML, secret values elided):");
            out.print(yaml);
        });
        out.flush();
    }

    private static <T> List<Map<String, Object>> rows(List<Owned<T>> items,
                                                     java.util.function.Function<T, Map<String, Object>> fields) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Owned<T> item : items) {
            Map<String, Object> row = new LinkedHashMap<>(fields.apply(item.value()));
            row.put("plugin", item.pluginId());
            out.add(row);
        }
        return out;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static <T> void section(PrintWriter out, String title, List<Owned<T>> items,
                                    java.util.function.Function<T, String> line) {
        out.println();
        out.println(title + ":");
        if (items.isEmpty()) {
            out.println("  (none)");
        }
        for (Owned<T> item : items) {
            out.printf("  %-60s [%s]%n", line.apply(item.value()), item.pluginId());
        }
    }

    /** Where a route's credential comes from, never the credential. */
    private static String source(CredentialRoute r) {
        return r.route().login().isPresent() ? "the host's Claude sign-in (" + ClaudeSignIn.FILE + ", claude /login)"
                : "$" + String.join(", $", ValueTemplate.parse(r.route().valueTemplate()).variables());
    }
}
