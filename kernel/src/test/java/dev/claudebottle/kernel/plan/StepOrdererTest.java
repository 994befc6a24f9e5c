package dev.claudebottle.kernel.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepOrdererTest {
    private final StepOrderer orderer = new StepOrderer();

    private static Owned<Step> step(String plugin, String id, Phase phase, String... after) {
        return new Owned<>(plugin, new Step(id, phase, List.of(after), "does " + id, ctx -> Undo.NONE));
    }

    private static List<String> ids(List<Owned<Step>> steps) {
        return steps.stream().map(s -> s.value().id()).toList();
    }

    @Test
    void phasesComeFirstThenContributionOrder() {
        var ordered = orderer.order(List.of(
                step("git", "git.config", Phase.PROVISION),
                step("ca", "ca.trust", Phase.SYSTEM),
                step("kernel", "home", Phase.SYSTEM),
                step("ca", "ca.mint", Phase.PREPARE),
                step("docker", "docker.guest", Phase.LAUNCH)));
        assertThat(ids(ordered)).containsExactly("ca.mint", "docker.guest", "ca.trust", "home", "git.config");
    }

    @Test
    void afterReordersWithinAPhase() {
        var ordered = orderer.order(List.of(
                step("a", "a.one", Phase.PROVISION, "b.two"),
                step("b", "b.two", Phase.PROVISION, "c.three"),
                step("c", "c.three", Phase.PROVISION)));
        assertThat(ids(ordered)).containsExactly("c.three", "b.two", "a.one");
    }

    @Test
    void afterAnEarlierPhaseIsAlreadySatisfied() {
        var ordered = orderer.order(List.of(
                step("git", "git.gitconfig", Phase.PROVISION, "home"),
                step("kernel", "home", Phase.SYSTEM)));
        assertThat(ids(ordered)).containsExactly("home", "git.gitconfig");
    }

    @Test
    void waitingOnALaterPhaseFailsNamingBothSteps() {
        assertThatThrownBy(() -> orderer.order(List.of(
                step("ca", "ca.trust", Phase.SYSTEM, "git.gitconfig"),
                step("git", "git.gitconfig", Phase.PROVISION))))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("'ca.trust' (ca)")
                .hasMessageContaining("'git.gitconfig' (git)")
                .hasMessageContaining("later phase PROVISION");
    }

    @Test
    void unknownIdFailsNamingStepAndId() {
        assertThatThrownBy(() -> orderer.order(List.of(step("x", "x.one", Phase.PROVISION, "nope"))))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("'x.one' (x) runs after 'nope', which no plugin contributes");
    }

    @Test
    void cycleFailsNamingEveryStepInIt() {
        assertThatThrownBy(() -> orderer.order(List.of(
                step("p", "free", Phase.PROVISION),
                step("p", "a", Phase.PROVISION, "c"),
                step("q", "b", Phase.PROVISION, "a"),
                step("r", "c", Phase.PROVISION, "b"))))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("cycle")
                .hasMessageContaining("'a' (p)")
                .hasMessageContaining("'b' (q)")
                .hasMessageContaining("'c' (r)")
                .hasMessageNotContaining("'free'");
    }

    @Test
    void selfCycleIsACycle() {
        assertThatThrownBy(() -> orderer.order(List.of(step("p", "a", Phase.SYSTEM, "a"))))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("cycle: 'a' (p) -> 'a' (p)");
    }

    @Test
    void duplicateIdFailsNamingBothPlugins() {
        assertThatThrownBy(() -> orderer.order(List.of(
                step("one", "same", Phase.SYSTEM),
                step("two", "same", Phase.PROVISION))))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("'same' is contributed twice, by one and two");
    }
}
