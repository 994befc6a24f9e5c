package dev.claudebottle.manifest;

import dev.claudebottle.spi.BadInputException;
import java.util.List;
import java.util.stream.Collectors;

/** A manifest that does not validate. Exit code 2; the message lists every problem with its place. */
public final class ManifestException extends BadInputException {
    private static final long serialVersionUID = 1L;
    private final transient List<ManifestProblem> problems;

    /** Wraps one or more problems. */
    public ManifestException(List<ManifestProblem> problems) {
        super(render(problems), "see docs/manifest.md for every key the manifest accepts");
        this.problems = List.copyOf(problems);
    }

    /** The problems, in file order. */
    public List<ManifestProblem> problems() {
        return problems;
    }

    private static String render(List<ManifestProblem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        return problems.size() + " problems in the manifest:\n" + problems.stream()
                .map(p -> "  " + p)
                .collect(Collectors.joining("\n"));
    }
}
