package dev.claudebottle.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.HostEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.time.Duration;

/** {@link DockerEngine} on docker-java, honouring {@code DOCKER_HOST} like the docker CLI. */
final class DockerJavaEngine implements DockerEngine {
    private final DockerClientConfig config;
    private final DockerClient client;

    /** An engine configured like the docker CLI, from {@code DOCKER_HOST} and friends in {@code env}. */
    DockerJavaEngine(HostEnvironment env) {
        var builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        env.get("DOCKER_HOST").filter(s -> !s.isBlank()).ifPresent(builder::withDockerHost);
        env.get("DOCKER_TLS_VERIFY").filter(s -> !s.isBlank())
                .ifPresent(v -> builder.withDockerTlsVerify(!"0".equals(v)));
        env.get("DOCKER_CERT_PATH").filter(s -> !s.isBlank()).ifPresent(builder::withDockerCertPath);
        config = builder.build();
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        client = DockerClientImpl.getInstance(config, http);
    }

    @Override
    public EngineInfo info() {
        try {
            Version version = client.versionCmd().exec();
            Info info = client.infoCmd().exec();
            return new EngineInfo(String.valueOf(version.getVersion()), String.valueOf(version.getApiVersion()),
                    String.valueOf(info.getOperatingSystem()));
        } catch (RuntimeException e) {
            throw new EnvironmentException("the Docker engine at " + config.getDockerHost() + " does not answer: "
                    + rootMessage(e), "start the engine (dockerd, or Docker Desktop) or point DOCKER_HOST at it", e);
        }
    }

    @Override
    public Optional<String> imageId(String reference) {
        try {
            return Optional.ofNullable(client.inspectImageCmd(reference).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public String build(InputStream context, String tag, Map<String, String> buildArgs, Consumer<String> progress) {
        var cmd = client.buildImageCmd().withTarInputStream(context).withTags(Set.of(tag)).withPull(false)
                .withRemove(true);
        buildArgs.forEach(cmd::withBuildArg);
        BuildImageResultCallback callback = cmd.exec(new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null && !item.getStream().isBlank()) {
                    progress.accept(item.getStream().strip());
                }
                super.onNext(item);
            }
        });
        try {
            return callback.awaitImageId();
        } catch (DockerClientException e) {
            throw new BottleException("building " + tag + " failed: " + rootMessage(e),
                    "run with --debug to see the build output");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a client that never connected has nothing to release
        }
    }
}
