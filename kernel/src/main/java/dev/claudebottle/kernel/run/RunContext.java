package dev.claudebottle.kernel.run;

import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.StepContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a step sees while one run of a plan goes on: the launch, and the results earlier steps
 * produced, among them the backend's guest and endpoints. Each run has its own; the plan has none.
 */
final class RunContext implements StepContext {
    private final LaunchPlan plan;
    private final EventSink events;
    private final Map<ResultKey<?>, Object> results = new ConcurrentHashMap<>();

    RunContext(LaunchPlan plan, EventSink events) {
        this.plan = plan;
        this.events = events;
    }

    @Override
    public LaunchSpec spec() {
        return plan.spec();
    }

    @Override
    public Guest guest() {
        return result(Backend.GUEST);
    }

    @Override
    public Endpoint endpoint(String portName) {
        return result(Backend.ENDPOINTS).get(portName);
    }

    @Override
    public Map<String, String> guestEnv() {
        return plan.request().resolvedGuestEnv(this::endpoint);
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public <T> void produce(ResultKey<T> key, T value) {
        if (results.putIfAbsent(key, key.type().cast(value)) != null) {
            throw new BottleException(key.name() + " was already produced in this launch", "fix the plugin");
        }
    }

    /** Whether a step produced {@code key}. */
    boolean produced(ResultKey<?> key) {
        return results.containsKey(key);
    }

    @Override
    public <T> T result(ResultKey<T> key) {
        Object value = results.get(key);
        if (value == null) {
            throw new BottleException("no step before this one produced " + key.name(),
                    "the plugin whose step reads it must run it after the step that produces it");
        }
        return key.type().cast(value);
    }
}
