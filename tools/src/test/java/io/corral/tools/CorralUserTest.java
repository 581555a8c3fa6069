package io.corral.tools;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorralUserTest
{
    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @BeforeEach
    void pointToolsAtDataDir()
    {
        System.setProperty("corral.data.dir", dataDir.toString());
        System.setProperty("corral.auth.realm", "example.com");
    }

    @AfterEach
    void clearSystemProperties()
    {
        System.clearProperty("corral.data.dir");
        System.clearProperty("corral.auth.realm");
        System.clearProperty("corral.auth.algorithms");
    }

    @Test
    void shouldWriteHa1PerConfiguredAlgorithmWhenPasswordComesFromStdin() throws IOException
    {
        assertEquals(0, run("wonderland\n", "add", "alice"));

        final Path file = dataDir.resolve("users");
        assertEquals("corral-user: added alice in realm example.com (SHA-256, MD5) in " + file + "\n", out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final String text = Files.readString(file);
        assertFalse(text.contains("wonderland"));
        assertTrue(text.endsWith("alice:example.com:SHA-256:" + h("SHA-256", "alice:example.com:wonderland") +
            "\nalice:example.com:MD5:" + h("MD5", "alice:example.com:wonderland") + "\n"), text);
    }

    @Test
    void shouldReplaceEveryHashWhenPasswordChangesWithFewerAlgorithms() throws IOException
    {
        run("", "add", "alice", "--password", "old");
        System.setProperty("corral.auth.algorithms", "SHA-256");
        outBytes.reset();

        assertEquals(0, run("", "add", "alice", "--password", "new"));
        assertTrue(out().startsWith("corral-user: updated alice in realm example.com (SHA-256) in "), out());
        final String text = Files.readString(dataDir.resolve("users"));
        assertFalse(text.contains(":MD5:"), text);
        assertTrue(text.contains(h("SHA-256", "alice:example.com:new")), text);
    }

    @Test
    void shouldListUsersWithoutHashesUnlessAsked()
    {
        run("", "add", "alice", "--password", "pw");
        run("", "add", "bob", "--password", "pw", "--realm", "other.org");
        outBytes.reset();

        assertEquals(0, run("", "list"));
        assertEquals("alice example.com SHA-256,MD5\nbob other.org SHA-256,MD5\n", out());
        outBytes.reset();
        assertEquals(0, run("", "list", "--realm", "other.org", "--show-hashes"));
        assertEquals("bob other.org SHA-256 " + h("SHA-256", "bob:other.org:pw") + "\nbob other.org MD5 " +
            h("MD5", "bob:other.org:pw") + "\n", out());
    }

    @Test
    void shouldRemoveUserAndExitOneWhenUserIsUnknown() throws IOException
    {
        final Path file = dataDir.resolve("elsewhere");
        run("", "add", "alice", "--password", "pw", "--users", file.toString());
        outBytes.reset();

        assertEquals(1, run("", "remove", "bob", "--users", file.toString()));
        assertEquals("corral-user: no user bob in realm example.com in " + file + "\n", err());
        assertEquals(0, run("", "remove", "alice", "--users", file.toString()));
        assertEquals("corral-user: removed alice from realm example.com in " + file + "\n", out());
        assertFalse(Files.readString(file).contains("alice"));
    }

    @Test
    void shouldExitTwoWhenUserNameOrPasswordIsBad()
    {
        assertEquals(2, run("", "add", "al:ice", "--password", "pw"));
        assertTrue(err().startsWith("corral-user: invalid user name 'al:ice'"), err());
        errBytes.reset();
        assertEquals(2, run("", "add", "alice"));
        assertEquals("corral-user: no password given\n", err());
        assertFalse(Files.exists(dataDir.resolve("users")));
    }

    private int run(final String stdin, final String... args)
    {
        final CorralUser tool = new CorralUser(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return CorralUser.commandLine(tool).execute(args);
    }

    private String out()
    {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static String h(final String algorithm, final String text)
    {
        try
        {
            return HexFormat.of().formatHex(
                MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
