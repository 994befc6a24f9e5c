package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.spi.manifest.GuestLimits;
import java.math.RoundingMode;

/**
 * The vCPUs and memory a machine is created with, from its bottle's limits. The machine is the
 * limit: what the guest runs lives in the machine's memory and on its vCPUs, never the host's.
 *
 * @param cpus      whole vCPUs (a share of a core is rounded up: a machine has no less than one)
 * @param memoryMib memory in MiB, rounded up
 */
record MachineSize(int cpus, long memoryMib) {
    /** smolvm reads {@code --cpus} into a byte. */
    static final int MAX_CPUS = 0xFF;
    /** smolvm reads {@code --mem} into 32 bits. */
    static final long MAX_MEMORY_MIB = 0xFFFF_FFFFL;

    /** Requires values smolvm takes. */
    MachineSize {
        if (cpus < 1 || cpus > MAX_CPUS || memoryMib < 1 || memoryMib > MAX_MEMORY_MIB) {
            throw new IllegalArgumentException("smolvm takes 1 to 255 vCPUs and 1 to 2^32-1 MiB, not " + cpus
                    + " and " + memoryMib);
        }
    }

    /** The size for {@code limits} on a host with {@code hostCores}: never more cores than the host has. */
    static MachineSize of(GuestLimits limits, int hostCores) {
        int cpus = limits.cpusOn(hostCores).setScale(0, RoundingMode.CEILING).intValueExact();
        long mib = (limits.memoryBytes() + (1L << 20) - 1) >> 20;
        return new MachineSize(Math.min(cpus, MAX_CPUS), Math.min(mib, MAX_MEMORY_MIB));
    }
}
