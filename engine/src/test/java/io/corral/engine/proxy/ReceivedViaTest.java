package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipMessageDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReceivedViaTest
{
    private static final int LOOPBACK = 0x7F000001;
    private static final int PUBLIC = 0xC0000207;

    private final SipMessageDecoder request = new SipMessageDecoder();
    private final ReceivedVia receivedVia = new ReceivedVia();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // baresip: rport last, sent from its sent-by.
        "SIP/2.0/UDP 127.0.0.1:25072;branch=z9hG4bKc3;rport | 127 | 25072 | " +
            "SIP/2.0/UDP 127.0.0.1:25072;branch=z9hG4bKc3;rport=25072;received=127.0.0.1",
        // linphone's ACK: rport before branch, behind a NAT.
        "SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK.x | 192 | 40000 | " +
            "SIP/2.0/UDP 10.0.0.5:5060;rport=40000;branch=z9hG4bK.x;received=192.0.2.7",
        // No rport asked for: received only when the sent-by host is not the source (RFC 3261 §18.2.1).
        "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1 | 192 | 5060 | " +
            "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;received=192.0.2.7",
        "SIP/2.0/TCP 192.0.2.7:5060;branch=z9hG4bK1 | 192 | 41000 | -",
        // A stale received is replaced, before or after the rport it comes with.
        "SIP/2.0/UDP h.example.com;received=10.1.1.1;rport;branch=b | 192 | 40000 | " +
            "SIP/2.0/UDP h.example.com;received=192.0.2.7;rport=40000;branch=b",
        "SIP/2.0/UDP h.example.com;rport;received=10.1.1.1 | 192 | 40000 | " +
            "SIP/2.0/UDP h.example.com;rport=40000;received=192.0.2.7",
        // An rport that already has a value is left alone.
        "SIP/2.0/UDP 10.0.0.5;rport=5070;branch=b | 192 | 40000 | " +
            "SIP/2.0/UDP 10.0.0.5;rport=5070;branch=b;received=192.0.2.7",
    })
    void shouldFillRportAndReceivedWhenTheRequestAsksOrCameFromElsewhere(
        final String topVia, final int sourceNet, final int sourcePort, final String expected)
    {
        final String message = "REGISTER sip:127.0.0.1 SIP/2.0\r\n" +
            "Via: " + topVia + "\r\n" +
            "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKnext\r\n" +
            "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:alice@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 REGISTER\r\n" +
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        final byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        assertEquals(SipMessageDecoder.OK, request.wrap(new UnsafeBuffer(bytes), 0, bytes.length), request.reason());
        final PeerAddress source = new PeerAddress().ipv4(sourceNet == 127 ? LOOPBACK : PUBLIC, sourcePort);

        final int length = receivedVia.fill(request, source);

        assertEquals(expected, length < 0 ? "-" : SipBytes.toString(receivedVia.buffer(), 0, length));
    }
}
