package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds the responses a member originates to a decoded request (RFC 3261 §8.2.6, §16.2, §16.7): the status line,
 * every Via line of the request in order and byte for byte (the top value replaced when {@link #withTopVia} says),
 * From, To (with a tag added when it has none and one is
 * given), Call-ID and CSeq copied from the request, the optional headers set beforehand with the {@code with*}
 * methods, and Content-Length. Record-Route lines are copied into 101–299 responses to INVITE, SUBSCRIBE and REFER,
 * which may establish a dialog (§12.1.1).
 * <p>
 * Optional headers apply to the next build only: every build, successful or not, clears them. They are copied into
 * an internal buffer when set, except the body, which is referenced until the build. Nothing is allocated; a
 * response that does not fit, or optional headers that overflowed the internal buffer, make the build return -1.
 * One instance per agent; not thread-safe.
 */
public final class SipResponseBuilder
{
    /** Default capacity in bytes of the optional headers of one response. */
    public static final int DEFAULT_OPTIONAL_HEADERS_CAPACITY = 2048;

    private static final byte[] SIP_VERSION = "SIP/2.0 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAG = ";tag=".getBytes(StandardCharsets.US_ASCII);

    private final UnsafeBuffer optionalHeaders;
    private final SipAsciiWriter optionalWriter = new SipAsciiWriter();
    private final SipAsciiWriter writer = new SipAsciiWriter();
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();

    private byte[] contentType;
    private DirectBuffer body;
    private int bodyOffset;
    private int bodyLength;
    private DirectBuffer topVia;
    private int topViaOffset;
    private int topViaLength;
    private int incompleteLineOffset;

    /**
     * A builder with {@link #DEFAULT_OPTIONAL_HEADERS_CAPACITY}.
     */
    public SipResponseBuilder()
    {
        this(DEFAULT_OPTIONAL_HEADERS_CAPACITY);
    }

    /**
     * @param optionalHeadersCapacity bytes available for the optional headers of one response.
     */
    public SipResponseBuilder(final int optionalHeadersCapacity)
    {
        if (optionalHeadersCapacity <= 0)
        {
            throw new IllegalArgumentException("optionalHeadersCapacity must be positive: " + optionalHeadersCapacity);
        }
        optionalHeaders = new UnsafeBuffer(new byte[optionalHeadersCapacity]);
        reset();
    }

    /**
     * Drop the optional headers and body set since the last build.
     *
     * @return this.
     */
    public SipResponseBuilder reset()
    {
        optionalWriter.wrap(optionalHeaders, 0, optionalHeaders.capacity());
        contentType = null;
        body = null;
        bodyOffset = 0;
        bodyLength = 0;
        topVia = null;
        topViaOffset = 0;
        topViaLength = 0;
        return this;
    }

    /**
     * Add {@code Warning: code agent "text"} (RFC 3261 §20.43).
     *
     * @param code  warn-code, 300–399.
     * @param agent warn-agent: the member's host[:port] or pseudonym.
     * @param text  warn-text without the quotes; must not hold an unescaped double quote.
     * @return this.
     */
    public SipResponseBuilder withWarning(final int code, final byte[] agent, final byte[] text)
    {
        optionalWriter.name(HeaderName.name(HeaderName.WARNING)).putNatural(code).put((byte)' ').put(agent)
            .put((byte)' ').put((byte)'"').put(text).put((byte)'"').crlf();
        return this;
    }

    /**
     * Add {@code Unsupported: option-tags} (for a 420, RFC 3261 §8.2.2.3), e.g. copied from the request's Require.
     *
     * @param src    holding the option tags.
     * @param offset of the option tags.
     * @param length of the option tags.
     * @return this.
     */
    public SipResponseBuilder withUnsupported(final DirectBuffer src, final int offset, final int length)
    {
        return withHeader(HeaderName.name(HeaderName.UNSUPPORTED), src, offset, length);
    }

    /**
     * Add {@code Allow: methods} (required in a 405, RFC 3261 §20.5).
     *
     * @param methods e.g. {@code INVITE, ACK, CANCEL, BYE, OPTIONS}.
     * @return this.
     */
    public SipResponseBuilder withAllow(final byte[] methods)
    {
        return withHeader(HeaderName.name(HeaderName.ALLOW), methods);
    }

    /**
     * Add {@code Retry-After: seconds} (e.g. in a 503, RFC 3261 §20.33).
     *
     * @param seconds delta-seconds, at least 0.
     * @return this.
     */
    public SipResponseBuilder withRetryAfter(final long seconds)
    {
        optionalWriter.name(HeaderName.name(HeaderName.RETRY_AFTER)).putNatural(seconds).crlf();
        return this;
    }

    /**
     * Add {@code Contact: value}.
     *
     * @param src    holding the value, e.g. {@code <sip:192.0.2.1:5060>}.
     * @param offset of the value.
     * @param length of the value.
     * @return this.
     */
    public SipResponseBuilder withContact(final DirectBuffer src, final int offset, final int length)
    {
        return withHeader(HeaderName.name(HeaderName.CONTACT), src, offset, length);
    }

    /**
     * Add any header line.
     *
     * @param name  header name.
     * @param value header value.
     * @return this.
     */
    public SipResponseBuilder withHeader(final byte[] name, final byte[] value)
    {
        optionalWriter.name(name).put(value).crlf();
        return this;
    }

    /**
     * Add any header line.
     *
     * @param name   header name.
     * @param src    holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return this.
     */
    public SipResponseBuilder withHeader(final byte[] name, final DirectBuffer src, final int offset, final int length)
    {
        optionalWriter.name(name).put(src, offset, length).crlf();
        return this;
    }

    /**
     * Give the response a body, written with its Content-Type and Content-Length.
     *
     * @param contentType media type, e.g. {@code application/sdp}.
     * @param src         holding the body; referenced, not copied, until the build.
     * @param offset      of the body.
     * @param length      of the body.
     * @return this.
     */
    public SipResponseBuilder withBody(
        final byte[] contentType, final DirectBuffer src, final int offset, final int length)
    {
        this.contentType = contentType;
        body = src;
        bodyOffset = offset;
        bodyLength = length;
        return this;
    }

    /**
     * Write this value in place of the request's top Via value, the rest of the Via lines unchanged: the top Via as
     * this server received it, with {@code received} and {@code rport} filled in (RFC 3261 §18.2.1, RFC 3581 §4).
     *
     * @param src    holding the value; referenced, not copied, until the build.
     * @param offset of the value.
     * @param length of the value.
     * @return this.
     */
    public SipResponseBuilder withTopVia(final DirectBuffer src, final int offset, final int length)
    {
        topVia = src;
        topViaOffset = offset;
        topViaLength = length;
        return this;
    }

    /**
     * Build {@code 100 Trying} (RFC 3261 §8.2.6.1, §16.2): no To tag, Timestamp copied when present.
     *
     * @param request   the decoded request.
     * @param dst       to write into.
     * @param dstOffset of the first byte.
     * @return the response length, or -1 if it cannot be built or does not fit.
     */
    public int buildTrying(final SipMessageDecoder request, final MutableDirectBuffer dst, final int dstOffset)
    {
        return buildResponse(request, SipStatus.TRYING, null, null, 0, -1, dst, dstOffset);
    }

    /**
     * Build a response to a request. The request may be one decoded {@link SipMessageDecoder#OK}, one decoded
     * {@link SipMessageDecoder#VERSION_NOT_SUPPORTED} (to answer 505) or an {@link SipMessageDecoder#INVALID} one
     * (to answer 400 with {@link SipMessageDecoder#reason()}): then the header lines indexed before the error are
     * copied. An ACK is never answered.
     *
     * @param request     the decoded request.
     * @param statusCode  100–699.
     * @param reason      reason phrase, or null for {@link SipStatus#reasonPhrase(int)}.
     * @param toTag       holding the To tag to add when the request's To has none, or null.
     * @param toTagOffset of the tag.
     * @param toTagLength of the tag, or -1 for none (a To tag already present is always kept). Ignored for 100.
     * @param dst         to write into.
     * @param dstOffset   of the first byte.
     * @return the response length, or -1 if it cannot be built or does not fit.
     */
    public int buildResponse(
        final SipMessageDecoder request,
        final int statusCode,
        final byte[] reason,
        final DirectBuffer toTag,
        final int toTagOffset,
        final int toTagLength,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        final int length = build(request, statusCode, reason, toTag, toTagOffset, toTagLength, dst, dstOffset);
        reset();
        return length;
    }

    private int build(
        final SipMessageDecoder request,
        final int statusCode,
        final byte[] reason,
        final DirectBuffer toTag,
        final int toTagOffset,
        final int toTagLength,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        if (!isAnswerable(request) || !SipStatus.isValid(statusCode) || optionalWriter.isOverflow())
        {
            return -1;
        }
        final SipAsciiWriter writer = this.writer.wrap(dst, dstOffset, dst.capacity());
        writer.put(SIP_VERSION).putNatural(statusCode).put((byte)' ')
            .put(reason != null ? reason : SipStatus.reasonPhrase(statusCode)).crlf();
        copyVias(request);
        if (statusCode > SipStatus.TRYING && statusCode < 300 && isDialogCreating(request.method()))
        {
            copyLines(request, HeaderName.RECORD_ROUTE);
        }
        copyLines(request, HeaderName.FROM);
        final int to = usableFirst(request, HeaderName.TO);
        if (to >= 0)
        {
            if (statusCode != SipStatus.TRYING && toTagLength > 0 && toTag != null && !hasTag(request, to))
            {
                final int valueEnd = request.valueOffset(to) + request.valueLength(to);
                writer.put(request.buffer(), request.lineOffset(to), valueEnd - request.lineOffset(to))
                    .put(TAG).put(toTag, toTagOffset, toTagLength);
                copyLineRest(request, to, valueEnd);
            }
            else
            {
                copyLineRest(request, to, request.lineOffset(to));
            }
        }
        copyLines(request, HeaderName.CALL_ID);
        copyLines(request, HeaderName.CSEQ);
        if (statusCode == SipStatus.TRYING)
        {
            copyLines(request, HeaderName.TIMESTAMP);
        }
        writer.put(optionalHeaders, 0, optionalWriter.position());
        if (contentType != null)
        {
            writer.name(HeaderName.name(HeaderName.CONTENT_TYPE)).put(contentType).crlf();
        }
        writer.name(HeaderName.name(HeaderName.CONTENT_LENGTH)).putNatural(body != null ? bodyLength : 0).crlf()
            .crlf();
        if (body != null)
        {
            writer.put(body, bodyOffset, bodyLength);
        }
        return writer.length();
    }

    private boolean isAnswerable(final SipMessageDecoder request)
    {
        final int result = request.result();
        if (!request.isRequest() || request.method() == SipMethod.ACK || request.count(HeaderName.VIA) == 0 ||
            (result != SipMessageDecoder.OK && result != SipMessageDecoder.VERSION_NOT_SUPPORTED &&
            result != SipMessageDecoder.INVALID))
        {
            return false;
        }
        // A decode that failed inside the header section may have left the last indexed line unfinished.
        final boolean headersComplete = request.headersEndOffset() > request.messageOffset();
        incompleteLineOffset = headersComplete || request.headerCount() == 0 ?
            -1 : request.lineOffset(request.headerCount() - 1);
        return true;
    }

    private static boolean isDialogCreating(final int method)
    {
        return method == SipMethod.INVITE || method == SipMethod.SUBSCRIBE || method == SipMethod.REFER;
    }

    private boolean hasTag(final SipMessageDecoder request, final int index)
    {
        return nameAddr.wrap(request.buffer(), request.valueOffset(index), request.valueLength(index)) &&
            nameAddr.hasTag();
    }

    private int usableFirst(final SipMessageDecoder request, final int headerId)
    {
        final int index = request.firstIndexOf(headerId);
        return index >= 0 && request.lineOffset(index) != incompleteLineOffset ? index : -1;
    }

    private void copyLines(final SipMessageDecoder request, final int headerId)
    {
        copyLines(request, headerId, request.firstIndexOf(headerId));
    }

    /**
     * Copy the lines of the values of a header from one of them on; a line holding several values is copied once,
     * with its first.
     */
    private void copyLines(final SipMessageDecoder request, final int headerId, final int fromIndex)
    {
        for (int i = fromIndex; i >= 0; i = request.nextIndexOf(headerId, i))
        {
            final int lineOffset = request.lineOffset(i);
            if (request.lineValueIndex(i) == 0 && lineOffset != incompleteLineOffset)
            {
                copyLineRest(request, i, lineOffset);
            }
        }
    }

    private void copyVias(final SipMessageDecoder request)
    {
        final int first = usableFirst(request, HeaderName.VIA);
        if (topVia == null || first < 0)
        {
            copyLines(request, HeaderName.VIA);
            return;
        }
        final int valueOffset = request.valueOffset(first);
        writer.put(request.buffer(), request.lineOffset(first), valueOffset - request.lineOffset(first))
            .put(topVia, topViaOffset, topViaLength);
        copyLineRest(request, first, valueOffset + request.valueLength(first));
        copyLines(request, HeaderName.VIA, request.nextIndexOf(HeaderName.VIA, first));
    }

    private void copyLineRest(final SipMessageDecoder request, final int index, final int from)
    {
        writer.putLine(request.buffer(), from, request.lineOffset(index) + request.lineLength(index));
    }
}
