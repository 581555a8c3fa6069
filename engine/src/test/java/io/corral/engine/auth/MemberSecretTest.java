package io.corral.engine.auth;

import io.corral.engine.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemberSecretTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldGenerateOwnerOnlySecretOnceAndReadItBack() throws IOException
    {
        final Path file = tmp.resolve("data").resolve("member.secret");

        final byte[] secret = MemberSecret.loadOrCreate(file);

        assertEquals(MemberSecret.SECRET_BYTES, secret.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).matches("[0-9a-f]{64}\n"));
        assertArrayEquals(secret, MemberSecret.loadOrCreate(file));
    }

    @Test
    void shouldRefuseSecretReadableByOthers() throws IOException
    {
        final Path file = tmp.resolve("member.secret");
        MemberSecret.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> MemberSecret.loadOrCreate(file));
        assertTrue(ex.getMessage().endsWith("chmod 600 " + file), ex.getMessage());
    }

    @Test
    void shouldRefuseSecretThatIsTooShort() throws IOException
    {
        final Path file = tmp.resolve("member.secret");
        UsersFile.createOwnerOnly(file);
        Files.writeString(file, "00ff\n");

        assertThrows(ConfigurationException.class, () -> MemberSecret.loadOrCreate(file));
    }
}
