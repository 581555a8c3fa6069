package io.corral.engine.sip.codec;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Writes random tokens for From/To tags (RFC 3261 §19.3: at least 32 bits of randomness), Via branches (with the
 * {@code z9hG4bK} magic cookie, §8.1.1.7) and Call-IDs, as letters and digits, straight into a buffer and without
 * allocating. One instance per agent, seeded differently per agent and per process start (e.g. from
 * {@link java.security.SecureRandom} at start-up), so that members of a farm never collide. Not thread-safe.
 */
public final class TagGenerator
{
    /** Length of a tag from {@link #writeTag}: 10 characters of 62 carry about 59 bits. */
    public static final int TAG_LENGTH = 10;
    /** Random characters after the magic cookie in {@link #writeBranch}. */
    public static final int BRANCH_RANDOM_LENGTH = 16;
    /** Length of a branch from {@link #writeBranch}. */
    public static final int BRANCH_LENGTH = 7 + BRANCH_RANDOM_LENGTH;

    private static final byte[] ALPHABET =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_COOKIE = {'z', '9', 'h', 'G', '4', 'b', 'K'};

    private final SplittableRandom random;

    /**
     * @param seed of this generator; use a different one per agent and per start.
     */
    public TagGenerator(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    /**
     * Write random letters and digits.
     *
     * @param dst    to write into.
     * @param offset of the first character.
     * @param length number of characters.
     * @return {@code length}.
     */
    public int write(final MutableDirectBuffer dst, final int offset, final int length)
    {
        final SplittableRandom random = this.random;
        for (int i = 0; i < length; i++)
        {
            dst.putByte(offset + i, ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return length;
    }

    /**
     * Write a tag of {@link #TAG_LENGTH} characters.
     *
     * @param dst    to write into.
     * @param offset of the first character.
     * @return {@link #TAG_LENGTH}.
     */
    public int writeTag(final MutableDirectBuffer dst, final int offset)
    {
        return write(dst, offset, TAG_LENGTH);
    }

    /**
     * Write a Via branch: the magic cookie and {@link #BRANCH_RANDOM_LENGTH} random characters.
     *
     * @param dst    to write into.
     * @param offset of the first character.
     * @return {@link #BRANCH_LENGTH}.
     */
    public int writeBranch(final MutableDirectBuffer dst, final int offset)
    {
        dst.putBytes(offset, MAGIC_COOKIE);
        write(dst, offset + MAGIC_COOKIE.length, BRANCH_RANDOM_LENGTH);
        return BRANCH_LENGTH;
    }
}
