package io.corral.jmh;

import io.corral.engine.sdp.SdpDecoder;
import io.corral.engine.sdp.SdpRewriter;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Corral's codec doing each benchmarked operation as the engine does it: reusable flyweights index the received
 * buffer in place and edits are written into a caller's buffer by copying unchanged ranges. Nothing here allocates
 * per message.
 */
public final class CorralCodec
{
    private static final byte[] VIA_PREFIX = "SIP/2.0/UDP ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROXY_HOST = InviteFixture.PROXY_HOST.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BRANCH_PARAMETER = ";branch=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROXY_BRANCH = InviteFixture.PROXY_BRANCH.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD_ROUTE = InviteFixture.RECORD_ROUTE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEDIA_ADDRESS = InviteFixture.MEDIA_ADDRESS.getBytes(StandardCharsets.US_ASCII);

    private final SipMessageDecoder message = new SipMessageDecoder();
    private final SipMessageEditor editor = new SipMessageEditor();
    private final UnsafeBuffer via = new UnsafeBuffer(new byte[128]);
    private final UnsafeBuffer recordRoute = new UnsafeBuffer(RECORD_ROUTE);
    private final SdpDecoder sdp = new SdpDecoder();
    private final SdpRewriter sdpRewriter = new SdpRewriter();
    private final UnsafeBuffer mediaAddress = new UnsafeBuffer(MEDIA_ADDRESS);

    /**
     * Index a request and decode what a proxy reads on every request: the hot headers come from the message index,
     * the Request-URI, top Via, From and To from the typed flyweights the message decoder validated them with.
     *
     * @param buffer holding the received datagram.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @param sink   receives the fields.
     * @return true if the message and the decoded headers are well formed.
     */
    public boolean decode(final DirectBuffer buffer, final int offset, final int length, final FieldSink sink)
    {
        final SipMessageDecoder message = this.message;
        if (SipMessageDecoder.OK != message.wrap(buffer, offset, length) || !message.isRequest())
        {
            return false;
        }
        // wrap() validated these values with the typed decoders and keeps them wrapped: nothing is decoded twice.
        final SipUriDecoder requestUri = message.requestUri();
        final ViaDecoder topVia = message.topVia();
        final NameAddrDecoder from = message.from();
        final NameAddrDecoder to = message.to();
        sink.onRange(FieldSink.METHOD, buffer, message.methodOffset(), message.methodLength());
        sink.onRange(FieldSink.REQUEST_URI, buffer, requestUri.offset(), requestUri.length());
        final int branchLength = topVia.hasBranch() ? topVia.branchLength() : -1;
        sink.onRange(FieldSink.VIA_BRANCH, buffer, topVia.branchOffset(), branchLength);
        sink.onRange(FieldSink.CALL_ID, buffer, message.callIdOffset(), message.callIdLength());
        sink.onNumber(FieldSink.CSEQ_NUMBER, message.cseqNumber());
        sink.onRange(FieldSink.CSEQ_METHOD, buffer, message.cseqMethodOffset(), message.cseqMethodLength());
        sink.onRange(FieldSink.FROM_TAG, buffer, from.tagOffset(), from.hasTag() ? from.tagLength() : -1);
        sink.onRange(FieldSink.TO_TAG, buffer, to.tagOffset(), to.hasTag() ? to.tagLength() : -1);
        sink.onNumber(FieldSink.MAX_FORWARDS, message.maxForwards());
        sink.onNumber(FieldSink.CONTENT_LENGTH, message.contentLength());
        return true;
    }

    /**
     * Decode, then forward: push this proxy's Via, decrement Max-Forwards, add its Record-Route, and encode by
     * copying the unchanged ranges of the received message around the edits.
     *
     * @param buffer      holding the received datagram.
     * @param offset      of the datagram.
     * @param length      of the datagram.
     * @param sink        receives the decoded fields.
     * @param destination receives the message to send from offset 0.
     * @return the length of the message to send, or -1 if it is malformed, must not be forwarded or does not fit.
     */
    public int forward(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final FieldSink sink,
        final MutableDirectBuffer destination)
    {
        if (!decode(buffer, offset, length, sink))
        {
            return -1;
        }
        // The Via value is written per message, as a proxy writes its per-transaction branch.
        int viaLength = 0;
        via.putBytes(viaLength, VIA_PREFIX);
        viaLength += VIA_PREFIX.length;
        via.putBytes(viaLength, PROXY_HOST);
        viaLength += PROXY_HOST.length;
        via.putByte(viaLength++, (byte)':');
        viaLength += via.putIntAscii(viaLength, InviteFixture.PROXY_PORT);
        via.putBytes(viaLength, BRANCH_PARAMETER);
        viaLength += BRANCH_PARAMETER.length;
        via.putBytes(viaLength, PROXY_BRANCH);
        viaLength += PROXY_BRANCH.length;

        final SipMessageEditor editor = this.editor;
        if (!editor.wrap(message) ||
            !editor.pushVia(via, 0, viaLength) ||
            !editor.decrementMaxForwards() ||
            !editor.addRecordRoute(recordRoute, 0, RECORD_ROUTE.length))
        {
            return -1;
        }
        return editor.encode(destination, 0);
    }

    /**
     * Index the request and its SDP, point the {@code c=} address and the first {@code m=} port (and its
     * {@code a=rtcp} port) at the media relay.
     *
     * @param buffer      holding the received datagram.
     * @param offset      of the datagram.
     * @param length      of the datagram.
     * @param destination receives the rewritten SDP body from offset 0.
     * @return the length of the rewritten body, or -1 if the message or its SDP is malformed or does not fit.
     */
    public int rewriteSdp(
        final DirectBuffer buffer, final int offset, final int length, final MutableDirectBuffer destination)
    {
        if (SipMessageDecoder.OK != message.wrap(buffer, offset, length) ||
            !sdp.wrap(buffer, message.bodyOffset(), message.bodyLength()))
        {
            return -1;
        }
        return sdpRewriter.reset(sdp)
            .address(SdpDecoder.ADDRESS_TYPE_IP4, mediaAddress, 0, MEDIA_ADDRESS.length)
            .mediaPort(0, InviteFixture.MEDIA_PORT)
            .write(destination, 0, destination.capacity());
    }
}
