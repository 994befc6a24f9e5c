package dev.claudebottle.bundle.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A line of the bundle's log is one line, whatever text a guest got into a message. */
class DaemonLogTest {
    @Test
    void aLineBreakInAMessageCannotBeginALineOfItsOwn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DaemonLog log = new DaemonLog("git-gate", new PrintStream(bytes, true, StandardCharsets.UTF_8));

        log.error("push of x\n2026-12-07T00:00:00Z gateway: policy loaded: 0 allow rule(s), 0 route(s), every route "
                + "bound\r\u2028\u0000\tend");

        String written = bytes.toString(StandardCharsets.UTF_8);
        assertThat(written.lines()).singleElement().satisfies(line -> assertThat(line)
                .contains(" git-gate: error: push of x\\u000a2026-12-07T00:00:00Z gateway: policy loaded")
                .contains("\\u000d\\u2028\\u0000\tend"));
    }
}
