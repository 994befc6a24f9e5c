package dev.claudebottle.provision.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryRootTest {
    @Test
    void aSubfolderOfARepositoryResolvesToTheFolderHoldingDotGit(@TempDir Path temp) throws Exception {
        Path repo = Files.createDirectories(temp.resolve("project"));
        Files.createDirectories(repo.resolve(".git"));
        Path deep = Files.createDirectories(repo.resolve("src/main"));

        assertThat(GitProvisioner.repositoryRoot(deep)).contains(repo);
        assertThat(GitProvisioner.repositoryRoot(repo)).contains(repo);
    }

    @Test
    void aFolderOutsideAnyRepositoryHasNoRoot(@TempDir Path temp) throws Exception {
        Path plain = Files.createDirectories(temp.resolve("plain/folder"));

        assertThat(GitProvisioner.repositoryRoot(plain)).isEmpty();
    }
}
