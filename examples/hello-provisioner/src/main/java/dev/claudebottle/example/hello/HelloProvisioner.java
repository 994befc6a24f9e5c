package dev.claudebottle.example.hello;

import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.pf4j.Extension;

/**
 * An example third-party provisioner: it adds a guest env entry and writes a greeting (the
 * bottle's {@code hello.greeting}, see {@link HelloSection}) into the agent's home once the home
 * belongs to the agent.
 */
@Extension
public final class HelloProvisioner implements Provisioner {
    private final EventSink events;

    /** The kernel injects its event sink. */
    @Inject
    public HelloProvisioner(EventSink events) {
        this.events = events;
    }

    @Override
    public Contribution contribute(LaunchSpec spec) {
        String file = spec.guestHome() + "/HELLO.txt";
        String greeting = spec.bottle().section(HelloSection.KEY, HelloSection.Greeting.class)
                .map(HelloSection.Greeting::text).orElse("Hello from a dropped-in plugin");
        return Contribution.builder()
                .guestEnv("HELLO_FROM", "hello-provisioner")
                .step(new Step("hello.greet", Phase.PROVISION, List.of(Step.HOME), "write a greeting to " + file,
                        ctx -> {
                            String text = greeting + ", bottle " + spec.slug() + "\n";
                            ctx.guest().write(text.getBytes(StandardCharsets.UTF_8), file, Guest.AGENT_USER, 0644);
                            events.lifecycle("greeted the agent in " + file);
                            return Undo.NONE;
                        }))
                .build();
    }
}
