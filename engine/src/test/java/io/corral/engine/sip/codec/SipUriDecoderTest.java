package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static io.corral.engine.sip.codec.TestValues.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SipUriDecoderTest
{
    private final SipUriDecoder decoder = new SipUriDecoder();

    static Stream<Arguments> validUris()
    {
        // uri, scheme, user, password, host, host type, port, parameter count
        return Stream.of(
            arguments("sip:alice@atlanta.com", SipUriDecoder.SIP, "alice", null, "atlanta.com",
                SipHost.HOSTNAME, -1, 0),
            arguments("sIp:atlanta.com", SipUriDecoder.SIP, null, null, "atlanta.com", SipHost.HOSTNAME, -1, 0),
            arguments("SIP:alice:secretword@atlanta.com;transport=tcp", SipUriDecoder.SIP, "alice", "secretword",
                "atlanta.com", SipHost.HOSTNAME, -1, 1),
            arguments("sips:alice@atlanta.com?subject=project%20x&priority=urgent", SipUriDecoder.SIPS, "alice", null,
                "atlanta.com", SipHost.HOSTNAME, -1, 0),
            arguments("sip:+1-212-555-1212:1234@gateway.com;user=phone", SipUriDecoder.SIP, "+1-212-555-1212", "1234",
                "gateway.com", SipHost.HOSTNAME, -1, 1),
            arguments("sip:alice@192.0.2.4", SipUriDecoder.SIP, "alice", null, "192.0.2.4", SipHost.IPV4, -1, 0),
            arguments("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", SipUriDecoder.SIP, null, null,
                "atlanta.com", SipHost.HOSTNAME, -1, 1),
            arguments("sip:alice;day=tuesday@atlanta.com", SipUriDecoder.SIP, "alice;day=tuesday", null,
                "atlanta.com", SipHost.HOSTNAME, -1, 0),
            arguments("sip:+1-212-555-1212;npdi=yes@host.example;user=phone", SipUriDecoder.SIP,
                "+1-212-555-1212;npdi=yes", null, "host.example", SipHost.HOSTNAME, -1, 1),
            arguments("sip:vivekg@chair-dnrc.example.com;unknownparam", SipUriDecoder.SIP, "vivekg", null,
                "chair-dnrc.example.com", SipHost.HOSTNAME, -1, 1),
            arguments("sip:sips%3Auser%40example.com@example.net", SipUriDecoder.SIP, "sips%3Auser%40example.com", null,
                "example.net", SipHost.HOSTNAME, -1, 0),
            arguments("sip:user@example.com?Route=%3Csip:example.com%3E", SipUriDecoder.SIP, "user", null,
                "example.com", SipHost.HOSTNAME, -1, 0),
            arguments("sip:user@example.com:0", SipUriDecoder.SIP, "user", null, "example.com", SipHost.HOSTNAME, 0, 0),
            arguments("sip:user@example.com:65535", SipUriDecoder.SIP, "user", null, "example.com", SipHost.HOSTNAME,
                65535, 0),
            arguments("sip:[2001:db8::10]", SipUriDecoder.SIP, null, null, "[2001:db8::10]", SipHost.IPV6, -1, 0),
            arguments("sip:[2001:db8::10:5070]", SipUriDecoder.SIP, null, null, "[2001:db8::10:5070]", SipHost.IPV6,
                -1, 0),
            arguments("sip:[2001:db8::10]:5070", SipUriDecoder.SIP, null, null, "[2001:db8::10]",
                SipHost.IPV6, 5070, 0),
            arguments("sip:user@[::ffff:192.0.2.1]:5060;lr", SipUriDecoder.SIP, "user", null, "[::ffff:192.0.2.1]",
                SipHost.IPV6, 5060, 1),
            arguments("sip:user@[2001:db8:0:0:0:0:0:1]", SipUriDecoder.SIP, "user", null, "[2001:db8:0:0:0:0:0:1]",
                SipHost.IPV6, -1, 0),
            arguments("sip:[::1]", SipUriDecoder.SIP, null, null, "[::1]", SipHost.IPV6, -1, 0),
            arguments("sip:user@example.com.", SipUriDecoder.SIP, "user", null, "example.com.",
                SipHost.HOSTNAME, -1, 0),
            arguments("sip:%61lice@atlanta.com;maddr=239.255.255.1;ttl=15", SipUriDecoder.SIP, "%61lice", null,
                "atlanta.com", SipHost.HOSTNAME, -1, 2),
            arguments("sip:user:@host", SipUriDecoder.SIP, "user", "", "host", SipHost.HOSTNAME, -1, 0),
            arguments("sip:edge_1.corral.test:5080;lr;x-member=7", SipUriDecoder.SIP, null, null, "edge_1.corral.test",
                SipHost.HOSTNAME, 5080, 2),
            arguments("sip:host;param=[v6]:x&y+$/", SipUriDecoder.SIP, null, null, "host", SipHost.HOSTNAME, -1, 1),
            arguments("tel:+1-201-555-0123", SipUriDecoder.TEL, "+1-201-555-0123", null, null, SipHost.NONE, -1, 0),
            arguments("tel:7042;phone-context=example.com", SipUriDecoder.TEL, "7042", null, null, SipHost.NONE, -1, 1),
            arguments("tel:863-1234;phone-context=+1-914-555;ext=22", SipUriDecoder.TEL, "863-1234", null, null,
                SipHost.NONE, -1, 2),
            arguments("mailto:alice@example.com", SipUriDecoder.OTHER, null, null, null, SipHost.NONE, -1, 0),
            arguments("urn:service:sos", SipUriDecoder.OTHER, null, null, null, SipHost.NONE, -1, 0),
            arguments("http://www.example.com/a?b", SipUriDecoder.OTHER, null, null, null, SipHost.NONE, -1, 0));
    }

    @ParameterizedTest
    @MethodSource("validUris")
    void shouldDecodePartsWhenUriIsValid(
        final String uri,
        final int scheme,
        final String user,
        final String password,
        final String host,
        final int hostType,
        final int port,
        final int parameterCount)
    {
        final UnsafeBuffer buffer = buffer(uri);
        assertTrue(decoder.wrap(buffer, OFFSET, length(uri)), () -> uri + " -> " + decoder.reason());
        assertNull(decoder.reason());
        assertEquals(scheme, decoder.scheme(), uri);
        assertEquals(user, string(buffer, decoder.userOffset(), decoder.userLength()), uri);
        assertEquals(password, string(buffer, decoder.passwordOffset(), decoder.passwordLength()), uri);
        assertEquals(host, string(buffer, decoder.hostOffset(), decoder.hostLength()), uri);
        assertEquals(hostType, decoder.hostType(), uri);
        assertEquals(port, decoder.port(), uri);
        assertEquals(parameterCount, decoder.parameters().count(), uri);
    }

    static Stream<Arguments> invalidUris()
    {
        return Stream.of(
            arguments("", SipUriDecoder.REASON_EMPTY),
            arguments("sip", SipUriDecoder.REASON_SCHEME),
            arguments("1sip:host", SipUriDecoder.REASON_SCHEME),
            arguments("si p:host", SipUriDecoder.REASON_SCHEME),
            arguments("foo:", SipUriDecoder.REASON_SCHEME),
            arguments("SIP:", SipUriDecoder.REASON_HOST),
            arguments("sip:;lr", SipUriDecoder.REASON_HOST),
            arguments("sip:", SipUriDecoder.REASON_HOST),
            arguments("sip:@host", SipUriDecoder.REASON_USER),
            arguments("sip:us er@host", SipUriDecoder.REASON_USER),
            arguments("sip:user%4@host", SipUriDecoder.REASON_USER),
            arguments("sip:user%zz@host", SipUriDecoder.REASON_USER),
            arguments("sip:user:pa@ss@host", SipUriDecoder.REASON_TRAILING),
            arguments("sip:user:p;w@host", SipUriDecoder.REASON_PASSWORD),
            arguments("sip:user@host:70000", SipUriDecoder.REASON_PORT),
            arguments("sip:user@host:", SipUriDecoder.REASON_PORT),
            arguments("sip:user@host:99999999999999999999", SipUriDecoder.REASON_PORT),
            arguments("sip:user@192.0.2.256", SipUriDecoder.REASON_HOST),
            arguments("sip:user@1.2.3.4.5", SipUriDecoder.REASON_HOST),
            arguments("sip:user@-host.com", SipUriDecoder.REASON_HOST),
            arguments("sip:user@host..com", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[2001:db8::10", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[2001:db8:::10]", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[2001:db8::1::2]", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[1:2:3:4:5:6:7:8:9]", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[1:2:3:4:5:6:7]", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[12345::1]", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[::ffff:192.0.2.300]", SipUriDecoder.REASON_HOST),
            arguments("sip:user@[2001:db8::g]", SipUriDecoder.REASON_HOST),
            arguments("sip:user@2001:db8::10", SipUriDecoder.REASON_HOST),
            arguments("sip:user@host;", SipUriDecoder.REASON_PARAMETER),
            arguments("sip:user@host;a=", SipUriDecoder.REASON_PARAMETER),
            arguments("sip:user@host;a=%2", SipUriDecoder.REASON_PARAMETER),
            arguments("sip:user@host;maddr=bad..host", SipUriDecoder.REASON_MADDR),
            arguments("sip:user@host;ttl=256", SipUriDecoder.REASON_TTL),
            arguments("sip:user@host;transport=", SipUriDecoder.REASON_PARAMETER),
            arguments("sip:user@host?", SipUriDecoder.REASON_HEADERS),
            arguments("sip:user@host?a=<b>", SipUriDecoder.REASON_HEADERS),
            arguments("sip:user@host>", SipUriDecoder.REASON_TRAILING),
            arguments("sip:user@host ", SipUriDecoder.REASON_TRAILING),
            arguments("tel:", SipUriDecoder.REASON_TEL_NUMBER),
            arguments("tel:+", SipUriDecoder.REASON_TEL_NUMBER),
            arguments("tel:+1-201-x", SipUriDecoder.REASON_TEL_NUMBER),
            arguments("tel:+1201;p_x=1", SipUriDecoder.REASON_PARAMETER),
            arguments("mailto:a b", SipUriDecoder.REASON_TRAILING));
    }

    @ParameterizedTest
    @MethodSource("invalidUris")
    void shouldRejectWithReasonWhenUriIsMalformed(final String uri, final String reason)
    {
        final UnsafeBuffer buffer = buffer(uri);
        assertFalse(decoder.wrap(buffer, OFFSET, length(uri)), uri);
        assertEquals(reason, decoder.reason(), uri);
        assertEquals(SipUriDecoder.NONE, decoder.scheme(), uri);
    }

    @Test
    void shouldResolveCommonParametersWhenPresent()
    {
        final String uri = "sip:proxy.example.com:5061;TRANSPORT=TLS;lr;maddr=[2001:db8::1];user=phone;ttl=0?x=1";
        final UnsafeBuffer buffer = buffer(uri);
        assertTrue(decoder.wrap(buffer, OFFSET, length(uri)));
        assertTrue(decoder.isLooseRouting());
        assertEquals(TransportProtocol.TLS, decoder.transport());
        assertEquals("[2001:db8::1]", string(buffer, decoder.parameters().valueOffset(decoder.maddrIndex()),
            decoder.parameters().valueLength(decoder.maddrIndex())));
        assertTrue(decoder.isUserPhone());
        assertEquals(0, decoder.ttl());
        assertEquals("x=1", string(buffer, decoder.headersOffset(), decoder.headersLength()));
        assertEquals(';', buffer.getByte(decoder.parametersOffset()));
        assertEquals(1, decoder.findParameter(bytes("lr")));
        assertEquals(-1, decoder.findParameter(bytes("method")));
        assertFalse(decoder.parameters().hasValue(1));
        assertEquals(5061, decoder.effectivePort());
    }

    @Test
    void shouldReportNoLooseRoutingOrTransportWhenAbsent()
    {
        final String uri = "sip:alice@atlanta.com;lrx;transport=sctp-tls";
        assertTrue(decoder.wrap(buffer(uri), OFFSET, length(uri)));
        assertFalse(decoder.isLooseRouting());
        assertEquals(TransportProtocol.OTHER, decoder.transport());
        assertFalse(decoder.hasHeaders());
        assertFalse(decoder.isUserPhone());
        assertEquals(-1, decoder.ttl());
        assertEquals(5060, decoder.effectivePort());
    }

    @Test
    void shouldSplitUserAndPasswordWhenUriUsesEveryAllowedCharacter()
    {
        // RFC 4475 §3.1.1.2 intmeth Request-URI
        final String uri = "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
            + "(doesn't-it)@example.com";
        final UnsafeBuffer buffer = buffer(uri);
        assertTrue(decoder.wrap(buffer, OFFSET, length(uri)), decoder::reason);
        assertEquals("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
            string(buffer, decoder.userOffset(), decoder.userLength()));
        assertEquals("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
            string(buffer, decoder.passwordOffset(), decoder.passwordLength()));
        assertEquals("example.com", string(buffer, decoder.hostOffset(), decoder.hostLength()));
        assertEquals(0, decoder.parameters().count());
    }

    @Test
    void shouldGiveNumberWithoutParametersWhenUserIsTelephoneSubscriber()
    {
        final String uri = "sip:+1-212-555-1212;npdi=yes;rn=+1-212-555-1111@host.example;user=phone";
        final UnsafeBuffer buffer = buffer(uri);
        assertTrue(decoder.wrap(buffer, OFFSET, length(uri)), decoder::reason);
        assertEquals("+1-212-555-1212", string(buffer, decoder.userOffset(), decoder.userBaseLength()));
        final String plain = "sip:alice@host";
        assertTrue(decoder.wrap(buffer(plain), OFFSET, length(plain)));
        assertEquals(5, decoder.userBaseLength());
    }

    @Test
    void shouldTellGlobalFromLocalWhenTelUri()
    {
        final String global = "tel:+358-555-1234567;postd=pp22";
        assertTrue(decoder.wrap(buffer(global), OFFSET, length(global)));
        assertTrue(decoder.isGlobalNumber());
        final String local = "tel:*86#;phone-context=example.net";
        assertTrue(decoder.wrap(buffer(local), OFFSET, length(local)));
        assertFalse(decoder.isGlobalNumber());
        assertTrue(decoder.hasUser());
    }

    @Test
    void shouldMatchHostAndEffectivePortWhenDefaultPortImplied()
    {
        final SipUriDecoder other = new SipUriDecoder();
        final String a = "sip:Edge.Example.com;lr";
        final String b = "sip:user@edge.example.COM:5060";
        final String c = "sips:edge.example.com";
        assertTrue(decoder.wrap(buffer(a), OFFSET, length(a)));
        assertTrue(other.wrap(buffer(b), OFFSET, length(b)));
        assertTrue(SipUriDecoder.sameHostAndPort(decoder, other));
        assertTrue(other.wrap(buffer(c), OFFSET, length(c)));
        assertFalse(SipUriDecoder.sameHostAndPort(decoder, other));
    }

    @Test
    void shouldRejectWhenMoreParametersThanCapacity()
    {
        final StringBuilder uri = new StringBuilder("sip:host");
        for (int i = 0; i <= SipParameters.MAX_PARAMETERS; i++)
        {
            uri.append(";p").append(i);
        }
        final String value = uri.toString();
        assertFalse(decoder.wrap(buffer(value), OFFSET, length(value)));
        assertEquals(SipUriDecoder.REASON_TOO_MANY_PARAMETERS, decoder.reason());
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
