package dev.claudebottle.warm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files in a warm bottle's state dir that say where it is between the pool and a launch.
 * {@code warm.json} (its {@link WarmKey}) is there while it waits in the pool. A claim holds the
 * bottle's lock ({@code claim.lock}, which the system lets go when its process ends, however it
 * ends) from before it takes the bottle until it is done, and takes it by renaming that file to
 * {@code claim.json}; before the bottle is given any value the claim says so ({@code "bound":
 * true}). A claim file whose lock nobody holds is a claim whose process died: the bottle goes back
 * to the pool if it was given nothing, and is removed otherwise. A bottle that was given a
 * credential never goes back to the pool.
 */
final class WarmMarks implements AutoCloseable {
    static final String WARM = "warm.json";
    static final String CLAIM = "claim.json";
    static final String LOCK = "claim.lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path stateDir;
    /** The lock files this process holds: a file is locked once per process, by one channel. */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private FileChannel channel;
    private FileLock lock;
    private Path held;

    WarmMarks(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** A warm bottle's mark as it waits in the pool. */
    record Warm(WarmKey key, Instant made) {
    }

    /** A claim: the claiming process, and whether it began to give the bottle its values. */
    record Claim(long pid, boolean bound) {
    }

    /**
     * Puts the bottle into the pool, making its lock file first: no claim ever makes that file, so a
     * state dir being removed is never locked again from under the removal.
     */
    void warm(WarmKey key, Instant made) {
        try {
            if (!Files.exists(stateDir.resolve(LOCK))) {
                Files.createFile(stateDir.resolve(LOCK));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the lock of the warm bottle in " + stateDir, e);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("agent", key.agent());
        json.put("manifest", key.manifest());
        json.put("backend", key.backend());
        json.put("digest", key.digest());
        json.put("made", made.toString());
        write(WARM, json);
    }

    /** The pool's mark, if the bottle waits in the pool and no claim is under way or left. */
    Optional<Warm> warm() {
        if (Files.exists(stateDir.resolve(CLAIM))) {
            return Optional.empty();
        }
        try {
            return read(WARM).map(j -> new Warm(new WarmKey(text(j, "agent"), text(j, "manifest"), text(j, "backend"),
                    text(j, "digest")), Instant.parse(text(j, "made"))));
        } catch (RuntimeException e) {
            return Optional.empty(); // not a mark this build wrote: never claimed
        }
    }

    /** The claim file, if a claim is under way or was left by a process that died. */
    Optional<Claim> claim() {
        return read(CLAIM).map(j -> new Claim(j.get("pid") instanceof Number n ? n.longValue() : 0,
                Boolean.TRUE.equals(j.get("bound"))));
    }

    /**
     * Takes the bottle out of the pool for this process, holding its lock until {@link #close};
     * false when another process holds it or took it first.
     */
    boolean take() {
        if (!lock()) {
            return false;
        }
        if (Files.exists(stateDir.resolve(CLAIM))) {
            close(); // a claim left by a process that died: settling it decides where the bottle goes
            return false;
        }
        try {
            Files.move(stateDir.resolve(WARM), stateDir.resolve(CLAIM), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            close();
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            close();
            throw new IllegalStateException("the state home cannot rename atomically: " + stateDir, e);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot claim the warm bottle in " + stateDir, e);
        }
        claimed(false);
        return true;
    }

    /**
     * Holds the lock of a claim whose process died, to settle it; false when a live process holds
     * it (its claim is under way).
     */
    boolean settle() {
        return lock();
    }

    /** Says, before it is done, that this process gives the bottle its values: it is never warm again. */
    void binding() {
        claimed(true);
    }

    /** Ends the claim: the bottle is a launched bottle now, and never again in the pool. */
    void claimed() {
        delete(WARM);
        delete(CLAIM);
    }

    /** Puts a claim that gave the bottle nothing back into the pool; a claim gone meanwhile is left gone. */
    void release() {
        try {
            Files.move(stateDir.resolve(CLAIM), stateDir.resolve(WARM), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // removed with its bottle
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the warm bottle in " + stateDir + " back", e);
        }
    }

    /** Lets the bottle's lock go. */
    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // the lock goes with the channel, or with the process
        } finally {
            lock = null;
            channel = null;
            if (held != null) {
                HELD.remove(held);
                held = null;
            }
        }
    }

    /**
     * Takes the bottle's lock without waiting. A lock this process already holds is refused before a
     * second channel is opened on the file: closing that channel would let the first lock go.
     */
    private boolean lock() {
        Path file = stateDir.resolve(LOCK).toAbsolutePath().normalize();
        if (!HELD.add(file)) {
            return false;
        }
        held = file;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (NoSuchFileException e) {
            lock = null; // no lock file: the bottle is being removed, or was never warm
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot lock the warm bottle in " + stateDir, e);
        }
        if (lock == null) {
            close();
            return false;
        }
        return true;
    }

    private void claimed(boolean bound) {
        Map<String, Object> json = new LinkedHashMap<>(read(CLAIM).orElse(Map.of()));
        json.put("pid", ProcessHandle.current().pid());
        json.put("bound", bound);
        write(CLAIM, json);
    }

    private void write(String name, Map<String, Object> json) {
        Path tmp = stateDir.resolve(name + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), json);
            Files.move(tmp, stateDir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " in " + stateDir, e);
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<Map<String, Object>> read(String name) {
        try {
            return Optional.of(JSON.readValue(stateDir.resolve(name).toFile(), Map.class));
        } catch (IOException e) {
            // missing, or half-written by a process that died: either way not a mark
            return Optional.empty();
        }
    }

    private void delete(String name) {
        try {
            Files.deleteIfExists(stateDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + name + " in " + stateDir, e);
        }
    }

    private static String text(Map<String, Object> json, String key) {
        return String.valueOf(json.get(key));
    }
}
