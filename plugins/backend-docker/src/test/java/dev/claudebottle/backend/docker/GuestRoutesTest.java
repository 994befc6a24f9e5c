package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The guest's routing tables, as the kernel lists them, stay on the bottle's network and the link. */
class GuestRoutesTest {
    private static final DockerEngine.Subnet SUBNET = new DockerEngine.Subnet("172.30.4.0/24", "172.30.4.1");
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\t"
            + "Window\tIRTT";

    @Test
    void theRouteToTheBottlesNetworkAloneStaysOnIt() {
        assertThat(GuestRoutes.offNetwork(SUBNET, List.of(HEADER,
                "eth0\t00041EAC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "eth0\t02041EAC\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0"))).isEmpty();
        assertThat(GuestRoutes.offNetwork(SUBNET, List.of())).as("no route at all leads nowhere").isEmpty();
    }

    @Test
    void aDefaultRouteThroughTheBottlesOwnGatewayStaysOnItsInternalNetwork() {
        // as Docker sets an internal network up: the engine forwards nothing off it
        assertThat(GuestRoutes.offNetwork(SUBNET, List.of(HEADER,
                "eth0\t00000000\t01041EAC\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "eth0\t00041EAC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"))).isEmpty();
    }

    @Test
    void aDefaultRouteThroughAnotherGatewayOrARouteToAnotherNetworkLeadsOff() {
        assertThat(GuestRoutes.offNetwork(SUBNET, List.of(HEADER,
                "v0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "v0\t00041EAC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0")))
                .hasValue("the guest has a route off 172.30.4.0/24: 0.0.0.0/0 on v0 via 172.17.0.1");
        assertThat(GuestRoutes.offNetwork(SUBNET, List.of(
                "eth0\t00041EAC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "eth1\t00001FAC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0")))
                .hasValue("the guest has a route off 172.30.4.0/24: 172.31.0.0/16 on eth1");
        assertThat(GuestRoutes.offNetwork(SUBNET, List.of(
                "eth0\t00001EAC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0")))
                .as("a wider route than the network's").isPresent();
    }

    @Test
    void ipv6RoutesOnTheLinkOrTheLoopbackStayThereAndOthersLeadOff() {
        List<String> link = DockerProbesTest.INTACT.subList(DockerProbesTest.INTACT.indexOf("ROUTES6") + 1,
                DockerProbesTest.INTACT.indexOf("RULES"));
        assertThat(GuestRoutes.offLink(link)).isEmpty();
        assertThat(GuestRoutes.offLink(List.of("20010db8000000000000000000000000 40 "
                + "00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 "
                + "00000001     eth1")))
                .hasValue("the guest has an IPv6 route off its link: 20010db8000000000000000000000000/64 on eth1");
        assertThat(GuestRoutes.offLink(List.of("00000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 00 20010db8000000000000000000000001 00000400 00000001 00000000 "
                + "00000003     eth1"))).isPresent();
    }
}
