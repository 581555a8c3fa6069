package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

/**
 * Finds SIP message boundaries in a byte stream (TCP, TLS) by Content-Length, which is mandatory on streams
 * (RFC 3261 §18.3), across partial reads. One instance per connection; nothing is allocated.
 * <p>
 * The transport keeps the connection's unconsumed bytes contiguous and calls {@link #frame(DirectBuffer, int, int)}
 * with all of them after every read. The framer remembers how far it has scanned, so bytes are looked at once even
 * when a message arrives one byte at a time; after a result other than {@link #NEED_MORE} the transport drops
 * {@link #consumed()} bytes and the framer starts afresh. CRLFs before a message are skipped (RFC 3261 §7.5); a
 * double CRLF on its own is an RFC 5626 keep-alive ping, answered by the transport with a single CRLF.
 */
public final class SipStreamFramer
{
    /** No complete message yet: read more and call again with all unconsumed bytes. */
    public static final int NEED_MORE = 0;
    /** A complete message at {@link #messageOffset()} of {@link #messageLength()} bytes. */
    public static final int MESSAGE = 1;
    /** An RFC 5626 keep-alive ping (CRLF CRLF): answer with one CRLF (the pong). */
    public static final int PING = 2;
    /** The stream cannot be framed ({@link #reason()}): answer 400 if possible and close the connection. */
    public static final int INVALID = 3;

    public static final String REASON_OK = "OK";
    public static final String REASON_TOO_LARGE = "Message too large";
    public static final String REASON_MISSING_CONTENT_LENGTH = "Missing Content-Length";
    public static final String REASON_CONTENT_LENGTH = "Bad Content-Length";
    public static final String REASON_CONFLICTING_CONTENT_LENGTH = "Conflicting Content-Length";

    private final int maxMessageSize;

    private int skipped;
    private int scanned;
    private int headersLength = -1;
    private int totalLength = -1;
    private int messageOffset;
    private int messageLength;
    private int consumed;
    private String reason = REASON_OK;

