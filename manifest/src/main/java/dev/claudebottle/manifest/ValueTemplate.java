package dev.claudebottle.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A route value such as {@code Bearer ${TOKEN}}: literal text with {@code ${VAR}} references
 * to the host env, resolved at launch.
 */
public final class ValueTemplate {
    private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private final List<String> literals;
    private final List<String> variables;

    private ValueTemplate(List<String> literals, List<String> variables) {
        this.literals = literals;
        this.variables = variables;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming what is wrong (unterminated or invalid reference)
     */
    public static ValueTemplate parse(String text) {
        List<String> literals = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                literal.append(text, i, text.length());
                break;
            }
            literal.append(text, i, start);
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated ${ at character " + (start + 1));
            }
            String name = text.substring(start + 2, end);
            if (!VAR.matcher(name).matches()) {
                throw new IllegalArgumentException("'${" + name + "}' is not a valid variable reference");
            }
            literals.add(literal.toString());
            literal.setLength(0);
            variables.add(name);
            i = end + 1;
        }
        literals.add(literal.toString());
        return new ValueTemplate(List.copyOf(literals), List.copyOf(variables));
    }

    /** The host env variables the value needs, in order. */
    public List<String> variables() {
        return variables;
    }

    /**
     * The value with every reference replaced, or empty when a variable is unset; the caller
     * names the missing variable from {@link #firstMissing}.
     */
    public Optional<String> resolve(Function<String, Optional<String>> env) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int k = 0; k < variables.size(); k++) {
            Optional<String> value = env.apply(variables.get(k));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            out.append(value.get()).append(literals.get(k + 1));
        }
        return Optional.of(out.toString());
    }

    /** The first variable that is unset, if any. */
    public Optional<String> firstMissing(Function<String, Optional<String>> env) {
        return variables.stream().filter(v -> env.apply(v).isEmpty()).findFirst();
    }
}
