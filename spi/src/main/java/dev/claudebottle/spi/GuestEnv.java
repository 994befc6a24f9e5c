package dev.claudebottle.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An entry of the guest's env. The value is a template that may refer to resolved endpoints:
 * {@code {endpoint:NAME}} (host:port), {@code {host:NAME}} and {@code {port:NAME}}, where NAME is
 * a {@link GuestPort} name. Such values are resolved only after the backend published the port.
 * Guest env never holds secrets: the guest sees placeholders.
 *
 * @param name     the variable name
 * @param template the value, possibly with endpoint references
 */
public record GuestEnv(String name, String template) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern REF = Pattern.compile("\\{(endpoint|host|port):([a-z0-9][a-z0-9-]*)}");

    /** Validates the variable name. */
    public GuestEnv {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(template, "template");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("env name '" + name + "' is not a valid variable name");
        }
    }

    /** The port names the template refers to, in order of appearance. */
    public List<String> endpointRefs() {
        List<String> refs = new ArrayList<>();
        Matcher m = REF.matcher(template);
        while (m.find()) {
            refs.add(m.group(2));
        }
        return refs;
    }

    /** The value with every reference replaced through {@code endpoints}. */
    public String resolve(Function<String, Endpoint> endpoints) {
        Matcher m = REF.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Endpoint e = endpoints.apply(m.group(2));
            String part = switch (m.group(1)) {
                case "endpoint" -> e.toString();
                case "host" -> e.host();
                default -> Integer.toString(e.port());
            };
            m.appendReplacement(out, Matcher.quoteReplacement(part));
        }
        m.appendTail(out);
        return out.toString();
    }
}
