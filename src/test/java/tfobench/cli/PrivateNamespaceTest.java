package tfobench.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the re-executed run inside its namespace gets besides the namespace. */
class PrivateNamespaceTest {
    @Test
    void anOrdinaryUsersPathGetsTheDirectoriesOfIpAndTc() {
        assertEquals("/usr/local/bin:/usr/bin:/bin:/usr/games:/usr/sbin:/sbin",
                PrivateNamespace.withSystemDirectories("/usr/local/bin:/usr/bin:/bin:/usr/games"));
    }

    @Test
    void aPathThatHasThemIsLeftAlone() {
        assertEquals("/usr/sbin:/usr/bin:/sbin:/bin", PrivateNamespace.withSystemDirectories("/usr/sbin:/usr/bin:/sbin:/bin"));
    }

    @Test
    void noPathAtAllGetsDebiansDefaultAndThem() {
        assertEquals("/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", PrivateNamespace.withSystemDirectories(null));
    }
}
