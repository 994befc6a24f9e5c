package dev.claudebottle.kernel.run;

import dev.claudebottle.kernel.plan.LaunchPlan;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.StepContext;
import java.util.Map;

/** What a step sees while a plan runs: the backend's guest and endpoints once they exist. */
final class RunContext implements StepContext {
    private final LaunchPlan plan;
    private final EventSink events;

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
        return plan.backendLaunch().guest();
    }

    @Override
    public Endpoint endpoint(String portName) {
        return plan.backendLaunch().endpoint(portName);
    }

    @Override
    public Map<String, String> guestEnv() {
        return plan.request().resolvedGuestEnv(this::endpoint);
    }

    @Override
    public EventSink events() {
        return events;
    }
}
