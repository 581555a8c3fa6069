package io.corral.engine.sip.transaction;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A 64-bit hash of key bytes. Matching verifies the key bytes on every hit, so a collision costs time, never a
 * wrong match; tests inject a constant hasher to prove it.
 */
@FunctionalInterface
public interface KeyHasher
{
    /** The default: 8 bytes at a time, multiply-xorshift mixing (stable across processes and runs). */
    KeyHasher DEFAULT = KeyHasher::mix;

    /**
     * @param buffer holding the key.
     * @param offset of the first byte.
     * @param length of the key.
     * @return the hash.
     */
    long hash(DirectBuffer buffer, int offset, int length);

    /**
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length of the bytes.
     * @return a well-mixed 64-bit hash, the same in every process.
     */
    static long mix(final DirectBuffer buffer, final int offset, final int length)
    {
        long h = 0x9E37_79B9_7F4A_7C15L ^ length;
        int i = offset;
        final int limit = offset + length;
        for (; i + 8 <= limit; i += 8)
        {
            h = (h ^ buffer.getLong(i, ByteOrder.LITTLE_ENDIAN)) * 0xBF58_476D_1CE4_E5B9L;
            h ^= h >>> 31;
        }
        for (; i < limit; i++)
        {
            h = (h ^ (buffer.getByte(i) & 0xFF)) * 0x94D0_49BB_1331_11EBL;
            h ^= h >>> 29;
        }
        h ^= h >>> 32;
        h *= 0xD6E8_FEB8_6659_FD93L;
        return h ^ (h >>> 32);
    }
}
