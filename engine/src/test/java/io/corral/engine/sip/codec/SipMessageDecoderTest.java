package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SipMessageDecoderTest
{
    private static final String BASE_REQUEST =
        "OPTIONS sip:bob@example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n" +
        "To: <sip:bob@example.com>\r\n" +
        "From: <sip:alice@example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 63104 OPTIONS\r\n";

    private final SipMessageDecoder decoder = new SipMessageDecoder();

    static UnsafeBuffer resource(final String path) throws IOException
    {
        try (InputStream in = SipMessageDecoderTest.class.getResourceAsStream(path))
        {
            assertNotNull(in, path);
            return new UnsafeBuffer(in.readAllBytes());
        }
    }

    static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private int decode(final String text)
    {
        final UnsafeBuffer buffer = ascii(text);
        return decoder.wrap(buffer, 0, buffer.capacity());
    }

    private String value(final int index)
    {
        return SipBytes.toString(decoder.buffer(), decoder.valueOffset(index), decoder.valueLength(index));
    }

    @Test
    void shouldExposeValidatedRequestUriTopViaFromAndToWhenRequestIsWellFormed()
    {
        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST +
            "Via: SIP/2.0/TCP 192.0.2.2;branch=z9hG4bKsecond\r\n" +
            "Contact: <sip:carol@192.0.2.3>;expires=60\r\n\r\n"), decoder.reason());

        assertEquals("sip:bob@example.com", SipBytes.toString(
            decoder.buffer(), decoder.requestUri().offset(), decoder.requestUri().length()));
        assertEquals("z9hG4bK776asdhds", SipBytes.toString(
            decoder.buffer(), decoder.topVia().branchOffset(), decoder.topVia().branchLength()));
        assertTrue(decoder.from().hasTag());
        assertEquals("1928301774", SipBytes.toString(
            decoder.buffer(), decoder.from().tagOffset(), decoder.from().tagLength()));
        assertFalse(decoder.to().hasTag());
    }

    @Test
    void shouldIndexStartLineHotHeadersAndBodyWhenInviteIsTypical() throws IOException
    {
        final UnsafeBuffer buffer = resource("/sip/ua/linphone-invite.sip");
        assertEquals(SipMessageDecoder.OK, decoder.wrap(buffer, 0, buffer.capacity()), decoder.reason());

        assertTrue(decoder.isRequest());
        assertEquals(SipMethod.INVITE, decoder.method());
        assertEquals("sip:bob@biloxi.example.com",
            SipBytes.toString(buffer, decoder.requestUriOffset(), decoder.requestUriLength()));
        assertTrue(decoder.isVersionOk());
        assertEquals("Z3Rt4uvWq9", SipBytes.toString(buffer, decoder.callIdOffset(), decoder.callIdLength()));
        assertEquals(20, decoder.cseqNumber());
        assertEquals(SipMethod.INVITE, decoder.cseqMethod());
        assertEquals(70, decoder.maxForwards());
        assertEquals(-1, decoder.expires());
        assertEquals(4, decoder.count(HeaderName.SUPPORTED));
        assertEquals(12, decoder.count(HeaderName.ALLOW));
        assertEquals(1, decoder.count(HeaderName.CONTACT));
        assertEquals(decoder.contentLength(), decoder.bodyLength());
        assertEquals(buffer.capacity(), decoder.bodyOffset() + decoder.bodyLength());
        assertEquals(buffer.capacity(), decoder.messageLength());
        assertEquals('v', buffer.getByte(decoder.bodyOffset()));
    }

    @Test
    void shouldSplitListValuesOutsideQuotesAndAnglesWhenHeaderIsMultiValued()
    {
        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST +
            "Contact: \"Smith, John\" <sip:j@example.com>;x=\"a,b\";q=0.5 , <sip:k,l@example.com>\r\n" +
            "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\n" +
            "Content-Length: 0\r\n\r\n"));
        final int first = decoder.firstIndexOf(HeaderName.CONTACT);
        assertEquals("\"Smith, John\" <sip:j@example.com>;x=\"a,b\";q=0.5", value(first));
        final int second = decoder.nextIndexOf(HeaderName.CONTACT, first);
        assertEquals("<sip:k,l@example.com>", value(second));
        assertEquals(-1, decoder.nextIndexOf(HeaderName.CONTACT, second));
        assertEquals(0, decoder.lineValueIndex(first));
        assertEquals(1, decoder.lineValueIndex(second));
        assertEquals(2, decoder.lineValueCount(first));
        assertEquals(decoder.lineOffset(first), decoder.lineOffset(second));
        assertEquals(2, decoder.count(HeaderName.ROUTE));
        assertEquals("<sip:p2.example.com;lr>", value(decoder.nextIndexOf(HeaderName.ROUTE,
            decoder.firstIndexOf(HeaderName.ROUTE))));
    }

    @Test
    void shouldChainValuesOfAHeaderAcrossLinesWhenOtherHeadersAreBetween()
    {
        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST +
            "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n" +
            "Supported: timer\r\n" +
            "Route: <sip:p3.example.com;lr>\r\n" +
            "Supported: path, gruu\r\n" +
            "Route: <sip:p4.example.com;lr>,<sip:p5.example.com;lr>\r\n" +
            "Content-Length: 0\r\n\r\n"));
        final StringBuilder routes = new StringBuilder();
        for (int i = decoder.firstIndexOf(HeaderName.ROUTE); i >= 0; i = decoder.nextIndexOf(HeaderName.ROUTE, i))
        {
            routes.append(value(i)).append(' ');
        }
        assertEquals("<sip:p1.example.com;lr> <sip:p2.example.com;lr> <sip:p3.example.com;lr> " +
            "<sip:p4.example.com;lr> <sip:p5.example.com;lr> ", routes.toString());
        assertEquals(5, decoder.count(HeaderName.ROUTE));
        assertEquals(3, decoder.count(HeaderName.SUPPORTED));
        final int gruu = decoder.nextIndexOf(HeaderName.SUPPORTED,
            decoder.nextIndexOf(HeaderName.SUPPORTED, decoder.firstIndexOf(HeaderName.SUPPORTED)));
        assertEquals("gruu", value(gruu));
        assertEquals(-1, decoder.nextIndexOf(HeaderName.SUPPORTED, gruu));
        assertEquals(-1, decoder.firstIndexOf(HeaderName.RECORD_ROUTE));
        assertEquals(0, decoder.count(HeaderName.RECORD_ROUTE));
    }

    @Test
    void shouldKeepValuesIndexedBeforeAnErrorInTheSameLineReachable()
    {
        assertInvalid(SipMessageDecoder.REASON_VIA, BASE_REQUEST.replace(
            "z9hG4bK776asdhds\r\n", "z9hG4bK776asdhds, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK2, \r\n") + "\r\n");
        assertEquals(2, decoder.count(HeaderName.VIA));
        final int first = decoder.firstIndexOf(HeaderName.VIA);
        assertEquals("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds", value(first));
        final int second = decoder.nextIndexOf(HeaderName.VIA, first);
        assertEquals("SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK2", value(second));
        assertEquals(-1, decoder.nextIndexOf(HeaderName.VIA, second));
        assertEquals(decoder.lineOffset(first), decoder.lineOffset(second));
    }

    @Test
    void shouldGiveWholeLineRangeWhenValueIsFolded()
    {
        final String via = "Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKa,\r\n  SIP/2.0/UDP 192.0.2.3;branch=z9hG4bKb\r\n";
        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST + via + "Subject: one,\r\n\ttwo\r\n\r\n"));
        final int subject = decoder.firstIndexOf(HeaderName.SUBJECT);
        assertEquals("one,\r\n\ttwo", value(subject));
        assertEquals(3, decoder.count(HeaderName.VIA));
        final int folded = decoder.nextIndexOf(HeaderName.VIA, decoder.firstIndexOf(HeaderName.VIA));
        assertEquals("SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKa", value(folded));
        final int last = decoder.nextIndexOf(HeaderName.VIA, folded);
        assertEquals("SIP/2.0/UDP 192.0.2.3;branch=z9hG4bKb", value(last));
        assertEquals(via, SipBytes.toString(decoder.buffer(), decoder.lineOffset(last), decoder.lineLength(last)));
    }

    @Test
    void shouldResolveCompactFormsWhenNamesAreShortOrMixedCase()
    {
        assertEquals(SipMessageDecoder.OK, decode(
            "MESSAGE sip:bob@example.com SIP/2.0\r\n" +
            "v: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1\r\n" +
            "t: <sip:bob@example.com>\r\n" +
            "f: <sip:alice@example.com>;tag=1\r\n" +
            "i: abc@192.0.2.1\r\n" +
            "cSeQ: 1 MESSAGE\r\n" +
            "c: text/plain\r\n" +
            "l: 5\r\n" +
            "\r\nhello trailing junk"));
        assertEquals(1, decoder.count(HeaderName.VIA));
        assertEquals(5, decoder.contentLength());
        assertEquals(1, decoder.nameLength(decoder.contentLengthIndex()));
        assertEquals("hello", SipBytes.toString(decoder.buffer(), decoder.bodyOffset(), decoder.bodyLength()));
        assertEquals("abc@192.0.2.1",
            SipBytes.toString(decoder.buffer(), decoder.callIdOffset(), decoder.callIdLength()));
    }

    @Test
    void shouldDecodeStatusLineWhenResponseIsWellFormed()
    {
        assertEquals(SipMessageDecoder.OK, decode(
            "SIP/2.0 180 Ringing\r\n" + BASE_REQUEST.substring(BASE_REQUEST.indexOf('\n') + 1) + "\r\n"));
        assertFalse(decoder.isRequest());
        assertEquals(180, decoder.statusCode());
        assertEquals("Ringing",
            SipBytes.toString(decoder.buffer(), decoder.reasonPhraseOffset(), decoder.reasonPhraseLength()));
        assertEquals(-1, decoder.maxForwards());
        assertEquals(0, decoder.bodyLength());
    }

    @Test
    void shouldReportVersionAndKeepIndexWhenVersionIsNot20()
    {
        assertEquals(SipMessageDecoder.VERSION_NOT_SUPPORTED,
            decode(BASE_REQUEST.replace("SIP/2.0\r\n", "SIP/7.0\r\n") + "\r\n"));
        assertEquals(SipMessageDecoder.REASON_VERSION, decoder.reason());
        assertEquals(1, decoder.count(HeaderName.VIA));
        assertEquals(63104, decoder.cseqNumber());
    }

    @Test
    void shouldRejectWithReasonWhenMessageIsMalformed()
    {
        assertInvalid(SipMessageDecoder.REASON_MISSING_CALL_ID,
            BASE_REQUEST.replace("Call-ID: a84b4c76e66710@pc33.example.com\r\n", "") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_CALL_ID,
            BASE_REQUEST.replace("a84b4c76e66710@pc33.example.com", "a b@c") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_CSEQ_METHOD, BASE_REQUEST.replace("63104 OPTIONS", "1 INVITE") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_CSEQ_METHOD,
            BASE_REQUEST.replace("63104 OPTIONS", "1 options") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_CSEQ_METHOD,
            BASE_REQUEST.replace("63104 OPTIONS", "1 OPTIONSX") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_CSEQ_METHOD,
            BASE_REQUEST.replace("OPTIONS sip:", "FOO sip:").replace("63104 OPTIONS", "1 FOD") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_CSEQ, BASE_REQUEST.replace("63104", "4294967296") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_CONTENT_LENGTH, BASE_REQUEST + "Content-Length: -1\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_CONTENT_LENGTH_BEYOND, BASE_REQUEST + "Content-Length: 10\r\n\r\nabc");
        assertInvalid(SipMessageDecoder.REASON_CONFLICTING_CONTENT_LENGTH,
            BASE_REQUEST + "Content-Length: 0\r\nl: 3\r\n\r\nabc");
        assertInvalid(SipMessageDecoder.REASON_MULTIPLE_TO, BASE_REQUEST + "To: <sip:x@example.com>\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_MAX_FORWARDS, BASE_REQUEST + "Max-Forwards: 256\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_QUOTE, BASE_REQUEST + "Contact: \"open <sip:a@b>\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_NO_END_OF_HEADERS, BASE_REQUEST);
        assertInvalid(SipMessageDecoder.REASON_HEADER, BASE_REQUEST + "Bad Header: x\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_HEADER_CHAR, BASE_REQUEST + "X-A: a\u0001b\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_REQUEST_LINE, "INVITE  sip:a@b SIP/2.0\r\n" + "\r\n");
        assertInvalid(SipUriDecoder.REASON_SCHEME,
            BASE_REQUEST.replace("sip:bob@example.com SIP", "<sip:b@c> SIP") + "\r\n");
        assertInvalid(SipMessageDecoder.REASON_REQUEST_URI_HEADERS,
            BASE_REQUEST.replace("sip:bob@example.com SIP", "sip:b@c?Route=x SIP") + "\r\n");
        assertInvalid(ViaDecoder.REASON_SENT_PROTOCOL, BASE_REQUEST + "Via: SIP/2.0 192.0.2.9\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_STATUS_CODE, "SIP/2.0 4294967301 big\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_STATUS_CODE, "SIP/2.0 099 low\r\n\r\n");
        assertInvalid(SipMessageDecoder.REASON_VIA, BASE_REQUEST + "Via: a,,b\r\n\r\n");
    }

    @Test
    void shouldRejectWhenLimitsAreExceeded()
    {
        final SipMessageDecoder small = new SipMessageDecoder(300, 6);
        final UnsafeBuffer big = ascii(BASE_REQUEST + "Subject: " + "x".repeat(300) + "\r\n\r\n");
        assertEquals(SipMessageDecoder.TOO_LARGE, small.wrap(big, 0, big.capacity()));
        final UnsafeBuffer many = ascii(BASE_REQUEST + "Route: <sip:a>,<sip:b>\r\n\r\n");
        assertEquals(SipMessageDecoder.INVALID, small.wrap(many, 0, many.capacity()));
        assertEquals(SipMessageDecoder.REASON_TOO_MANY_HEADERS, small.reason());
    }

    @Test
    void shouldRejectTooManyValuesWhenOneListLineHoldsMoreCommasThanTheLimit()
    {
        final SipMessageDecoder small = new SipMessageDecoder(2_000, 12);
        final UnsafeBuffer many = ascii(BASE_REQUEST + "Allow: " + "A, ".repeat(40) + "B\r\n\r\n");
        assertEquals(SipMessageDecoder.INVALID, small.wrap(many, 0, many.capacity()));
        assertEquals(SipMessageDecoder.REASON_TOO_MANY_HEADERS, small.reason());
        assertEquals(12, small.headerCount());
    }

    @Test
    void shouldKeepTheValuesBeforeAnErrorInTheSameLineReachableWhenALineIsMalformed()
    {
        // A 400 copies the Vias of the request, so those before the bad byte must stay indexed.
        assertEquals(SipMessageDecoder.INVALID, decode(BASE_REQUEST +
            "Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKtwo, SIP/2.0/UDP 192.0.2.3;bra\u0001nch=z9hG4bKthree\r\n\r\n"));
        assertEquals(SipMessageDecoder.REASON_HEADER_CHAR, decoder.reason());
        assertEquals(2, decoder.count(HeaderName.VIA));
        final int second = decoder.nextIndexOf(HeaderName.VIA, decoder.firstIndexOf(HeaderName.VIA));
        assertEquals("SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKtwo", value(second));

        assertEquals(SipMessageDecoder.INVALID, decode(BASE_REQUEST +
            "Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKtwo, SIP/2.0/UDP 192.0.2.3\rx\r\n\r\n"));
        assertEquals(SipMessageDecoder.REASON_HEADER_CHAR, decoder.reason());
        assertEquals(2, decoder.count(HeaderName.VIA));

        assertEquals(SipMessageDecoder.INVALID, decode(BASE_REQUEST +
            "Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKtwo, SIP/2.0/UDP 192.0.2.3;x=\"a\\\r\n\r\n"));
        assertEquals(SipMessageDecoder.REASON_QUOTE, decoder.reason());
        assertEquals(2, decoder.count(HeaderName.VIA));
    }

    @Test
    void shouldTrimWhiteSpaceAroundListValuesWhenSpacingVaries()
    {
        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST +
            "Supported:timer,  path ,\ttimer2\t, \t 100rel \r\n  , gruu\r\n\r\n"), decoder.reason());
        final String[] expected = {"timer", "path", "timer2", "100rel", "gruu"};
        int index = decoder.firstIndexOf(HeaderName.SUPPORTED);
        for (final String option : expected)
        {
            assertEquals(option, value(index));
            index = decoder.nextIndexOf(HeaderName.SUPPORTED, index);
        }
        assertEquals(-1, index);
    }

    @Test
    void shouldTakeRestOfDatagramAsBodyWhenContentLengthIsAbsent()
    {
        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST + "\r\nv=0\r\n"));
        assertEquals(-1, decoder.contentLength());
        assertEquals(-1, decoder.contentLengthIndex());
        assertEquals("v=0\r\n", SipBytes.toString(decoder.buffer(), decoder.bodyOffset(), decoder.bodyLength()));
        assertEquals(BASE_REQUEST.length() + 7, decoder.messageLength());
    }

    @Test
    void shouldReportKeepAliveWhenDatagramIsOnlyLineEnds()
    {
        assertEquals(SipMessageDecoder.KEEP_ALIVE, decode("\r\n\r\n"));
    }

    @Test
    void shouldIgnoreLeadingLineEndsWhenMessageFollows()
    {
        assertEquals(SipMessageDecoder.OK, decode("\r\n" + BASE_REQUEST + "\r\n"));
        assertEquals(2, decoder.messageOffset());
        assertEquals(BASE_REQUEST.length() + 2, decoder.messageLength());
    }

    @Test
    void shouldLeaveContactsToTheirUsersWhenRequestIsOtherwiseWellFormed()
    {
        final String malformed = BASE_REQUEST + "Contact: <sip:carol@192.0.2.3>, sip:a@b?x=y\r\n\r\n";
        assertEquals(SipMessageDecoder.OK, decode(malformed), decoder.reason());
        assertEquals(2, decoder.count(HeaderName.CONTACT));

        assertFalse(decoder.validateContacts());
        assertEquals(SipMessageDecoder.INVALID, decoder.result());
        assertEquals(NameAddrDecoder.REASON_ADDR_SPEC, decoder.reason());

        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST + "Contact: *\r\nm: <sip:carol@192.0.2.3>\r\n\r\n"));
        assertTrue(decoder.validateContacts());
        assertEquals(SipMessageDecoder.OK, decoder.result());
        assertEquals(SipMessageDecoder.OK, decode(BASE_REQUEST + "\r\n"));
        assertTrue(decoder.validateContacts());

        assertEquals(SipMessageDecoder.INVALID, decode(BASE_REQUEST + "Contact: <sip:c@d>\r\n"));
        assertFalse(decoder.validateContacts());
        assertEquals(SipMessageDecoder.REASON_NO_END_OF_HEADERS, decoder.reason());
    }

    @Test
    void shouldReadTheRequestLineTheSameWayWhetherItIsTheCommonShapeOrNot()
    {
        final String headers = BASE_REQUEST.substring(BASE_REQUEST.indexOf("\r\n") + 2) + "\r\n";
        final String[] lines = {
            "OPTIONS sip:bob@example.com SIP/2.0\r\n",
            "OPTIONS sip:bob@example.com sip/2.0\r\n",
            "OPTIONS sip:bob@example.com SIP/2.0\n",
            "OPTIONS  sip:bob@example.com SIP/2.0\r\n",
            "OPTIONS sip:bob@example.com SIP/2.0 \r\n",
            "OPTIONS sip:bob@example.com SIP/2.1\r\n",
            "OPTIONS sip:bob@exa\u00e9mple.com SIP/2.0\r\n",
            "OPTIONS sip:bob@example.com SIP/2.0\r"};
        final int[] results = {
            SipMessageDecoder.OK, SipMessageDecoder.OK, SipMessageDecoder.OK, SipMessageDecoder.INVALID,
            SipMessageDecoder.INVALID, SipMessageDecoder.VERSION_NOT_SUPPORTED, SipMessageDecoder.INVALID,
            SipMessageDecoder.INVALID};
        for (int i = 0; i < lines.length; i++)
        {
            final String message = lines[i] + (i == lines.length - 1 ? "" : headers);
            assertEquals(results[i], decode(message), message);
            if (results[i] == SipMessageDecoder.OK)
            {
                assertEquals(SipMethod.OPTIONS, decoder.method());
                assertEquals("sip:bob@example.com", SipBytes.toString(
                    decoder.buffer(), decoder.requestUriOffset(), decoder.requestUriLength()));
                assertEquals(lines[i].trim().substring(lines[i].lastIndexOf(' ') + 1), SipBytes.toString(
                    decoder.buffer(), decoder.versionOffset(), decoder.versionLength()));
                assertEquals(lines[i].length(), decoder.startLineLength());
            }
        }
    }

    private void assertInvalid(final String reason, final String message)
    {
        assertEquals(SipMessageDecoder.INVALID, decode(message), message);
        assertEquals(reason, decoder.reason(), message);
    }
}
