package dev.claudebottle.bundle.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves upstream names; the gateway checks every answer before it connects. */
@FunctionalInterface
public interface HostResolver {
    /** The system resolver. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** Every address of the host. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
