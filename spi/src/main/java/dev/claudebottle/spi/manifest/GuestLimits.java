package dev.claudebottle.spi.manifest;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What the guest may take of the host (a bottle's {@code limits}): a backend applies them to the
 * guest as a whole, so a flood of processes or allocations inside it fails there and never reaches
 * the host.
 *
 * @param memoryBytes the memory the guest's processes hold together; nothing beyond it, not even swap
 * @param pids        the processes and threads the guest may have at once
 * @param cpus        the cores' worth of CPU time the guest may use; when not given, all of the host's
 *                    cores but one (at least one), so the host and the bundle always have a core
 */
public record GuestLimits(long memoryBytes, int pids, Optional<BigDecimal> cpus) {
    /** Below this the agent cannot start; a manifest asking for less is an error. */
    public static final long MIN_MEMORY_BYTES = 64L << 20;
    /** Below this the launch's own provisioning cannot run. */
    public static final int MIN_PIDS = 32;
    /** The kernel's own ceiling on process ids. */
    public static final int MAX_PIDS = 1 << 22;
    /** The smallest share of a core a backend can apply. */
    public static final BigDecimal MIN_CPUS = new BigDecimal("0.01");
    /** More cores than any host has; a larger count is a typo. */
    public static final BigDecimal MAX_CPUS = new BigDecimal(1024);
    /**
     * 4 GiB and 2048 processes: room for Claude Code, npm installs and node builds with their worker
     * pools, well below what takes a developer's machine down.
     */
    public static final GuestLimits DEFAULT = new GuestLimits(4L << 30, 2048, Optional.empty());
    private static final String[] UNITS = {"k", "m", "g", "t"};

    /** Requires each value in its range; keeps the cores without trailing zeros, so 2.0 equals 2. */
    public GuestLimits {
        if (memoryBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("memory " + memoryBytes + " is below " + size(MIN_MEMORY_BYTES));
        }
        if (pids < MIN_PIDS || pids > MAX_PIDS) {
            throw new IllegalArgumentException("pids " + pids + " is not from " + MIN_PIDS + " to " + MAX_PIDS);
        }
        Objects.requireNonNull(cpus, "cpus");
        cpus.ifPresent(c -> {
            if (c.compareTo(MIN_CPUS) < 0 || c.compareTo(MAX_CPUS) > 0) {
                throw new IllegalArgumentException("cpus " + c.toPlainString() + " is not from 0.01 to 1024");
            }
        });
        cpus = cpus.map(BigDecimal::stripTrailingZeros);
    }

    /**
     * The cores the guest gets on a host with {@code hostCores}: what the bottle asks, at most the
     * host's; when it asks nothing, all of them but one, at least one.
     */
    public BigDecimal cpusOn(int hostCores) {
        if (hostCores < 1) {
            throw new IllegalArgumentException("a host has at least one core, not " + hostCores);
        }
        BigDecimal host = BigDecimal.valueOf(hostCores);
        return cpus.map(c -> c.min(host)).orElse(BigDecimal.valueOf(Math.max(1, hostCores - 1)));
    }

    /** Whether the bottle asks for more cores than a host with {@code hostCores} has. */
    public boolean asksMoreCpusThan(int hostCores) {
        return cpus.filter(c -> c.compareTo(BigDecimal.valueOf(hostCores)) > 0).isPresent();
    }

    /** The cores in a few words: {@code 1.5 cores}, or {@code all of the host's cores but one}. */
    public String cpusText() {
        return cpus.map(c -> c.toPlainString() + (c.compareTo(BigDecimal.ONE) == 0 ? " core" : " cores"))
                .orElse("all of the host's cores but one");
    }

    /** The limits in a few words: {@code memory 4g (no swap), 2048 processes and threads, 1.5 cores}. */
    public String summary() {
        return "memory " + memory() + " (no swap), " + pids + " processes and threads, " + cpusText();
    }

    /** The memory as a person writes it: {@code 4g}, {@code 1536m}, {@code 65600k}. */
    public String memory() {
        return size(memoryBytes);
    }

    /** {@code bytes} in the largest unit of 1024 that holds it whole: {@code 4g}, {@code 1536m}. */
    public static String size(long bytes) {
        String unit = "";
        long value = bytes;
        for (String next : UNITS) {
            if (value % 1024 != 0 || value == 0) {
                break;
            }
            value /= 1024;
            unit = next;
        }
        return value + (unit.isEmpty() ? " bytes" : unit);
    }
}
