package dev.claudebottle.bundle.git;

import java.util.Objects;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The user name and token the gate presents to an HTTPS upstream. The token comes from the
 * bundle's env and is never part of a message: {@link #toString()} shows the user name only.
 */
public final class HttpsLogin {
    private final String username;
    private final String token;

    /** A login; both parts must be non-empty. */
    public HttpsLogin(String username, String token) {
        if (Objects.requireNonNull(username, "username").isEmpty() || Objects.requireNonNull(token, "token").isEmpty()) {
            throw new IllegalArgumentException("an HTTPS login needs a user name and a token");
        }
        this.username = username;
        this.token = token;
    }

    /** The user name. */
    public String username() {
        return username;
    }

    /** JGit's form of this login. */
    CredentialsProvider credentials() {
        return new UsernamePasswordCredentialsProvider(username, token);
    }

    @Override
    public String toString() {
        return "HttpsLogin[" + username + ", ***]";
    }
}
