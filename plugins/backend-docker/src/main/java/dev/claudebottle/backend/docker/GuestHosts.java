package dev.claudebottle.backend.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The guest's {@code /etc/hosts}: a file in the bottle's state dir, bind-mounted read-only, so
 * the guest can be created and started before the bundle has an address. The guest reaches the
 * bundle by the name {@link #BUNDLE}; once the bundle's address is known the file is rewritten in
 * place (the mount follows the file, not its name), before anything in the guest runs. The guest's
 * own host name is on a loopback address, as on a Debian host without a fixed address.
 */
final class GuestHosts {
    /** The name the guest reaches the bundle by. */
    static final String BUNDLE = "claude-bottle-bundle";
    /** Where the file is mounted in the guest. */
    static final String GUEST_PATH = "/etc/hosts";
    private static final String LOOPBACK = String.join("\n",
            "127.0.0.1\tlocalhost",
            "127.0.1.1\t%s",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "fe00::0\tip6-localnet",
            "ff00::0\tip6-mcastprefix",
            "ff02::1\tip6-allnodes",
            "ff02::2\tip6-allrouters",
            "");
    private final Path file;
    private final String loopback;

    /** The hosts file at {@code file} of a guest whose host name is {@code hostname}. */
    GuestHosts(Path file, String hostname) {
        if (!hostname.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("not a host name: " + hostname);
        }
        this.file = file;
        this.loopback = LOOPBACK.formatted(hostname);
    }

    /** Writes the file with loopback names only; returns the bind of it over the guest's {@code /etc/hosts}. */
    String create() {
        write(loopback);
        return file + ":" + GUEST_PATH + ":ro";
    }

    /** Adds the bundle's address under {@link #BUNDLE}, rewriting the file in place. */
    void pointBundleAt(String ip) {
        if (!ip.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        write(loopback + ip + "\t" + BUNDLE + "\n");
    }

    private void write(String content) {
        try {
            // no rename: the guest's mount holds this file's inode
            Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the guest's hosts file " + file, e);
        }
    }
}
