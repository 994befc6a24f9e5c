package dev.claudebottle.bundle.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptOutputTest {
    @TempDir
    Path dir;

    @Test
    void everythingGoesToTheConsoleAndTheFileKeepsItUpToItsSizeAndSaysWhereItStopped() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path file = dir.resolve(KeptOutput.FILE);
        try (PrintStream out = new PrintStream(new KeptOutput(console, file, 100), true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 10; i++) {
                out.println("gateway: line " + i + " of the bundle's log");
            }
        }

        assertThat(console.toString(StandardCharsets.UTF_8)).contains("line 0 of").contains("line 9 of");
        String kept = Files.readString(file);
        assertThat(kept).contains("line 0 of").doesNotContain("line 9 of").endsWith("stops here at 100 bytes\n");
        assertThat(kept.length()).isLessThan(100 + 60);
    }
}
