package dev.claudebottle.backend.smolmachines.standin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Plays smolvm's TSI for a guest container that has only {@code lo}: for every host socket
 * listening on an address inside an allowed CIDR, one socat in the guest's network namespace
 * listens on the same address and port and hands each connection over a unix socket to a socat
 * in the host's namespace, which connects to the host socket. Anything else the guest dials has
 * no listener and is refused, as on a VM allowed only those CIDRs.
 */
final class TsiRelay {
    private TsiRelay() {
    }

    /** Host TCP listeners on addresses inside one of the CIDRs, as {@code address:port}. */
    static List<String> listeners(List<String> cidrs) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[3].equals("0A")) {
                continue;
            }
            String[] local = f[1].split(":");
            if (local.length != 2) {
                continue;
            }
            long raw = Long.parseLong(local[0], 16);
            String address = (raw & 0xff) + "." + ((raw >> 8) & 0xff) + "." + ((raw >> 16) & 0xff) + "."
                    + ((raw >> 24) & 0xff);
            int port = Integer.parseInt(local[1], 16);
            if (cidrs.stream().anyMatch(c -> inside(address, c)) && !out.contains(address + ":" + port)) {
                out.add(address + ":" + port);
            }
        }
        return out;
    }

    static boolean inside(String address, String cidr) {
        String[] parts = cidr.split("/");
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        long mask = bits == 0 ? 0 : 0xffffffffL << (32 - bits) & 0xffffffffL;
        return (ip(address) & mask) == (ip(parts[0]) & mask);
    }

    private static long ip(String dotted) {
        long v = 0;
        for (String p : dotted.split("\\.")) {
            v = v << 8 | Integer.parseInt(p);
        }
        return v;
    }

    /** Starts both halves for a running guest container; returns when the guest side listens. */
    static void start(String machine, String guestContainer, List<String> listeners, Path dir) throws Exception {
        if (listeners.isEmpty()) {
            return;
        }
        String image = image();
        Files.createDirectories(dir);
        StringBuilder hostSide = new StringBuilder();
        StringBuilder guestSide = new StringBuilder();
        for (String l : listeners) {
            String address = l.substring(0, l.indexOf(':'));
            String port = l.substring(l.indexOf(':') + 1);
            String socket = "/tsi/" + address + "_" + port + ".sock";
            hostSide.append("socat UNIX-LISTEN:").append(socket).append(",fork TCP:").append(l).append(" & ");
            guestSide.append("socat TCP-LISTEN:").append(port).append(",bind=").append(address)
                    .append(",fork,reuseaddr UNIX-CONNECT:").append(socket).append(" & ");
        }
        DockerCli.check(List.of("run", "-d", "--name", guestContainer + "-tsi-host", "--label",
                StandInMachines.LABEL + "=" + machine, "--network", "host", "-v", dir + ":/tsi", image, "sh", "-c",
                hostSide + "wait"));
        DockerCli.check(List.of("run", "-d", "--name", guestContainer + "-tsi-guest", "--label",
                StandInMachines.LABEL + "=" + machine, "--network", "container:" + guestContainer, "-v",
                dir + ":/tsi", image, "sh", "-c", guestSide + "wait"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            String tcp = DockerCli.run(List.of("exec", guestContainer, "cat", "/proc/net/tcp")).out();
            boolean all = listeners.stream().allMatch(l -> {
                int port = Integer.parseInt(l.substring(l.indexOf(':') + 1));
                return tcp.contains(String.format(":%04X 00000000:0000 0A", port));
            });
            boolean sockets = listeners.stream().allMatch(l -> Files.exists(dir.resolve(
                    l.replace(':', '_') + ".sock")));
            if (all && sockets) {
                return;
            }
            Thread.sleep(100);
        }
        throw new StandInError("the network relay of machine '" + machine + "' did not come up");
    }

    /** The helper image, built from the stand-in's Dockerfile (trusting the host's extra CAs) when missing. */
    private static String image() throws Exception {
        byte[] dockerfile;
        try (InputStream in = TsiRelay.class.getResourceAsStream("/standin/tsi/Dockerfile")) {
            dockerfile = in.readAllBytes();
        }
        String tag = "smolvm-standin/tsi:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(dockerfile)).substring(0, 12);
        if (DockerCli.run(List.of("image", "inspect", tag)).code() == 0) {
            return tag;
        }
        Path context = Files.createTempDirectory("smolvm-standin-tsi");
        Files.write(context.resolve("Dockerfile"), dockerfile);
        Path certs = Files.createDirectories(context.resolve("certs"));
        Path hostCas = Path.of("/usr/local/share/ca-certificates");
        if (Files.isDirectory(hostCas)) {
            try (var files = Files.list(hostCas)) {
                for (Path ca : files.filter(p -> p.toString().endsWith(".crt")).toList()) {
                    Files.copy(ca, certs.resolve(ca.getFileName()));
                }
            }
        }
        DockerCli.Result built = DockerCli.run(List.of("build", "-q", "-t", tag, context.toString()), Map.of());
        if (built.code() != 0) {
            throw new StandInError("building " + tag + " failed: " + built.err().strip());
        }
        return tag;
    }
}
