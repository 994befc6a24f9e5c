package dev.claudebottle.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
    @Test
    void withoutASubnetTheDaemonsListenEverywhere() throws Exception {
        assertThat(ListenAddress.of(Optional.empty())).isEqualTo("0.0.0.0");
    }

    @Test
    void withASubnetTheyListenOnTheBundlesOwnAddressInIt() throws Exception {
        assertThat(ListenAddress.of(Optional.of("127.0.0.0/8"))).startsWith("127.");
    }

    @Test
    void aSubnetTheBundleHasNoAddressInOrThatIsNoCidrStopsIt() {
        assertThatThrownBy(() -> ListenAddress.of(Optional.of("203.0.113.0/24")))
                .hasMessageContaining("no address in 203.0.113.0/24");
        assertThatThrownBy(() -> ListenAddress.of(Optional.of("not-a-cidr"))).hasMessageContaining("not an IPv4 CIDR");
        assertThatThrownBy(() -> ListenAddress.of(Optional.of("10.0.0.0/40"))).hasMessageContaining("not an IPv4 CIDR");
    }

    @Test
    void membershipFollowsThePrefix() {
        byte[] net = {(byte) 172, 18, 0, 0};
        assertThat(ListenAddress.within(new byte[] {(byte) 172, 18, 3, 4}, net, 16)).isTrue();
        assertThat(ListenAddress.within(new byte[] {(byte) 172, 19, 0, 2}, net, 16)).isFalse();
        assertThat(ListenAddress.within(new byte[] {1, 2, 3, 4}, net, 0)).isTrue();
    }
}
