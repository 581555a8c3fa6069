package io.corral.engine.auth;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Lower-case hex as digest computations use it (RFC 7616 §3.4.1: digests are written as lower-case hex), into
 * caller-owned arrays so the verify path allocates nothing.
 */
final class Hex
{
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Hex()
    {
    }

    /**
     * @param src       bytes to write.
     * @param srcLength how many.
     * @param dst       receives {@code 2 * srcLength} lower-case hex digits from 0.
     */
    static void encode(final byte[] src, final int srcLength, final byte[] dst)
    {
        for (int i = 0; i < srcLength; i++)
        {
            dst[2 * i] = DIGITS[(src[i] >> 4) & 0xF];
            dst[2 * i + 1] = DIGITS[src[i] & 0xF];
        }
    }

    /**
     * @param bytes to write.
     * @return lower-case hex.
     */
    static String toHex(final byte[] bytes)
    {
        final byte[] hex = new byte[bytes.length * 2];
        encode(bytes, bytes.length, hex);
        return new String(hex, StandardCharsets.US_ASCII);
    }

    /**
     * @param hex an even number of hex digits, any case.
     * @return the bytes, or null if {@code hex} is not hex.
     */
    static byte[] parse(final String hex)
    {
        if ((hex.length() & 1) != 0)
        {
            return null;
        }
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            final int high = Character.digit(hex.charAt(2 * i), 16);
            final int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0)
            {
                return null;
            }
            bytes[i] = (byte)((high << 4) | low);
        }
        return bytes;
    }

    /**
     * Compare hex digits in time that depends on the length only, so a response check leaks nothing about how many
     * leading digits were right.
     *
     * @param expected lower-case hex digits.
     * @param length   how many of {@code expected} to compare.
     * @param buffer   holding the digits to check, any case.
     * @param offset   of the digits.
     * @param actualLength length of the digits; a different length never matches.
     * @return true if equal ignoring case.
     */
    static boolean equalsConstantTime(
        final byte[] expected, final int length, final DirectBuffer buffer, final int offset, final int actualLength)
    {
        if (actualLength != length)
        {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < length; i++)
        {
            difference |= expected[i] ^ SipBytes.toLowerCase(buffer.getByte(offset + i));
        }
        return difference == 0;
    }
}
