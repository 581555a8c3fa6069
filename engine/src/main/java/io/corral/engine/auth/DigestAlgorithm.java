package io.corral.engine.auth;

import io.corral.engine.sip.codec.DigestCredentialsDecoder;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The digest algorithms this member verifies (RFC 7616 §3.2, RFC 8760): MD5 and SHA-256, without their {@code -sess}
 * variants. Codes are {@link DigestCredentialsDecoder}'s {@code ALGORITHM_*} codes, so a decoded credential's
 * algorithm is used as is.
 */
public final class DigestAlgorithm
{
    /** No supported algorithm. */
    public static final int NONE = -1;
    /** MD5, also meant by an absent algorithm parameter. */
    public static final int MD5 = DigestCredentialsDecoder.ALGORITHM_MD5;
    /** SHA-256. */
    public static final int SHA_256 = DigestCredentialsDecoder.ALGORITHM_SHA_256;
    /** Longest digest in bytes of any supported algorithm. */
    public static final int MAX_DIGEST_BYTES = 32;

    private static final byte[] MD5_NAME = "MD5".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA_256_NAME = "SHA-256".getBytes(StandardCharsets.US_ASCII);

    private DigestAlgorithm()
    {
    }

    /**
     * @param name as in a challenge or the users file, any case.
     * @return {@link #MD5}, {@link #SHA_256} or {@link #NONE}.
     */
    public static int parse(final String name)
    {
        if ("MD5".equalsIgnoreCase(name))
        {
            return MD5;
        }
        if ("SHA-256".equalsIgnoreCase(name))
        {
            return SHA_256;
        }
        return NONE;
    }

    /**
     * @param algorithm {@link #MD5} or {@link #SHA_256}.
     * @return its name as written in challenges and in the users file.
     */
    public static String name(final int algorithm)
    {
        return new String(nameBytes(algorithm), StandardCharsets.US_ASCII);
    }

    /**
     * @param algorithm {@link #MD5} or {@link #SHA_256}.
     * @return its name as written in challenges, shared: do not modify.
     */
    static byte[] nameBytes(final int algorithm)
    {
        switch (algorithm)
        {
            case MD5:
                return MD5_NAME;
            case SHA_256:
                return SHA_256_NAME;
            default:
                throw new IllegalArgumentException("unsupported digest algorithm code " + algorithm);
        }
    }

    /**
     * @param algorithm {@link #MD5} or {@link #SHA_256}.
     * @return digest length in bytes.
     */
    public static int digestBytes(final int algorithm)
    {
        return algorithm == MD5 ? 16 : 32;
    }

    /**
     * @param algorithm {@link #MD5} or {@link #SHA_256}.
     * @return a new digest instance.
     */
    public static MessageDigest newDigest(final int algorithm)
    {
        try
        {
            return MessageDigest.getInstance(name(algorithm));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has " + name(algorithm), ex);
        }
    }

    /**
     * HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2), as the users file stores it.
     *
     * @param algorithm {@link #MD5} or {@link #SHA_256}.
     * @param user      user name.
     * @param realm     realm.
     * @param password  password.
     * @return HA1 as lower-case hex.
     */
    public static String ha1Hex(final int algorithm, final String user, final String realm, final char[] password)
    {
        final MessageDigest digest = newDigest(algorithm);
        digest.update((user + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
        final ByteBuffer passwordBytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        digest.update(passwordBytes.duplicate());
        // Leave no copy of the password behind in the heap longer than needed.
        Arrays.fill(passwordBytes.array(), (byte)0);
        return Hex.toHex(digest.digest());
    }
}
