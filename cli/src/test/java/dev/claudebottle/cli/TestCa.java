package dev.claudebottle.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A CA of a test's own and a server certificate it signs for some names, made with openssl in the
 * agent image: {@code ca.crt}, {@code server.crt} and {@code server.key} in a folder of the test's.
 */
final class TestCa {
    private TestCa() {
    }

    /** Mints the CA (named {@code caName}) and a server certificate for {@code names} into {@code dir}. */
    static Path mint(String agentImage, Path dir, String caName, List<String> names)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String sans = names.stream().map(n -> "DNS:" + n).collect(Collectors.joining(","));
        String script = String.join(" && ",
                "cd /certs",
                "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj '/CN="
                        + caName + "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
                        + " -keyout ca.key -out ca.crt",
                "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" + names.get(0)
                        + " -keyout server.key -out server.csr",
                "printf 'subjectAltName=" + sans + "\\nextendedKeyUsage=serverAuth\\n' > ext",
                "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext"
                        + " -out server.crt",
                "chmod 644 *");
        Docker.run("run", "--rm", "--user", "0", "--network", "none", "-v", dir + ":/certs", agentImage,
                "sh", "-c", script);
        return dir;
    }

    /**
     * Mints an RSA CA alone, as a TLS-intercepting proxy holds it: {@code ca.crt}, {@code ca.key}, and
     * {@code mitmproxy-ca.pem} (key and certificate in one file, as mitmproxy reads its CA).
     */
    static Path proxyAuthority(String agentImage, Path dir, String caName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String script = String.join(" && ",
                "cd /certs",
                "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=" + caName + "'"
                        + " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign"
                        + " -keyout ca.key -out ca.crt",
                "cat ca.key ca.crt > mitmproxy-ca.pem",
                "chmod 644 *");
        Docker.run("run", "--rm", "--user", "0", "--network", "none", "-v", dir + ":/certs", agentImage,
                "sh", "-c", script);
        return dir;
    }
}
