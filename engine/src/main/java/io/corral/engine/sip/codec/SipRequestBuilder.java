package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds the requests a member originates on its own: CANCEL (RFC 3261 §9.1, §16.10), the ACK for a non-2xx final
 * response (§17.1.1.3) and OPTIONS probes. Copied header lines keep their bytes; generated ones use full header
 * names. Nothing is allocated; a request that cannot be built or does not fit returns -1. One instance per agent;
 * not thread-safe.
 */
public final class SipRequestBuilder
{
    /** Max-Forwards of the requests built here (RFC 3261 §8.1.1.6). */
    public static final int MAX_FORWARDS = 70;

    static final byte[] SIP_VERSION_LINE_END = " SIP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SIP_VERSION_SLASH = "SIP/2.0/".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BRANCH_PARAMETER = ";branch=".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TAG_PARAMETER = ";tag=".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MAX_FORWARDS_LINE =
        ("Max-Forwards: " + MAX_FORWARDS + "\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACCEPT_SDP_LINE = "Accept: application/sdp\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH_ZERO =
        "Content-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SipAsciiWriter writer = new SipAsciiWriter();

    /**
     * Build the CANCEL for a pending INVITE this member sent (RFC 3261 §9.1): same Request-URI, Call-ID, To, From
     * and CSeq number, method CANCEL, a single Via equal to the INVITE's top Via, the INVITE's Route lines,
     * Max-Forwards 70 and no body.
     *
     * @param invite    the INVITE as sent, decoded.
     * @param dst       to write into.
     * @param dstOffset of the first byte.
     * @return the request length, or -1 if {@code invite} is not a well-formed INVITE or the CANCEL does not fit.
     */
    public int buildCancel(final SipMessageDecoder invite, final MutableDirectBuffer dst, final int dstOffset)
    {
        if (!isInvite(invite))
        {
            return -1;
        }
        return buildFromInvite(invite, SipMethod.CANCEL, invite, dst, dstOffset);
    }

    /**
     * Build the ACK for a non-2xx final response to an INVITE this member sent (RFC 3261 §17.1.1.3): the INVITE's
     * Request-URI, its top Via only, its From, Call-ID and CSeq number with method ACK, its Route lines, and the
     * To of the response (with the tag the response added).
     *
     * @param invite    the INVITE as sent, decoded.
     * @param response  the 300–699 response to it, decoded.
     * @param dst       to write into.
     * @param dstOffset of the first byte.
     * @return the request length, or -1 if the messages do not qualify or the ACK does not fit.
     */
    public int buildAck(
        final SipMessageDecoder invite,
        final SipMessageDecoder response,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        if (!isInvite(invite) || response.result() != SipMessageDecoder.OK || response.isRequest() ||
            response.statusCode() < 300)
        {
            return -1;
        }
        return buildFromInvite(invite, SipMethod.ACK, response, dst, dstOffset);
    }

    /**
     * Build an OPTIONS probe: {@code Max-Forwards: 70}, {@code Accept: application/sdp}, no body.
     *
     * @param probe     the fields, all set ({@link OptionsProbe#isComplete()}).
     * @param dst       to write into.
     * @param dstOffset of the first byte.
     * @return the request length, or -1 if a field is missing or the request does not fit.
     */
    public int buildOptions(final OptionsProbe probe, final MutableDirectBuffer dst, final int dstOffset)
    {
        if (!probe.isComplete())
        {
            return -1;
        }
        final SipAsciiWriter writer = this.writer.wrap(dst, dstOffset, dst.capacity());
        probe.write(writer);
        writer.put(ACCEPT_SDP_LINE).put(CONTENT_LENGTH_ZERO);
        return writer.length();
    }

    private static boolean isInvite(final SipMessageDecoder invite)
    {
        return invite.result() == SipMessageDecoder.OK && invite.isRequest() && invite.method() == SipMethod.INVITE;
    }

    private int buildFromInvite(
        final SipMessageDecoder invite,
        final int method,
        final SipMessageDecoder toSource,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        final DirectBuffer buffer = invite.buffer();
        final byte[] methodName = SipMethod.name(method);
        final SipAsciiWriter writer = this.writer.wrap(dst, dstOffset, dst.capacity());
        writer.put(methodName).put((byte)' ').put(buffer, invite.requestUriOffset(), invite.requestUriLength())
            .put(SIP_VERSION_LINE_END);
        final int via = invite.firstIndexOf(HeaderName.VIA);
        writer.name(HeaderName.name(HeaderName.VIA)).put(buffer, invite.valueOffset(via), invite.valueLength(via))
            .crlf();
        for (int i = invite.firstIndexOf(HeaderName.ROUTE); i >= 0; i = invite.nextIndexOf(HeaderName.ROUTE, i))
        {
            if (invite.lineValueIndex(i) == 0)
            {
                copyLine(invite, i);
            }
        }
        writer.put(MAX_FORWARDS_LINE);
        copyLine(invite, invite.firstIndexOf(HeaderName.FROM));
        copyLine(toSource, toSource.firstIndexOf(HeaderName.TO));
        copyLine(invite, invite.firstIndexOf(HeaderName.CALL_ID));
        writer.name(HeaderName.name(HeaderName.CSEQ)).putNatural(invite.cseqNumber()).put((byte)' ').put(methodName)
            .crlf().put(CONTENT_LENGTH_ZERO);
        return writer.length();
    }

    private void copyLine(final SipMessageDecoder message, final int index)
    {
        final int start = message.lineOffset(index);
        writer.putLine(message.buffer(), start, start + message.lineLength(index));
    }
}
