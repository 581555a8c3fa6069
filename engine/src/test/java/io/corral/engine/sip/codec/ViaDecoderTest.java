package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.corral.engine.sip.codec.TransportProtocol.OTHER;
import static io.corral.engine.sip.codec.TransportProtocol.SCTP;
import static io.corral.engine.sip.codec.TransportProtocol.TCP;
import static io.corral.engine.sip.codec.TransportProtocol.TLS;
import static io.corral.engine.sip.codec.TransportProtocol.UDP;
import static io.corral.engine.sip.codec.TransportProtocol.WSS;
import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static io.corral.engine.sip.codec.TestValues.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ViaDecoderTest
{
    private final ViaDecoder decoder = new ViaDecoder();

    static Stream<Arguments> validVias()
    {
        // value, transport, host, host type, port, branch, received, rport
        return Stream.of(
            arguments("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds", UDP, "pc33.atlanta.com",
                SipHost.HOSTNAME, -1, "z9hG4bK776asdhds", null, ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1;received=192.0.2.207;rport=5061", TCP,
                "192.0.2.1", SipHost.IPV4, 5060, "z9hG4bK1", "192.0.2.207", 5061),
            arguments("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKnashds8", UDP, "10.0.0.1",
                SipHost.IPV4, 5060, "z9hG4bKnashds8", null, ViaDecoder.RPORT_NO_VALUE),
            arguments("SIP / 2.0 / UDP first.example.com: 4000;ttl=16\r\n ;maddr=224.2.0.1 ;branch=z9hG4bKa7c6a8dlze.1",
                UDP, "first.example.com", SipHost.HOSTNAME, 4000, "z9hG4bKa7c6a8dlze.1", null,
                ViaDecoder.RPORT_ABSENT),
            arguments("SIP  /   2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ;\r\n"
                + " received  =   192.0.2.1", TCP, "spindle.example.com", SipHost.HOSTNAME, -1,
                "z9hG4bK9ikj8", "192.0.2.1", ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111", UDP, "[2001:db8::9:1]",
                SipHost.IPV6, 5060, "z9hG4bKas3-111", null, ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3-111", UDP,
                "[2001:db8::9:1]", SipHost.IPV6, -1, "z9hG4bKas3-111", "2001:db8::9:255", ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3", UDP,
                "[2001:db8::9:1]", SipHost.IPV6, -1, "z9hG4bKas3", "[2001:db8::9:255]", ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKnashds7", TLS,
                "client.biloxi.example.com", SipHost.HOSTNAME, 5061, "z9hG4bKnashds7", null, ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf;rport=0", WSS,
                "df7jal23ls0d.invalid", SipHost.HOSTNAME, -1, "z9hG4bKasudf", null, 0),
            arguments("sip/2.0/udp host", UDP, "host", SipHost.HOSTNAME, -1, null, null,
                ViaDecoder.RPORT_ABSENT),
            arguments("sIp/2.0/ \r\n tcp host;branch=z9hG4bK.a-b", TCP, "host", SipHost.HOSTNAME, -1, "z9hG4bK.a-b",
                null, ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/SCTP h.example;branch=1;comp=sigcomp;x=\"quoted; value\"", SCTP,
                "h.example", SipHost.HOSTNAME, -1, "1", null, ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/XYZ h.example:0", OTHER, "h.example", SipHost.HOSTNAME, 0, null, null,
                ViaDecoder.RPORT_ABSENT),
            // RFC 4475 §3.1.1.1 wsinv and §3.1.1.2 intmeth
            arguments("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;rport;branch=390skdjuw", UDP, "192.0.2.2",
                SipHost.IPV4, -1, "390skdjuw", null, ViaDecoder.RPORT_NO_VALUE),
            arguments("SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239", UDP,
                "192.168.255.111", SipHost.IPV4, -1, "z9hG4bK30239", null, ViaDecoder.RPORT_ABSENT),
            arguments("SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~", TCP,
                "host1.example.com", SipHost.HOSTNAME, -1, "z9hG4bK-.!%66*_+`'~", null, ViaDecoder.RPORT_ABSENT),
            // RFC 5118 §4.4 and §4.5: IPv6 sent-by with port, IPv4-mapped received
            arguments("SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111;received=::ffff:192.0.2.1",
                UDP, "[2001:db8::9:1]", SipHost.IPV6, 6050, "z9hG4bKas3-111", "::ffff:192.0.2.1",
                ViaDecoder.RPORT_ABSENT));
    }

    @ParameterizedTest
    @MethodSource("validVias")
    void shouldDecodeSentByAndParametersWhenViaIsValid(
        final String via,
        final int transport,
        final String host,
        final int hostType,
        final int port,
        final String branch,
        final String received,
        final int rport)
    {
        final UnsafeBuffer buffer = buffer(via);
        assertTrue(decoder.wrap(buffer, OFFSET, length(via)), () -> via + " -> " + decoder.reason());
        assertNull(decoder.reason());
        assertEquals(transport, decoder.transport(), via);
        assertEquals(host, string(buffer, decoder.hostOffset(), decoder.hostLength()), via);
        assertEquals(hostType, decoder.hostType(), via);
        assertEquals(port, decoder.port(), via);
        assertEquals(branch, string(buffer, decoder.branchOffset(), decoder.branchLength()), via);
        assertEquals(received, string(buffer, decoder.receivedOffset(), decoder.receivedLength()), via);
        assertEquals(rport, decoder.rport(), via);
    }

    static Stream<Arguments> invalidVias()
    {
        return Stream.of(
            arguments("", ViaDecoder.REASON_EMPTY),
            arguments("   ", ViaDecoder.REASON_EMPTY),
            arguments("SIP/2.0/UDP", ViaDecoder.REASON_MISSING_SENT_BY),
            arguments("SIP/2.0/UDP   ", ViaDecoder.REASON_MISSING_SENT_BY),
            arguments("SIP/2.0/UDP ;branch=z9hG4bK1", ViaDecoder.REASON_MISSING_SENT_BY),
            arguments("SIP/2.0 UDP host", ViaDecoder.REASON_SENT_PROTOCOL),
            arguments("SIP//UDP host", ViaDecoder.REASON_SENT_PROTOCOL),
            arguments("SIP/2.0/ host", ViaDecoder.REASON_MISSING_SENT_BY),
            arguments("/2.0/UDP host", ViaDecoder.REASON_SENT_PROTOCOL),
            arguments("SIP/2.0/UDP[::1]", ViaDecoder.REASON_SENT_PROTOCOL),
            arguments("SIP/2.0/UDP host:70000", ViaDecoder.REASON_PORT),
            arguments("SIP/2.0/UDP host:", ViaDecoder.REASON_PORT),
            arguments("SIP/2.0/UDP host:50a60", ViaDecoder.REASON_PORT),
            arguments("SIP/2.0/UDP 192.0.2.999:5060", ViaDecoder.REASON_HOST),
            arguments("SIP/2.0/UDP [2001:db8::9:1:5060", ViaDecoder.REASON_HOST),
            arguments("SIP/2.0/UDP [2001:db8::9::1]", ViaDecoder.REASON_HOST),
            arguments("SIP/2.0/UDP host;ttl=256", ViaDecoder.REASON_TTL),
            arguments("SIP/2.0/UDP host;ttl", ViaDecoder.REASON_TTL),
            arguments("SIP/2.0/UDP host;branch", ViaDecoder.REASON_BRANCH),
            arguments("SIP/2.0/UDP host;branch=\"z9hG4bK1\"", ViaDecoder.REASON_BRANCH),
            arguments("SIP/2.0/UDP host;branch=z9hG4bK:1", ViaDecoder.REASON_BRANCH),
            arguments("SIP/2.0/UDP host;branch=[z9hG4bK1]", ViaDecoder.REASON_BRANCH),
            arguments("SIP/2.0/UDP host;branch=", ViaDecoder.REASON_PARAMETER),
            arguments("SIP/2.0/UDP host;branch=a;branch=b", ViaDecoder.REASON_DUPLICATE),
            arguments("SIP/2.0/UDP host;received=host.example", ViaDecoder.REASON_RECEIVED),
            arguments("SIP/2.0/UDP host;received=192.0.2.1.1", ViaDecoder.REASON_RECEIVED),
            arguments("SIP/2.0/UDP host;rport=65536", ViaDecoder.REASON_RPORT),
            arguments("SIP/2.0/UDP host;rport=x", ViaDecoder.REASON_RPORT),
            arguments("SIP/2.0/UDP host;maddr=300.1.1.1", ViaDecoder.REASON_MADDR),
            arguments("SIP/2.0/UDP host;x=\"open", ViaDecoder.REASON_UNTERMINATED_QUOTE),
            arguments("SIP/2.0/UDP host;;branch=1", ViaDecoder.REASON_PARAMETER),
            arguments("SIP/2.0/UDP host garbage", ViaDecoder.REASON_PARAMETER),
            arguments("SIP/2.0/UDP host;branch=1 garbage", ViaDecoder.REASON_PARAMETER),
            arguments("SIP/2.0/UDP host,SIP/2.0/UDP other", ViaDecoder.REASON_PARAMETER));
    }

    @ParameterizedTest
    @MethodSource("invalidVias")
    void shouldRejectWithReasonWhenViaIsMalformed(final String via, final String reason)
    {
        assertFalse(decoder.wrap(buffer(via), OFFSET, length(via)), via);
        assertEquals(reason, decoder.reason(), via);
    }

    @Test
    void shouldExposeProtocolMaddrTtlAndOtherParametersWhenPresent()
    {
        final String via = "SIP/2.0/UDP h.example;maddr=[2001:db8::1];ttl=255;branch=z9hG4bK77;x-member=3;lr";
        final UnsafeBuffer buffer = buffer(via);
        assertTrue(decoder.wrap(buffer, OFFSET, length(via)));
        assertTrue(decoder.isSip20());
        assertEquals("SIP", string(buffer, decoder.protocolNameOffset(), decoder.protocolNameLength()));
        assertEquals("2.0", string(buffer, decoder.protocolVersionOffset(), decoder.protocolVersionLength()));
        assertEquals("UDP", string(buffer, decoder.transportOffset(), decoder.transportLength()));
        assertEquals("[2001:db8::1]", string(buffer, decoder.maddrOffset(), decoder.maddrLength()));
        assertEquals(255, decoder.ttl());
        assertTrue(decoder.isRfc3261Branch());
        assertEquals(5, decoder.parameters().count());
        final int member = decoder.findParameter("x-member".getBytes(StandardCharsets.US_ASCII));
        assertEquals(3, member);
        assertEquals("3", string(buffer, decoder.parameters().valueOffset(member),
            decoder.parameters().valueLength(member)));
        assertFalse(decoder.parameters().hasValue(4));
        assertEquals(-1, decoder.rportIndex());
    }

    @Test
    void shouldNotClaimRfc3261BranchWhenCookieMissingOrWrongCase()
    {
        final String old = "SIP/2.0/UDP h;branch=z9hg4bk77";
        assertTrue(decoder.wrap(buffer(old), OFFSET, length(old)));
        assertFalse(decoder.isRfc3261Branch());
        final String bare = "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK";
        assertTrue(decoder.wrap(buffer(bare), OFFSET, length(bare)));
        assertTrue(decoder.hasBranch());
        assertFalse(decoder.isRfc3261Branch());
        final String none = "SIP/2.0/UDP h";
        assertTrue(decoder.wrap(buffer(none), OFFSET, length(none)));
        assertFalse(decoder.hasBranch());
        assertFalse(decoder.isRfc3261Branch());
        assertEquals(-1, decoder.branchOffset());
    }

    @Test
    void shouldReportOtherProtocolWhenNotSip20()
    {
        final String via = "SIP/3.0/UDP h";
        assertTrue(decoder.wrap(buffer(via), OFFSET, length(via)));
        assertFalse(decoder.isSip20());
    }
}
