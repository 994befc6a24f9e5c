package dev.claudebottle.bundle.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials file is read bounded and strictly, and written as Claude Code writes it, quoting none of it. */
class CredentialsFileTest {
    private static final String LEAK = "sk-ant-oat01-never-quote-me";
    @TempDir
    Path dir;

    private CredentialsFile file() {
        return new CredentialsFile(dir);
    }

    @Test
    void aFileLargerThanASignInCanBeIsRefusedUnread() throws Exception {
        Files.writeString(dir.resolve(SignInFile.NAME), "\"" + LEAK + "x".repeat((int) SignInFile.MAX_BYTES) + "\"");

        assertThatThrownBy(() -> file().readTree()).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than").hasMessageNotContaining(LEAK);
    }

    @Test
    void aFileThatIsNotJsonIsRefusedWithoutQuotingIt() throws Exception {
        Files.writeString(dir.resolve(SignInFile.NAME), "{\"claudeAiOauth\":{\"accessToken\":\"" + LEAK + "\",}");

        assertThatThrownBy(() -> file().readTree()).isInstanceOf(IOException.class)
                .hasMessageContaining("is not the JSON Claude Code writes").hasMessageNotContaining(LEAK);
    }

    @Test
    void aFileThatIsNotClaudeCodesIsRefusedWithoutQuotingIt() throws Exception {
        Files.writeString(dir.resolve(SignInFile.NAME), "[\"" + LEAK + "\"]");

        assertThatThrownBy(() -> file().readSignIn()).isInstanceOf(IOException.class)
                .hasMessageContaining("not what Claude Code writes").hasMessageNotContaining(LEAK);
    }

    @Test
    void aWriteReplacesTheFileWholeKeepingEveryOtherKeyAndLeavingNoTempFile() throws Exception {
        Files.writeString(dir.resolve(SignInFile.NAME), "{\"claudeAiOauth\":{\"accessToken\":\"a\",\"refreshToken\":\"r\","
                + "\"expiresAt\":1,\"scopes\":[\"user:inference\"],\"subscriptionType\":\"pro\"},\"other\":{\"k\":\"v\"}}");
        CredentialsFile file = file();
        FileStamp before = file.stamp();
        Object tree = file.readTree();
        SignInFile.SignIn next = file.signIn(tree).orElseThrow().refreshed(Secret.of("a2"), Optional.of(Secret.of("r2")),
                Instant.EPOCH.plus(Duration.ofDays(1)), List.of());

        file.write(SignInFile.withSignIn(tree, next));

        assertThat(file.readSignIn()).contains(next);
        Map<?, ?> root = (Map<?, ?>) file.readTree();
        assertThat(root.get("other")).isEqualTo(Map.of("k", "v"));
        assertThat(((Map<?, ?>) root.get("claudeAiOauth")).get("subscriptionType")).isEqualTo("pro");
        assertThat(file.stamp()).isNotEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(SignInFile.NAME);
        }
    }
}
