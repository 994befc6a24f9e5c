package dev.claudebottle.bundle.git;

import dev.claudebottle.bundle.trust.SecretScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;

/**
 * Looks at what a push adds, before it goes anywhere: every new commit message and every new blob
 * is scanned with the gateway's DLP patterns, and a blob over the size limit is refused. Objects
 * the mirror's refs already reach were checked before, or came from upstream.
 */
final class PushScanner {
    private final SecretScanner scanner;
    private final long maxBlobBytes;

    PushScanner(SecretScanner scanner, long maxBlobBytes) {
        this.scanner = scanner;
        this.maxBlobBytes = maxBlobBytes;
    }

    private static String identity(org.eclipse.jgit.lib.PersonIdent who) {
        return who == null ? "" : who.getName() + " <" + who.getEmailAddress() + ">";
    }

    /**
     * Why the new objects reachable from {@code tips} are refused, as the agent reads it, or empty
     * when they are clean.
     */
    Optional<String> refusal(Repository repo, Collection<? extends AnyObjectId> tips) throws IOException {
        try (ObjectWalk walk = new ObjectWalk(repo)) {
            walk.setRetainBody(true);
            for (AnyObjectId tip : tips) {
                walk.markStart(walk.parseAny(tip));
            }
            for (Ref ref : repo.getRefDatabase().getRefs()) {
                ObjectId id = ref.getObjectId();
                if (id != null && repo.getObjectDatabase().has(id)) {
                    walk.markUninteresting(walk.parseAny(id));
                }
            }
            RevCommit commit;
            while ((commit = walk.next()) != null) {
                String name = "commit " + commit.abbreviate(10).name();
                Optional<String> hit = scanner.scan(commit.getFullMessage());
                if (hit.isPresent()) {
                    return dlp(name + " has a message matching the " + hit.get() + " pattern");
                }
                hit = scanner.scan(identity(commit.getAuthorIdent()) + "\n" + identity(commit.getCommitterIdent()));
                if (hit.isPresent()) {
                    return dlp(name + " has an author or committer identity matching the " + hit.get() + " pattern");
                }
            }
            RevObject object;
            while ((object = walk.nextObject()) != null) {
                String path = walk.getPathString();
                // The name itself can carry the secret, so a refusal never repeats it.
                Optional<String> named = path == null ? Optional.empty() : scanner.scan(path);
                if (named.isPresent()) {
                    return dlp("a file name in the push matches the " + named.get() + " pattern");
                }
                if (object.getType() != Constants.OBJ_BLOB) {
                    continue;
                }
                ObjectLoader loader = repo.open(object, Constants.OBJ_BLOB);
                if (loader.getSize() > maxBlobBytes) {
                    // the receiving limit stops such a file in the pack; this one was in the mirror already
                    return Optional.of(path + " is " + loader.getSize() + " bytes, over the git gate's limit of "
                            + maxBlobBytes + " bytes for one file; keep large files out of the repository");
                }
                byte[] content = loader.getCachedBytes();
                Optional<String> hit = scanner.scan(new String(content, StandardCharsets.ISO_8859_1));
                for (byte[] inner : Compressed.contents(content, maxBlobBytes)) {
                    hit = hit.or(() -> scanner.scan(new String(inner, StandardCharsets.ISO_8859_1)));
                }
                if (hit.isPresent()) {
                    return dlp(path + " matches the " + hit.get() + " pattern");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> dlp(String finding) {
        return Optional.of("push refused by DLP: " + finding + "; take the secret out of the commits (rewrite them) "
                + "and push again");
    }
}
