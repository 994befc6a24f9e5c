package dev.claudebottle.provision.gateway;

import dev.claudebottle.contract.CredentialForms;
import dev.claudebottle.spi.CredentialRoute;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.ProbeCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The search for real route values in the guest, in each form one can leak in ({@link CredentialForms}:
 * a {@code Bearer} value's token alone too): the environment and command line of every
 * process, and the files under the agent's home, {@code /tmp}, {@code /etc} and {@code /root}. Root
 * reads them out ({@link ProbeCommand}) and the search happens here, so a value never enters the
 * guest. It holds only on a whole reading: a process whose environment could not be read, one
 * larger than is read, or a reading that did not reach its end is a miss.
 */
final class GuestValueScan {
    /** The most bytes of one process's environment or command line read; a process with more is a miss. */
    static final int PROCESS_BYTES = 256 * 1024;
    /** The most bytes of all processes' environments read together; more is a miss. */
    static final int PROCESSES_BYTES = 16 * 1024 * 1024;
    /** Bytes of files read for route values; files beyond this are not read. */
    static final int FILE_BYTES = 8 * 1024 * 1024;
    /**
     * For each process: ENV, its pid and its environment and command line in base64 ("-" when
     * empty); UNREAD when they could not be read (base64 never holds the space and "!" a failed read
     * appends); GONE when the process ended meanwhile or has no memory of its own; then
     * FILES, the files' bytes, and END once they were read. A FIFO put where a file was cannot hold
     * the reading: a batch of files still being read after a few seconds is stopped, and CUT said on
     * the error stream.
     */
    static final String SCRIPT = """
            set -o pipefail
            proc=$1; shift; total=0
            for d in "$proc"/[0-9]*; do
              p=${d##*/}
              e=$( { head -c %1$d -- "$d/environ" | base64 -w0 || echo ' !'; } 2>&1 )
              c=$( { head -c %1$d -- "$d/cmdline" | base64 -w0 || echo ' !'; } 2>&1 )
              case "$e$c" in
                *'No such process'*|*'No such file'*) echo "GONE $p" ;;
                *' !'*) echo "UNREAD $p" ;;
                *) total=$((total + ${#e} + ${#c}))
                   if [ "$total" -gt %2$d ]; then echo OVERFLOW; break; fi
                   echo "ENV $p ${e:--} ${c:--}" ;;
              esac
            done
            echo FILES
            find "$@" -xdev -type f -size -1048576c -print0 2>/dev/null \\
              | xargs -0r sh -c 'timeout -k 1 5 cat -- "$@" 2>/dev/null; [ $? -ne 124 ] || echo CUT >&2' cat \\
              | head -c %3$d
            echo; echo END
            """.formatted(PROCESS_BYTES + 1, PROCESSES_BYTES * 4 / 3, FILE_BYTES);

    private final String proc;
    private final List<String> files;

    /**
     * @param proc  where the guest's processes are listed, {@code /proc}
     * @param files the directories whose files are read
     */
    GuestValueScan(String proc, List<String> files) {
        this.proc = proc;
        this.files = List.copyOf(files);
    }

    /** The scan of a guest whose agent's home is {@code home}: it, {@code /tmp}, {@code /etc} and {@code /root}. */
    static GuestValueScan of(String home) {
        return new GuestValueScan("/proc", List.of(home, "/tmp", "/etc", "/root"));
    }

    Probe.Result run(Guest guest, List<CredentialRoute> routes) throws Exception {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", SCRIPT, "probe", proc));
        argv.addAll(files);
        ExecResult r = ProbeCommand.of(Duration.ofSeconds(60), argv).run(guest);
        if (!ProbeCommand.finished(r)) {
            return Probe.Result.missed("the guest's processes and files were not read to the end: "
                    + ProbeCommand.unfinished(r));
        }
        if (r.stderr().lines().anyMatch("CUT"::equals)) {
            return Probe.Result.missed("a guest file could not be read within seconds (a FIFO where a file was?): "
                    + "the files after it were not read");
        }
        return verdict(r.stdout(), routes);
    }

    /** The verdict on what the scan printed. */
    static Probe.Result verdict(String stdout, List<CredentialRoute> routes) {
        int files = stdout.indexOf("\nFILES\n");
        int start = stdout.startsWith("FILES\n") ? 0 : files + 1;
        if ((files < 0 && start != 0) || !stdout.endsWith("\nEND\n")) {
            return Probe.Result.missed("the guest's processes and files were not read to the end");
        }
        List<byte[]> read = new ArrayList<>();
        int processes = 0;
        for (String line : stdout.substring(0, start).split("\n")) {
            String[] w = line.split(" ");
            if (line.isEmpty() || w[0].equals("GONE")) {
                continue;
            }
            if (w[0].equals("ENV") && w.length == 4) {
                byte[] env = decode(w[2]);
                byte[] cmdline = decode(w[3]);
                if (env == null || cmdline == null) {
                    return Probe.Result.missed("what the guest's process " + w[1] + " holds was garbled");
                }
                if (env.length > PROCESS_BYTES || cmdline.length > PROCESS_BYTES) {
                    return Probe.Result.missed("process " + w[1] + " holds more environment than the probe reads ("
                            + PROCESS_BYTES / 1024 + " KiB)");
                }
                read.add(env);
                read.add(cmdline);
                processes++;
            } else if (w[0].equals("UNREAD") && w.length == 2) {
                return Probe.Result.missed("the environment of the guest's process " + w[1] + " could not be read");
            } else if (w[0].equals("OVERFLOW")) {
                return Probe.Result.missed("the guest's processes hold more environment than the probe reads ("
                        + PROCESSES_BYTES / (1024 * 1024) + " MiB)");
            } else {
                return Probe.Result.missed("the reading of the guest's processes was garbled");
            }
        }
        if (processes == 0) {
            return Probe.Result.missed("no process of the guest could be read");
        }
        String fileText = stdout.substring(start + "FILES\n".length(), stdout.length() - "\nEND\n".length());
        for (CredentialRoute route : routes.stream().filter(r -> !r.value().isEmpty()).toList()) {
            List<String> forms = CredentialForms.of(route.value().reveal());
            for (String form : forms) {
                byte[] value = form.getBytes(StandardCharsets.UTF_8);
                if (read.stream().anyMatch(bytes -> contains(bytes, value))) {
                    return Probe.Result.missed("the real value of " + route.route().label() + " is in the environment "
                            + "or command line of a guest process");
                }
            }
            if (forms.stream().anyMatch(fileText::contains)) {
                return Probe.Result.missed("the real value of " + route.route().label() + " is in a guest file");
            }
        }
        return Probe.Result.held("none of " + routes.size() + " route values in the env or command line of the "
                + processes + " guest processes or in its files");
    }

    private static byte[] decode(String word) {
        try {
            return word.equals("-") ? new byte[0] : Base64.getDecoder().decode(word);
        } catch (IllegalArgumentException garbled) {
            return null;
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return needle.length == 0;
    }
}
