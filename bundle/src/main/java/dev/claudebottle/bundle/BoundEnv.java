package dev.claudebottle.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.BoundValues;
import dev.claudebottle.spi.BottleException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bundle's env as its daemons read it: its process env with its secret values
 * ({@link BoundValues}) over it, read anew on each call, so that values put into a running bundle
 * (a warm bottle being claimed) are seen at the next policy load. Without the file the process env
 * is all there is. A file that cannot be read is an error that names the file, never a value.
 */
public final class BoundEnv implements Supplier<Map<String, String>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> process;
    private final Path file;

    /** The process env {@code process} with the values in {@code file} over it. */
    public BoundEnv(Map<String, String> process, Path file) {
        this.process = Map.copyOf(process);
        this.file = file;
    }

    @Override
    public Map<String, String> get() {
        Map<String, String> env = new HashMap<>(process);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) BoundValues.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return env;
        } catch (IOException e) {
            throw new BottleException("cannot read the bundle's bound values " + file + ": "
                    + e.getClass().getSimpleName(), "the backend puts them there; start the bottle again");
        }
        if (bytes.length > BoundValues.MAX_BYTES) {
            throw new BottleException("the bundle's bound values " + file + " are larger than "
                    + BoundValues.MAX_BYTES + " bytes", "the backend puts them there; start the bottle again");
        }
        try {
            BoundValues bound = BoundValues.fromJson(JSON.readValue(bytes, Object.class));
            bound.values().forEach((name, value) -> env.put(name, value.reveal()));
            env.put(BoundValues.GENERATION, bound.generation());
        } catch (IOException | IllegalArgumentException e) {
            // the parser's message may quote the file's text
            throw new BottleException("the bundle's bound values " + file + " are not a file of values",
                    "the backend puts them there; start the bottle again");
        }
        return env;
    }

    @Override
    public String toString() {
        return "BoundEnv[" + file + "]";
    }
}
