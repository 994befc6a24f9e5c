package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.backend.docker.ContainerSpec;
import dev.claudebottle.backend.docker.DockerEngine;
import dev.claudebottle.backend.docker.Labels;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.EventSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns the agent image into a {@code .smolmachine} artifact, cached by image id: smolvm packs
 * only from a registry, so the image is pushed to a throwaway registry container on host loopback
 * and packed from there; the registry and the pushed reference are removed afterwards.
 */
final class Packer {
    private static final Duration REGISTRY_READY = Duration.ofSeconds(30);
    private final DockerEngine engine;
    private final Smolvm smolvm;
    private final SmolvmCommands commands;
    private final Path cache;
    private final EventSink events;

    /**
     * @param cache the folder artifacts are kept in, one subfolder per image id
     */
    Packer(DockerEngine engine, Smolvm smolvm, SmolvmCommands commands, Path cache, EventSink events) {
        this.engine = engine;
        this.smolvm = smolvm;
        this.commands = commands;
        this.cache = cache;
        this.events = events;
    }

    /** The cached artifact of an image, if it was packed before. */
    Optional<Path> cached(String imageId) {
        Path artifact = artifact(cache.resolve(key(imageId)));
        return Files.isRegularFile(artifact) ? Optional.of(artifact) : Optional.empty();
    }

    /**
     * Packs {@code image} (id {@code imageId}) with the registry image {@code registryImage}; the
     * registry container carries the bottle's labels so gc finds it after a crash.
     *
     * @param daemonHost how the Docker daemon reaches host loopback: {@code localhost} on a native
     *                   daemon, {@code host.docker.internal} on Docker Desktop
     */
    Path pack(String image, String imageId, String registryImage, String slug, Path home, String daemonHost) {
        Optional<Path> hit = cached(imageId);
        if (hit.isPresent()) {
            events.lifecycle("the agent image is packed already: " + hit.get());
            return hit.get();
        }
        String key = key(imageId);
        events.lifecycle("packing the agent image " + image + " into a .smolmachine (once per image)");
        String registry = engine.createContainer(new ContainerSpec("claude-bottle-" + slug + "-registry", registryImage,
                List.of(), Labels.of(slug, "registry", home), "bridge", List.of(), List.of(), Optional.empty(), List.of(),
                List.of(), List.of(), List.of(), List.of(new ContainerSpec.Published("127.0.0.1", 5000)), Optional.empty()));
        String pushed = null;
        try {
            engine.start(registry);
            int port = engine.publishedPort(registry, 5000);
            awaitRegistry(port);
            String repository = "claude-bottle/agent:" + key.substring(0, 12);
            pushed = daemonHost + ":" + port + "/" + repository;
            engine.tag(image, pushed);
            engine.push(pushed, line -> events.debug("push: " + line));
            return packFrom("localhost:" + port + "/" + repository, key);
        } finally {
            if (pushed != null) {
                engine.removeImage(pushed);
            }
            engine.remove(registry);
        }
    }

    private Path packFrom(String reference, String key) {
        Path target = cache.resolve(key);
        Path partial = cache.resolve(key + ".partial-" + UUID.randomUUID());
        try {
            Files.createDirectories(partial);
            smolvm.check(commands.packCreate(reference, partial.resolve("agent")), "packing " + reference);
            if (!Files.isRegularFile(artifact(partial))) {
                throw new BottleException("smolvm pack create wrote no " + artifact(partial).getFileName() + " in "
                        + partial, "check the smolvm version with 'bottle doctor --backend smolmachines'");
            }
            // a concurrent launch may have packed the same image: either result will do
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(artifact(target))) {
                    throw e;
                }
            }
            events.lifecycle("packed " + artifact(target));
            return artifact(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the packed agent image under " + cache, e);
        } finally {
            deleteTree(partial);
        }
    }

    private void awaitRegistry(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v2/");
        long deadline = System.nanoTime() + REGISTRY_READY.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new BottleException("the local image registry did not answer on 127.0.0.1:" + port,
                "run 'bottle gc' and try again");
    }

    private static Path artifact(Path dir) {
        return dir.resolve("agent.smolmachine");
    }

    private static String key(String imageId) {
        return imageId.startsWith("sha256:") ? imageId.substring("sha256:".length()) : imageId;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover partial folder is harmless; the next pack uses a fresh one
        }
    }
}
