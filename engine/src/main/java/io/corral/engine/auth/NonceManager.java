package io.corral.engine.auth;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Issues and verifies digest nonces bound to the member secret, and tracks nonce counts against replay. A nonce is
 * 24 bytes in base64url (32 characters, no padding):
 * <pre>
 *   0                   6    7    8                  12                                  24
 *   +-------------------+----+----+-------------------+-----------------------------------+
 *   | issued, epoch ms  |mbr |agt | counter           | HMAC-SHA256(secret, bytes 0..11 |  |
 *   | (48 bits)         |    |    | (32 bits)         |   realm), first 12 bytes          |
 *   +-------------------+----+----+-------------------+-----------------------------------+
 * </pre>
 * Verification ({@link #verify}) needs no state beyond the secret for the signature and age; nonce-count replay
 * protection needs the table of nonces this issuer (member id, agent index) handed out: slot = counter modulo the
 * table size, holding the issue time, counter and highest nc accepted. A nonce from another issuer, or one pushed out
 * of the table by newer nonces, is answered as stale, so the user agent retries with a fresh nonce from here.
 * <p>
 * Nothing is allocated after construction: HMAC is computed over two reused {@link MessageDigest}s into
 * preallocated arrays. One instance per SIP agent; not thread-safe.
 */
public final class NonceManager
{
    /** {@link #verify}: well-formed, signed, fresh, and in this issuer's table. */
    public static final int VALID = 0;
    /** {@link #verify}: signed by the secret but expired, from another issuer, or forgotten: challenge stale=true. */
    public static final int STALE = 1;
    /** {@link #verify}: not a nonce of this secret and realm (tampered, truncated, another realm). */
    public static final int INVALID = 2;

    /** Length of a nonce in characters. */
    public static final int NONCE_LENGTH = 32;

    private static final int RAW_BYTES = 24;
    private static final int SIGNED_BYTES = 12;
    private static final int MAC_BYTES = RAW_BYTES - SIGNED_BYTES;
    private static final int HMAC_BLOCK_BYTES = 64;
    private static final byte[] ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(
            StandardCharsets.US_ASCII);
    private static final byte[] DECODE = new byte[128];

    static
    {
        Arrays.fill(DECODE, (byte)-1);
        for (int i = 0; i < ALPHABET.length; i++)
        {
            DECODE[ALPHABET[i]] = (byte)i;
        }
    }

    private final byte[] realm;
    private final int memberId;
    private final int agentIndex;
    private final long lifetimeMs;
    private final int mask;
    private final long[] slotIssuedMs;
    private final int[] slotCounter;
    private final long[] slotHighestNc;
    private final byte[] innerPad = new byte[HMAC_BLOCK_BYTES];
    private final byte[] outerPad = new byte[HMAC_BLOCK_BYTES];
    private final MessageDigest sha256 = DigestAlgorithm.newDigest(DigestAlgorithm.SHA_256);
    private final byte[] raw = new byte[RAW_BYTES];
    private final byte[] mac = new byte[DigestAlgorithm.MAX_DIGEST_BYTES];
    private int counter;
    private int verifiedSlot = -1;

    /**
     * @param secret       the member secret (any length; farm members share it).
     * @param realm        the realm nonces are bound to.
     * @param memberId     this member's id, 0..255.
     * @param agentIndex   this SIP agent's index, 0..255.
     * @param lifetimeMs   age after which a nonce is stale.
     * @param tableSize    nonces remembered for replay protection, a power of two.
     * @param counterStart first counter value (random, so restarts do not reuse counters in the same millisecond).
     */
    public NonceManager(
        final byte[] secret,
        final byte[] realm,
        final int memberId,
        final int agentIndex,
        final long lifetimeMs,
        final int tableSize,
        final int counterStart)
    {
        if (tableSize <= 0 || Integer.bitCount(tableSize) != 1)
        {
            throw new IllegalArgumentException("tableSize must be a power of two: " + tableSize);
        }
        if (memberId < 0 || memberId > 255 || agentIndex < 0 || agentIndex > 255)
        {
            throw new IllegalArgumentException("memberId and agentIndex must be 0..255");
        }
        this.realm = realm.clone();
        this.memberId = memberId;
        this.agentIndex = agentIndex;
        this.lifetimeMs = lifetimeMs;
        this.mask = tableSize - 1;
        slotIssuedMs = new long[tableSize];
        slotCounter = new int[tableSize];
        slotHighestNc = new long[tableSize];
        Arrays.fill(slotIssuedMs, -1);
        counter = counterStart;

        final byte[] key = secret.length > HMAC_BLOCK_BYTES ? sha256.digest(secret) : secret;
        for (int i = 0; i < HMAC_BLOCK_BYTES; i++)
        {
            final byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte)(k ^ 0x36);
            outerPad[i] = (byte)(k ^ 0x5C);
        }
    }

    /**
     * Issue a fresh nonce and remember it in the table (evicting the oldest in its slot).
     *
     * @param nowMs  wall clock.
     * @param dst    to write the {@link #NONCE_LENGTH} characters into.
     * @param offset of the first character.
     * @return {@link #NONCE_LENGTH}.
     */
    public int issue(final long nowMs, final MutableDirectBuffer dst, final int offset)
    {
        final int count = counter++;
        putLong48(raw, 0, nowMs);
        raw[6] = (byte)memberId;
        raw[7] = (byte)agentIndex;
        putInt(raw, 8, count);
        sign();
        System.arraycopy(mac, 0, raw, SIGNED_BYTES, MAC_BYTES);
        final int slot = count & mask;
        slotIssuedMs[slot] = nowMs;
        slotCounter[slot] = count;
        slotHighestNc[slot] = 0;
        for (int i = 0, o = offset; i < RAW_BYTES; i += 3, o += 4)
        {
            final int bits = ((raw[i] & 0xFF) << 16) | ((raw[i + 1] & 0xFF) << 8) | (raw[i + 2] & 0xFF);
            dst.putByte(o, ALPHABET[bits >>> 18]);
            dst.putByte(o + 1, ALPHABET[(bits >>> 12) & 0x3F]);
            dst.putByte(o + 2, ALPHABET[(bits >>> 6) & 0x3F]);
            dst.putByte(o + 3, ALPHABET[bits & 0x3F]);
        }
        return NONCE_LENGTH;
    }

    /**
     * Check a nonce: signature, age, issuer and presence in the table. Remembers the nonce's slot for
     * {@link #isFreshCount} and {@link #acceptCount}.
     *
     * @param buffer holding the nonce (without quotes).
     * @param offset of the nonce.
     * @param length of the nonce.
     * @param nowMs  wall clock.
     * @return {@link #VALID}, {@link #STALE} or {@link #INVALID}.
     */
    public int verify(final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        verifiedSlot = -1;
        if (length != NONCE_LENGTH || !decode(buffer, offset))
        {
            return INVALID;
        }
        sign();
        int difference = 0;
        for (int i = 0; i < MAC_BYTES; i++)
        {
            difference |= mac[i] ^ raw[SIGNED_BYTES + i];
        }
        if (difference != 0)
        {
            return INVALID;
        }
        final long issuedMs = getLong48(raw, 0);
        final int count = getInt(raw, 8);
        if (nowMs - issuedMs > lifetimeMs || issuedMs - nowMs > lifetimeMs ||
            (raw[6] & 0xFF) != memberId || (raw[7] & 0xFF) != agentIndex)
        {
            return STALE;
        }
        final int slot = count & mask;
        if (slotIssuedMs[slot] != issuedMs || slotCounter[slot] != count)
        {
            return STALE;
        }
        verifiedSlot = slot;
        return VALID;
    }

    /**
     * @param nonceCount nc of the credentials.
     * @return true if the last {@link #VALID} nonce has not yet accepted a count this high (no replay).
     */
    public boolean isFreshCount(final long nonceCount)
    {
        return verifiedSlot >= 0 && nonceCount > slotHighestNc[verifiedSlot];
    }

    /**
     * Record nc as the highest accepted for the last {@link #VALID} nonce; call only once the response is verified,
     * so forged credentials cannot burn a user's nonce.
     *
     * @param nonceCount nc of the verified credentials.
     */
    public void acceptCount(final long nonceCount)
    {
        if (verifiedSlot >= 0)
        {
            slotHighestNc[verifiedSlot] = nonceCount;
        }
    }

    private void sign()
    {
        sha256.update(innerPad, 0, HMAC_BLOCK_BYTES);
        sha256.update(raw, 0, SIGNED_BYTES);
        sha256.update(realm, 0, realm.length);
        digestInto(mac);
        sha256.update(outerPad, 0, HMAC_BLOCK_BYTES);
        sha256.update(mac, 0, DigestAlgorithm.MAX_DIGEST_BYTES);
        digestInto(mac);
    }

    private void digestInto(final byte[] out)
    {
        try
        {
            sha256.digest(out, 0, out.length);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("SHA-256 output does not fit 32 bytes", ex);
        }
    }

    private boolean decode(final DirectBuffer buffer, final int offset)
    {
        for (int i = 0, o = offset; i < RAW_BYTES; i += 3, o += 4)
        {
            int bits = 0;
            for (int j = 0; j < 4; j++)
            {
                final byte c = buffer.getByte(o + j);
                final int value = c >= 0 ? DECODE[c] : -1;
                if (value < 0)
                {
                    return false;
                }
                bits = (bits << 6) | value;
            }
            raw[i] = (byte)(bits >>> 16);
            raw[i + 1] = (byte)(bits >>> 8);
            raw[i + 2] = (byte)bits;
        }
        return true;
    }

    private static void putLong48(final byte[] bytes, final int offset, final long value)
    {
        for (int i = 0; i < 6; i++)
        {
            bytes[offset + i] = (byte)(value >>> (40 - 8 * i));
        }
    }

    private static long getLong48(final byte[] bytes, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 6; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static void putInt(final byte[] bytes, final int offset, final int value)
    {
        for (int i = 0; i < 4; i++)
        {
            bytes[offset + i] = (byte)(value >>> (24 - 8 * i));
        }
    }

    private static int getInt(final byte[] bytes, final int offset)
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
