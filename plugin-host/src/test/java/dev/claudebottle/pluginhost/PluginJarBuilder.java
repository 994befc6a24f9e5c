package dev.claudebottle.pluginhost;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real PF4J plugin jar from Java sources: compiled with the JDK compiler against the
 * test class path (so PF4J's annotation processor writes the extension index), then jarred with
 * the plugin manifest.
 */
final class PluginJarBuilder {
    private final String id;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final String version = "1.0.0";

    PluginJarBuilder(String id) {
        this.id = id;
    }

    PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    Path build(Path dir) throws IOException {
        Path work = Files.createTempDirectory("plugin-build-" + id);
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path")));
        for (var e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new java.io.ByteArrayOutputStream();
        int rc = compiler.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("plugin sources did not compile:\n" + diagnostics);
        }
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", id);
        main.putValue("Plugin-Version", version);
        main.putValue("Plugin-Description", "built by a test");
        Path jar = dir.resolve(id + ".jar");
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jout = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jout.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jout.write(Files.readAllBytes(f));
                jout.closeEntry();
            }
        }
        return jar;
    }
}
