package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.corral.engine.proxy.ProxyFixtures.TRUSTED_SOURCE;
import static io.corral.engine.proxy.ProxyFixtures.decode;
import static io.corral.engine.proxy.ProxyFixtures.decodeBytes;
import static io.corral.engine.proxy.ProxyFixtures.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestValidatorTest
{
    private final ProxyCore core = new ProxyCore(ProxyFixtures.context(), NextHopResolver.IP_LITERALS, 7);
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);

    private SipMessageDecoder respond(final String fixture)
    {
        final int verdict = core.onRequest(
            decode(fixture), TRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0);
        assertEquals(ProxyCore.RESPOND, verdict, fixture);
        final SipMessageDecoder response = decodeBytes(out, core.length());
        assertEquals(SipMessageDecoder.OK, response.result(), fixture + ": " + response.reason());
        assertFalse(response.isRequest());
        return response;
    }

    private static String reason(final SipMessageDecoder response)
    {
        return ProxyFixtures.range(response.buffer(), response.reasonPhraseOffset(), response.reasonPhraseLength());
    }

    @Test
    void shouldAnswer483WhenMaxForwardsIsZero()
    {
        final SipMessageDecoder response = respond("invite-max-forwards-0.sip");
        assertEquals(SipStatus.TOO_MANY_HOPS, response.statusCode());
        assertEquals("a84b4c76e66710@pc33.example.com", header(response, HeaderName.CALL_ID));
        assertTrue(header(response, HeaderName.TO).contains(";tag="));
    }

    @Test
    void shouldAnswer416WhenRequestUriSchemeUnknown()
    {
        assertEquals(SipStatus.UNSUPPORTED_URI_SCHEME, respond("invite-unknown-scheme.sip").statusCode());
    }

    @Test
    void shouldAnswer420WithUnsupportedWhenProxyRequireUnknown()
    {
        final SipMessageDecoder response = respond("invite-proxy-require.sip");
        assertEquals(SipStatus.BAD_EXTENSION, response.statusCode());
        assertEquals("foo, bar, sec-agree", ProxyFixtures.values(response, HeaderName.UNSUPPORTED));
    }

    @Test
    void shouldAcceptSupportedProxyRequireWhenConfigured()
    {
        final ProxyContext context = new ProxyContext(1, "127.0.0.1", 5060, 5060, "", List.of(),
            TrustedNetworks.parse("127.0.0.0/8"), 185_000, List.of("FOO", "sec-agree"), true);
        final RequestValidator validator = new RequestValidator(context);
        assertEquals(SipStatus.BAD_EXTENSION, validator.validate(decode("invite-proxy-require.sip")));
        assertEquals("bar", ProxyFixtures.range(validator.unsupportedBuffer(), 0, validator.unsupportedLength()));
    }

    @Test
    void shouldAnswer505WhenVersionIsNotSip20()
    {
        final SipMessageDecoder response = respond("invite-sip7.sip");
        assertEquals(SipStatus.VERSION_NOT_SUPPORTED, response.statusCode());
    }

    @Test
    void shouldAnswer400WithDecoderReasonWhenMalformed()
    {
        // The request has no Call-ID, so neither has the response: read its start line as text.
        assertEquals(ProxyCore.RESPOND, core.onRequest(
            decode("invite-no-call-id.sip"), TRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL, out, 0));
        final String response = ProxyFixtures.text(out, core.length());
        assertTrue(response.startsWith("SIP/2.0 400 " + SipMessageDecoder.REASON_MISSING_CALL_ID + "\r\n"), response);
        assertTrue(response.contains(
            "\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5062;received=127.0.0.1\r\n"),
            response);
        final SipMessageDecoder malformed = respond("invite-sip7.sip");
        assertEquals("Version Not Supported", reason(malformed));
    }

    @Test
    void shouldNotAnswerWhenAckIsMalformedOrHasNoHopsLeft()
    {
        for (final String fixture : new String[]{"ack-no-call-id.sip", "ack-max-forwards-0.sip"})
        {
            final long drops = core.dropCount();
            assertEquals(ProxyCore.DROP, core.onRequest(
                decode(fixture), TRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATELESS, out, 0), fixture);
            assertEquals(drops + 1, core.dropCount());
        }
    }

    @Test
    void shouldPassWhenRequestIsValid()
    {
        final RequestValidator validator = new RequestValidator(ProxyFixtures.context());
        assertEquals(RequestValidator.OK, validator.validate(decode("invite.sip")));
        assertEquals(RequestValidator.OK, validator.validate(decode("invite-no-max-forwards.sip")));
        assertNull(validator.reason());
    }

    @Test
    void shouldDropKeepAlivesAndResponses()
    {
        final RequestValidator validator = new RequestValidator(ProxyFixtures.context());
        final SipMessageDecoder keepAlive = ProxyFixtures.decodeText("\r\n\r\n");
        assertEquals(RequestValidator.DROP, validator.validate(keepAlive));
        final SipMessageDecoder response = ProxyFixtures.decodeText("SIP/2.0 200 OK\r\n" +
            "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nTo: <sip:a@b>;tag=1\r\nFrom: <sip:b@c>;tag=2\r\n" +
            "Call-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
        assertNotNull(response);
        assertEquals(RequestValidator.DROP, validator.validate(response));
    }
}
