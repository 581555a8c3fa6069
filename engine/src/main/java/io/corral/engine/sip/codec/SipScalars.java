package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

/**
 * Decoders for the single-number headers: Max-Forwards, Expires, Content-Length (and Min-Expires). Each takes one
 * header value, ignores surrounding linear whitespace and rejects overlarge values rather than clamping them
 * (RFC 4475 §3.1.2.4 expects a 400 for an Expires or Max-Forwards that does not fit).
 */
public final class SipScalars
{
    /** Returned when the value is empty, not all digits, or above the header's bound. */
    public static final long INVALID = SipBytes.INVALID_NUMBER;

    public static final long MAX_MAX_FORWARDS = 255;
    public static final long MAX_EXPIRES = 0xFFFF_FFFFL;
    /** Far above any datagram or stream frame Corral accepts; the transport applies its own, smaller limit. */
    public static final long MAX_CONTENT_LENGTH = Integer.MAX_VALUE;

    public static final String REASON_MAX_FORWARDS = "Bad Max-Forwards";
    public static final String REASON_EXPIRES = "Bad Expires";
    public static final String REASON_CONTENT_LENGTH = "Bad Content-Length";

    private SipScalars()
    {
    }

    /**
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return Max-Forwards, 0 to 255, or {@link #INVALID}.
     */
    public static int maxForwards(final DirectBuffer buffer, final int offset, final int length)
    {
        return (int)parse(buffer, offset, length, MAX_MAX_FORWARDS);
    }

    /**
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return Expires (delta-seconds), 0 to 2^32-1, or {@link #INVALID}.
     */
    public static long expires(final DirectBuffer buffer, final int offset, final int length)
    {
        return parse(buffer, offset, length, MAX_EXPIRES);
    }

    /**
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return Content-Length, 0 to {@link #MAX_CONTENT_LENGTH}, or {@link #INVALID}.
     */
    public static int contentLength(final DirectBuffer buffer, final int offset, final int length)
    {
        return (int)parse(buffer, offset, length, MAX_CONTENT_LENGTH);
    }

    /**
     * @param buffer   holding the value.
     * @param offset   of the value.
     * @param length   of the value.
     * @param maxValue largest value accepted.
     * @return the decimal value with surrounding linear whitespace ignored, or {@link #INVALID}.
     */
    public static long parse(final DirectBuffer buffer, final int offset, final int length, final long maxValue)
    {
        if (length <= 0)
        {
            return INVALID;
        }
        buffer.boundsCheck(offset, length);
        return parse(buffer.byteArray(), buffer.addressOffset(), offset, length, maxValue);
    }

    /**
     * Unchecked form of {@link #parse(DirectBuffer, int, int, long)} for a decoder that checked the range once (see
     * {@link SipBytes}).
     *
     * @param array    the buffer's {@code byteArray()}.
     * @param address  the buffer's {@code addressOffset()}.
     * @param offset   of the value, inside a checked range.
     * @param length   of the value.
     * @param maxValue largest value accepted.
     * @return the decimal value with surrounding linear whitespace ignored, or {@link #INVALID}.
     */
    public static long parse(
        final byte[] array, final long address, final int offset, final int length, final long maxValue)
    {
        final int limit = SipBytes.trimTrailingLws(array, address, offset, offset + Math.max(length, 0));
        final int start = SipBytes.skipLws(array, address, offset, limit);
        return SipBytes.parseUnsigned(array, address, start, limit - start, maxValue);
    }
}
