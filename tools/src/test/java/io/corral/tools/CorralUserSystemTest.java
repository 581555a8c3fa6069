package io.corral.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the real {@code bin/corral-user} from the repository root, as an operator would: configuration from a
 * {@code --config} file and {@code -D} arguments, the password from stdin.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CorralUserSystemTest
{
    private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    @Test
    void shouldAddListAndRemoveUsersWithTheMembersConfiguration() throws IOException
    {
        final Path config = tmp.resolve("corral.properties");
        Files.writeString(config, "corral.data.dir=" + tmp.resolve("data") + "\ncorral.auth.realm=example.com\n");
        final Path users = tmp.resolve("data").resolve("users");

        final Result added = run("s3cret\n", "bin/corral-user", "add", "alice", "--config", config.toString());
        assertEquals(0, added.exitCode, added.toString());
        assertEquals("corral-user: added alice in realm example.com (SHA-256, MD5) in " + users + "\n", added.out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        assertFalse(Files.readString(users).contains("s3cret"));

        final Result md5Only = run("", "bin/corral-user", "--config", config.toString(),
            "-Dcorral.auth.algorithms=MD5", "add", "bob", "--password", "pw");
        assertEquals(0, md5Only.exitCode, md5Only.toString());

        final Result listed = run("", "bin/corral-user", "list", "--config", config.toString());
        assertEquals(0, listed.exitCode, listed.toString());
        assertEquals("alice example.com SHA-256,MD5\nbob example.com MD5\n", listed.out);

        final Result removed = run("", "bin/corral-user", "remove", "alice", "--config", config.toString());
        assertEquals(0, removed.exitCode, removed.toString());
        final Result again = run("", "bin/corral-user", "remove", "alice", "--config", config.toString());
        assertEquals(1, again.exitCode, again.toString());
        assertTrue(Files.readString(users).contains("bob:example.com:MD5:"));
        assertFalse(Files.readString(users).contains("alice"));
    }

    @Test
    void shouldStopWithOneLineAndExitTwoWhenConfigurationIsBad() throws IOException
    {
        final Result bad = run("", "bin/corral-user", "list", "-Dcorral.auth.algorithms=SHA-1");

        assertEquals(2, bad.exitCode, bad.toString());
        assertEquals("corral: invalid configuration: corral.auth.algorithms=SHA-1 (from system property): expected " +
            "a comma-separated list of SHA-256 and MD5, each at most once\n", bad.err);
        assertEquals("", bad.out);
    }

    private Result run(final String stdin, final String... command) throws IOException
    {
        final Path out = Files.createTempFile(tmp, "out", ".txt");
        final Path err = Files.createTempFile(tmp, "err", ".txt");
        final Process process = new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        try (OutputStream in = process.getOutputStream())
        {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try
        {
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish");
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            throw new IllegalStateException(ex);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String out, String err)
    {
    }
}
