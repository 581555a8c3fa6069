package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static io.corral.engine.sip.codec.SipMessageDecoder.OK;
import static io.corral.engine.sip.codec.SipMessageEditorTest.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SipResponseBuilderTest
{
    private static final String INVITE =
        "INVITE sip:bob@example.com SIP/2.0\r\n" +
        "Record-Route: <sip:p1.example.com;lr>\r\n" +
        "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1, SIP/2.0/TCP p2.example.com;branch=z9hG4bKp2\r\n" +
        "Max-Forwards: 69\r\n" +
        "v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds;received=192.0.2.4\r\n" +
        "To: Bob <sip:bob@example.com>\r\n" +
        "From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Timestamp: 54.2 0.3\r\n" +
        "Contact: <sip:alice@pc33.example.com>\r\n" +
        "Content-Length: 4\r\n" +
        "\r\n" +
        "body";
    private static final String TAG = "a6c85cf";

    private final SipMessageDecoder request = new SipMessageDecoder();
    private final SipMessageDecoder response = new SipMessageDecoder();
    private final SipResponseBuilder builder = new SipResponseBuilder();
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldCopyViasFromCallIdCSeqAndAddToTagWhen487AndToHasNoTag()
    {
        decodeRequest(INVITE);

        final String built = build(SipStatus.REQUEST_TERMINATED, null, TAG);

        assertEquals(
            "SIP/2.0 487 Request Terminated\r\n" +
            "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1, SIP/2.0/TCP p2.example.com;branch=z9hG4bKp2\r\n" +
            "v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds;received=192.0.2.4\r\n" +
            "From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
            "To: Bob <sip:bob@example.com>;tag=" + TAG + "\r\n" +
            "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
            "CSeq: 314159 INVITE\r\n" +
            "Content-Length: 0\r\n" +
            "\r\n", built);
        assertEquals(3, response.count(HeaderName.VIA));
        for (int r = response.firstIndexOf(HeaderName.VIA), q = request.firstIndexOf(HeaderName.VIA); r >= 0;
            r = response.nextIndexOf(HeaderName.VIA, r), q = request.nextIndexOf(HeaderName.VIA, q))
        {
            assertEquals(value(request, q), value(response, r));
        }
        assertEquals(TAG, toTag(response));
        assertEquals(SipMethod.INVITE, response.cseqMethod());
        assertEquals(314159, response.cseqNumber());
    }

    @Test
    void shouldKeepExistingToTagWhenResponseIsGivenAnotherOne()
    {
        decodeRequest(INVITE.replace("To: Bob <sip:bob@example.com>", "To: Bob <sip:bob@example.com> ;tag=xyz"));

        build(SipStatus.REQUEST_TERMINATED, null, TAG);

        assertEquals("xyz", toTag(response));
        assertEquals("Bob <sip:bob@example.com> ;tag=xyz", value(response, response.firstIndexOf(HeaderName.TO)));
    }

    @Test
    void shouldAddNoToTagWhenTagLengthIsMinusOne()
    {
        decodeRequest(INVITE);

        builder.buildResponse(request, SipStatus.BUSY_HERE, null, null, 0, -1, out, 0);

        assertEquals("Bob <sip:bob@example.com>", value(decodeResponse(), response.firstIndexOf(HeaderName.TO)));
    }

    @Test
    void shouldBuildTryingWithoutToTagAndWithTimestampWhenRequestHasOne()
    {
        decodeRequest(INVITE);

        final int length = builder.buildTrying(request, out, 0);

        assertEquals(OK, response.wrap(out, 0, length));
        assertEquals(SipStatus.TRYING, response.statusCode());
        assertEquals("Trying", SipBytes.toString(out, response.reasonPhraseOffset(), response.reasonPhraseLength()));
        assertFalse(hasToTag(response));
        assertEquals("54.2 0.3", value(response, response.firstIndexOf(HeaderName.TIMESTAMP)));
        assertEquals(0, response.count(HeaderName.RECORD_ROUTE));
        assertEquals(3, response.count(HeaderName.VIA));
    }

    @Test
    void shouldLeaveTimestampOutWhenResponseIsNotTrying()
    {
        decodeRequest(INVITE);

        build(SipStatus.RINGING, null, TAG);

        assertEquals(0, response.count(HeaderName.TIMESTAMP));
    }

    @ParameterizedTest(name = "{0} to {1}: {2} Record-Route")
    @CsvSource({"180,INVITE,1", "200,INVITE,1", "200,SUBSCRIBE,1", "486,INVITE,0", "200,OPTIONS,0", "100,INVITE,0"})
    void shouldCopyRecordRouteOnlyWhenResponseMayEstablishDialog(
        final int statusCode, final String method, final int recordRoutes)
    {
        decodeRequest(INVITE.replace("INVITE", method));

        builder.buildResponse(request, statusCode, null, ascii(TAG), 0, TAG.length(), out, 0);

        assertEquals(recordRoutes, decodeResponse().count(HeaderName.RECORD_ROUTE));
    }

    @Test
    void shouldWriteOptionalHeadersAndBodyWhenSetBeforeBuild()
    {
        decodeRequest(INVITE);
        final UnsafeBuffer sdp = ascii("v=0\r\ns=-\r\n");

        builder.withWarning(399, bytes("edge.example.com"), bytes("Overloaded"))
            .withUnsupported(ascii("100rel"), 0, 6)
            .withAllow(bytes("INVITE, ACK, CANCEL, BYE, OPTIONS"))
            .withRetryAfter(120)
            .withContact(ascii("<sip:192.0.2.1>"), 0, 15)
            .withHeader(bytes("Server"), bytes("Corral"))
            .withBody(bytes("application/sdp"), sdp, 0, sdp.capacity());
        final String built = build(SipStatus.SERVICE_UNAVAILABLE, bytes("Busy Now"), TAG);

        assertTrue(built.startsWith("SIP/2.0 503 Busy Now\r\n"), built);
        assertTrue(built.endsWith("CSeq: 314159 INVITE\r\n" +
            "Warning: 399 edge.example.com \"Overloaded\"\r\n" +
            "Unsupported: 100rel\r\n" +
            "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n" +
            "Retry-After: 120\r\n" +
            "Contact: <sip:192.0.2.1>\r\n" +
            "Server: Corral\r\n" +
            "Content-Type: application/sdp\r\n" +
            "Content-Length: 10\r\n" +
            "\r\n" +
            "v=0\r\ns=-\r\n"), built);
        assertEquals(10, response.bodyLength());
        assertEquals(5, response.count(HeaderName.ALLOW));
    }

    @Test
    void shouldWriteTheGivenTopViaValueAndKeepTheOtherViasWhenTopViaIsSet()
    {
        decodeRequest(INVITE);
        final UnsafeBuffer topVia = ascii("SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1;rport=5062;received=192.0.2.9");
        builder.withTopVia(topVia, 0, topVia.capacity());

        final String built = build(SipStatus.OK, null, TAG);

        assertTrue(built.startsWith("SIP/2.0 200 OK\r\n" +
            "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1;rport=5062;received=192.0.2.9, " +
            "SIP/2.0/TCP p2.example.com;branch=z9hG4bKp2\r\n" +
            "v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds;received=192.0.2.4\r\n" +
            "Record-Route: <sip:p1.example.com;lr>\r\n"), built);
        assertEquals(3, response.count(HeaderName.VIA));
        assertEquals(5062, response.topVia().rport());

        final String next = build(SipStatus.OK, null, TAG);
        assertTrue(next.startsWith("SIP/2.0 200 OK\r\n" +
            "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1, SIP/2.0/TCP p2.example.com;branch=z9hG4bKp2\r\n"),
            "the next build copies the request's Via again: " + next);
    }

    @Test
    void shouldForgetOptionalHeadersWhenResponseWasBuilt()
    {
        decodeRequest(INVITE);
        builder.withRetryAfter(5).withBody(bytes("text/plain"), ascii("x"), 0, 1);
        build(SipStatus.SERVICE_UNAVAILABLE, null, TAG);

        build(SipStatus.SERVICE_UNAVAILABLE, null, TAG);

        assertEquals(0, response.count(HeaderName.RETRY_AFTER));
        assertEquals(0, response.count(HeaderName.CONTENT_TYPE));
        assertEquals(0, response.contentLength());
    }

    @Test
    void shouldFailAndForgetOptionalHeadersWhenTheyOverflow()
    {
        final SipResponseBuilder small = new SipResponseBuilder(32);
        decodeRequest(INVITE);
        small.withHeader(bytes("X-Long"), bytes("a".repeat(40)));

        assertEquals(-1, small.buildResponse(request, SipStatus.BUSY_HERE, null, null, 0, -1, out, 0));
        assertTrue(small.buildResponse(request, SipStatus.BUSY_HERE, null, null, 0, -1, out, 0) > 0);
    }

    @Test
    void shouldReturnMinusOneWhenDestinationIsTooSmall()
    {
        decodeRequest(INVITE);
        final int length = builder.buildResponse(request, SipStatus.BUSY_HERE, null, null, 0, -1, out, 0);

        assertEquals(-1, builder.buildResponse(
            request, SipStatus.BUSY_HERE, null, null, 0, -1, new UnsafeBuffer(new byte[length - 1]), 0));
        assertEquals(length, builder.buildResponse(
            request, SipStatus.BUSY_HERE, null, null, 0, -1, new UnsafeBuffer(new byte[length + 3]), 3));
    }

    @Test
    void shouldRefuseWhenMessageIsAckOrResponseOrStatusIsOutOfRange()
    {
        decodeRequest(INVITE.replace("INVITE", "ACK"));
        assertEquals(-1, builder.buildResponse(request, SipStatus.OK, null, null, 0, -1, out, 0));

        decodeRequest(INVITE);
        assertEquals(-1, builder.buildResponse(request, 99, null, null, 0, -1, out, 0));
        assertEquals(-1, builder.buildResponse(request, 700, null, null, 0, -1, out, 0));

        final int length = builder.buildTrying(request, out, 0);
        assertEquals(OK, response.wrap(out, 0, length));
        assertEquals(-1, builder.buildResponse(response, SipStatus.OK, null, null, 0, -1, out, 0));
    }

    @Test
    void shouldCopyFoldedAndOddlySpacedLinesByteForByteWhenRequestIsWsinv() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/valid/wsinv.sip");
        assertEquals(OK, request.wrap(buffer, 0, buffer.capacity()));
        final String original = SipBytes.toString(buffer, 0, buffer.capacity());

        final String built = build(SipStatus.NOT_FOUND, null, TAG);

        assertTrue(built.contains("Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw\r\n"), built);
        assertTrue(built.contains("cseq: 0009\r\n  INVITE\r\n"), built);
        final int v = original.indexOf("v:  SIP");
        assertTrue(built.contains(original.substring(v, original.indexOf("m:\"Quoted"))), built);
        assertEquals("1918181833n", toTag(response));
        assertEquals(3, response.count(HeaderName.VIA));
    }

    @Test
    void shouldAnswerBadRequestWithTheHeadersIndexedWhenRequestIsInvalid() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/invalid/insuf.sip");
        assertEquals(SipMessageDecoder.INVALID, request.wrap(buffer, 0, buffer.capacity()));

        final int length = builder.buildResponse(request, SipStatus.BAD_REQUEST,
            request.reason().getBytes(StandardCharsets.US_ASCII), ascii(TAG), 0, TAG.length(), out, 0);

        assertEquals(
            "SIP/2.0 400 Missing From\r\n" +
            "Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf\r\n" +
            "CSeq: 193942 INVITE\r\n" +
            "Content-Length: 0\r\n\r\n", SipBytes.toString(out, 0, length));
    }

    @Test
    void shouldLeaveTheUnfinishedLineOutWhenRequestFailedInsideHeaders()
    {
        final String bad = "OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n" +
            "From: <sip:a@b>;tag=1\r\nVia: SIP/2.0/UDP h2;branch=z9hG4bK2, \"unterminated\r\nCall-ID: c\r\n\r\n";
        assertEquals(SipMessageDecoder.INVALID, request.wrap(ascii(bad), 0, bad.length()));
        assertEquals(2, request.count(HeaderName.VIA));

        final int length = builder.buildResponse(request, SipStatus.BAD_REQUEST, null, null, 0, -1, out, 0);

        assertEquals("SIP/2.0 400 Bad Request\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n" +
            "Content-Length: 0\r\n\r\n", SipBytes.toString(out, 0, length));
    }

    @Test
    void shouldAnswerVersionNotSupportedWhenVersionIsUnknown() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/invalid/badvers.sip");
        assertEquals(SipMessageDecoder.VERSION_NOT_SUPPORTED, request.wrap(buffer, 0, buffer.capacity()));

        build(SipStatus.VERSION_NOT_SUPPORTED, null, TAG);

        assertEquals(505, response.statusCode());
        assertEquals(TAG, toTag(response));
    }

    @Test
    void shouldEndCopiedLinesWithCrlfWhenRequestUsedBareLf()
    {
        decodeRequest(INVITE.replace("\r\n", "\n"));

        final String built = build(SipStatus.BUSY_HERE, null, TAG);

        assertEquals(-1, built.replace("\r\n", "").indexOf('\n'), built);
        assertTrue(built.contains("\r\nCall-ID: a84b4c76e66710@pc33.example.com\r\n"));
    }

    private String build(final int statusCode, final byte[] reason, final String tag)
    {
        final int length = builder.buildResponse(request, statusCode, reason, ascii(tag), 0, tag.length(), out, 0);
        assertTrue(length > 0);
        assertEquals(OK, response.wrap(out, 0, length), response.reason());
        return SipBytes.toString(out, 0, length);
    }

    private void decodeRequest(final String message)
    {
        assertEquals(OK, request.wrap(ascii(message), 0, message.length()), request.reason());
    }

    private SipMessageDecoder decodeResponse()
    {
        assertEquals(OK, response.wrap(out, 0, out.capacity()), response.reason());
        return response;
    }

    private boolean hasToTag(final SipMessageDecoder message)
    {
        final int to = message.firstIndexOf(HeaderName.TO);
        assertTrue(nameAddr.wrap(message.buffer(), message.valueOffset(to), message.valueLength(to)));
        return nameAddr.hasTag();
    }

    private String toTag(final SipMessageDecoder message)
    {
        assertTrue(hasToTag(message));
        return SipBytes.toString(message.buffer(), nameAddr.tagOffset(), nameAddr.tagLength());
    }

    private static String value(final SipMessageDecoder decoder, final int index)
    {
        return SipBytes.toString(decoder.buffer(), decoder.valueOffset(index), decoder.valueLength(index));
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
