package dev.claudebottle.manifest;

import dev.claudebottle.manifest.NodeReader.Fields;
import dev.claudebottle.manifest.YamlNode.ScalarNode;
import dev.claudebottle.manifest.YamlNode.ScalarType;
import dev.claudebottle.spi.manifest.GuestLimits;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a bottle's {@code limits}: memory, processes and CPU of its guest. */
final class LimitsReader {
    /** A whole number and a unit of 1024, as Docker writes sizes: {@code 512m}, {@code 4g}, {@code 4GB}. */
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt])b?", Pattern.CASE_INSENSITIVE);
    private final NodeReader in;

    LimitsReader(NodeReader in) {
        this.in = in;
    }

    /** The limits, each one left out taking its default; on a problem, the defaults (the load fails anyway). */
    GuestLimits read(YamlNode node, String what) {
        Optional<Fields> f = in.fields(node, what, "memory", "cpus", "pids");
        if (f.isEmpty()) {
            return GuestLimits.DEFAULT;
        }
        Fields l = f.get();
        GuestLimits defaults = GuestLimits.DEFAULT;
        long memory = l.get("memory").flatMap(n -> memory(n, l.what("memory"))).orElse(defaults.memoryBytes());
        int pids = l.get("pids").flatMap(n -> in.integer(n, l.what("pids"), GuestLimits.MIN_PIDS,
                GuestLimits.MAX_PIDS)).orElse(defaults.pids());
        Optional<BigDecimal> cpus = l.get("cpus").isPresent()
                ? l.get("cpus").flatMap(n -> cpus(n, l.what("cpus"))) : defaults.cpus();
        return new GuestLimits(memory, pids, cpus);
    }

    private Optional<Long> memory(YamlNode node, String what) {
        Matcher m = node instanceof ScalarNode s && s.type() == ScalarType.STRING ? SIZE.matcher(s.text()) : null;
        if (m == null || !m.matches()) {
            in.problem(node.location(), what + ": expected a size like 512m or 4g (a whole number and k, m, g "
                    + "or t, each 1024 of the one before), found " + NodeReader.describe(node));
            return Optional.empty();
        }
        int shift = 10 * ("kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1);
        long bytes;
        try {
            long n = Long.parseLong(m.group(1));
            bytes = n > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : n << shift;
        } catch (NumberFormatException tooLong) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes == Long.MAX_VALUE) {
            in.problem(node.location(), what + ": expected a size a host can have, found '" + m.group() + "'");
            return Optional.empty();
        }
        if (bytes < GuestLimits.MIN_MEMORY_BYTES) {
            in.problem(node.location(), what + ": expected at least " + GuestLimits.size(GuestLimits.MIN_MEMORY_BYTES)
                    + " (the agent does not start in less), found '" + m.group() + "'");
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    private Optional<BigDecimal> cpus(YamlNode node, String what) {
        if (node instanceof ScalarNode s && (s.type() == ScalarType.INT || s.type() == ScalarType.FLOAT)) {
            try {
                BigDecimal c = new BigDecimal(s.text());
                if (c.compareTo(GuestLimits.MIN_CPUS) >= 0 && c.compareTo(GuestLimits.MAX_CPUS) <= 0) {
                    return Optional.of(c);
                }
            } catch (NumberFormatException ignored) {
                // YAML's .inf and .nan are floats too: falls through to the problem below
            }
        }
        in.problem(node.location(), what + ": expected a number of cores from " + GuestLimits.MIN_CPUS.toPlainString()
                + " to " + GuestLimits.MAX_CPUS + " like 2 or 1.5, found " + NodeReader.describe(node));
        return Optional.empty();
    }
}
