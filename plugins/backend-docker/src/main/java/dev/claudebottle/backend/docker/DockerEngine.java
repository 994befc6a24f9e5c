package dev.claudebottle.backend.docker;

/** The one place that talks to the Docker engine; nothing else builds a Docker client. */
public interface DockerEngine extends AutoCloseable {
    /**
     * What the engine says about itself.
     *
     * @throws dev.claudebottle.spi.EnvironmentException when the engine does not answer
     */
    EngineInfo info();

    /** The id of a local image, if it exists. */
    java.util.Optional<String> imageId(String reference);

    /**
     * Builds an image from a tar build context without pulling, streaming the build's output lines.
     *
     * @return the new image's id
     */
    String build(java.io.InputStream context, String tag, java.util.Map<String, String> buildArgs,
                 java.util.function.Consumer<String> progress);

    @Override
    void close();
}
