package io.corral.engine.auth;

import io.corral.engine.config.ConfigurationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsersFileTest
{
    private static final byte[] REALM = "example.com".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @Test
    void shouldRoundTripEntriesWithOwnerOnlyPermissionsAndNoPassword() throws IOException
    {
        final Path file = tmp.resolve("conf").resolve("users");
        final UsersFile written = new UsersFile(file);
        written.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.SHA_256, "wonderland".toCharArray()));
        written.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.MD5, "wonderland".toCharArray()));
        written.put(UsersFile.entry("bob", "2001:db8::1", DigestAlgorithm.MD5, "builder".toCharArray()));
        written.save();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final String text = Files.readString(file);
        assertFalse(text.contains("wonderland"), text);
        assertTrue(text.contains("alice:example.com:MD5:" +
            AuthFixtures.h("MD5", "alice:example.com:wonderland") + "\n"), text);
        final UsersFile read = new UsersFile(file).load();
        assertEquals(written.entries(), read.entries());
        assertEquals("2001:db8::1", read.entries().get(2).realm());
        assertEquals(3, read.users().size());
    }

    @Test
    void shouldFindUserByBytesRealmAndAlgorithm()
    {
        final UsersFile users = new UsersFile(tmp.resolve("users"));
        users.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.SHA_256, "pw".toCharArray()));
        users.put(UsersFile.entry("alice", "other.com", DigestAlgorithm.MD5, "pw".toCharArray()));
        final UnsafeBuffer name = new UnsafeBuffer("xalicex".getBytes(StandardCharsets.US_ASCII));

        final int index = users.users().find(name, 1, 5, REALM, DigestAlgorithm.SHA_256);
        assertTrue(index >= 0);
        assertEquals(AuthFixtures.h("SHA-256", "alice:example.com:pw"),
            new String(users.users().ha1Hex(index), StandardCharsets.US_ASCII));
        assertEquals(-1, users.users().find(name, 1, 5, REALM, DigestAlgorithm.MD5));
        assertEquals(-1, users.users().find(name, 1, 4, REALM, DigestAlgorithm.SHA_256));
        assertEquals(-1, users.users().find(name, 0, 5, REALM, DigestAlgorithm.SHA_256));
    }

    @Test
    void shouldReplaceEntryWhenPutAgainAndRemoveAllAlgorithmsOfUser()
    {
        final UsersFile users = new UsersFile(tmp.resolve("users"));
        users.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.MD5, "old".toCharArray()));
        users.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.SHA_256, "old".toCharArray()));
        users.put(UsersFile.entry("alice", "example.com", DigestAlgorithm.MD5, "new".toCharArray()));

        assertEquals(2, users.entries().size());
        assertEquals(AuthFixtures.h("MD5", "alice:example.com:new"), users.entries().get(0).ha1Hex());
        assertEquals(0, users.remove("alice", "other.com"));
        assertEquals(2, users.remove("alice", "example.com"));
        assertEquals(0, users.users().size());
    }

    @Test
    void shouldHoldNoUsersWhenFileIsMissing()
    {
        assertEquals(0, new UsersFile(tmp.resolve("none")).load().users().size());
    }

    @Test
    void shouldSkipCommentsAndRejectBadLineNamingItAndKeepPreviousUsers() throws IOException
    {
        final Path file = tmp.resolve("users");
        final String md5 = AuthFixtures.h("MD5", "alice:example.com:pw");
        Files.writeString(file, "# comment\n\nalice:example.com:md5:" + md5.toUpperCase() + "\n");
        final UsersFile users = new UsersFile(file).load();
        assertEquals(List.of(new UsersFile.Entry("alice", "example.com", DigestAlgorithm.MD5, md5)),
            users.entries());

        for (final String bad : List.of("alice:example.com:MD5:abc", "alice:example.com:SHA-1:" + md5,
            ":example.com:MD5:" + md5, "alice:MD5:" + md5, "al ice:example.com:MD5:" + md5))
        {
            Files.writeString(file, "# users\n" + bad + "\n");
            final ConfigurationException ex = assertThrows(ConfigurationException.class, users::load, bad);
            assertTrue(ex.getMessage().startsWith("users file " + file + " line 2: expected user:realm:algorithm:"),
                ex.getMessage());
            assertEquals(1, users.users().size());
        }
    }
}
