package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BundleMount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host folders and files a launch mounts into its bundle, as a cluster gives them to a pod: no
 * host path reaches a node, so their contents travel in the bottle's own objects. The gateway's policy
 * goes into a ConfigMap (the kubelet refreshes a mounted one in place, as the gateway's reload
 * expects); every other file into the bundle's Secret, mounted into the bundle pod only, readable by
 * its root only. A writable folder is an emptyDir the bundle's seed init container first fills with
 * the host folder's files. Keys are {@code m<mount>.<file>}: no two files share one.
 *
 * @param config    the ConfigMap's data (text)
 * @param secret    the Secret's data (base64), without the bound values
 * @param volumes   the bundle pod's volumes for them
 * @param mounts    the bundle container's mounts of them
 * @param seed      the init container filling writable folders, if one has files
 */
record BundleFiles(Map<String, String> config, Map<String, String> secret, List<Volume> volumes,
                   List<VolumeMount> mounts, Optional<Container> seed) {
    /** A ConfigMap or a Secret holds at most 1 MiB; what the files take is kept well under it. */
    static final long MAX_BYTES = 900 * 1024;
    /** Secret files are the bundle's root's to read alone. */
    private static final int OWNER_READ = 0400;

    /**
     * The files of {@code mounts} in the objects {@code configMap} and {@code secretName}, read from
     * the host now; the seed container runs {@code seedImage}.
     */
    static BundleFiles read(List<BundleMount> mounts, String configMap, String secretName, String seedImage) {
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, String> secret = new LinkedHashMap<>();
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> volumeMounts = new ArrayList<>();
        List<VolumeMount> seedMounts = new ArrayList<>();
        List<String> copies = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < mounts.size(); i++) {
            BundleMount mount = mounts.get(i);
            String volume = "m" + i;
            // the mount itself is followed as a bind mount would follow it; links inside a folder are not
            Path root = realPath(mount.hostPath());
            boolean file = Files.isRegularFile(root, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            List<KeyToPath> items = new ArrayList<>();
            boolean policy = mount.readOnly() && mount.bundlePath().equals(BundleLayout.POLICY_DIR);
            for (Map.Entry<String, Path> f : files(root).entrySet()) {
                String key = volume + "." + items.size();
                byte[] content = readAll(f.getValue());
                bytes += content.length;
                if (policy) {
                    config.put(key, new String(content, java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    secret.put(key, Base64.getEncoder().encodeToString(content));
                }
                items.add(new KeyToPathBuilder().withKey(key).withMode(policy ? null : OWNER_READ).withPath(f.getKey())
                        .build());
            }
            if (bytes > MAX_BYTES) {
                throw new BadInputException("the files the bundle is given take more than " + MAX_BYTES / 1024
                        + " KiB, past " + mount.hostPath() + ": a cluster object holds at most 1 MiB",
                        "the kubernetes backend cannot carry them; run this bottle on docker");
            }
            if (mount.readOnly() && items.isEmpty()) {
                // a Secret volume without items would hold every key of the Secret, the values among them
                volumes.add(new VolumeBuilder().withName(volume).withNewEmptyDir().endEmptyDir().build());
                volumeMounts.add(new VolumeMountBuilder().withName(volume).withMountPath(mount.bundlePath())
                        .withReadOnly(true).build());
                continue;
            }
            if (mount.readOnly()) {
                volumes.add(policy ? new VolumeBuilder().withName(volume).withNewConfigMap().withName(configMap)
                        .withItems(items).endConfigMap().build()
                        : new VolumeBuilder().withName(volume).withNewSecret().withSecretName(secretName)
                        .withItems(items).withDefaultMode(OWNER_READ).endSecret().build());
                volumeMounts.add(new VolumeMountBuilder().withName(volume).withMountPath(mount.bundlePath())
                        .withSubPath(file ? root.getFileName().toString() : null).withReadOnly(true)
                        .build());
                continue;
            }
            if (file) {
                throw new BadInputException("the bundle is to write to the file " + mount.hostPath() + " (at "
                        + mount.bundlePath() + "): the kubernetes backend gives writable folders only",
                        "run this bottle on docker");
            }
            volumes.add(new VolumeBuilder().withName(volume).withNewEmptyDir().endEmptyDir().build());
            volumeMounts.add(new VolumeMountBuilder().withName(volume).withMountPath(mount.bundlePath()).build());
            if (!items.isEmpty()) {
                volumes.add(new VolumeBuilder().withName(volume + "-seed").withNewSecret().withSecretName(secretName)
                        .withItems(items).withDefaultMode(OWNER_READ).endSecret().build());
                seedMounts.add(new VolumeMountBuilder().withName(volume + "-seed").withMountPath("/seed/" + volume)
                        .withReadOnly(true).build());
                seedMounts.add(new VolumeMountBuilder().withName(volume).withMountPath("/data/" + volume).build());
                // -L: a Secret's files are links into its timestamped folder; the folder gets the files themselves,
                // which the bundle (root, without the capability to pass over a file's mode) may write again
                copies.add("cp -RL /seed/" + volume + "/. /data/" + volume + "/ && chmod -R u+w /data/" + volume);
            }
        }
        Optional<Container> seed = copies.isEmpty() ? Optional.empty() : Optional.of(new ContainerBuilder()
                .withName("seed").withImage(seedImage).withCommand("sh", "-c", String.join(" && ", copies))
                .withVolumeMounts(seedMounts).withSecurityContext(KubeObjects.noPrivileges(0L)).build());
        return new BundleFiles(config, secret, volumes, volumeMounts, seed);
    }

    private static Path realPath(Path hostPath) {
        try {
            return Files.exists(hostPath) ? hostPath.toRealPath() : hostPath;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + hostPath, e);
        }
    }

    /** Every regular file of a file or a folder, by its path relative to the mount, links not followed. */
    private static Map<String, Path> files(Path hostPath) {
        Map<String, Path> files = new java.util.TreeMap<>();
        if (Files.isRegularFile(hostPath, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            files.put(hostPath.getFileName().toString(), hostPath);
            return files;
        }
        if (!Files.isDirectory(hostPath, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(hostPath)) {
            walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> files.put(hostPath.relativize(p).toString(), p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + hostPath, e);
        }
        return files;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
