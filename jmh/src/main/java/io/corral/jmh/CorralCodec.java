package io.corral.jmh;

import io.corral.engine.sdp.SdpDecoder;
import io.corral.engine.sdp.SdpRewriter;
import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
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
    private static final byte[] MEDIA_ADDRESS = InviteFixture.MEDIA_ADDRESS.getBytes(StandardCharsets.US_ASCII);

    private final SipMessageDecoder message = new SipMessageDecoder();
    private final SipUriDecoder requestUri = new SipUriDecoder();
    private final ViaDecoder via = new ViaDecoder();
    private final NameAddrDecoder from = new NameAddrDecoder();
    private final NameAddrDecoder to = new NameAddrDecoder();
    private final SdpDecoder sdp = new SdpDecoder();
    private final SdpRewriter sdpRewriter = new SdpRewriter();
    private final UnsafeBuffer mediaAddress = new UnsafeBuffer(MEDIA_ADDRESS);

    /**
     * Index a request and decode what a proxy reads on every request: the hot headers come from the message index,
     * the Request-URI, top Via, From and To are decoded by their typed flyweights.
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
        final int viaIndex = message.firstIndexOf(HeaderName.VIA);
        final int fromIndex = message.firstIndexOf(HeaderName.FROM);
        final int toIndex = message.firstIndexOf(HeaderName.TO);
        if (!requestUri.wrap(buffer, message.requestUriOffset(), message.requestUriLength()) ||
            !via.wrap(buffer, message.valueOffset(viaIndex), message.valueLength(viaIndex)) ||
            !from.wrap(buffer, message.valueOffset(fromIndex), message.valueLength(fromIndex)) ||
            !to.wrap(buffer, message.valueOffset(toIndex), message.valueLength(toIndex)))
        {
            return false;
        }
        sink.onRange(FieldSink.METHOD, buffer, message.methodOffset(), message.methodLength());
        sink.onRange(FieldSink.REQUEST_URI, buffer, requestUri.offset(), requestUri.length());
        sink.onRange(FieldSink.VIA_BRANCH, buffer, via.branchOffset(), via.hasBranch() ? via.branchLength() : -1);
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
