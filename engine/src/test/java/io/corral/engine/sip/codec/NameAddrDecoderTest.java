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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NameAddrDecoderTest
{
    private final NameAddrDecoder decoder = new NameAddrDecoder();

    static Stream<Arguments> validValues()
    {
        // value, display name, uri, tag, expires, q, header parameter count
        return Stream.of(
            arguments("Bob <sip:bob@biloxi.com>;tag=a6c85cf", "Bob", "sip:bob@biloxi.com", "a6c85cf", -1L, -1, 1),
            arguments("\"Alice Liddell\" <sip:alice@atlanta.com>;tag=1928301774", "Alice Liddell",
                "sip:alice@atlanta.com", "1928301774", -1L, -1, 1),
            arguments("sip:alice@atlanta.com;tag=88sja8x", null, "sip:alice@atlanta.com", "88sja8x", -1L, -1, 1),
            arguments("sip:+12125551212@server.phone2net.com;tag=887s", null, "sip:+12125551212@server.phone2net.com",
                "887s", -1L, -1, 1),
            arguments("<sip:alice@pc33.atlanta.com>;expires=3600;q=0.7", null, "sip:alice@pc33.atlanta.com", null,
                3600L, 700, 2),
            arguments("<sip:user@example.com?Route=%3Csip:example.com%3E>", null,
                "sip:user@example.com?Route=%3Csip:example.com%3E", null, -1L, -1, 0),
            arguments("\"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"
                + ":&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com>", "BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f",
                "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
                + "@example.com", null, -1L, -1, 0),
            arguments("\"\" <sip:anonymous@anonymous.invalid>", "", "sip:anonymous@anonymous.invalid", null,
                -1L, -1, 0),
            arguments("  A  B\tC   <sip:x@y> ; tag = t1 ;\r\n q = 1.000 ; expires=4294967295 ", "A  B\tC",
                "sip:x@y", "t1", 4294967295L, 1000, 3),
            arguments("<sip:+1-212-555-1212;npdi=yes@host;user=phone>;tag=z", null,
                "sip:+1-212-555-1212;npdi=yes@host;user=phone", "z", -1L, -1, 1),
            arguments("<sip:[2001:db8::10]:5070;lr>", null, "sip:[2001:db8::10]:5070;lr", null, -1L, -1, 0),
            arguments("<tel:+1-201-555-0123>;tag=9", null, "tel:+1-201-555-0123", "9", -1L, -1, 1),
            arguments("\"Voicemail\" <urn:service:sos>", "Voicemail", "urn:service:sos", null, -1L, -1, 0),
            arguments("mailto:alice@example.com;tag=2", null, "mailto:alice@example.com", "2", -1L, -1, 1),
            arguments("<sip:a@b>;q=0;expires=0;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"",
                null, "sip:a@b", null, 0L, 0, 3),
            arguments("<sip:a@b>;q=0.", null, "sip:a@b", null, -1L, 0, 1),
            arguments("<sip:a@b>;q=0.001", null, "sip:a@b", null, -1L, 1, 1),
            // RFC 4475 §3.1.1.1 wsinv: addr-spec with LWS before its parameters, folded display and parameters
            arguments("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n", null,
                "sip:vivekg@chair-dnrc.example.com", "1918181833n", -1L, -1, 1),
            arguments("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8",
                "J Rosenberg \\\\\\\"", "sip:jdrosen@example.com", "98asjd8", -1L, -1, 1),
            arguments("\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n"
                + "  secondparam ; q = 0.33", "Quoted string \\\"\\\"", "sip:jdrosen@example.com", null, -1L, 330, 3),
            // RFC 4475 §3.1.1.2 intmeth: token display name and parameter names with every token character
            arguments("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="
                + "\"\u0440\u0430\u0431\u043e\u0442\u0430\";tag=_token~1'+`*%!-.", "token1~` token2'+_ token3*%!.-",
                "sip:mundane@example.com", "_token~1'+`*%!-.", -1L, -1, 2),
            // RFC 4475 §3.1.1.4 esc02 and §3.1.1.7 lwsdisp
            arguments("\"%Z%45\" <sip:resource@example.com>;tag=f232jadfj23", "%Z%45", "sip:resource@example.com",
                "f232jadfj23", -1L, -1, 1),
            arguments("caller<sip:caller@example.com>;tag=323", "caller", "sip:caller@example.com", "323", -1L, -1, 1),
            // RFC 4475 §3.3.12 to §3.3.14: parameter ownership and an escaped URI header
            arguments("sip:+19725552222@gw1.example.net;unknownparam", null, "sip:+19725552222@gw1.example.net", null,
                -1L, -1, 1),
            arguments("<sip:+19725552222@gw1.example.net;unknownparam>", null,
                "sip:+19725552222@gw1.example.net;unknownparam", null, -1L, -1, 0),
            arguments("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>", null,
                "sip:user@example.com?Route=%3Csip:sip.example.com%3E", null, -1L, -1, 0),
            arguments("<sip:user;par=u%40example.net@example.com>", null, "sip:user;par=u%40example.net@example.com",
                null, -1L, -1, 0),
            arguments("sip:null-%00-null@example.com", null, "sip:null-%00-null@example.com", null, -1L, -1, 0));
    }

    @ParameterizedTest
    @MethodSource("validValues")
    void shouldDecodeDisplayNameUriAndParametersWhenValid(
        final String value,
        final String displayName,
        final String uri,
        final String tag,
        final long expires,
        final int q,
        final int parameterCount)
    {
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)), () -> value + " -> " + decoder.reason());
        assertEquals(displayName, string(buffer, decoder.displayNameOffset(), decoder.displayNameLength()), value);
        assertEquals(uri, string(buffer, decoder.uriOffset(), decoder.uriLength()), value);
        assertEquals(decoder.uriOffset(), decoder.uri().offset(), value);
        assertEquals(decoder.uriLength(), decoder.uri().length(), value);
        assertEquals(tag, string(buffer, decoder.tagOffset(), decoder.tagLength()), value);
        assertEquals(expires, decoder.expires(), value);
        assertEquals(q, decoder.q(), value);
        assertEquals(parameterCount, decoder.parameters().count(), value);
        assertFalse(decoder.isStar());
    }

    static Stream<Arguments> invalidValues()
    {
        return Stream.of(
            arguments("", NameAddrDecoder.REASON_EMPTY),
            arguments("\"Alice <sip:alice@atlanta.com>", NameAddrDecoder.REASON_UNTERMINATED_QUOTE),
            arguments("\"Alice\\\" <sip:alice@atlanta.com>", NameAddrDecoder.REASON_UNTERMINATED_QUOTE),
            arguments("\"Alice\" sip:alice@atlanta.com", NameAddrDecoder.REASON_NAME_ADDR),
            arguments("Alice", NameAddrDecoder.REASON_NAME_ADDR),
            arguments("Alice@Home <sip:a@b>", NameAddrDecoder.REASON_NAME_ADDR),
            arguments("<sip:alice@atlanta.com", NameAddrDecoder.REASON_UNTERMINATED_ANGLE),
            arguments("sip:alice@atlanta.com?subject=x", NameAddrDecoder.REASON_ADDR_SPEC),
            arguments("sip:alice@atlanta.com,sip:bob@biloxi.com", NameAddrDecoder.REASON_ADDR_SPEC),
            arguments("sip:+1-212-555-1212;npdi=yes@host", SipUriDecoder.REASON_HOST),
            arguments("<sip:alice@atlanta.com:99999>", SipUriDecoder.REASON_PORT),
            arguments("< sip:alice@atlanta.com>", SipUriDecoder.REASON_SCHEME),
            arguments("<>", SipUriDecoder.REASON_EMPTY),
            arguments("<sip:a@b>;tag", NameAddrDecoder.REASON_TAG),
            arguments("<sip:a@b>;tag=a:b", NameAddrDecoder.REASON_TAG),
            arguments("<sip:a@b>;tag=\"ab\"", NameAddrDecoder.REASON_TAG),
            arguments("<sip:a@b>;tag=1;tag=2", NameAddrDecoder.REASON_DUPLICATE),
            arguments("<sip:a@b>;expires=4294967296", NameAddrDecoder.REASON_EXPIRES),
            arguments("<sip:a@b>;expires=280297596632815", NameAddrDecoder.REASON_EXPIRES),
            arguments("<sip:a@b>;expires=-1", NameAddrDecoder.REASON_EXPIRES),
            arguments("<sip:a@b>;q=1.5", NameAddrDecoder.REASON_Q),
            arguments("<sip:a@b>;q=0.1234", NameAddrDecoder.REASON_Q),
            arguments("<sip:a@b>;q=2", NameAddrDecoder.REASON_Q),
            arguments("<sip:a@b>;q=.5", NameAddrDecoder.REASON_Q),
            arguments("<sip:a@b>;x=\"open", NameAddrDecoder.REASON_UNTERMINATED_QUOTE),
            arguments("<sip:a@b> junk", NameAddrDecoder.REASON_PARAMETER),
            arguments("<sip:a@b>;", NameAddrDecoder.REASON_PARAMETER),
            arguments("* ;expires=0", NameAddrDecoder.REASON_NAME_ADDR),
            // RFC 4475 §3.1.2.5 regbadct, §3.1.2.15 badaspec, §3.1.2.16 baddn (after the comma split), scalar02
            arguments("sip:user@example.com?Route=%3Csip:sip.example.com%3E", NameAddrDecoder.REASON_ADDR_SPEC),
            arguments("\"Watson, Thomas\" < sip:t.watson@example.org >", SipUriDecoder.REASON_SCHEME),
            arguments("Bell", NameAddrDecoder.REASON_NAME_ADDR),
            arguments("<sip:user@host129.example.com>;expires=280297596632815", NameAddrDecoder.REASON_EXPIRES));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void shouldRejectWithReasonWhenMalformed(final String value, final String reason)
    {
        assertFalse(decoder.wrap(buffer(value), OFFSET, length(value)), value);
        assertEquals(reason, decoder.reason(), value);
    }

    @Test
    void shouldAcceptUnquotedUtf8DisplayNameWhenUserAgentSendsOne()
    {
        final byte[] value = "J\u00fcrgen M\u00fcller <sip:j@example.com>;tag=7".getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(value);
        assertTrue(decoder.wrap(buffer, 0, value.length), decoder::reason);
        assertEquals("J\u00fcrgen M\u00fcller", buffer.getStringWithoutLengthUtf8(
            decoder.displayNameOffset(), decoder.displayNameLength()));
        assertEquals("7", string(buffer, decoder.tagOffset(), decoder.tagLength()));
    }

    @Test
    void shouldRecogniseStarWhenContactIsWildcard()
    {
        final String value = "  * ";
        assertTrue(decoder.wrap(buffer(value), OFFSET, length(value)));
        assertTrue(decoder.isStar());
        assertFalse(decoder.isNameAddr());
        assertEquals(-1, decoder.uriOffset());
        assertEquals(0, decoder.parameters().count());
    }

    @Test
    void shouldGiveHeaderParametersToHeaderAndUriParametersToUriWhenAddrSpec()
    {
        final String value = "sip:alice@atlanta.com;transport=tcp;tag=x";
        assertTrue(decoder.wrap(buffer(value), OFFSET, length(value)));
        assertFalse(decoder.isNameAddr());
        assertEquals(2, decoder.parameters().count());
        assertEquals(0, decoder.findParameter("transport".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, decoder.uri().parameters().count());
        assertEquals(TransportProtocol.NONE, decoder.uri().transport());

        final String nameAddr = "<sip:alice@atlanta.com;transport=tcp>;tag=x";
        assertTrue(decoder.wrap(buffer(nameAddr), OFFSET, length(nameAddr)));
        assertTrue(decoder.isNameAddr());
        assertEquals(1, decoder.parameters().count());
        assertEquals(-1, decoder.findParameter("transport".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(TransportProtocol.TCP, decoder.uri().transport());
        assertEquals(';', decoder.buffer().getByte(decoder.parametersOffset()));
    }

    @Test
    void shouldUnquoteDisplayNameWhenItHoldsQuotedPairs()
    {
        final String value = "\"A \\\"quoted\\\" \\\\ name\" <sip:a@b>";
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)));
        assertTrue(decoder.isDisplayNameQuoted());
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        final int written = SipBytes.unquote(buffer, decoder.displayNameOffset(), decoder.displayNameLength(), out, 0);
        assertEquals("A \"quoted\" \\ name", out.getStringWithoutLengthAscii(0, written));
    }

    @Test
    void shouldKeepOtherSchemeOpaqueWhenUriIsNotSip()
    {
        final String value = "<http://example.com/a;b?c>";
        assertTrue(decoder.wrap(buffer(value), OFFSET, length(value)));
        assertEquals(SipUriDecoder.OTHER, decoder.uri().scheme());
        assertEquals(-1, decoder.uri().hostOffset());
    }
}
