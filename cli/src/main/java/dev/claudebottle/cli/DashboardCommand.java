package dev.claudebottle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.dashboard.DashboardData;
import dev.claudebottle.dashboard.DashboardServer;
import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.spi.BadInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bottle dashboard}: the person's page for every bottle of this home, until Ctrl-C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve a page on this machine's loopback address that shows every bottle of this state home "
                + "(CLAUDE_BOTTLE_HOME) and every question its bottles ask, and answers them (Approve, Deny) through "
                + "the same approval queue as bottle supervise. Prints its URL, which carries a token for this run "
                + "only, opens it in the browser, and serves until Ctrl-C. Nothing but this machine can reach it: "
                + "see docs/dashboard.md."})
final class DashboardCommand implements Callable<Integer> {
    /** The file in the state home that says where the running dashboard is (owner only: its URL is a key). */
    static final String RUNNING_FILE = "dashboard.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CliContext context;

    @Mixin
    JsonOption json;

    @Option(names = "--no-browser", description = "Print the URL only; do not open a browser.")
    boolean noBrowser;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "The loopback address to listen on "
            + "(default 127.0.0.1); never one other machines reach.")
    String address = "127.0.0.1";

    DashboardCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Path home = context.kernel().paths().home();
        Path running = home.resolve(RUNNING_FILE);
        Optional<Map<?, ?>> other = runningElsewhere(running);
        if (other.isPresent()) {
            if (json.json) {
                Json.print(context.out(), Map.of("url", other.get().get("url"), "port", other.get().get("port"),
                        "already_running", true));
            } else {
                context.out().println("a dashboard already serves this home at " + other.get().get("url")
                        + " (process " + other.get().get("pid") + ")");
                context.out().flush();
            }
            return ExitCodes.OK;
        }
        ApprovalBoard board = new ApprovalBoard(context.kernel().paths().bottlesDir(), Clock.systemUTC(),
                Optional.of(context.kernel().manifests()));
        DashboardServer server = new DashboardServer(new DashboardData() {
            @Override
            public List<Map<String, Object>> bottles() {
                return LsCommand.rows(context);
            }

            @Override
            public ApprovalBoard board() {
                return board;
            }
        }, loopback(address));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            server.close();
            try {
                Files.deleteIfExists(running);
            } catch (IOException e) {
                // the next dashboard finds no live process behind it and takes its place
            }
            stopped.countDown();
        }, "dashboard-stop");
        URI url = server.start();
        Runtime.getRuntime().addShutdownHook(onSignal);
        writeRunning(running, url, server.port());
        if (json.json) {
            Json.print(context.out(), Map.of("url", url.toString(), "port", server.port()));
        } else {
            context.out().println("the dashboard of " + home + " is at");
            context.out().println(url);
            context.out().println("(its token is for this run only; Ctrl-C ends it)");
        }
        context.out().flush();
        if (!noBrowser) {
            open(home, url);
        }
        stopped.await();
        return ExitCodes.OK;
    }

    private static InetAddress loopback(String address) {
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!address.equals(parsed.getHostAddress()) && !address.contains(":")) {
                throw new BadInputException("--address: expected a loopback address such as 127.0.0.1, found '"
                        + address + "'", "give an address, not a name");
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new BadInputException("--address: expected a loopback address such as 127.0.0.1, found '"
                    + address + "'", "leave --address out for 127.0.0.1");
        }
    }

    /** What the file says of a dashboard whose process still runs, if one does. */
    private static Optional<Map<?, ?>> runningElsewhere(Path running) {
        try {
            if (!Files.isRegularFile(running)) {
                return Optional.empty();
            }
            Map<?, ?> said = JSON.readValue(running.toFile(), Map.class);
            long pid = said.get("pid") instanceof Number n ? n.longValue() : -1;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> said);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Says where this dashboard is, to the owner only: the URL carries its token. */
    private static void writeRunning(Path running, URI url, int port) throws IOException {
        Map<String, Object> said = new LinkedHashMap<>();
        said.put("pid", ProcessHandle.current().pid());
        said.put("url", url.toString());
        said.put("port", port);
        Path tmp = running.resolveSibling(RUNNING_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, JSON.writeValueAsBytes(said));
        Files.move(tmp, running, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Opens the page in the browser through a file only the owner reads, which sends the browser on to
     * the URL: the token never stands in a command line another user of this machine could list.
     */
    private void open(Path home, URI url) {
        try {
            Path opener = home.resolve("dashboard-open.html");
            Files.deleteIfExists(opener);
            Files.createFile(opener, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(opener, "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=" + url + "\">");
            new ProcessBuilder("xdg-open", opener.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            context.err().println("note: could not open a browser (" + e.getMessage() + "); open the URL above");
            context.err().flush();
        }
    }
}
