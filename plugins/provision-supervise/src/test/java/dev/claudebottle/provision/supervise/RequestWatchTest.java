package dev.claudebottle.provision.supervise;

import dev.claudebottle.records.ApprovalBoard;
import static org.assertj.core.api.Assertions.assertThat;
import dev.claudebottle.spi.testing.SteppedClock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.spi.command.CommandCall;
import dev.claudebottle.spi.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bottle supervise watch} on a terminal: a key decides the request on the {@code >>} line, and only it. */
class RequestWatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path bottles;
    final StringWriter screen = new StringWriter();
    /** The watch's clock, moved on by the test: a key comes after the settling time without waiting it out. */
    final SteppedClock clock = new SteppedClock(Instant.now());

    private void request(String id, String title, Instant created) throws IOException {
        Path queue = bottles.resolve("web-1").resolve(ApprovalQueueFiles.HOST_DIR);
        for (String dir : ApprovalQueueFiles.FOLDERS) {
            Files.createDirectories(queue.resolve(dir));
        }
        Files.write(queue.resolve(ApprovalQueueFiles.REQUESTS).resolve(ApprovalQueueFiles.fileName(id)),
                JSON.writeValueAsBytes(new ApprovalQueueFiles.Request(id, "web-1", title, "", "command", created,
                        created.plusSeconds(600), "k" + id).toJson()));
    }

    private ApprovalBoard board() {
        return new ApprovalBoard(bottles, Clock.systemUTC());
    }

    private String state(String id) {
        return board().requests().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().state()
                .name().toLowerCase(java.util.Locale.ROOT);
    }

    private String screen() {
        synchronized (screen) {
            return screen.toString();
        }
    }

    private CommandCall terminal(InputStream keys) {
        PrintWriter out = new PrintWriter(screen, true);
        return new CommandCall() {
            public boolean flag(String option) {
                return false;
            }

            public Optional<String> option(String option) {
                return Optional.empty();
            }

            public Optional<String> parameter(String label) {
                return Optional.empty();
            }

            public PrintWriter out() {
                return out;
            }

            public PrintWriter err() {
                return out;
            }

            public InputStream in() {
                return keys;
            }

            public void printJson(Object value) {
            }

            public boolean keyByKey() {
                return true;
            }
        };
    }

    @Test
    void aKeyDecidesTheRequestShownAndAKeyJustAfterItChangedIsPassedOver() throws Exception {
        request("aaaa0001", "first", Instant.now().minusSeconds(20));
        request("bbbb0002", "second", Instant.now().minusSeconds(10));
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        var watching = CompletableFuture.supplyAsync(() -> {
            try {
                return new RequestWatch(board(), terminal(in), clock).run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(Duration.ofSeconds(10), "the oldest request shown", () -> screen().contains(">> aaaa0001"));

        // the shown request is decided elsewhere; the next one is shown, and a key at once is not for it
        board().decide("aaaa0001", false, "elsewhere");
        keys.write('a');
        keys.flush();
        Await.until(Duration.ofSeconds(10), "the next request shown", () -> screen().contains(">> bbbb0002"));
        Await.until(Duration.ofSeconds(10), "the key passed over", () -> screen().contains("that key was passed over"));
        assertThat(state("bbbb0002")).isEqualTo("pending");

        clock.advance(RequestWatch.SETTLE.plusMillis(100));
        keys.write('d');
        keys.flush();
        Await.until(Duration.ofSeconds(10), "the request shown denied", () -> state("bbbb0002").equals("denied"));
        assertThat(state("aaaa0001")).isEqualTo("denied");
        keys.write('q');
        keys.flush();
        assertThat(watching.get()).isZero();
    }
}
