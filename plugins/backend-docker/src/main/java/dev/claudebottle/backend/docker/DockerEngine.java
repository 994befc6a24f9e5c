package dev.claudebottle.backend.docker;

/** The one place that talks to the Docker engine; nothing else builds a Docker client. */
public interface DockerEngine extends AutoCloseable {
    /**
     * What the engine says about itself.
     *
     * @throws dev.claudebottle.spi.EnvironmentException when the engine does not answer
     */
    EngineInfo info();

    @Override
    void close();
}
