package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guest's firewall as iptables lists it is held to the rules the launch installs, in whatever order it lists them. */
class GuestFenceTest {
    private static final DockerEngine.Subnet SUBNET = new DockerEngine.Subnet("172.30.4.0/24", "172.30.4.1");

    private static List<String> listed() {
        List<String> rules = DockerProbesTest.INTACT;
        return new ArrayList<>(rules.subList(rules.indexOf("RULES") + 1, rules.size() - 1));
    }

    @Test
    void theListingOfTheRulesTheLaunchInstalledMatchesThem() {
        assertThat(GuestFence.difference(SUBNET, listed())).isEmpty();
    }

    @Test
    void rulesAfterTheFencesAreLeftAloneForTheyOnlySeeTheBottlesOwnNetwork() {
        List<String> rules = listed();
        rules.add("-A OUTPUT -j ACCEPT");

        assertThat(GuestFence.difference(SUBNET, rules)).isEmpty();
    }

    @Test
    void aRuleLetInBeforeTheFencesIsCaught() {
        List<String> rules = listed();
        rules.add(1, "-A OUTPUT -d 10.0.0.0/8 -j ACCEPT");

        assertThat(GuestFence.difference(SUBNET, rules)).hasValue("the guest's OUTPUT chain has '-d 10.0.0.0/8 -j "
                + "ACCEPT' where the fence has '-d 127.0.0.11 -j REJECT'");
    }

    @Test
    void aMissingOrChangedRuleIsCaught() {
        List<String> rules = listed();
        rules.remove(rules.size() - 1);
        List<String> other = listed();
        other.set(5, "-A OUTPUT ! -d 172.30.0.0/16 -p tcp -j REJECT --reject-with tcp-reset");

        assertThat(GuestFence.difference(SUBNET, rules)).hasValue("the guest's OUTPUT chain lacks the fence's rule "
                + "'! -d 172.30.4.0/24 -j REJECT'");
        assertThat(GuestFence.difference(SUBNET, other)).isPresent();
        assertThat(GuestFence.difference(SUBNET, List.of("-P OUTPUT ACCEPT"))).hasValue("the guest's OUTPUT chain has "
                + "none of the fence's rules");
    }

    @Test
    void aRuleIsTheSameWhateverOrderItsMatchesAreListedIn() {
        assertThat(GuestFence.canonical(List.of("-p", "tcp", "!", "-d", "172.30.4.0/24", "-j", "REJECT",
                "--reject-with", "tcp-reset"))).isEqualTo(GuestFence.canonical(List.of("!", "-d", "172.30.4.0/24",
                "-p", "tcp", "-m", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset")));
        assertThat(GuestFence.canonical(List.of("-d", "172.30.4.1", "-j", "REJECT"))).isEqualTo(GuestFence.canonical(
                List.of("-d", "172.30.4.1/32", "-j", "REJECT", "--reject-with", "icmp-port-unreachable")));
        assertThat(GuestFence.canonical(List.of("-d", "172.30.4.0/24", "-j", "REJECT"))).isNotEqualTo(
                GuestFence.canonical(List.of("!", "-d", "172.30.4.0/24", "-j", "REJECT")));
    }
}
