package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AskedNameTest {
    @Test
    void everySpellingOfAHostOrAnAddressIsOneHost() {
        assertThat(AskedName.canonical("Registry.Test.")).isEqualTo("registry.test");
        assertThat(AskedName.canonical("registry.test..")).isEqualTo("registry.test");
        assertThat(AskedName.canonical("bücher.test")).isEqualTo("xn--bcher-kva.test");
        for (String spelling : new String[] {"10.0.0.1", "10.1", "10.0.1", "167772161", "010.0.0.1", "::ffff:10.0.0.1",
                "::FFFF:a00:1", "10.0.0.1."}) {
            assertThat(AskedName.canonical(spelling)).as(spelling).isEqualTo("10.0.0.1");
        }
    }

    @Test
    void aLiteralIsParsedAndNeverHandedToTheResolver() {
        assertThat(AskedName.address("127.1")).map(InetAddress::getHostAddress).contains("127.0.0.1");
        // what the JDK would look up by name: not an address, and nothing is looked up
        for (String notAnAddress : new String[] {"99999999999", "256.1.1.1", "1.2.3.4.5", "10.16777216", "dead:beef.ee"}) {
            assertThat(AskedName.address(notAnAddress)).as(notAnAddress).isEqualTo(Optional.empty());
        }
        assertThat(AskedName.literal("x:data.evil.test")).isFalse();
        assertThat(AskedName.implausible("x:data.evil.test")).isPresent();
    }

    @Test
    void aServicesNameIsPlausibleAndANameBuiltToCarryDataIsNot() {
        for (String name : new String[] {"registry.npmjs.org", "files.pythonhosted.org", "objects.githubusercontent.com",
                "dl-cdn.alpinelinux.org", "s3.us-east-1.amazonaws.com"}) {
            assertThat(AskedName.implausible(name)).as(name).isEmpty();
        }
        for (String name : new String[] {"mysecretpasswordishere.evil.test", "deadbeefcafe.evil.test",
                "a.b.c.d.evil.test", "x1234567.evil.test", "under_score.evil.test", "evil"}) {
            assertThat(AskedName.implausible(name)).as(name).isPresent();
        }
    }
}
