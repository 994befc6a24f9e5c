package dev.claudebottle.bundle.trust;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.claudebottle.spi.manifest.DlpPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DLP: finds secret-looking text by pattern, in the text as it is and as it reads once decoded
 * ({@link EncodedViews}: nested percent-encoding, base64, hex). Patterns are matched with RE2, in
 * time linear in the text, all of them in one pass; a text longer than the scan limit is refused
 * rather than scanned in part. Built-in patterns cover private keys, cloud keys, the tokens of
 * common services, and Luhn-valid card numbers; the manifest adds its own. A match names the
 * pattern, never the text that matched.
 */
public final class SecretScanner {
    /** Text beyond this many characters is not scanned: the request it came in is refused. */
    public static final int MAX_SCAN_CHARS = 32 * 1024 * 1024;
    /** The name a text too long to scan is reported by. */
    public static final String TOO_LONG = "too-long-to-scan";
    /** The built-in patterns, most specific first. */
    public static final List<DlpPattern> BUILT_IN = List.of(
            new DlpPattern("private-key",
                    "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"),
            new DlpPattern("aws-access-key-id", "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\\b"),
            new DlpPattern("aws-secret-access-key",
                    "(?i)aws.{0,20}?(?:secret|sk).{0,20}?[\"':= ]+[A-Za-z0-9/+]{40}\\b"),
            new DlpPattern("github-token", "\\bgh[pousr]_[A-Za-z0-9]{30,255}\\b"),
            new DlpPattern("github-pat", "\\bgithub_pat_[A-Za-z0-9_]{22,255}\\b"),
            new DlpPattern("gitlab-token", "\\bglpat-[A-Za-z0-9_-]{20,}"),
            new DlpPattern("slack-token", "\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            new DlpPattern("slack-webhook", "hooks\\.slack\\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]+"),
            new DlpPattern("anthropic-key", "\\bsk-ant-[A-Za-z0-9_-]{20,}"),
            new DlpPattern("stripe-key", "\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"),
            new DlpPattern("openai-key", "\\bsk-(?:proj-|svcacct-|admin-|test-)?[A-Za-z0-9_-]{20,}"),
            new DlpPattern("sendgrid-key", "\\bSG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{20,}"),
            new DlpPattern("google-api-key", "\\bAIza[0-9A-Za-z_-]{35}\\b"),
            new DlpPattern("azure-storage-key", "(?i)AccountKey=[A-Za-z0-9+/]{80,}={0,2}"),
            new DlpPattern("npm-token", "\\bnpm_[A-Za-z0-9]{36}\\b"),
            new DlpPattern("pypi-token", "\\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
            new DlpPattern("huggingface-token", "\\bhf_[A-Za-z0-9]{30,}\\b"),
            new DlpPattern("jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{4,}"),
            new DlpPattern("password-assignment",
                    "(?i)\\b(?:password|passwd|client_secret|secret_key)[\"']?\\s*[:=]\\s*[\"']?[^\\s\"'&,;]{8,}"),
            new DlpPattern("card-number", "\\b(?:\\d[ -]?){12,18}\\d\\b"),
            new DlpPattern("iban", "\\b[A-Z]{2}\\d{2}[A-Z0-9]{11,30}\\b"),
            new DlpPattern("bitcoin-address", "\\b(?:bc1[02-9ac-hj-np-z]{25,59}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\\b"),
            new DlpPattern("crypto-private-key", "\\b[5KL][1-9A-HJ-NP-Za-km-z]{50,51}\\b"));
    /** Patterns whose matches must also pass a check digit or checksum, so that look-alikes pass. */
    private static final java.util.Map<String, java.util.function.Predicate<String>> CHECKED = java.util.Map.of(
            "card-number", SecretScanner::luhn,
            "iban", Checksums::iban,
            "bitcoin-address", m -> m.startsWith("bc1") || Checksums.base58Check(m),
            "crypto-private-key", Checksums::base58Check);

    /**
     * Text a built-in pattern cannot match without (lower case, compared with the text lower-cased):
     * a pattern whose hints are all absent is not run, which keeps the scan of everyday traffic cheap.
     */
    private static final java.util.Map<String, List<String>> HINTS = java.util.Map.ofEntries(
            java.util.Map.entry("private-key", List.of("-----begin")),
            java.util.Map.entry("aws-access-key-id", List.of("akia", "asia", "agpa", "aida", "aroa", "anpa")),
            java.util.Map.entry("aws-secret-access-key", List.of("aws")),
            java.util.Map.entry("github-token", List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
            java.util.Map.entry("github-pat", List.of("github_pat_")),
            java.util.Map.entry("gitlab-token", List.of("glpat-")),
            java.util.Map.entry("slack-token", List.of("xox")),
            java.util.Map.entry("slack-webhook", List.of("hooks.slack.com")),
            java.util.Map.entry("anthropic-key", List.of("sk-ant-")),
            java.util.Map.entry("stripe-key", List.of("k_live_", "k_test_")),
            java.util.Map.entry("openai-key", List.of("sk-")),
            java.util.Map.entry("sendgrid-key", List.of("sg.")),
            java.util.Map.entry("google-api-key", List.of("aiza")),
            java.util.Map.entry("azure-storage-key", List.of("accountkey=")),
            java.util.Map.entry("npm-token", List.of("npm_")),
            java.util.Map.entry("pypi-token", List.of("pypi-")),
            java.util.Map.entry("huggingface-token", List.of("hf_")),
            java.util.Map.entry("jwt", List.of("eyj")),
            java.util.Map.entry("password-assignment", List.of("password", "passwd", "client_secret", "secret_key")));

    /** A pattern, with the hints that must appear for it to be run (none: always run). */
    private record Compiled(String name, Pattern pattern, List<String> hints) {
    }

    private static final int BUILT_IN_WITHOUT_HINTS = (int) BUILT_IN.stream()
            .filter(p -> !HINTS.containsKey(p.name())).count();
    private final List<Compiled> hinted;
    private final List<String> names;
    private final Pattern all;

    /** Built-in patterns plus the manifest's. */
    public SecretScanner(List<DlpPattern> extra) {
        List<DlpPattern> patterns = new ArrayList<>(BUILT_IN);
        patterns.addAll(extra);
        List<Compiled> withHints = new ArrayList<>();
        List<String> named = new ArrayList<>();
        StringBuilder alternation = new StringBuilder();
        for (DlpPattern p : patterns) {
            // each pattern compiled alone first, so that a bad one is named
            Pattern alone = Pattern.compile(p.regex());
            boolean builtIn = BUILT_IN.contains(p);
            List<String> hints = builtIn ? HINTS.getOrDefault(p.name(), List.of()) : List.of();
            if (!hints.isEmpty()) {
                withHints.add(new Compiled(p.name(), alone, hints));
                continue;
            }
            if (!named.isEmpty()) {
                alternation.append('|');
            }
            alternation.append("(?P<p").append(named.size()).append('>').append(p.regex()).append(')');
            named.add(p.name());
        }
        this.hinted = List.copyOf(withHints);
        this.names = List.copyOf(named);
        this.all = Pattern.compile(alternation.toString());
    }

    /** The name of a pattern found in {@code text} or in one of its decoded readings, if any. */
    public Optional<String> scan(CharSequence text) {
        if (text == null || text.length() == 0) {
            return Optional.empty();
        }
        if (text.length() > MAX_SCAN_CHARS) {
            return Optional.of(TOO_LONG);
        }
        for (String view : EncodedViews.of(text.toString())) {
            Optional<String> found = match(view);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<String> match(String text) {
        String lower = null;
        for (Compiled c : hinted) {
            if (lower == null) {
                lower = text.toLowerCase(java.util.Locale.ROOT);
            }
            String l = lower;
            if (c.hints().stream().anyMatch(l::contains) && c.pattern().matcher(text).find()) {
                return Optional.of(c.name());
            }
        }
        if (!mayHoldANumber(text)) {
            return Optional.empty();
        }
        Matcher m = all.matcher(text);
        int from = 0;
        while (from <= text.length() && m.find(from)) {
            for (int i = 0; i < names.size(); i++) {
                if (m.group("p" + i) == null) {
                    continue;
                }
                var check = CHECKED.get(names.get(i));
                if (check == null || check.test(m.group())) {
                    return Optional.of(names.get(i));
                }
                break;
            }
            from = m.end() > m.start() ? m.end() : m.start() + 1;
        }
        return Optional.empty();
    }

    /**
     * Whether the patterns without hints (card, account and wallet numbers, and the manifest's own)
     * could match: the built-in ones need 13 digits, or a run of 15 letters and digits.
     */
    private boolean mayHoldANumber(String text) {
        if (names.size() > BUILT_IN_WITHOUT_HINTS) {
            return true;
        }
        int digits = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            run = alnum ? run + 1 : 0;
            if ((c >= '0' && c <= '9' && ++digits >= 13) || run >= 15) {
                return true;
            }
        }
        return false;
    }

    /** Whether the digits pass the Luhn check card numbers carry. */
    static boolean luhn(String candidate) {
        int sum = 0;
        int digits = 0;
        boolean doubled = false;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
            digits++;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }
}
