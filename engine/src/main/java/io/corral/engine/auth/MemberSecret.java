package io.corral.engine.auth;

import io.corral.engine.config.ConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The member secret that signs nonces: {@link #SECRET_BYTES} random bytes written as one line of hex, generated at
 * first start when the file is absent, with mode 0600. Farm members share it (copy the file, keeping its mode) so any
 * member verifies the signature of any member's nonce. A secret readable by group or others is refused, as ssh
 * refuses such a private key.
 */
public final class MemberSecret
{
    /** Bytes of a generated secret. */
    public static final int SECRET_BYTES = 32;
    /** Fewest bytes accepted in a secret file. */
    public static final int MIN_SECRET_BYTES = 16;

    private MemberSecret()
    {
    }

    /**
     * @param file the secret file; created with a new random secret if absent.
     * @return the secret.
     * @throws ConfigurationException if the file cannot be read or written, is not hex of at least
     *                                {@link #MIN_SECRET_BYTES} bytes, or is readable by group or others.
     */
    public static byte[] loadOrCreate(final Path file)
    {
        try
        {
            if (!Files.exists(file))
            {
                create(file);
            }
            checkOwnerOnly(file);
            final byte[] secret = Hex.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (secret == null || secret.length < MIN_SECRET_BYTES)
            {
                throw new ConfigurationException("member secret file " + file + " must hold at least " +
                    MIN_SECRET_BYTES + " bytes as hex on one line");
            }
            return secret;
        }
        catch (final IOException ex)
        {
            throw new ConfigurationException("cannot use member secret file " + file + ": " + ex);
        }
    }

    private static void create(final Path file) throws IOException
    {
        final byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        final Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        UsersFile.createOwnerOnly(tmp);
        Files.writeString(tmp, Hex.toHex(secret) + "\n", StandardCharsets.US_ASCII);
        try
        {
            // No replace: if another process created the secret meanwhile, keep theirs.
            Files.move(tmp, file);
        }
        catch (final FileAlreadyExistsException ex)
        {
            Files.deleteIfExists(tmp);
        }
    }

    private static void checkOwnerOnly(final Path file) throws IOException
    {
        final Set<PosixFilePermission> permissions;
        try
        {
            permissions = Files.getPosixFilePermissions(file);
        }
        catch (final UnsupportedOperationException ex)
        {
            return;
        }
        for (final PosixFilePermission permission : permissions)
        {
            if (permission != PosixFilePermission.OWNER_READ && permission != PosixFilePermission.OWNER_WRITE)
            {
                throw new ConfigurationException("member secret file " + file + " must be readable by its owner " +
                    "only: chmod 600 " + file);
            }
        }
    }
}
