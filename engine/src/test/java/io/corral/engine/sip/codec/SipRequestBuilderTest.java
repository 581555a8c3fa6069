package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.corral.engine.sip.codec.SipMessageDecoder.OK;
import static io.corral.engine.sip.codec.SipMessageEditorTest.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SipRequestBuilderTest
{
    private static final String INVITE =
        "INVITE sip:bob@192.0.2.4;transport=udp SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnashds8, SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa\r\n" +
        "Via: SIP/2.0/UDP pc34.example.com;branch=z9hG4bKb\r\n" +
        "Max-Forwards: 69\r\n" +
        "Route: <sip:p2.example.com;lr>,\r\n <sip:p3.example.com;lr>\r\n" +
        "To: Bob <sip:bob@example.com>\r\n" +
        "From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Route: <sip:p4.example.com;lr>\r\n" +
        "Contact: <sip:alice@pc33.example.com>\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 4\r\n" +
        "\r\n" +
        "body";
    private static final String BUSY =
        "SIP/2.0 486 Busy Here\r\n" +
        "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnashds8, SIP/2.0/UDP pc33.example.com;branch=z9hG4bKa\r\n" +
        "Via: SIP/2.0/UDP pc34.example.com;branch=z9hG4bKb\r\n" +
        "To: Bob <sip:bob@example.com>;tag=8321234356\r\n" +
        "From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";
    private static final String FROM_LINE =
        "From: Alice <sip:alice@example.com>;tag=1928301774\r\n";

    private final SipMessageDecoder invite = new SipMessageDecoder();
    private final SipMessageDecoder response = new SipMessageDecoder();
    private final SipMessageDecoder built = new SipMessageDecoder();
    private final SipRequestBuilder builder = new SipRequestBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldBuildCancelWithTopViaRoutesAndCSeqNumberWhenInviteIsPending()
    {
        decode(invite, INVITE);

        final int length = builder.buildCancel(invite, out, 0);

        assertEquals(
            "CANCEL sip:bob@192.0.2.4;transport=udp SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnashds8\r\n" +
            "Route: <sip:p2.example.com;lr>,\r\n <sip:p3.example.com;lr>\r\n" +
            "Route: <sip:p4.example.com;lr>\r\n" +
            "Max-Forwards: 70\r\n" +
            FROM_LINE +
            "To: Bob <sip:bob@example.com>\r\n" +
            "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
            "CSeq: 314159 CANCEL\r\n" +
            "Content-Length: 0\r\n" +
            "\r\n", SipBytes.toString(out, 0, length));
        assertEquals(OK, built.wrap(out, 0, length), built.reason());
        assertEquals(SipMethod.CANCEL, built.method());
        assertEquals(SipMethod.CANCEL, built.cseqMethod());
        assertEquals(invite.cseqNumber(), built.cseqNumber());
        assertEquals(1, built.count(HeaderName.VIA));
        assertEquals(3, built.count(HeaderName.ROUTE));
        assertEquals(70, built.maxForwards());
        assertEquals(0, built.bodyLength());
    }

    @Test
    void shouldBuildAckWithToFromResponseAndTopViaOnlyWhenFinalResponseIsNon2xx()
    {
        decode(invite, INVITE);
        decode(response, BUSY);

        final int length = builder.buildAck(invite, response, out, 0);

        assertEquals(
            "ACK sip:bob@192.0.2.4;transport=udp SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnashds8\r\n" +
            "Route: <sip:p2.example.com;lr>,\r\n <sip:p3.example.com;lr>\r\n" +
            "Route: <sip:p4.example.com;lr>\r\n" +
            "Max-Forwards: 70\r\n" +
            FROM_LINE +
            "To: Bob <sip:bob@example.com>;tag=8321234356\r\n" +
            "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
            "CSeq: 314159 ACK\r\n" +
            "Content-Length: 0\r\n" +
            "\r\n", SipBytes.toString(out, 0, length));
        assertEquals(OK, built.wrap(out, 0, length), built.reason());
        assertEquals(SipMethod.ACK, built.method());
        assertEquals(1, built.count(HeaderName.VIA));
    }

    @Test
    void shouldRefuseAckWhenResponseIsProvisionalOrSuccess()
    {
        decode(invite, INVITE);
        decode(response, BUSY.replace("486 Busy Here", "200 OK"));
        assertEquals(-1, builder.buildAck(invite, response, out, 0));

        decode(response, BUSY.replace("486 Busy Here", "180 Ringing"));
        assertEquals(-1, builder.buildAck(invite, response, out, 0));
    }

    @Test
    void shouldRefuseCancelWhenRequestIsNotInvite()
    {
        decode(invite, INVITE.replace("INVITE", "OPTIONS"));

        assertEquals(-1, builder.buildCancel(invite, out, 0));
        assertEquals(-1, builder.buildAck(invite, invite, out, 0));
    }

    @Test
    void shouldReturnMinusOneWhenDestinationIsTooSmall()
    {
        decode(invite, INVITE);
        final int length = builder.buildCancel(invite, out, 0);

        assertEquals(-1, builder.buildCancel(invite, new UnsafeBuffer(new byte[length - 1]), 0));
        assertEquals(length, builder.buildCancel(invite, new UnsafeBuffer(new byte[length]), 0));
    }

    @Test
    void shouldBuildCancelForEveryInviteFixtureWhenDecoded() throws IOException
    {
        for (final String path : new String[]{
            "/sip/ua/linphone-invite.sip", "/sip/ua/kamailio-forwarded-invite.sip", "/sip/torture/valid/wsinv.sip"})
        {
            final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
            assertEquals(OK, invite.wrap(buffer, 0, buffer.capacity()));

            final int length = builder.buildCancel(invite, out, 0);

            assertEquals(OK, built.wrap(out, 0, length), path + ": " + built.reason());
            assertEquals(SipMethod.CANCEL, built.cseqMethod(), path);
            assertEquals(invite.cseqNumber(), built.cseqNumber(), path);
            final int via = invite.firstIndexOf(HeaderName.VIA);
            assertEquals(SipBytes.toString(buffer, invite.valueOffset(via), invite.valueLength(via)),
                SipBytes.toString(out, built.valueOffset(0), built.valueLength(0)), path);
            assertEquals(SipBytes.toString(buffer, invite.callIdOffset(), invite.callIdLength()),
                SipBytes.toString(out, built.callIdOffset(), built.callIdLength()), path);
        }
    }

    @Test
    void shouldBuildOptionsProbeWhenAllFieldsAreSet()
    {
        final OptionsProbe probe = new OptionsProbe();
        final TagGenerator tags = new TagGenerator(42);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        assertFalse(probe.isComplete());
        assertEquals(-1, builder.buildOptions(probe, out, 0));

        assertTrue(probe.requestUri(ascii("sip:192.0.2.9:5060"), 0, 18));
        assertTrue(probe.sentBy(ascii("192.0.2.1:5060"), 0, 14));
        assertTrue(probe.transport(TransportProtocol.TCP));
        assertTrue(probe.branch(scratch, 0, tags.writeBranch(scratch, 0)));
        assertTrue(probe.fromUri(ascii("sip:ping@192.0.2.1"), 0, 18));
        assertTrue(probe.fromTag(ascii("ft1"), 0, 3));
        assertTrue(probe.toUri(ascii("sip:192.0.2.9"), 0, 13));
        assertTrue(probe.callId(ascii("probe-1@192.0.2.1"), 0, 17));
        assertTrue(probe.cseq(7));
        assertFalse(probe.transport(TransportProtocol.OTHER));
        assertFalse(probe.cseq(-1));
        assertFalse(probe.callId(ascii("x"), 0, 0));
        final String branch = SipBytes.toString(scratch, 0, TagGenerator.BRANCH_LENGTH);

        final int length = builder.buildOptions(probe, out, 0);

        assertEquals(
            "OPTIONS sip:192.0.2.9:5060 SIP/2.0\r\n" +
            "Via: SIP/2.0/TCP 192.0.2.1:5060;branch=" + branch + "\r\n" +
            "Max-Forwards: 70\r\n" +
            "To: <sip:192.0.2.9>\r\n" +
            "From: <sip:ping@192.0.2.1>;tag=ft1\r\n" +
            "Call-ID: probe-1@192.0.2.1\r\n" +
            "CSeq: 7 OPTIONS\r\n" +
            "Accept: application/sdp\r\n" +
            "Content-Length: 0\r\n" +
            "\r\n", SipBytes.toString(out, 0, length));
        assertEquals(OK, built.wrap(out, 0, length), built.reason());
        assertEquals(SipMethod.OPTIONS, built.method());
        assertEquals(70, built.maxForwards());
    }

    private static void decode(final SipMessageDecoder decoder, final String message)
    {
        assertEquals(OK, decoder.wrap(ascii(message), 0, message.length()), decoder.reason());
    }
}
