package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tar archives of host trees as they unpack at a guest's {@code /}. */
class GuestArchiveTest {
    @TempDir
    Path temp;

    @Test
    void aTreeIsStreamedIntoAPrivateFileWithOwnersModesAndEveryByte() throws Exception {
        Path tree = Files.createDirectories(temp.resolve("repo/.git/objects/pack"));
        Files.writeString(temp.resolve("repo/.git/HEAD"), "ref: refs/heads/main\n");
        Path hook = Files.writeString(temp.resolve("repo/.git/post-commit"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] pack = new byte[(int) GuestArchive.WHOLE_FILE_BYTES * 3 + 17];
        new Random(7).nextBytes(pack);
        Files.write(tree.resolve("pack-1.pack"), pack);

        Path archive = new GuestArchive("/home/node").tree(temp.resolve("repo/.git"), "/home/node/workspace/.git",
                "node");
        try {
            assertThat(Files.getPosixFilePermissions(archive)).containsOnly(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
            Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
            Map<String, byte[]> contents = new LinkedHashMap<>();
            try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
                    entries.put(e.getName(), e);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    tar.transferTo(bytes);
                    contents.put(e.getName(), bytes.toByteArray());
                }
            }
            assertThat(entries.get("home/").getUserName()).as("a parent outside the home").isEqualTo("root");
            assertThat(entries.get("home/node/").getLongUserId()).isEqualTo(1000);
            assertThat(entries.get("home/node/workspace/.git/").getUserName()).isEqualTo("node");
            assertThat(contents.get("home/node/workspace/.git/HEAD")).asString().isEqualTo("ref: refs/heads/main\n");
            assertThat(entries.get("home/node/workspace/.git/post-commit").getMode() & 0777).isEqualTo(0755);
            assertThat(entries.get("home/node/workspace/.git/HEAD").getMode() & 0777).isEqualTo(0644);
            assertThat(contents.get("home/node/workspace/.git/objects/pack/pack-1.pack")).isEqualTo(pack);
            assertThat(entries.get("home/node/workspace/.git/objects/pack/pack-1.pack").getLongUserId()).isEqualTo(1000);
        } finally {
            Files.deleteIfExists(archive);
        }
    }
}
