package dev.claudebottle.bundle.gateway;

import dev.claudebottle.spi.manifest.DlpPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * DLP: finds secret-looking text by pattern. Built-in patterns cover private keys, AWS access
 * key ids, GitHub, Slack, Anthropic and OpenAI tokens and JWTs; the manifest adds its own.
 * A match names the pattern, never the text that matched.
 */
public final class SecretScanner {
    /** The built-in patterns, most specific first. */
    public static final List<DlpPattern> BUILT_IN = List.of(
            new DlpPattern("private-key",
                    "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"),
            new DlpPattern("aws-access-key-id", "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\\b"),
            new DlpPattern("github-token", "\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b"),
            new DlpPattern("github-pat", "\\bgithub_pat_[A-Za-z0-9_]{22,255}\\b"),
            new DlpPattern("slack-token", "\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            new DlpPattern("anthropic-key", "\\bsk-ant-[A-Za-z0-9_-]{20,}"),
            new DlpPattern("openai-key", "\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
            new DlpPattern("jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"));

    private final List<Named> patterns;

    /** Built-in patterns plus the manifest's. */
    public SecretScanner(List<DlpPattern> extra) {
        List<Named> all = new ArrayList<>();
        for (DlpPattern p : BUILT_IN) {
            all.add(new Named(p.name(), Pattern.compile(p.regex())));
        }
        for (DlpPattern p : extra) {
            all.add(new Named(p.name(), Pattern.compile(p.regex())));
        }
        this.patterns = List.copyOf(all);
    }

    /** The name of the first pattern found in {@code text}, if any. */
    public Optional<String> scan(CharSequence text) {
        if (text == null || text.length() == 0) {
            return Optional.empty();
        }
        for (Named p : patterns) {
            if (p.pattern().matcher(text).find()) {
                return Optional.of(p.name());
            }
        }
        return Optional.empty();
    }

    private record Named(String name, Pattern pattern) {
    }
}
