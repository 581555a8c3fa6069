package io.corral.jmh;

import io.corral.engine.sdp.SdpDecoder;
import io.corral.engine.sdp.SdpRewriter;
import io.corral.engine.sip.codec.SipMessageDecoder;
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
    private final SdpDecoder sdp = new SdpDecoder();
    private final SdpRewriter sdpRewriter = new SdpRewriter();
    private final UnsafeBuffer mediaAddress = new UnsafeBuffer(MEDIA_ADDRESS);

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
