package dev.claudebottle.backend.smolmachines.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmolvmGrammarTest {
    private static final SmolvmGrammar V080 = new SmolvmGrammar(new int[] {0, 8, 0});
    private static final SmolvmGrammar V082 = new SmolvmGrammar(new int[] {0, 8, 2});
    private static final SmolvmGrammar V180 = new SmolvmGrammar(new int[] {1, 8, 0});

    private static List<String> words(String line) {
        return List.of(line.split(" "));
    }

    @Test
    void execWithAPositionalMachineNameIsRefusedNamingTheTrap() {
        assertThatThrownBy(() -> V180.parse(words("machine exec myvm -- id")))
                .isInstanceOf(SmolvmGrammar.UsageError.class)
                .hasMessageContaining("'myvm' would run as the command on machine \"default\"");
        assertThat(V180.parse(words("machine exec --name myvm -- id")).trailing()).containsExactly("id");
    }

    @Test
    void createTakesAPositionalNameBefore102AndOnlyNameAfter() {
        assertThat(V082.parse(words("machine create vm1 --from a.smolmachine")).positionals()).containsExactly("vm1");
        assertThatThrownBy(() -> V082.parse(words("machine create --name vm1 --from a.smolmachine")))
                .hasMessageContaining("unexpected argument '--name'");
        assertThatThrownBy(() -> V180.parse(words("machine create vm1 --from a.smolmachine")))
                .hasMessageContaining("unexpected argument 'vm1'");
        assertThat(V180.parse(words("machine create -n vm1 --from a.smolmachine")).flag("--name")).contains("vm1");
    }

    @Test
    void deleteFollowsTheSameSplit() {
        assertThat(V082.parse(words("machine delete vm1 -f")).has("--force")).isTrue();
        assertThatThrownBy(() -> V180.parse(words("machine delete vm1 -f"))).hasMessageContaining("'vm1'");
        assertThatThrownBy(() -> V180.parse(words("machine delete -f"))).hasMessageContaining("--name");
    }

    @Test
    void unknownFlagsAreUsageErrors() {
        assertThatThrownBy(() -> V180.parse(words("machine exec --name vm1 --user node -- id")))
                .hasMessageContaining("unexpected argument '--user'");
        assertThatThrownBy(() -> V180.parse(words("machine create -n vm1 --allow-cidrs 127.0.0.1/32")))
                .hasMessageContaining("unexpected argument '--allow-cidrs'");
        assertThatThrownBy(() -> V180.parse(words("machine ls --format json")))
                .hasMessageContaining("'--format'");
    }

    @Test
    void cpusAndMemAreWholeNumbersOfTheirTypes() {
        var c = V180.parse(words("machine create -n vm1 --from a.smolmachine --cpus 2 --mem 4096"));
        assertThat(c.flag("--cpus")).contains("2");
        assertThat(c.flag("--mem")).contains("4096");
        assertThatThrownBy(() -> V180.parse(words("machine create -n vm1 --cpus 1.5")))
                .hasMessageContaining("invalid value '1.5' for '--cpus <N>'");
        assertThatThrownBy(() -> V180.parse(words("machine create -n vm1 --cpus 256")))
                .hasMessageContaining("invalid value '256' for '--cpus <N>'");
        assertThatThrownBy(() -> V180.parse(words("machine create -n vm1 --mem 4g")))
                .hasMessageContaining("invalid value '4g' for '--mem <MiB>'");
        assertThatThrownBy(() -> V180.parse(words("machine create -n vm1 --mem 4294967296")))
                .hasMessageContaining("invalid value '4294967296' for '--mem <MiB>'");
    }

    @Test
    void fromConflictsWithImageAndSmolfile() {
        assertThatThrownBy(() -> V180.parse(words("machine create -n vm1 --from a.smolmachine -I debian")))
                .hasMessageContaining("cannot be used with '--image");
        assertThatThrownBy(() -> V180.parse(words("machine create -n vm1 --from a.smolmachine -s Smolfile")))
                .hasMessageContaining("cannot be used with '--smolfile");
    }

    @Test
    void packNeedsCreateWithImageAndOutputFlags() {
        assertThat(V180.parse(words("pack create -I localhost:5000/a:1 -o out/agent")).flag("--output"))
                .contains("out/agent");
        assertThatThrownBy(() -> V180.parse(words("pack localhost:5000/a:1 -o out/agent")))
                .hasMessageContaining("unrecognized subcommand");
        assertThatThrownBy(() -> V180.parse(words("pack create localhost:5000/a:1 -o out/agent")))
                .hasMessageContaining("unexpected argument 'localhost:5000/a:1'");
        assertThatThrownBy(() -> V180.parse(words("pack create -I localhost:5000/a:1")))
                .hasMessageContaining("--output");
    }

    @Test
    void envForwardingByKeyAloneStartsAt081() {
        assertThatThrownBy(() -> V080.parse(words("machine exec --name vm1 -e TOKEN -- id")))
                .hasMessageContaining("expected KEY=VALUE");
        assertThat(V080.parse(words("machine exec --name vm1 -e A=1 -- id")).all("--env")).containsExactly("A=1");
        assertThat(V082.parse(words("machine exec --name vm1 -e TOKEN -- id")).all("--env")).containsExactly("TOKEN");
    }

    @Test
    void cpNeedsExactlyOneGuestSide() {
        assertThat(V180.parse(words("machine cp ./f vm1:/tmp/f")).positionals()).hasSize(2);
        assertThatThrownBy(() -> V180.parse(words("machine cp ./f ./g"))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> V180.parse(words("machine cp vm1:/a vm1:/b"))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> V082.parse(words("machine cp --mode 600 ./f vm1:/tmp/f")))
                .hasMessageContaining("'--mode'");
    }

    @Test
    void execNeedsACommandAfterTheSeparator() {
        assertThatThrownBy(() -> V180.parse(words("machine exec --name vm1")))
                .hasMessageContaining("<COMMAND>");
    }
}
