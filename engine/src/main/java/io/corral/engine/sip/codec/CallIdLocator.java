package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Finds a message's Call-ID without decoding it, so that an agent can hand a message another agent owns to that
 * agent without paying for a decode the owner repeats. It reads line starts only, eight bytes per read between them,
 * and answers only when it is sure to find the range {@link SipMessageDecoder#callIdOffset()} would give for a
 * well-formed message: the first {@code Call-ID} or {@code i} header of the header section, on a line that is not
 * folded. Anything else (no such header, a folded line, an empty value) is {@link #NOT_FOUND} and the caller
 * decodes. A malformed message located here is rejected by its owner, as it would be by any agent.
 */
public final class CallIdLocator
{
    /** No Call-ID this locator is sure of: decode the message. */
    public static final long NOT_FOUND = -1;

    private static final byte[] CALL_ID = "call-id".getBytes(StandardCharsets.US_ASCII);

    private CallIdLocator()
    {
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return the Call-ID value's offset in the high and its length in the low 32 bits, trimmed of white space as
     * the decoder trims it, or {@link #NOT_FOUND}.
     */
    public static long locate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return NOT_FOUND;
        }
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset();
        final int limit = offset + length;
        int start = offset;
        while (start < limit && isLineEnd(SipBytes.byteAt(array, address, start)))
        {
            start++;
        }
        // The start line is skipped (after the empty lines a sender may put before it, RFC 3261 §7.5): a header line
        // begins after a line feed.
        int lineFeed = SipBytes.indexOf(array, address, start, limit, (byte)'\n');
        while (lineFeed >= 0)
        {
            final int line = lineFeed + 1;
            if (line >= limit)
            {
                return NOT_FOUND;
            }
            final byte first = SipBytes.byteAt(array, address, line);
            if (isLineEnd(first))
            {
                return NOT_FOUND;
            }
            final int lower = first | 0x20;
            int nameEnd = -1;
            if (lower == 'c' && limit - line >= CALL_ID.length &&
                SipBytes.equalsIgnoreCase(array, address, line, CALL_ID.length, CALL_ID))
            {
                nameEnd = line + CALL_ID.length;
            }
            else if (lower == 'i')
            {
                nameEnd = line + 1;
            }
            if (nameEnd >= 0)
            {
                final int colon = SipBytes.skipWhitespace(array, address, nameEnd, limit);
                if (colon < limit && SipBytes.byteAt(array, address, colon) == ':')
                {
                    return value(array, address, colon + 1, limit);
                }
            }
            lineFeed = SipBytes.indexOf(array, address, line, limit, (byte)'\n');
        }
        return NOT_FOUND;
    }

    /**
     * @param located a result of {@link #locate} other than {@link #NOT_FOUND}.
     * @return the value's offset.
     */
    public static int offset(final long located)
    {
        return (int)(located >>> 32);
    }

    /**
     * @param located a result of {@link #locate} other than {@link #NOT_FOUND}.
     * @return the value's length.
     */
    public static int length(final long located)
    {
        return (int)located;
    }

    private static long value(final byte[] array, final long address, final int from, final int limit)
    {
        final int start = SipBytes.skipWhitespace(array, address, from, limit);
        final int lineFeed = SipBytes.indexOf(array, address, start, limit, (byte)'\n');
        if (lineFeed < 0)
        {
            return NOT_FOUND;
        }
        final int next = lineFeed + 1;
        if (next < limit && SipBytes.isWhitespace(SipBytes.byteAt(array, address, next)))
        {
            return NOT_FOUND;
        }
        int end = lineFeed;
        while (end > start && isLws(SipBytes.byteAt(array, address, end - 1)))
        {
            end--;
        }
        return end == start ? NOT_FOUND : ((long)start << 32) | (end - start);
    }

    private static boolean isLineEnd(final byte b)
    {
        return b == '\r' || b == '\n';
    }

    private static boolean isLws(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\r';
    }
}
