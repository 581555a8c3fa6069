package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.SipUriDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The request checks of RFC 3261 §16.3 (and §8.2.2 / §16.2 for the decoding outcome), in order:
 * <ol>
 *     <li>decoding: version other than SIP/2.0 → 505, malformed → 400 with the decoder's reason, a keep-alive or an
 *     oversized datagram → dropped;</li>
 *     <li>Request-URI scheme other than sip, sips, tel → 416;</li>
 *     <li>Max-Forwards 0 → 483;</li>
 *     <li>loop (§16.3 item 4, see {@link LoopDetector}) → 482;</li>
 *     <li>Proxy-Require option tags not supported → 420 with {@code Unsupported} listing them.</li>
 * </ol>
 * An ACK is never answered: where another request gets a response, an ACK is dropped ({@link #DROP}).
 * <p>
 * Reusable and allocation-free (a 400 reason phrase is converted to bytes once per distinct reason constant).
 * One instance per agent.
 */
public final class RequestValidator
{
    /** The request passed every check. */
    public static final int OK = 0;
    /** Nothing to answer: a keep-alive, an oversized datagram, a malformed or unanswerable ACK, or a response. */
    public static final int DROP = -1;

    private static final int MAX_CACHED_REASONS = 64;
    private static final byte[] COMMA = ", ".getBytes(StandardCharsets.US_ASCII);

    private final ProxyContext context;
    private final LoopDetector loopDetector = new LoopDetector();
    private final UnsafeBuffer unsupported = new UnsafeBuffer(new byte[1024]);
    private final String[] reasonKeys = new String[MAX_CACHED_REASONS];
    private final byte[][] reasonBytes = new byte[MAX_CACHED_REASONS][];
    private int unsupportedLength;
    private int status;
    private byte[] reason;

    /**
     * @param context who this member is and which option tags it supports.
     */
    public RequestValidator(final ProxyContext context)
    {
        this.context = context;
    }

    /**
     * Check a decoded request.
     *
     * @param request the decoder after {@link SipMessageDecoder#wrap}, whatever its result.
     * @return {@link #OK}, {@link #DROP}, or the status code of the response to send ({@link #respond} builds it).
     */
    public int validate(final SipMessageDecoder request)
    {
        unsupportedLength = 0;
        reason = null;
        status = check(request);
        return status;
    }

    /**
     * @return the status {@link #validate} returned.
     */
    public int status()
    {
        return status;
    }

    /**
     * @return the reason phrase of the response, or null for the default one of the status.
     */
    public byte[] reason()
    {
        return reason;
    }

    /**
     * @return the unsupported option tags of a 420, comma separated, in {@link #unsupportedBuffer()}.
     */
    public int unsupportedLength()
    {
        return unsupportedLength;
    }

    /**
     * @return the buffer holding the unsupported option tags from offset 0.
     */
    public DirectBuffer unsupportedBuffer()
    {
        return unsupported;
    }

    /**
     * Build the response for the last {@link #validate} that returned a status.
     *
     * @param request   the same decoded request.
     * @param builder   the agent's response builder.
     * @param toTag     holding the To tag to add when the request has none (RFC 3261 §8.2.6.2), or null.
     * @param tagOffset of the tag.
     * @param tagLength of the tag, -1 for none.
     * @param dst       to write into.
     * @param dstOffset of the first byte.
     * @return the response length, or -1 if there is nothing to send or it does not fit.
     */
    public int respond(
        final SipMessageDecoder request,
        final SipResponseBuilder builder,
        final DirectBuffer toTag,
        final int tagOffset,
        final int tagLength,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        if (status <= 0)
        {
            return -1;
        }
        if (status == SipStatus.BAD_EXTENSION)
        {
            builder.withUnsupported(unsupported, 0, unsupportedLength);
        }
        return builder.buildResponse(request, status, reason, toTag, tagOffset, tagLength, dst, dstOffset);
    }

    private int check(final SipMessageDecoder request)
    {
        final int result = request.result();
        if (result == SipMessageDecoder.KEEP_ALIVE || result == SipMessageDecoder.TOO_LARGE ||
            !request.isRequest() || request.method() == SipMethod.ACK)
        {
            // An ACK is checked like any request but never answered: it is forwarded or dropped.
            return result == SipMessageDecoder.OK && request.isRequest() ? checkValues(request, true) : DROP;
        }
        if (result == SipMessageDecoder.VERSION_NOT_SUPPORTED)
        {
            return SipStatus.VERSION_NOT_SUPPORTED;
        }
        if (result != SipMessageDecoder.OK)
        {
            reason = reasonBytes(request.reason());
            return SipStatus.BAD_REQUEST;
        }
        return checkValues(request, false);
    }

    private int checkValues(final SipMessageDecoder request, final boolean ack)
    {
        final int status = checkRequest(request);
        return ack && status != OK ? DROP : status;
    }

    private int checkRequest(final SipMessageDecoder request)
    {
        final DirectBuffer buffer = request.buffer();
        // The decoder validated the Request-URI of every request it accepted and keeps it wrapped.
        final int scheme = request.requestUri().scheme();
        if (scheme != SipUriDecoder.SIP && scheme != SipUriDecoder.SIPS && scheme != SipUriDecoder.TEL)
        {
            return SipStatus.UNSUPPORTED_URI_SCHEME;
        }
        if (request.maxForwards() == 0)
        {
            return SipStatus.TOO_MANY_HOPS;
        }
        if (loopDetector.isLoop(request, context))
        {
            return SipStatus.LOOP_DETECTED;
        }
        for (int i = request.firstIndexOf(HeaderName.PROXY_REQUIRE); i >= 0;
            i = request.nextIndexOf(HeaderName.PROXY_REQUIRE, i))
        {
            final int offset = request.valueOffset(i);
            final int length = request.valueLength(i);
            if (length > 0 && !context.isSupportedOption(buffer, offset, length))
            {
                appendUnsupported(buffer, offset, length);
            }
        }
        return unsupportedLength > 0 ? SipStatus.BAD_EXTENSION : OK;
    }

    private void appendUnsupported(final DirectBuffer buffer, final int offset, final int length)
    {
        final int separator = unsupportedLength > 0 ? COMMA.length : 0;
        if (unsupportedLength + separator + length > unsupported.capacity())
        {
            return;
        }
        if (separator > 0)
        {
            unsupported.putBytes(unsupportedLength, COMMA);
        }
        unsupported.putBytes(unsupportedLength + separator, buffer, offset, length);
        unsupportedLength += separator + length;
    }

    private byte[] reasonBytes(final String text)
    {
        for (int i = 0; i < MAX_CACHED_REASONS; i++)
        {
            if (reasonKeys[i] == text)
            {
                return reasonBytes[i];
            }
            if (reasonKeys[i] == null)
            {
                reasonKeys[i] = text;
                reasonBytes[i] = text.getBytes(StandardCharsets.US_ASCII);
                return reasonBytes[i];
            }
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
