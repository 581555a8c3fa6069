package io.corral.jmh;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.transaction.TransactionLayer;
import io.corral.engine.sip.transaction.TransactionListener;
import io.corral.engine.sip.transaction.TransactionSettings;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * What the transaction benchmarks share: a layer whose sends succeed and whose events nobody needs, and decoded BYEs.
 */
final class TransactionFixture
{
    private static final TransactionListener IGNORED = new TransactionListener()
    {
        @Override
        public void onClientTimeout(final long txId)
        {
        }

        @Override
        public void onServerTimeout(final long txId)
        {
        }

        @Override
        public void onTransportError(final long txId)
        {
        }

        @Override
        public void onTerminated(final long txId)
        {
        }

        @Override
        public void onTimer(final long cookie)
        {
        }
    };

    private TransactionFixture()
    {
    }

    /**
     * @param settings of the layer.
     * @param nowMs    the clock at start.
     * @return a layer that sends nowhere and tells nobody.
     */
    static TransactionLayer layer(final TransactionSettings settings, final long nowMs)
    {
        return new TransactionLayer(
            settings, (remoteId, transport, connectionId, buffer, offset, length) -> true, IGNORED, nowMs);
    }

    /**
     * @param branch the Via branch after the magic cookie, also the Call-ID's local part.
     * @param i      the dialog's tag suffix.
     * @return a decoded BYE over its own direct buffer.
     */
    static SipMessageDecoder bye(final String branch, final int i)
    {
        final String bye = "BYE sip:bob@192.0.2.20:5060 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK" + branch + ";rport\r\n" +
            "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a" + i + "\r\n" +
            "To: <sip:bob@example.com>;tag=b" + i + "\r\nCall-ID: " + branch + "@192.0.2.10\r\n" +
            "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bye.length()));
        buffer.putStringWithoutLengthAscii(0, bye);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        if (decoder.wrap(buffer, 0, bye.length()) != SipMessageDecoder.OK)
        {
            throw new IllegalStateException(decoder.reason());
        }
        return decoder;
    }
}
