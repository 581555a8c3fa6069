package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.corral.engine.proxy.ProxyFixtures.TRUSTED_SOURCE;
import static io.corral.engine.proxy.ProxyFixtures.UNTRUSTED_SOURCE;
import static io.corral.engine.proxy.ProxyFixtures.decode;
import static io.corral.engine.proxy.ProxyFixtures.decodeBytes;
import static io.corral.engine.proxy.ProxyFixtures.header;
import static io.corral.engine.proxy.ProxyFixtures.requestUri;
import static io.corral.engine.proxy.ProxyFixtures.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyCoreTest
{
    private final ProxyCore core = new ProxyCore(ProxyFixtures.context(), NextHopResolver.IP_LITERALS, 11);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);

    private SipMessageDecoder forward(final SipMessageDecoder request, final PeerAddress source)
    {
        final int verdict = core.onRequest(request, source, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0);
        assertEquals(ProxyCore.FORWARD, verdict, () -> "status " + core.status());
        final SipMessageDecoder forwarded = decodeBytes(out, core.length());
        assertEquals(SipMessageDecoder.OK, forwarded.result(), forwarded.reason());
        return forwarded;
    }

    private SipMessageDecoder forward(final String fixture)
    {
        return forward(decode(fixture), TRUSTED_SOURCE);
    }

    private String nextHop()
    {
        final NextHop hop = core.nextHop();
        return hop.address() + "/" + hop.transport();
    }

    @Test
    void shouldEditRequestWhenForwarding()
    {
        final SipMessageDecoder forwarded = forward("invite.sip");
        assertEquals("sip:bob@192.0.2.20", requestUri(forwarded));
        assertEquals(69, forwarded.maxForwards());
        assertEquals("<sip:127.0.0.1:5060;lr;cm=1>", values(forwarded, HeaderName.RECORD_ROUTE));
        final int top = forwarded.firstIndexOf(HeaderName.VIA);
        final ViaDecoder via = new ViaDecoder();
        assertTrue(via.wrap(forwarded.buffer(), forwarded.valueOffset(top), forwarded.valueLength(top)));
        assertEquals("127.0.0.1", ProxyFixtures.range(forwarded.buffer(), via.hostOffset(), via.hostLength()));
        assertEquals(5060, via.port());
        assertEquals(1, MemberIdCodec.memberIdOfBranch(forwarded.buffer(), via.branchOffset(), via.branchLength()));
        assertEquals(ProxyFixtures.range(core.branch(), 0, MemberIdCodec.BRANCH_LENGTH),
            ProxyFixtures.range(forwarded.buffer(), via.branchOffset(), via.branchLength()));
        final int second = forwarded.nextIndexOf(HeaderName.VIA, top);
        assertEquals("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5062;received=127.0.0.1",
            ProxyFixtures.range(forwarded.buffer(), forwarded.valueOffset(second), forwarded.valueLength(second)));
        assertEquals("192.0.2.20:5060/" + TransportProtocol.UDP, nextHop());
    }

    @Test
    void shouldNameTheAgentsOwnPortForUdpNextHopsButTheSharedPortForRegisteredContactsAndTcp()
    {
        final ProxyCore agent = new ProxyCore(ProxyFixtures.context().withAgentPorts(5100, 2),
            new Interfaces(new String[] {"127.0.0.1"}, new int[] {5060}, 5101), NextHopResolver.IP_LITERALS, 7);
        final PeerAddress destination = new PeerAddress().ipv4(0xC000021E, 5070);

        assertEquals(ProxyCore.FORWARD, agent.onRequest(decode("invite.sip"), TRUSTED_SOURCE, TransportProtocol.UDP,
            ForwardingEditor.STATEFUL, out, 0));
        SipMessageDecoder forwarded = decodeBytes(out, agent.length());
        assertEquals("<sip:127.0.0.1:5101;lr;cm=1>", values(forwarded, HeaderName.RECORD_ROUTE));
        assertEquals(5101, topViaPort(forwarded));
        assertTrue(agent.leavesFromAgentSocket());

        final UnsafeBuffer contact = ProxyFixtures.buffer("sip:bob@192.0.2.30:5070");
        assertEquals(ProxyCore.FORWARD, agent.forwardTo(decode("invite.sip"), TRUSTED_SOURCE, TransportProtocol.UDP, 0,
            contact, 0, contact.capacity(), destination, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        forwarded = decodeBytes(out, agent.length());
        assertEquals("<sip:127.0.0.1:5060;lr;cm=1>", values(forwarded, HeaderName.RECORD_ROUTE),
            "a registered contact may be behind a NAT open only to the shared port");
        assertEquals(5060, topViaPort(forwarded));
        assertFalse(agent.leavesFromAgentSocket());

        assertEquals(ProxyCore.FORWARD, agent.forwardTo(decode("invite.sip"), TRUSTED_SOURCE, TransportProtocol.UDP, 0,
            null, 0, 0, destination, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        assertEquals(5101, topViaPort(decodeBytes(out, agent.length())), "a backend: the agent's port");
        assertTrue(agent.leavesFromAgentSocket());

        assertEquals(ProxyCore.FORWARD, agent.forwardTo(decode("invite.sip"), TRUSTED_SOURCE, TransportProtocol.UDP, 0,
            null, 0, 0, destination, TransportProtocol.TCP, ForwardingEditor.STATEFUL, out, 0));
        assertEquals(5060, topViaPort(decodeBytes(out, agent.length())), "TCP has no per-agent port");
        assertFalse(agent.leavesFromAgentSocket());
    }

    private static int topViaPort(final SipMessageDecoder message)
    {
        final int top = message.firstIndexOf(HeaderName.VIA);
        final ViaDecoder via = new ViaDecoder();
        assertTrue(via.wrap(message.buffer(), message.valueOffset(top), message.valueLength(top)));
        return via.port();
    }

    @Test
    void shouldGiveEachForwardItsOwnBranchWhenStateful()
    {
        forward("invite.sip");
        final String first = ProxyFixtures.range(core.branch(), 0, MemberIdCodec.BRANCH_LENGTH);
        forward("invite.sip");
        assertNotEquals(first, ProxyFixtures.range(core.branch(), 0, MemberIdCodec.BRANCH_LENGTH));
    }

    @Test
    void shouldGiveRetransmissionsTheSameBranchWhenStateless()
    {
        final String[] branches = new String[2];
        for (int i = 0; i < 2; i++)
        {
            assertEquals(ProxyCore.FORWARD, core.onRequest(decode("cancel.sip"), TRUSTED_SOURCE, TransportProtocol.UDP,
                ForwardingEditor.STATELESS, out, 0));
            branches[i] = ProxyFixtures.range(core.branch(), 0, MemberIdCodec.BRANCH_LENGTH);
        }
        assertEquals(branches[0], branches[1]);
        final SipMessageDecoder cancel = decodeBytes(out, core.length());
        assertEquals(0, cancel.count(HeaderName.RECORD_ROUTE));
    }

    @Test
    void shouldRouteAckForTwoHundredStatelesslyAlongRouteSetWhenSourceUntrusted()
    {
        final String ack = "ACK sip:bob@192.0.2.20:5070 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bKack2xx1;rport\r\n" +
            "Max-Forwards: 70\r\nRoute: <sip:127.0.0.1:5060;lr;cm=1>, <sip:192.0.2.30;lr>\r\n" +
            "To: <sip:bob@192.0.2.20>;tag=8321234356\r\nFrom: <sip:alice@192.0.2.10>;tag=1928301774\r\n" +
            "Call-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 314159 ACK\r\nContent-Length: 0\r\n\r\n";
        final String[] branches = new String[2];
        for (int i = 0; i < 2; i++)
        {
            assertEquals(ProxyCore.FORWARD, core.onRequest(ProxyFixtures.decodeText(ack), UNTRUSTED_SOURCE,
                TransportProtocol.UDP, ForwardingEditor.STATELESS, out, 0));
            branches[i] = ProxyFixtures.range(core.branch(), 0, MemberIdCodec.BRANCH_LENGTH);
        }
        assertEquals(branches[0], branches[1]);
        final SipMessageDecoder forwarded = decodeBytes(out, core.length());
        assertEquals("sip:bob@192.0.2.20:5070", requestUri(forwarded));
        assertEquals("<sip:192.0.2.30;lr>", values(forwarded, HeaderName.ROUTE));
        assertEquals(0, forwarded.count(HeaderName.RECORD_ROUTE));
        assertEquals(69, forwarded.maxForwards());
        final String bye = ack.replace("ACK sip:", "BYE sip:").replace("CSeq: 314159 ACK", "CSeq: 314160 BYE");
        assertEquals(ProxyCore.FORWARD, core.onRequest(ProxyFixtures.decodeText(bye), UNTRUSTED_SOURCE,
            TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        assertEquals(0, decodeBytes(out, core.length()).count(HeaderName.RECORD_ROUTE), "in-dialog: no Record-Route");
        assertEquals("SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bKack2xx1;rport=5070;received=198.51.100.7",
            secondVia(forwarded));
        assertEquals("192.0.2.30:5060/" + TransportProtocol.UDP, nextHop());
    }

    @Test
    void shouldForwardAMalformedContactUnchangedWhenRequestIsOtherwiseWellFormed()
    {
        // RFC 3261 §16.3 item 1: a proxy ignores the components it does not use and forwards them unchanged.
        final String contact = "Contact: sip:alice@192.0.2.10?Route=%3Csip:x%3E";
        final UnsafeBuffer fixture = ProxyFixtures.load("invite.sip");
        final String invite = ProxyFixtures.text(fixture, fixture.capacity())
            .replace("Contact: <sip:alice@192.0.2.10>", contact);
        assertTrue(invite.contains(contact));

        final SipMessageDecoder forwarded = forward(ProxyFixtures.decodeText(invite), TRUSTED_SOURCE);

        assertEquals("sip:alice@192.0.2.10?Route=%3Csip:x%3E", values(forwarded, HeaderName.CONTACT));
        assertEquals("192.0.2.20:5060/" + TransportProtocol.UDP, nextHop());
    }

    @Test
    void shouldInsertMaxForwardsWhenAbsent()
    {
        assertEquals(70, forward("invite-no-max-forwards.sip").maxForwards());
    }

    @Test
    void shouldAddReceivedOnlyWhenSentByDiffersFromSource()
    {
        SipMessageDecoder forwarded = forward("invite-via-hostname.sip");
        assertEquals("SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds;received=127.0.0.1",
            secondVia(forwarded));
        forwarded = forward("invite-via-ip-same.sip");
        assertEquals("SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK776asdhds", secondVia(forwarded));
    }

    private static String secondVia(final SipMessageDecoder forwarded)
    {
        final int second = forwarded.nextIndexOf(HeaderName.VIA, forwarded.firstIndexOf(HeaderName.VIA));
        return ProxyFixtures.range(forwarded.buffer(), forwarded.valueOffset(second), forwarded.valueLength(second));
    }

    @Test
    void shouldDoubleRecordRouteWhenTransportChanges()
    {
        final SipMessageDecoder forwarded = forward("invite-maddr.sip");
        assertEquals("<sip:127.0.0.1:5060;transport=tcp;lr;cm=1>, <sip:127.0.0.1:5060;lr;cm=1>",
            values(forwarded, HeaderName.RECORD_ROUTE));
        assertTrue(header(forwarded, HeaderName.VIA).startsWith("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKcr01"));
        assertEquals("192.0.2.40:5060/" + TransportProtocol.TCP, nextHop());
        assertEquals("sip:bob@example.com;maddr=192.0.2.40;transport=tcp", requestUri(forwarded));
    }

    @Test
    void shouldNotRecordRouteWhenDisabled()
    {
        final ProxyCore plain = new ProxyCore(ProxyFixtures.context(1, false), NextHopResolver.IP_LITERALS, 3);
        assertEquals(ProxyCore.FORWARD, plain.onRequest(
            decode("invite.sip"), TRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        assertEquals(0, decodeBytes(out, plain.length()).count(HeaderName.RECORD_ROUTE));
    }

    @Test
    void shouldRemoveOwnRouteAndFollowLooseRouteWhenTopRouteIsOurs()
    {
        final SipMessageDecoder forwarded = forward(decode("invite-loose-route.sip"), UNTRUSTED_SOURCE);
        assertEquals("sip:bob@192.0.2.20", requestUri(forwarded));
        assertEquals("<sip:192.0.2.30:5080;lr>, <sip:192.0.2.31;lr>", values(forwarded, HeaderName.ROUTE));
        assertEquals("192.0.2.30:5080/" + TransportProtocol.UDP, nextHop());
    }

    @Test
    void shouldFillRportInPlaceAndReplaceStaleReceived()
    {
        final UnsafeBuffer request = ProxyFixtures.load("invite.sip");
        final String text = ProxyFixtures.text(request, request.capacity()).replace(
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport",
            "Via: SIP/2.0/UDP 10.0.0.5:5060;rport;received=203.0.113.9;branch=z9hG4bK776asdhds");
        final SipMessageDecoder forwarded = forward(ProxyFixtures.decodeText(text), TRUSTED_SOURCE);
        assertEquals("SIP/2.0/UDP 10.0.0.5:5060;rport=5062;received=127.0.0.1;branch=z9hG4bK776asdhds",
            secondVia(forwarded));
    }

    @Test
    void shouldWriteIpv6ReceivedWhenSourceIsIpv6()
    {
        final PeerAddress source = new PeerAddress().ipv6(0x20010DB800000000L, 5L, 5070);
        final SipMessageDecoder forwarded = forward(decode("invite-loose-route.sip"), source);
        assertEquals("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5070;received=2001:db8::5",
            secondVia(forwarded));
    }

    @Test
    void shouldRemoveBothOwnRoutesWhenDoubleRecordRouted()
    {
        final SipMessageDecoder forwarded = forward("invite-double-own-route.sip");
        assertEquals(0, forwarded.count(HeaderName.ROUTE));
        assertEquals("192.0.2.20:5060/" + TransportProtocol.UDP, nextHop());
    }

    @Test
    void shouldReplaceRequestUriFromLastRouteWhenStrictRouterSentOurUri()
    {
        final SipMessageDecoder forwarded = forward(decode("invite-strict-interop.sip"), UNTRUSTED_SOURCE);
        assertEquals("sip:bob@192.0.2.20:5070", requestUri(forwarded));
        assertEquals("<sip:192.0.2.30;lr>", values(forwarded, HeaderName.ROUTE));
        assertEquals("192.0.2.30:5060/" + TransportProtocol.UDP, nextHop());
    }

    @Test
    void shouldPutStrictRouteInRequestUriWhenNextHopIsStrictRouter()
    {
        final SipMessageDecoder forwarded = forward("invite-strict-next.sip");
        assertEquals("sip:192.0.2.30:5090", requestUri(forwarded));
        assertEquals("<sip:192.0.2.31;lr>, <sip:bob@192.0.2.20>", values(forwarded, HeaderName.ROUTE));
        assertEquals("192.0.2.30:5090/" + TransportProtocol.UDP, nextHop());
    }

    @Test
    void shouldReturnLocalWhenRequestUriIsOurDomain()
    {
        assertEquals(ProxyCore.LOCAL, core.onRequest(decode("invite-own-domain.sip"), UNTRUSTED_SOURCE,
            TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
    }

    @Test
    void shouldAnswer400WhenNextRouteIsNotSipUri()
    {
        final UnsafeBuffer request = ProxyFixtures.load("invite.sip");
        final String text = ProxyFixtures.text(request, request.capacity())
            .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nRoute: <tel:+15551234>\r\n");
        assertEquals(ProxyCore.RESPOND, core.onRequest(ProxyFixtures.decodeText(text), TRUSTED_SOURCE,
            TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        assertEquals(SipStatus.BAD_REQUEST, core.status());
        assertTrue(ProxyFixtures.text(out, core.length()).startsWith("SIP/2.0 400 Bad Route\r\n"));
    }

    @Test
    void shouldReturnLocalWhenRequestUriIsTel()
    {
        final UnsafeBuffer request = ProxyFixtures.load("invite.sip");
        final String text = ProxyFixtures.text(request, request.capacity())
            .replace("INVITE sip:bob@192.0.2.20 SIP/2.0", "INVITE tel:+15551234 SIP/2.0");
        assertEquals(ProxyCore.LOCAL, core.onRequest(ProxyFixtures.decodeText(text), UNTRUSTED_SOURCE,
            TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
    }

    @Test
    void shouldDenyRelayWhenUntrustedSourceTargetsForeignDomain()
    {
        assertEquals(ProxyCore.RESPOND, core.onRequest(
            decode("invite.sip"), UNTRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        final SipMessageDecoder response = decodeBytes(out, core.length());
        assertEquals(SipStatus.FORBIDDEN, response.statusCode());
        assertEquals("Relaying denied", ProxyFixtures.range(
            response.buffer(), response.reasonPhraseOffset(), response.reasonPhraseLength()));
        assertEquals(1, core.relayDeniedCount());
        forward(decode("invite.sip"), TRUSTED_SOURCE);
    }

    @Test
    void shouldEchoTheTopViaWithReceivedAndRportInTheResponsesItOriginates()
    {
        assertEquals(ProxyCore.RESPOND, core.onRequest(decode("invite.sip"), UNTRUSTED_SOURCE,
            TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));

        final String response = ProxyFixtures.text(out, core.length());
        assertTrue(response.startsWith("SIP/2.0 403 "), response);
        assertTrue(response.contains(
            "\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5070;received=198.51.100.7\r\n"),
            response);
    }

    @Test
    void shouldAnswer503WhenNextHopHostCannotBeResolved()
    {
        final UnsafeBuffer request = ProxyFixtures.load("invite.sip");
        final String text = ProxyFixtures.text(request, request.capacity())
            .replace("INVITE sip:bob@192.0.2.20 SIP/2.0", "INVITE sip:bob@unknown.example.net SIP/2.0");
        assertEquals(ProxyCore.RESPOND, core.onRequest(ProxyFixtures.decodeText(text), TRUSTED_SOURCE,
            TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        assertEquals(SipStatus.SERVICE_UNAVAILABLE, core.status());
    }

    @Test
    void shouldAnswer482WhenRequestLoopsBackUnchanged()
    {
        final SipMessageDecoder forwarded = forward("invite.sip");
        final String looped = insertVia(ProxyFixtures.text(out, core.length()));
        assertEquals(SipMessageDecoder.OK, forwarded.result());
        assertEquals(ProxyCore.RESPOND, core.onRequest(ProxyFixtures.decodeText(looped), TRUSTED_SOURCE,
            TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        assertEquals(SipStatus.LOOP_DETECTED, core.status());
    }

    @Test
    void shouldForwardWhenRequestSpiralsWithNewRequestUri()
    {
        forward("invite.sip");
        final String spiral = insertVia(ProxyFixtures.text(out, core.length()))
            .replace("INVITE sip:bob@192.0.2.20 SIP/2.0", "INVITE sip:bob-mobile@192.0.2.21 SIP/2.0");
        final SipMessageDecoder forwarded = forward(ProxyFixtures.decodeText(spiral), TRUSTED_SOURCE);
        assertEquals(4, forwarded.count(HeaderName.VIA));
    }

    @Test
    void shouldNotSeeLoopWhenAnotherMemberForwardedBefore()
    {
        final ProxyCore other = new ProxyCore(ProxyFixtures.context(2, true), NextHopResolver.IP_LITERALS, 5);
        assertEquals(ProxyCore.FORWARD, other.onRequest(
            decode("invite.sip"), TRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        final String viaOther = insertVia(ProxyFixtures.text(out, other.length()));
        forward(ProxyFixtures.decodeText(viaOther), TRUSTED_SOURCE);
    }

    private static String insertVia(final String request)
    {
        final int lineEnd = request.indexOf("\r\n") + 2;
        return request.substring(0, lineEnd) + "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bKdownstream1\r\n" +
            request.substring(lineEnd);
    }

    @Test
    void shouldAnswerOwnOptionsWithAllowAcceptSupported()
    {
        for (final String fixture : new String[]{"options-own.sip", "options-probe-route.sip"})
        {
            assertEquals(ProxyCore.RESPOND, core.onRequest(
                decode(fixture), UNTRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0), fixture);
            final String text = ProxyFixtures.text(out, core.length());
            final SipMessageDecoder response = decodeBytes(out, core.length());
            assertEquals(SipMessageDecoder.OK, response.result(), text);
            assertEquals(SipStatus.OK, response.statusCode());
            assertTrue(header(response, HeaderName.ALLOW).startsWith("INVITE"), text);
            assertEquals("application/sdp", header(response, HeaderName.ACCEPT));
            assertTrue(text.contains("\r\nSupported:"), text);
            assertTrue(header(response, HeaderName.TO).contains(";tag="), text);
        }
    }

    @Test
    void shouldForwardOptionsWhenAddressedToUser()
    {
        forward("options-user.sip");
    }
}
