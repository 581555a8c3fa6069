package io.corral.jmh;

import io.pkts.buffer.Buffer;
import io.pkts.buffer.Buffers;
import io.pkts.packet.sip.SipMessage;
import io.pkts.packet.sip.SipRequest;
import io.pkts.packet.sip.header.CSeqHeader;
import io.pkts.packet.sip.header.MaxForwardsHeader;
import io.pkts.packet.sip.header.RecordRouteHeader;
import io.pkts.packet.sip.header.ViaHeader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * pkts-sip ({@code io.pkts:pkts-sip}) doing each benchmarked operation its idiomatic way: {@code SipMessage.frame}
 * wraps the bytes and frames the headers, each typed header is parsed lazily when asked for, and forwarding goes
 * through the immutable message's {@code copy()} builder and {@code toBuffer()}. pkts has no SDP editing API (its
 * {@code pkts-sdp} only reads, by delegating to JAIN-SIP's {@code javax.sdp}), so the SDP rewrite walks the body's
 * lines with the pkts {@link Buffer} API and writes a new body buffer.
 */
public final class PktsCodec
{
    private static final Consumer<MaxForwardsHeader.Builder> DECREMENT = MaxForwardsHeader.Builder::decrement;
    private static final byte[] CONNECTION_ADDRESS = InviteFixture.MEDIA_ADDRESS.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RTCP_ATTRIBUTE = "a=rtcp:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = { '\r', '\n' };

    private final RecordRouteHeader recordRoute;

    /**
     * Build a codec; the proxy's own Record-Route header is framed once (pkts headers are immutable values).
     */
    public PktsCodec()
    {
        recordRoute = RecordRouteHeader.frame(Buffers.wrap(InviteFixture.RECORD_ROUTE));
    }

    /**
     * Frame a request and read what a proxy reads on every request.
     *
     * @param message the received bytes.
     * @param sink    receives the fields.
     * @return the framed request.
     * @throws IOException if pkts fails to read the message.
     */
    public SipRequest decode(final byte[] message, final FieldSink sink) throws IOException
    {
        final SipRequest request = SipMessage.frame(message).toRequest();
        sink.onObject(FieldSink.METHOD, request.getMethod());
        sink.onObject(FieldSink.REQUEST_URI, request.getRequestUri());
        sink.onObject(FieldSink.VIA_BRANCH, request.getViaHeader().getBranch());
        sink.onObject(FieldSink.CALL_ID, request.getCallIDHeader().getCallId());
        final CSeqHeader cseq = request.getCSeqHeader();
        sink.onNumber(FieldSink.CSEQ_NUMBER, cseq.getSeqNumber());
        sink.onObject(FieldSink.CSEQ_METHOD, cseq.getMethod());
        sink.onObject(FieldSink.FROM_TAG, request.getFromHeader().getTag());
        sink.onObject(FieldSink.TO_TAG, request.getToHeader().getTag());
        sink.onNumber(FieldSink.MAX_FORWARDS, request.getMaxForwards().getMaxForwards());
        sink.onNumber(FieldSink.CONTENT_LENGTH, request.getContentLength());
        return request;
    }

    /**
     * Decode, then forward: push this proxy's Via, decrement Max-Forwards, add its Record-Route, encode.
     *
     * @param message the received bytes.
     * @param sink    receives the decoded fields.
     * @return the bytes to send.
     * @throws IOException if pkts fails to read the message.
     */
    public Buffer forward(final byte[] message, final FieldSink sink) throws IOException
    {
        final SipRequest request = decode(message, sink);
        final ViaHeader via = ViaHeader.withHost(InviteFixture.PROXY_HOST)
            .withPort(InviteFixture.PROXY_PORT)
            .withTransportUDP()
            .withBranch(InviteFixture.PROXY_BRANCH)
            .build();
        return request.copy()
            .withTopMostViaHeader(via)
            .onMaxForwardsHeader(DECREMENT)
            .withRecordRouteHeader(recordRoute)
            .build()
            .toBuffer();
    }

    /**
     * Frame the request, point the SDP's {@code c=} address and {@code m=} port (and its {@code a=rtcp} port) at
     * the media relay.
     *
     * @param message the received bytes.
     * @return the rewritten SDP body.
     * @throws IOException if pkts fails to read the message.
     */
    public Buffer rewriteSdp(final byte[] message) throws IOException
    {
        final Buffer body = SipMessage.frame(message).getContent();
        final Buffer out = Buffers.createBuffer(body.getReadableBytes() + CONNECTION_ADDRESS.length);
        while (body.hasReadableBytes())
        {
            final Buffer line = body.readLine();
            final byte type = line.getByte(0);
            if ('c' == type)
            {
                // "c=<nettype> <addrtype> <address>": keep the types, replace the address.
                line.readUntil((byte)' ').getBytes(out);
                out.write((byte)' ');
                line.readUntil((byte)' ').getBytes(out);
                out.write((byte)' ');
                out.write(CONNECTION_ADDRESS);
            }
            else if ('m' == type)
            {
                // "m=<media> <port> <proto> <fmt>...": replace the port.
                line.readUntil((byte)' ').getBytes(out);
                out.write((byte)' ');
                line.readUntil((byte)' ');
                out.writeAsString(InviteFixture.MEDIA_PORT);
                out.write((byte)' ');
                line.getBytes(out);
            }
            else if ('a' == type && startsWith(line, RTCP_ATTRIBUTE))
            {
                // "a=rtcp:<port>[ <address>]" follows the media port (RFC 3605).
                line.readUntil((byte)':').getBytes(out);
                out.write((byte)':');
                out.writeAsString(InviteFixture.MEDIA_PORT + 1);
                while (line.hasReadableBytes() && Character.isDigit(line.peekByte()))
                {
                    line.readByte();
                }
                line.getBytes(out);
            }
            else
            {
                line.getBytes(out);
            }
            out.write(CRLF);
        }
        return out;
    }

    private static boolean startsWith(final Buffer line, final byte[] prefix) throws IOException
    {
        if (line.getReadableBytes() < prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (line.getByte(i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }
}
