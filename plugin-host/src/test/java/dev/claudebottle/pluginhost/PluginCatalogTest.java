package dev.claudebottle.pluginhost;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Provisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCatalogTest {
    @TempDir
    Path temp;

    private final List<Event> events = new ArrayList<>();
    private final EventSink sink = events::add;

    private static final String PROVISIONER = """
            package test.greeter;

            import dev.claudebottle.spi.*;
            import jakarta.inject.Inject;
            import org.pf4j.Extension;

            @Extension
            public final class Greeter implements Provisioner {
                private final EventSink events;

                @Inject
                public Greeter(EventSink events) {
                    this.events = events;
                }

                @Override
                public Contribution contribute(LaunchSpec spec) {
                    events.lifecycle("greeter contributes");
                    return Contribution.builder().guestEnv("GREETING", "hello").build();
                }
            }
            """;

    private PluginCatalog load(Path bundled, Path dropped) {
        HostEnvironment env = HostEnvironment.of(Map.of());
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(EventSink.class).toInstance(sink);
                bind(HostEnvironment.class).toInstance(env);
            }
        });
        return PluginCatalog.load(Optional.ofNullable(bundled), dropped, injector, sink);
    }

    @Test
    void droppedInJarIsLoadedWithGuiceInjection() throws IOException {
        Path dropped = temp.resolve("plugins");
        new PluginJarBuilder("greeter").source("test.greeter.Greeter", PROVISIONER).build(dropped);

        PluginCatalog catalog = load(null, dropped);

        assertThat(catalog.failures()).isEmpty();
        assertThat(catalog.plugins()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo("greeter");
            assertThat(p.version()).isEqualTo("1.0.0");
            assertThat(p.kinds()).containsExactly("provisioner");
            assertThat(p.source()).isEqualTo(PluginSource.DROPPED_IN);
        });
        List<Owned<Provisioner>> provisioners = catalog.provisioners();
        assertThat(provisioners).singleElement().extracting(Owned::pluginId).isEqualTo("greeter");
        Contribution c = provisioners.get(0).value().contribute(null);
        assertThat(c.guestEnv()).singleElement().satisfies(e -> assertThat(e.name()).isEqualTo("GREETING"));
        assertThat(events).anySatisfy(e -> assertThat(e.message()).isEqualTo("greeter contributes"));
    }

    @Test
    void bundledAndDroppedInAreToldApart() throws IOException {
        Path bundled = temp.resolve("dist/plugins");
        Path dropped = temp.resolve("plugins");
        new PluginJarBuilder("greeter").source("test.greeter.Greeter", PROVISIONER).build(bundled);
        new PluginJarBuilder("other").source("test.other.Greeter", PROVISIONER.replace("test.greeter", "test.other"))
                .build(dropped);

        PluginCatalog catalog = load(bundled, dropped);

        assertThat(catalog.plugins()).extracting(PluginInfo::id, PluginInfo::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple("greeter", PluginSource.BUNDLED),
                org.assertj.core.groups.Tuple.tuple("other", PluginSource.DROPPED_IN));
        assertThat(catalog.provisioners()).extracting(Owned::pluginId).containsExactly("greeter", "other");
    }

    @Test
    void brokenJarIsSkippedWithItsPathAndTheRestLoads() throws IOException {
        Path dropped = temp.resolve("plugins");
        new PluginJarBuilder("greeter").source("test.greeter.Greeter", PROVISIONER).build(dropped);
        Path broken = dropped.resolve("broken.jar");
        Files.write(broken, new byte[] {1, 2, 3, 4, 5});

        PluginCatalog catalog = load(null, dropped);

        assertThat(catalog.plugins()).extracting(PluginInfo::id).containsExactly("greeter");
        assertThat(catalog.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo(broken);
            assertThat(f.source()).isEqualTo(PluginSource.DROPPED_IN);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e).isInstanceOf(Event.Warning.class);
            assertThat(e.message()).contains(broken.toString()).contains("was skipped");
        });
    }

    @Test
    void jarWithoutPluginIdIsSkipped() throws IOException {
        Path dropped = temp.resolve("plugins");
        Path jar = dropped.resolve("anonymous.jar");
        Files.createDirectories(dropped);
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), new java.util.jar.Manifest())) {
            out.putNextEntry(new java.util.jar.JarEntry("readme.txt"));
            out.write("no descriptor".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        PluginCatalog catalog = load(null, dropped);

        assertThat(catalog.plugins()).isEmpty();
        assertThat(catalog.failures()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo(jar);
            assertThat(f.reason()).isNotBlank();
        });
    }

    @Test
    void duplicateIdIsSkippedNamingTheId() throws IOException {
        Path bundled = temp.resolve("dist/plugins");
        Path dropped = temp.resolve("plugins");
        new PluginJarBuilder("greeter").source("test.greeter.Greeter", PROVISIONER).build(bundled);
        Path copy = new PluginJarBuilder("greeter").source("test.greeter.Greeter", PROVISIONER).build(dropped);

        PluginCatalog catalog = load(bundled, dropped);

        assertThat(catalog.plugins()).extracting(PluginInfo::source).containsExactly(PluginSource.BUNDLED);
        assertThat(catalog.failures()).singleElement().satisfies(f -> {
            assertThat(f.id()).contains("greeter");
            assertThat(f.path()).isEqualTo(copy);
        });
    }

    @Test
    void extensionWhoseConstructorFailsIsReportedWithThePlugin() throws IOException {
        Path dropped = temp.resolve("plugins");
        new PluginJarBuilder("exploding").source("test.boom.Boom", """
                package test.boom;

                import dev.claudebottle.spi.*;
                import org.pf4j.Extension;

                @Extension
                public final class Boom implements Provisioner {
                    public Boom() {
                        throw new IllegalStateException("boom");
                    }

                    @Override
                    public Contribution contribute(LaunchSpec spec) {
                        return Contribution.none();
                    }
                }
                """).build(dropped);

        PluginCatalog catalog = load(null, dropped);

        org.assertj.core.api.Assertions.assertThatThrownBy(catalog::provisioners)
                .isInstanceOf(dev.claudebottle.spi.BottleException.class)
                .hasMessageContaining("plugin 'exploding'")
                .hasMessageContaining(dropped.toString());
    }

    @Test
    void noPluginDirsMeansNoPlugins() {
        PluginCatalog catalog = load(temp.resolve("missing-dist"), temp.resolve("missing-plugins"));
        assertThat(catalog.plugins()).isEmpty();
        assertThat(catalog.failures()).isEmpty();
        assertThat(catalog.backends()).isEmpty();
    }
}
