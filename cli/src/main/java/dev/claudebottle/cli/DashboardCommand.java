package dev.claudebottle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.dashboard.DashboardData;
import dev.claudebottle.dashboard.DashboardServer;
import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.command.InertText;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
                + "(CLAUDE_BOTTLE_HOME), what each spent, its traffic as it passes, and every question its bottles "
                + "ask; answers them (Approve, Deny) through the same approval queue as bottle supervise, and stops "
                + "a bottle (Stop). Prints its URL, which carries a token for this run "
                + "only, opens it in the browser, and serves until Ctrl-C. Nothing but this machine can reach it: "
                + "see docs/dashboard.md."})
final class DashboardCommand implements Callable<Integer> {
    /** The file in the state home that says where the running dashboard is (owner only: its URL is a key). */
    static final String RUNNING_FILE = "dashboard.json";
    /** The file whose lock the running dashboard holds. */
    static final String LOCK_FILE = "dashboard.lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CliContext context;

    @Mixin
    JsonOption json;

    @Option(names = "--no-browser", description = "Print the URL only; do not open a browser.")
    boolean noBrowser;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "The IPv4 loopback address to listen on "
            + "(default 127.0.0.1, or another of 127.0.0.0/8); never one other machines reach.")
    String address = "127.0.0.1";

    DashboardCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        InetAddress listen = loopback(address);
        Path home = context.kernel().paths().home();
        Files.createDirectories(home);
        Path running = home.resolve(RUNNING_FILE);
        // one dashboard per home: the one that holds the lock for as long as it runs
        FileChannel lockFile = FileChannel.open(home.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            lockFile.close();
            Map<?, ?> other = said(running);
            String where = InertText.of(String.valueOf(other.get("url")));
            if (json.json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("url", where);
                out.put("port", other.get("port") instanceof Number n ? n : -1);
                out.put("already_running", true);
                Json.print(context.out(), out);
            } else {
                context.out().println("a dashboard already serves this home at " + where);
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

            @Override
            public Path record(String slug) {
                return context.kernel().paths().recordDir(slug).resolve(BundleLayout.RECORD_FILE);
            }

            @Override
            public void stop(String slug) {
                context.kernel().bottles().stop(slug);
            }

            @Override
            public List<Map<String, Object>> records() {
                return RecordsCommand.rows(context);
            }

            @Override
            public Map<String, Object> verify(String slug) {
                try {
                    return LogsCommand.verification(slug, record(slug));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, listen);
        CountDownLatch stopped = new CountDownLatch(1);
        Path opener = home.resolve("dashboard-open.html");
        Thread onSignal = new Thread(() -> {
            server.close();
            try {
                Files.deleteIfExists(running);
                Files.deleteIfExists(opener);
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                // the lock goes with the process all the same, and the next dashboard writes its own file
            }
            stopped.countDown();
        }, "dashboard-stop");
        URI url;
        try {
            url = server.start();
        } catch (RuntimeException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
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
            open(opener, url);
        }
        stopped.await();
        return ExitCodes.OK;
    }

    /** The address to listen on, given as a literal (never a name, which would be looked up). */
    private static InetAddress loopback(String address) {
        if (!address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new BadInputException("--address: expected an IPv4 loopback address such as 127.0.0.1, found '"
                    + InertText.of(address) + "'", "leave --address out for 127.0.0.1");
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!parsed.isLoopbackAddress()) {
                throw new BadInputException("--address: the dashboard listens on a loopback address only (127.0.0.0/8), "
                        + "not " + address, "leave --address out for 127.0.0.1");
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new BadInputException("--address: '" + InertText.of(address) + "' is not an address",
                    "leave --address out for 127.0.0.1");
        }
    }

    /** What the running dashboard's file says; an empty map when it cannot be read. */
    private static Map<?, ?> said(Path running) {
        try {
            return Files.isRegularFile(running, LinkOption.NOFOLLOW_LINKS) ? JSON.readValue(running.toFile(), Map.class)
                    : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Says where this dashboard is, to the owner only: the URL carries its token. */
    private static void writeRunning(Path running, URI url, int port) throws IOException {
        Map<String, Object> said = new LinkedHashMap<>();
        said.put("pid", ProcessHandle.current().pid());
        said.put("url", url.toString());
        said.put("port", port);
        Path tmp = running.resolveSibling(RUNNING_FILE + ".tmp");
        writePrivately(tmp, JSON.writeValueAsBytes(said));
        Files.move(tmp, running, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes a new file only the owner reads, through the one handle that made it: never through a link. */
    private static void writePrivately(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        try (var channel = Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            channel.write(java.nio.ByteBuffer.wrap(content));
        }
    }

    /**
     * Opens the page in the browser through a file only the owner reads, which sends the browser on to
     * the URL: the token never stands in a command line another user of this machine could list.
     */
    private void open(Path opener, URI url) {
        try {
            writePrivately(opener, ("<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=" + url + "\">")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            new ProcessBuilder("xdg-open", opener.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            context.err().println("note: could not open a browser (" + e.getMessage() + "); open the URL above");
            context.err().flush();
        }
    }
}