    /**
     * @param maxMessageSize the largest message (headers and body) accepted on the stream.
     */
    public SipStreamFramer(final int maxMessageSize)
    {
        if (maxMessageSize <= 0)
        {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Look for the next frame in the connection's unconsumed bytes.
     *
     * @param buffer holding the unconsumed bytes.
     * @param offset of the first unconsumed byte; the same stream position on every call until a result other than
     *               {@link #NEED_MORE}.
     * @param length of the unconsumed bytes.
     * @return {@link #NEED_MORE}, {@link #MESSAGE}, {@link #PING} or {@link #INVALID}.
     */
    public int frame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (headersLength < 0)
        {
            final int leading = skipLeadingLineEnds(buffer, offset, length);
            if (leading != NEED_MORE)
            {
                return leading;
            }
            if (skipped == length)
            {
                return NEED_MORE;
            }
            final int end = findEndOfHeaders(buffer, offset, length);
            if (end < 0)
            {
                if (length - skipped > maxMessageSize)
                {
                    return invalid(REASON_TOO_LARGE);
                }
                return NEED_MORE;
            }
            headersLength = end - skipped;
            // Same verdict however the bytes arrive: a partial read of these headers was already too large.
            if (headersLength > maxMessageSize)
            {
                return invalid(REASON_TOO_LARGE);
            }
            final int contentLength = contentLength(buffer, offset + skipped, headersLength);
            if (contentLength < 0)
            {
                return INVALID;
            }
            if ((long)headersLength + contentLength > maxMessageSize)
            {
                return invalid(REASON_TOO_LARGE);
            }
            totalLength = headersLength + contentLength;
        }
        if (length - skipped < totalLength)
        {
            return NEED_MORE;
        }
        messageOffset = offset + skipped;
        messageLength = totalLength;
        return complete(MESSAGE, skipped + totalLength);
    }

    /**
     * @return offset of the framed message in the buffer given to {@link #frame(DirectBuffer, int, int)}.
     */
    public int messageOffset()
    {
        return messageOffset;
    }

    /**
     * @return length of the framed message, headers and body.
     */
    public int messageLength()
    {
        return messageLength;
    }

    /**
     * @return bytes to drop from the front of the unconsumed bytes after {@link #MESSAGE} (leading CRLFs and the
     * message) or {@link #PING} (4); 0 after {@link #INVALID}, when the connection is to be closed.
     */
    public int consumed()
    {
        return consumed;
    }

    /**
     * @return a constant reason after {@link #INVALID}.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * Forget any partial scan, e.g. when the connection is reused for another stream.
     */
    public void reset()
    {
        skipped = 0;
        scanned = 0;
        headersLength = -1;
        totalLength = -1;
        consumed = 0;
    }

    /**
     * Skip CRLFs before a message; a double CRLF with nothing before it is a ping.
     *
     * @return {@link #PING}, or {@link #NEED_MORE} to carry on framing.
     */
    private int skipLeadingLineEnds(final DirectBuffer buffer, final int offset, final int length)
    {
        while (skipped < length)
        {
            final byte b = buffer.getByte(offset + skipped);
            if (b != '\r' && b != '\n')
            {
                break;
            }
            skipped++;
            if (skipped == 4 && buffer.getByte(offset) == '\r' && buffer.getByte(offset + 1) == '\n' &&
                buffer.getByte(offset + 2) == '\r' && b == '\n')
            {
                return complete(PING, 4);
            }
        }
        if (scanned < skipped)
        {
            scanned = skipped;
        }
        return NEED_MORE;
    }

    /**
     * @return the position (relative to offset) after the empty line that ends the headers, or -1.
     */
    private int findEndOfHeaders(final DirectBuffer buffer, final int offset, final int length)
    {
        // Resume three bytes back so that a terminator split across reads is still seen.
        int i = Math.max(skipped, scanned - 3);
        while (i < length)
        {
            if (buffer.getByte(offset + i) == '\n')
            {
                if (i + 1 < length && buffer.getByte(offset + i + 1) == '\n')
                {
                    return i + 2;
                }
                if (i + 2 < length && buffer.getByte(offset + i + 1) == '\r' && buffer.getByte(offset + i + 2) == '\n')
                {
                    return i + 3;
                }
            }
            i++;
        }
        scanned = length;
        return -1;
    }

    /**
     * @return the Content-Length of the headers, or -1 with the reason set.
     */
    private int contentLength(final DirectBuffer buffer, final int start, final int length)
    {
        final int end = start + length;
        int value = -1;
        int lineStart = start;
        while (lineStart < end)
        {
            int lineEnd = SipBytes.indexOf(buffer, lineStart, end, (byte)'\n');
            if (lineEnd < 0)
            {
                lineEnd = end;
            }
            int nameEnd = lineStart;
            while (nameEnd < lineEnd && SipBytes.isTokenChar(buffer.getByte(nameEnd)))
            {
                nameEnd++;
            }
            final int colon = SipBytes.skipWhitespace(buffer, nameEnd, lineEnd);
            if (nameEnd > lineStart && colon < lineEnd && buffer.getByte(colon) == ':' &&
                HeaderName.lookup(buffer, lineStart, nameEnd - lineStart) == HeaderName.CONTENT_LENGTH)
            {
                final int valueStart = SipBytes.skipWhitespace(buffer, colon + 1, lineEnd);
                int valueEnd = lineEnd > valueStart && buffer.getByte(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
                valueEnd = SipBytes.trimTrailingWhitespace(buffer, valueStart, valueEnd);
                final long parsed =
                    SipBytes.parseUnsigned(buffer, valueStart, valueEnd - valueStart, Integer.MAX_VALUE);
                if (parsed == SipBytes.INVALID_NUMBER)
                {
                    invalid(REASON_CONTENT_LENGTH);
                    return -1;
                }
                if (value >= 0 && value != parsed)
                {
                    invalid(REASON_CONFLICTING_CONTENT_LENGTH);
                    return -1;
                }
                value = (int)parsed;
            }
            lineStart = lineEnd + 1;
        }
        if (value < 0)
        {
            invalid(REASON_MISSING_CONTENT_LENGTH);
        }
        return value;
    }

    private int invalid(final String why)
    {
        final int result = complete(INVALID, 0);
        reason = why;
        return result;
    }

    private int complete(final int result, final int consumedBytes)
    {
        reset();
        consumed = consumedBytes;
        reason = REASON_OK;
        return result;
    }
}
