package dev.claudebottle.bundle.git;

import java.util.regex.Pattern;

/**
 * A branch name pattern of the manifest: {@code *} matches within one path segment
 * ({@code agent/*} matches {@code agent/x}, not {@code agent/x/y}), {@code **} matches across
 * segments; everything else is literal.
 */
record BranchGlob(String glob, Pattern pattern) {
    static BranchGlob of(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new BranchGlob(glob, Pattern.compile(regex.toString()));
    }

    boolean matches(String branch) {
        return pattern.matcher(branch).matches();
    }
}
