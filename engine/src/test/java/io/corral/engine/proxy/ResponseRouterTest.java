package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.corral.engine.proxy.ProxyFixtures.decodeText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseRouterTest
{
    private static final String TAIL = "To: <sip:bob@192.0.2.20>;tag=8321234356\r\n" +
        "From: <sip:alice@192.0.2.10>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n";

    private final ResponseRouter router = new ResponseRouter(ProxyFixtures.context(), NextHopResolver.IP_LITERALS);
    private final SipMessageEditor editor = new SipMessageEditor();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);

    private static String branch(final int memberId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
        MemberIdCodec.writeBranch(buffer, 0, memberId, 0x12345678, 99);
        return buffer.getStringWithoutLengthAscii(0, MemberIdCodec.BRANCH_LENGTH);
    }

    private static String ourVia(final int memberId)
    {
        return "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch(memberId) + "\r\n";
    }

    private int route(final String response)
    {
        final SipMessageDecoder decoder = decodeText(response);
        editor.wrap(decoder);
        return router.route(decoder, editor);
    }

    private String target()
    {
        return router.target().address().toString();
    }

    @Test
    void shouldSendToReceivedAndRportWhenPresent()
    {
        assertEquals(ResponseRouter.FORWARD, route("SIP/2.0 180 Ringing\r\n" + ourVia(1) +
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5062;received=198.51.100.7\r\n" + TAIL));
        assertEquals("198.51.100.7:5062", target());
        final int length = editor.encode(out, 0);
        final SipMessageDecoder forwarded = ProxyFixtures.decodeBytes(out, length);
        assertEquals(SipMessageDecoder.OK, forwarded.result());
        assertEquals(1, forwarded.count(HeaderName.VIA));
        assertTrue(ProxyFixtures.header(forwarded, HeaderName.VIA).startsWith("SIP/2.0/UDP 192.0.2.10:5060"));
    }

    @Test
    void shouldSendToReceivedAndSentByPortWhenNoRport()
    {
        assertEquals(ResponseRouter.FORWARD, route("SIP/2.0 200 OK\r\n" + ourVia(1) +
            "Via: SIP/2.0/UDP pc33.example.com:5070;branch=z9hG4bK776asdhds;received=198.51.100.7\r\n" + TAIL));
        assertEquals("198.51.100.7:5070", target());
    }

    @Test
    void shouldSendToMaddrWhenPresent()
    {
        assertEquals(ResponseRouter.FORWARD, route("SIP/2.0 200 OK\r\n" + ourVia(1) +
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK776asdhds;maddr=239.1.1.1;ttl=1;received=198.51.100.7\r\n" +
            TAIL));
        assertEquals("239.1.1.1:5060", target());
    }

    @Test
    void shouldSendToSentByWhenNothingElse()
    {
        assertEquals(ResponseRouter.FORWARD, route("SIP/2.0 486 Busy Here\r\n" + ourVia(1) +
            "Via: SIP/2.0/UDP [2001:db8::9]:5080;branch=z9hG4bK776asdhds\r\n" + TAIL));
        assertEquals("[2001:db8::9]:5080", target());
        assertEquals(TransportProtocol.UDP, router.target().transport());
    }

    @Test
    void shouldLeaveHostNameUnresolvedWhenResolverHasNoAnswer()
    {
        assertEquals(ResponseRouter.FORWARD, route("SIP/2.0 486 Busy Here\r\n" + ourVia(1) +
            "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n" + TAIL));
        assertFalse(router.target().isResolved());
        assertEquals("pc33.example.com", ProxyFixtures.range(
            router.target().buffer(), router.target().hostOffset(), router.target().hostLength()));
    }

    @Test
    void shouldReplyOnConnectionWhenTransportIsReliable()
    {
        assertEquals(ResponseRouter.REPLY_ON_CONNECTION, route("SIP/2.0 180 Ringing\r\n" + ourVia(1) +
            "Via: SIP/2.0/TLS client.example.com;branch=z9hG4bK776asdhds;received=198.51.100.7;rport=40123\r\n" +
            TAIL));
        assertEquals("198.51.100.7:40123", target());
        assertEquals(TransportProtocol.TLS, router.target().transport());
    }

    @Test
    void shouldRelayToOwnerWhenTopViaIsAnotherMembers()
    {
        assertEquals(ResponseRouter.RELAY_TO_MEMBER, route("SIP/2.0 180 Ringing\r\n" + ourVia(42) +
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK776asdhds\r\n" + TAIL));
        assertEquals(42, router.memberId());
        assertEquals(0, editor.editCount());
    }

    @Test
    void shouldDropAndCountWhenTopViaIsNoMembers()
    {
        assertEquals(ResponseRouter.DROP, route("SIP/2.0 180 Ringing\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKforeign1\r\n" + TAIL));
        assertEquals(1, router.foreignCount());
    }

    @Test
    void shouldDropAndCountWhenResponseMalformed()
    {
        assertEquals(ResponseRouter.DROP, route("SIP/2.0 180 Ringing\r\n" + ourVia(1) +
            "To: <sip:bob@192.0.2.20>;tag=1\r\nFrom: <sip:alice@192.0.2.10>;tag=2\r\nCall-ID: x\r\n" +
            "Content-Length: 0\r\n\r\n"));
        assertEquals(ResponseRouter.DROP, route("SIP/2.0 99 Odd\r\n" + ourVia(1) + TAIL));
        assertEquals(2, router.malformedCount());
    }

    @Test
    void shouldReturnLocalWhenOurViaIsTheOnlyOne()
    {
        assertEquals(ResponseRouter.LOCAL, route("SIP/2.0 200 OK\r\n" + ourVia(1) + TAIL));
    }
}
