package dev.claudebottle.bundle.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a request goes, held to the authority the gateway decides on: the CONNECT target of an
 * intercepted tunnel, or the host and port of a plain request's URL. A {@code Host} header, or an
 * absolute-form target inside a tunnel, that names another authority would have the upstream (a
 * shared front, a virtual host) serve a host the gateway never checked, with the credential of the
 * one it did; such a request is refused.
 */
final class RequestTarget {
    private static final Pattern ABSOLUTE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    /** Why a request's target was refused. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private RequestTarget() {
    }

    /**
     * The request's target in origin form ({@code /path?query}), after checking that every
     * authority it names is {@code host:port}.
     *
     * @param tls whether the request came inside an intercepted tunnel to {@code host:port}
     * @throws Refused naming what differed
     */
    static String originForm(HttpRequest request, String host, int port, boolean tls) throws Refused {
        String uri = request.uri();
        int defaultPort = tls ? 443 : 80;
        String path;
        if (ABSOLUTE.matcher(uri).matches()) {
            URI parsed;
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                throw new Refused("malformed request target");
            }
            String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
            if (tls && !scheme.equals("https") && !scheme.equals("wss")) {
                throw new Refused("a " + scheme + ":// target inside a TLS tunnel");
            }
            if (parsed.getRawUserInfo() != null) {
                throw new Refused("a request target with user information");
            }
            authority(parsed.getRawAuthority(), defaultPort, "the request target", host, port);
            path = originForm(uri);
        } else if (uri.startsWith("/") || (uri.equals("*") && request.method().name().equals("OPTIONS"))) {
            path = uri;
        } else {
            throw new Refused("malformed request target");
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            throw new Refused("more than one Host header");
        }
        if (hosts.size() == 1) {
            authority(hosts.get(0).strip(), defaultPort, "the Host header", host, port);
        }
        return path;
    }

    /** {@code http://host:port/p?q} becomes {@code /p?q}. */
    static String originForm(String absolute) {
        int scheme = absolute.indexOf("://");
        if (scheme < 0) {
            return absolute.isEmpty() ? "/" : absolute;
        }
        int slash = absolute.indexOf('/', scheme + 3);
        int query = absolute.indexOf('?', scheme + 3);
        if (slash < 0 && query < 0) {
            return "/";
        }
        if (slash < 0 || (query >= 0 && query < slash)) {
            return "/" + absolute.substring(query);
        }
        return absolute.substring(slash);
    }

    private static void authority(String authority, int defaultPort, String what, String host, int port)
            throws Refused {
        Optional<HostPort> named = authority == null ? Optional.empty()
                : HostPort.parse(authority.contains(":") && !authority.endsWith("]") ? authority
                        : authority + ":" + defaultPort);
        if (named.isEmpty()) {
            throw new Refused(what + " names no valid host");
        }
        if (!named.get().host().equals(host.toLowerCase(Locale.ROOT)) || named.get().port() != port) {
            throw new Refused(what + " names " + named.get().host() + ":" + named.get().port()
                    + ", but this request goes to " + host + ":" + port);
        }
    }
}
