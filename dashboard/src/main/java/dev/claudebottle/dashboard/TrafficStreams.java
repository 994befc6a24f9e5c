package dev.claudebottle.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.records.RecordTail;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * A bottle's traffic as server-sent events, as the gateway writes it into the record: the last
 * {@link #BACKLOG} lines first, then each new line as it is appended, each an event whose data is
 * the line with every text made inert. A few streams at once at most, each looking at the file four
 * times a second and saying it is still there every second, so that one whose page went is found
 * gone within seconds; each ends when its page goes or the dashboard stops.
 */
final class TrafficStreams implements AutoCloseable {
    /** How many earlier lines a new stream starts with. */
    static final int BACKLOG = 200;
    /** How many streams may be open at once; one more is refused. */
    static final int MOST_STREAMS = 6;
    private static final long LOOK_MS = 250;
    /** Often enough that a page that went frees its stream within seconds: only a write finds it gone. */
    private static final long KEEP_ALIVE_MS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Semaphore open = new Semaphore(MOST_STREAMS);
    private volatile boolean closed;

    /** What a stream writes until its page goes or the dashboard stops. */
    @FunctionalInterface
    private interface Stream {
        void run(Response response) throws IOException, InterruptedException;
    }

    /** Streams {@code record}'s lines to {@code response} until the page goes; runs on the request's thread. */
    void serve(Path record, Response response, Callback callback) {
        open(response, callback, out -> {
            RecordTail tail = new RecordTail(record);
            Deque<String> backlog = new ArrayDeque<>();
            for (List<String> lines = tail.next(); !lines.isEmpty(); lines = tail.next()) {
                for (String line : lines) {
                    backlog.addLast(line);
                    if (backlog.size() > BACKLOG) {
                        backlog.removeFirst();
                    }
                }
            }
            write(out, events(List.copyOf(backlog)) + ": ready\n\n");
            long quiet = 0;
            while (!closed) {
                List<String> lines = tail.next();
                if (!lines.isEmpty()) {
                    write(out, events(lines));
                    quiet = 0;
                } else if ((quiet += LOOK_MS) >= KEEP_ALIVE_MS) {
                    write(out, ": still here\n\n");
                    quiet = 0;
                }
                Thread.sleep(LOOK_MS);
            }
        });
    }

    /**
     * Tells the page each time what it shows changed, as an event {@code changed}, until the page goes;
     * runs on the request's thread and counts as a stream.
     */
    void changes(Changes changes, Response response, Callback callback) {
        open(response, callback, out -> {
            write(out, ": ready\n\n");
            long seen = 0;
            while (!closed) {
                long now = changes.await(seen, KEEP_ALIVE_MS);
                write(out, now != seen ? "data: changed\n\n" : ": still here\n\n");
                seen = now;
            }
        });
    }

    /** Runs {@code stream} as an event stream if one more may be open, and ends it however it ends. */
    private void open(Response response, Callback callback, Stream stream) {
        if (!open.tryAcquire()) {
            DashboardServer.send(response, callback, 429, "text/plain", "at most " + MOST_STREAMS + " streams at once");
            return;
        }
        try {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            stream.run(response);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            // the page went, or the record cannot be read: the stream ends
            callback.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
        } finally {
            open.release();
        }
    }

    /** The lines as events, each a line of the record made inert; a line that is not JSON is left out. */
    private static String events(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            try {
                out.append("data: ").append(JSON.writeValueAsString(Views.inert(JSON.readValue(line, Object.class))))
                        .append("\n\n");
            } catch (IOException e) {
                // not a line the gateway wrote whole
            }
        }
        return out.toString();
    }

    private static void write(Response response, String text) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
            written.block();
        }
    }

    /** Ends every stream at its next look. */
    @Override
    public void close() {
        closed = true;
    }
}
