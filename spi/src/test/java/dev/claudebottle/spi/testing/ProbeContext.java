package dev.claudebottle.spi.testing;

import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.StepContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** What a probe sees in a test: a guest, the launch's spec where the probe needs it, and the results it produces. */
public final class ProbeContext implements StepContext {
    private final Optional<LaunchSpec> spec;
    private final Guest guest;
    private final EventSink events;
    private final Map<ResultKey<?>, Object> values = new ConcurrentHashMap<>();

    /** A context for probes that take their spec from elsewhere (the backend's). */
    public ProbeContext(Guest guest) {
        this.spec = Optional.empty();
        this.guest = guest;
        this.events = e -> { };
    }

    /** A context for probes that read the launch's spec (the gateway's). */
    public ProbeContext(LaunchSpec spec, Guest guest) {
        this(spec, guest, e -> { });
    }

    /** A context for steps that read the launch's spec and report to {@code events}. */
    public ProbeContext(LaunchSpec spec, Guest guest, EventSink events) {
        this.spec = Optional.of(spec);
        this.guest = guest;
        this.events = events;
    }

    @Override
    public LaunchSpec spec() {
        return spec.orElseThrow(() -> new UnsupportedOperationException("these probes take the spec from elsewhere"));
    }

    @Override
    public Guest guest() {
        return guest;
    }

    @Override
    public Endpoint endpoint(String portName) {
        throw new UnsupportedOperationException("a probe finds its addresses in the engine");
    }

    @Override
    public Map<String, String> guestEnv() {
        throw new UnsupportedOperationException("a probe finds its addresses in the engine");
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public <T> void produce(ResultKey<T> key, T value) {
        values.put(key, value);
    }

    @Override
    public <T> T result(ResultKey<T> key) {
        return key.type().cast(Objects.requireNonNull(values.get(key), key.name()));
    }
}
