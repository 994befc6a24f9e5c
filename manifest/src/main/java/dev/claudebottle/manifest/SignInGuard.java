package dev.claudebottle.manifest;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a manifest that came with the working directory (a cloned repository's {@code bottle.yaml},
 * say, which the agent itself may have pushed) from reading the person's Claude sign-in on its way:
 * a bottle with a {@code login} route may not, in such a manifest, chain its traffic through a proxy
 * of its own or trust upstream CAs other than the host's, since either could let someone else read
 * the token over TLS the gateway takes for Anthropic's. A manifest the person names with {@code -f},
 * keeps in the state home, or the embedded default, is theirs.
 */
public final class SignInGuard {
    private SignInGuard() {
    }

    /**
     * Refuses what an implicit manifest would do with the sign-in.
     *
     * @param hostCaDir the host's own CA folder, whose certificates a bottle trusts by default
     */
    public static void check(ManifestSource source, Manifest manifest, Path hostCaDir) {
        if (!source.implicit()) {
            return;
        }
        for (BottleDef bottle : manifest.bottles().values()) {
            EgressDef egress = bottle.egress();
            if (egress.routes().stream().noneMatch(r -> r.login().isPresent())) {
                continue;
            }
            List<String> through = new ArrayList<>();
            egress.upstreamProxy().ifPresent(p -> through.add("upstream_proxy " + p));
            egress.upstreamCa().stream().filter(ca -> !hostCaDir.equals(ca.toAbsolutePath().getParent()))
                    .forEach(ca -> through.add("upstream_ca " + ca));
            if (!through.isEmpty()) {
                throw new BadInputException(source.name() + ", found in the working directory, sends the host's "
                        + "Claude sign-in (bottle '" + bottle.name() + "') through its own " + String.join(" and ",
                        through) + ": whoever runs that proxy or holds that CA could read it",
                        "if this manifest is yours, name it with -f; otherwise do not start it");
            }
        }
    }
}
