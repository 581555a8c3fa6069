package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.corral.engine.sip.codec.SipMessageDecoder.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SipMessageEditorTest
{
    private static final String INVITE =
        "INVITE sip:bob@example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa, SIP/2.0/UDP b.example.com;branch=z9hG4bKb," +
        "SIP/2.0/UDP c.example.com;branch=z9hG4bKc\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:bob@example.com>\r\n" +
        "From: <sip:alice@example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n" +
        "X-Unknown:  odd ;;, value\r\n" +
        "Content-Length: 4\r\n" +
        "\r\n" +
        "body";

    private static final String VIA_A = "SIP/2.0/UDP a.example.com;branch=z9hG4bKa";
    private static final String VIA_B = "SIP/2.0/UDP b.example.com;branch=z9hG4bKb";
    private static final String VIA_C = "SIP/2.0/UDP c.example.com;branch=z9hG4bKc";
    private static final String OURS = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKours";
    private static final String RR = "<sip:192.0.2.1;lr>";

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final SipMessageDecoder check = new SipMessageDecoder();
    private final SipMessageEditor editor = new SipMessageEditor();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[70_000]);

    static Stream<String> validFixtures() throws IOException, URISyntaxException
    {
        final Path root = Path.of(SipMessageEditorTest.class.getResource("/sip").toURI());
        final SipMessageDecoder decoder = new SipMessageDecoder();
        try (Stream<Path> files = Files.walk(root))
        {
            final List<String> valid = files
                .filter((path) -> path.toString().endsWith(".sip"))
                .map((path) -> "/" + root.getParent().relativize(path).toString().replace('\\', '/'))
                .sorted()
                .filter((path) -> decodes(decoder, path))
                .collect(Collectors.toList());
            assertTrue(valid.size() >= 40, "valid fixtures found: " + valid.size());
            return valid.stream();
        }
    }

    private static boolean decodes(final SipMessageDecoder decoder, final String path)
    {
        try
        {
            final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
            return decoder.wrap(buffer, 0, buffer.capacity()) == OK;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFixtures")
    void shouldEncodeTheMessageByteForByteWhenNothingIsEdited(final String path) throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        assertTrue(editor.wrap(decoder));

        final int length = editor.encode(out, 5);

        assertEquals(decoder.messageLength(), length);
        assertEquals(
            SipBytes.toString(buffer, decoder.messageOffset(), decoder.messageLength()),
            SipBytes.toString(out, 5, length));
        assertEquals(0, editor.editCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFixtures")
    void shouldForwardWithNewTopViaRecordRouteAndMaxForwardsWhenRequestIsValid(final String path) throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        if (!decoder.isRequest() || decoder.maxForwards() == 0)
        {
            return;
        }
        final int vias = decoder.count(HeaderName.VIA);
        final int recordRoutes = decoder.count(HeaderName.RECORD_ROUTE);
        final int maxForwards = decoder.maxForwards();
        final int headers = decoder.headerCount();
        final String body = SipBytes.toString(buffer, decoder.bodyOffset(), decoder.bodyLength());
        assertTrue(editor.wrap(decoder));

        assertTrue(editor.pushVia(ascii(OURS), 0, OURS.length()));
        assertTrue(editor.decrementMaxForwards());
        assertTrue(editor.addRecordRoute(ascii(RR), 0, RR.length()));
        final int length = editor.encode(out, 0);

        assertEquals(OK, check.wrap(out, 0, length), check.reason());
        assertEquals(vias + 1, check.count(HeaderName.VIA));
        assertEquals(OURS, value(check, check.firstIndexOf(HeaderName.VIA)));
        assertEquals(recordRoutes + 1, check.count(HeaderName.RECORD_ROUTE));
        assertEquals(RR, value(check, check.firstIndexOf(HeaderName.RECORD_ROUTE)));
        assertEquals(maxForwards < 0 ? 70 : maxForwards - 1, check.maxForwards());
        assertEquals(headers + (maxForwards < 0 ? 3 : 2), check.headerCount());
        assertEquals(body, SipBytes.toString(out, check.bodyOffset(), check.bodyLength()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFixtures")
    void shouldMakeTheSecondViaTopWhenTopViaIsPopped(final String path) throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        final int vias = decoder.count(HeaderName.VIA);
        if (vias < 2)
        {
            return;
        }
        final String second = value(decoder, decoder.nextIndexOf(HeaderName.VIA, decoder.firstIndexOf(HeaderName.VIA)));
        assertTrue(editor.wrap(decoder));

        assertTrue(editor.popVia());
        final int length = editor.encode(out, 0);

        assertEquals(OK, check.wrap(out, 0, length), check.reason());
        assertEquals(vias - 1, check.count(HeaderName.VIA));
        assertEquals(second, value(check, check.firstIndexOf(HeaderName.VIA)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFixtures")
    void shouldLeaveEveryOtherValueIntactWhenAnyOneValueOrPairOnALineIsRemoved(final String path) throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        final List<String> values = values(decoder);
        for (int i = 0; i < values.size(); i++)
        {
            assertRemoved(values, i, i);
            final int first = i - decoder.lineValueIndex(i);
            for (int j = first; j < first + decoder.lineValueCount(i); j++)
            {
                if (j != i)
                {
                    assertRemoved(values, i, j);
                }
            }
        }
    }

    private void assertRemoved(final List<String> values, final int first, final int second)
    {
        assertTrue(editor.wrap(decoder));
        assertTrue(editor.removeHeader(first));
        assertEquals(first == second, !editor.removeHeader(second));
        final int length = editor.encode(out, 0);
        final int id = decoder.headerId(first);
        final int removedOfId = first == second || decoder.headerId(second) != id ? 1 : 2;
        final boolean mandatory = id == HeaderName.VIA || id == HeaderName.FROM || id == HeaderName.TO ||
            id == HeaderName.CALL_ID || id == HeaderName.CSEQ;
        if (mandatory && decoder.count(id) == removedOfId)
        {
            return;
        }
        assertEquals(OK, check.wrap(out, 0, length), check.reason());
        final List<String> expected = new ArrayList<>(values);
        expected.remove(Math.max(first, second));
        if (first != second)
        {
            expected.remove(Math.min(first, second));
        }
        assertEquals(expected, values(check));
    }

    private static List<String> values(final SipMessageDecoder decoder)
    {
        final List<String> values = new ArrayList<>();
        for (int i = 0; i < decoder.headerCount(); i++)
        {
            values.add(decoder.headerId(i) + ":" + value(decoder, i));
        }
        return values;
    }

    @ParameterizedTest(name = "remove value {0}")
    @CsvSource(delimiter = '|', value = {
        "0|Via: " + VIA_B + "," + VIA_C,
        "1|Via: " + VIA_A + ", " + VIA_C,
        "2|Via: " + VIA_A + ", " + VIA_B})
    void shouldRemoveOneValueAndItsSeparatorWhenLineHoldsSeveral(final int which, final String line)
    {
        wrap(INVITE);

        assertTrue(editor.removeHeader(decoder.firstIndexOf(HeaderName.VIA) + which));

        assertEquals(INVITE.replace(INVITE.substring(INVITE.indexOf("Via:"), INVITE.indexOf("\r\nMax-")), line),
            encode());
        assertEquals(2, check.count(HeaderName.VIA));
    }

    @Test
    void shouldPopValuesInOrderAndThenTheLineWhenViaIsPoppedRepeatedly()
    {
        wrap(INVITE);

        assertTrue(editor.popVia());
        assertTrue(editor.popVia());
        assertTrue(encode().contains("\r\nVia: " + VIA_C + "\r\nMax-Forwards"));

        assertTrue(editor.popVia());
        assertFalse(editor.popVia());
        final String edited = encode(false);
        assertFalse(edited.contains("Via"));
        assertEquals(INVITE.replace(INVITE.substring(INVITE.indexOf("Via:"), INVITE.indexOf("Max-")), ""), edited);
    }

    @Test
    void shouldKeepTheFirstValueWhenTheLastTwoAreRemovedInAnyOrder()
    {
        wrap(INVITE);
        final int first = decoder.firstIndexOf(HeaderName.VIA);

        assertTrue(editor.removeHeader(first + 2));
        assertTrue(editor.removeHeader(first + 1));

        assertTrue(encode().contains("\r\nVia: " + VIA_A + "\r\nMax-Forwards"));
        assertEquals(1, check.count(HeaderName.VIA));
    }

    @Test
    void shouldKeepTheLastValueWhenTheFirstTwoAreRemovedMiddleFirst()
    {
        wrap(INVITE);
        final int first = decoder.firstIndexOf(HeaderName.VIA);

        assertTrue(editor.removeHeader(first + 1));
        assertTrue(editor.removeHeader(first));

        assertTrue(encode().contains("\r\nVia: " + VIA_C + "\r\nMax-Forwards"));
    }

    @Test
    void shouldRemoveTheWholeLineWhenRemovedValueIsTheOnlyOne()
    {
        wrap(INVITE);

        assertTrue(editor.removeHeader(decoder.firstIndexOf(HeaderName.MAX_FORWARDS)));

        assertEquals(INVITE.replace("Max-Forwards: 70\r\n", ""), encode());
        assertEquals(-1, check.maxForwards());
    }

    @Test
    void shouldRemoveTopRouteValueAndKeepTheRestWhenRouteIsOurs()
    {
        wrap(INVITE);

        assertTrue(editor.removeTopRoute());
        assertEquals(INVITE.replace("Route: <sip:p1.example.com;lr>, <sip", "Route: <sip"), encode());

        assertTrue(editor.removeTopRoute());
        assertFalse(editor.removeTopRoute());
        assertEquals(0, decodeEdited().count(HeaderName.ROUTE));
    }

    @Test
    void shouldPushViaAboveAllViasAndNotPopItWhenBothAreUsed()
    {
        wrap(INVITE);

        assertTrue(editor.pushVia(ascii(OURS), 0, OURS.length()));
        assertTrue(editor.popVia());

        encode();
        assertEquals(3, check.count(HeaderName.VIA));
        final int top = check.firstIndexOf(HeaderName.VIA);
        assertEquals(OURS, value(check, top));
        assertEquals(VIA_B, value(check, check.nextIndexOf(HeaderName.VIA, top)));
    }

    @Test
    void shouldEncodeOneCopyPerForkTargetWhenViaAndRequestUriAreSetAgain()
    {
        wrap(INVITE);
        assertTrue(editor.decrementMaxForwards());
        assertTrue(editor.addRecordRoute(ascii(RR), 0, RR.length()));
        final String[] targets = {"sip:bob@192.0.2.10", "sip:bob@192.0.2.11:5070"};

        for (int i = 0; i < targets.length; i++)
        {
            final String via = OURS + ".fork" + i;
            assertTrue(editor.pushVia(ascii(via), 0, via.length()));
            assertTrue(editor.setRequestUri(ascii(targets[i]), 0, targets[i].length()));

            final String edited = encode();

            assertEquals(INVITE.replace("sip:bob@example.com SIP/2.0\r\nVia:",
                targets[i] + " SIP/2.0\r\nRecord-Route: " + RR + "\r\nVia: " + via + "\r\nVia:")
                .replace("Max-Forwards: 70", "Max-Forwards: 69"), edited);
            assertEquals(4, check.count(HeaderName.VIA));
        }
        assertEquals(4, editor.editCount());
    }

    @Test
    void shouldInsertRecordRoutesAboveExistingInCallOrderWhenSeveralAreAdded() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/ua/kamailio-forwarded-invite.sip");
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        assertTrue(editor.wrap(decoder));

        assertTrue(editor.addRecordRoute(ascii("<sip:out;lr>"), 0, 12));
        assertTrue(editor.addRecordRoute(ascii("<sip:in;lr>"), 0, 11));
        final String edited = encode();

        assertTrue(edited.startsWith("INVITE sip:bob@10.0.0.20:5060 SIP/2.0\r\nRecord-Route: <sip:out;lr>\r\n" +
            "Record-Route: <sip:in;lr>\r\nRecord-Route: <sip:10.0.0.1;"), edited);
        assertEquals(4, check.count(HeaderName.RECORD_ROUTE));
    }

    @Test
    void shouldInsertRecordRouteAsFirstHeaderWhenThereIsNone()
    {
        wrap(INVITE);

        assertTrue(editor.addRecordRoute(ascii(RR), 0, RR.length()));

        assertTrue(encode().startsWith("INVITE sip:bob@example.com SIP/2.0\r\nRecord-Route: " + RR + "\r\nVia: "));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Max-Forwards: 70|Max-Forwards: 69",
        "Max-Forwards: 1|Max-Forwards: 0",
        "Max-Forwards:   0068  |Max-Forwards:   67  ",
        "Max-Forwards: 10|Max-Forwards: 9"})
    void shouldDecrementMaxForwardsInPlaceWhenPresent(final String before, final String after)
    {
        final String message = INVITE.replace("Max-Forwards: 70", before);
        wrap(message);

        assertTrue(editor.decrementMaxForwards());

        assertEquals(message.replace(before, after), encode());
    }

    @Test
    void shouldRefuseToDecrementWhenMaxForwardsIsZero()
    {
        wrap(INVITE.replace("Max-Forwards: 70", "Max-Forwards: 0"));

        assertFalse(editor.decrementMaxForwards());
        assertEquals(0, editor.editCount());
    }

    @Test
    void shouldInsertMaxForwardsSeventyAtEndOfHeadersWhenAbsent()
    {
        final String message = INVITE.replace("Max-Forwards: 70\r\n", "");
        wrap(message);

        assertTrue(editor.decrementMaxForwards());
        assertTrue(editor.decrementMaxForwards());

        assertEquals(message.replace("Content-Length: 4\r\n", "Content-Length: 4\r\nMax-Forwards: 70\r\n"), encode());
    }

    @Test
    void shouldRewriteRequestUriWhenSetAndKeepTheLastWhenSetTwice()
    {
        wrap(INVITE);

        assertTrue(editor.setRequestUri(ascii("sip:x@y"), 0, 7));
        final String uri = "sip:bob@10.0.0.2:5062;transport=udp";
        assertTrue(editor.setRequestUri(ascii(uri), 0, uri.length()));

        assertEquals(INVITE.replace("INVITE sip:bob@example.com ", "INVITE sip:bob@10.0.0.2:5062;transport=udp "),
            encode());
    }

    @Test
    void shouldRefuseRequestUriWhenMessageIsResponse()
    {
        wrap("SIP/2.0 200 OK\r\nVia: " + VIA_A + "\r\nTo: <sip:b@x>;tag=1\r\nFrom: <sip:a@x>;tag=2\r\n" +
            "Call-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");

        assertFalse(editor.setRequestUri(ascii("sip:x@y"), 0, 7));
    }

    @Test
    void shouldAppendHeadersAtEndOfHeadersInCallOrderWhenAdded()
    {
        wrap(INVITE);

        assertTrue(editor.addHeader(HeaderName.name(HeaderName.SUPPORTED), ascii("timer"), 0, 5));
        assertTrue(editor.addHeader(HeaderName.P_ASSERTED_IDENTITY, ascii("<sip:a@x>"), 0, 9));

        assertEquals(INVITE.replace("Content-Length: 4\r\n",
            "Content-Length: 4\r\nSupported: timer\r\nP-Asserted-Identity: <sip:a@x>\r\n"), encode());
        assertFalse(editor.addHeader(HeaderName.UNKNOWN, ascii("x"), 0, 1));
    }

    @Test
    void shouldReplaceOneValueAndKeepItsNeighboursWhenValueIsReplaced()
    {
        wrap(INVITE);
        final int second = decoder.firstIndexOf(HeaderName.ROUTE) + 1;

        assertTrue(editor.replaceHeaderValue(second, ascii("<sip:p3;lr>"), 0, 11));

        assertEquals(INVITE.replace("<sip:p2.example.com;lr>", "<sip:p3;lr>"), encode());
        assertFalse(editor.removeHeader(second));
        assertFalse(editor.removeHeaderLine(second - 1));
    }

    @Test
    void shouldRefuseToReplaceWhenValueWasRemoved()
    {
        wrap(INVITE);
        final int route = decoder.firstIndexOf(HeaderName.ROUTE);

        assertTrue(editor.removeHeader(route));

        assertFalse(editor.replaceHeaderValue(route, ascii("<sip:p3;lr>"), 0, 11));
        assertFalse(editor.appendToValue(route, ascii(";x"), 0, 2));
        assertEquals(1, editor.editCount());
    }

    @Test
    void shouldRemoveTheWholeLineWithAllValuesWhenLineIsRemoved()
    {
        wrap(INVITE);
        final int via = decoder.firstIndexOf(HeaderName.VIA);
        assertTrue(editor.removeHeader(via + 1));

        assertTrue(editor.removeHeaderLine(via + 2));
        assertFalse(editor.removeHeaderLine(via));
        assertFalse(editor.popVia());

        assertEquals(1, editor.editCount());
        assertEquals(INVITE.replace(INVITE.substring(INVITE.indexOf("Via:"), INVITE.indexOf("Max-")), ""),
            encode(false));
    }

    @Test
    void shouldPassUnknownHeaderThroughWhenOtherHeadersAreEdited()
    {
        wrap(INVITE);

        assertTrue(editor.popVia());
        assertTrue(editor.removeTopRoute());

        assertTrue(encode().contains("\r\nX-Unknown:  odd ;;, value\r\n"));
    }

    @Test
    void shouldAppendViaParametersAfterTheTopValueWhenAppended()
    {
        wrap(INVITE);

        assertTrue(editor.appendToValue(decoder.firstIndexOf(HeaderName.VIA), ascii(";received=192.0.2.7"), 0, 19));

        assertEquals(INVITE.replace("branch=z9hG4bKa,", "branch=z9hG4bKa;received=192.0.2.7,"), encode());
        assertFalse(editor.removeHeader(decoder.firstIndexOf(HeaderName.VIA)));
    }

    @Test
    void shouldFillInRportAndAddReceivedWhenTopViaAsksForSymmetricResponse() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/ua/linphone-invite.sip");
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        assertTrue(editor.wrap(decoder));
        final int top = decoder.firstIndexOf(HeaderName.VIA);
        final ViaDecoder via = new ViaDecoder();
        assertTrue(via.wrap(buffer, decoder.valueOffset(top), decoder.valueLength(top)));
        final int rport = via.findParameter("rport".getBytes(StandardCharsets.US_ASCII));
        final int rportEnd = via.parameters().nameOffset(rport) + via.parameters().nameLength(rport);

        assertTrue(editor.replaceSourceRange(rportEnd, rportEnd, ascii("=5062"), 0, 5));
        assertTrue(editor.appendToValue(top, ascii(";received=203.0.113.9"), 0, 21));
        assertFalse(editor.replaceSourceRange(rportEnd - 2, rportEnd + 1, ascii("x"), 0, 1));
        assertFalse(editor.replaceSourceRange(-1, 3, ascii("x"), 0, 1));

        encode();
        assertEquals("SIP/2.0/UDP 192.168.1.23:5060;branch=z9hG4bK.aLmYxP1dQ;rport=5062;received=203.0.113.9",
            value(check, check.firstIndexOf(HeaderName.VIA)));
    }

    @Test
    void shouldReplaceBodyAndContentLengthWhenBodyIsReplacedTwice()
    {
        wrap(INVITE);
        final UnsafeBuffer sdp = ascii("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");

        assertTrue(editor.replaceBody(ascii("xx"), 0, 2));
        assertTrue(editor.replaceBody(sdp, 0, sdp.capacity()));

        final String edited = encode();
        assertEquals(sdp.capacity(), check.contentLength());
        assertEquals(INVITE.replace("Content-Length: 4\r\n\r\nbody",
            "Content-Length: " + sdp.capacity() + "\r\n\r\n" + SipBytes.toString(sdp, 0, sdp.capacity())), edited);
        assertEquals(2, editor.editCount());
    }

    @Test
    void shouldKeepCompactContentLengthNameWhenBodyIsReplaced()
    {
        final String message = INVITE.replace("Content-Length: 4", "l:4");
        wrap(message);

        assertTrue(editor.replaceBody(ascii("hello!"), 0, 6));

        assertEquals(message.replace("l:4\r\n\r\nbody", "l:6\r\n\r\nhello!"), encode());
    }

    @Test
    void shouldInsertContentLengthWhenAbsentAndBodyIsReplaced()
    {
        final String message = INVITE.replace("Content-Length: 4\r\n", "");
        wrap(message);

        assertTrue(editor.replaceBody(ascii("abc"), 0, 3));
        assertTrue(editor.replaceBody(ascii(""), 0, 0));

        assertEquals(message.replace("value\r\n\r\nbody", "value\r\nContent-Length: 0\r\n\r\n"), encode());
        assertEquals(0, check.bodyLength());
    }

    @Test
    void shouldPopFoldedViaLineWholeAndKeepCompactViaWhenMessageIsWsinv() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/valid/wsinv.sip");
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        final String original = SipBytes.toString(buffer, 0, buffer.capacity());
        final String folded = "Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw\r\n";
        assertTrue(original.contains(folded));
        assertTrue(editor.wrap(decoder));

        assertTrue(editor.popVia());
        assertTrue(editor.decrementMaxForwards());
        assertTrue(editor.removeTopRoute());

        final String expected = original.replace(folded, "").replace("MaX-fOrWaRdS: 0068", "MaX-fOrWaRdS: 67")
            .replace("Route:\r\n <sip:services.example.com;lr;unknownwith=value;unknown-no-value>\r\n", "");
        assertEquals(expected, encode());
        assertEquals(2, check.count(HeaderName.VIA));
    }

    @Test
    void shouldRemoveSecondFoldedValueWithItsSeparatorWhenCompactViaHoldsTwo() throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource("/sip/torture/valid/wsinv.sip");
        assertEquals(OK, decoder.wrap(buffer, 0, buffer.capacity()));
        final String original = SipBytes.toString(buffer, 0, buffer.capacity());
        assertTrue(editor.wrap(decoder));
        final int top = decoder.firstIndexOf(HeaderName.VIA);
        final int last = decoder.nextIndexOf(HeaderName.VIA, decoder.nextIndexOf(HeaderName.VIA, top));

        assertTrue(editor.removeHeader(last));

        assertEquals(original.replace("z9hG4bK9ikj8  ,\r\n SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n" +
            " z9hG4bK30239\r\n", "z9hG4bK9ikj8\r\n"), encode());
    }

    @Test
    void shouldReturnMinusOneWhenDestinationIsTooSmall()
    {
        wrap(INVITE);
        assertTrue(editor.pushVia(ascii(OURS), 0, OURS.length()));
        final int length = editor.encodedLength();

        assertEquals(-1, editor.encode(new UnsafeBuffer(new byte[length - 1]), 0));
        assertEquals(-1, editor.encode(new UnsafeBuffer(new byte[length]), 1));
        assertEquals(length, editor.encode(new UnsafeBuffer(new byte[length]), 0));
    }

    @Test
    void shouldRefuseEditsAndChangeNothingWhenScratchIsFull()
    {
        final SipMessageEditor small = new SipMessageEditor(4, 64);
        assertEquals(OK, decoder.wrap(ascii(INVITE), 0, INVITE.length()));
        assertTrue(small.wrap(decoder));

        assertTrue(small.pushVia(ascii(OURS), 0, OURS.length()));
        assertFalse(small.pushVia(ascii(OURS), 0, OURS.length()));
        assertTrue(small.decrementMaxForwards());

        final int length = small.encode(out, 0);
        assertEquals(OK, check.wrap(out, 0, length));
        assertEquals(4, check.count(HeaderName.VIA));
        assertEquals(69, check.maxForwards());
    }

    @Test
    void shouldRefuseEditsWhenMaxEditsIsReached()
    {
        final SipMessageEditor small = new SipMessageEditor(2, 4096);
        assertEquals(OK, decoder.wrap(ascii(INVITE), 0, INVITE.length()));
        assertTrue(small.wrap(decoder));

        assertTrue(small.pushVia(ascii(OURS), 0, OURS.length()));
        assertTrue(small.decrementMaxForwards());
        assertFalse(small.addRecordRoute(ascii(RR), 0, RR.length()));
        assertFalse(small.replaceBody(ascii("x"), 0, 1));
        assertEquals(2, small.editCount());
    }

    @Test
    void shouldRefuseEverythingWhenDecoderHoldsNoValidMessage()
    {
        final String bad = "INVITE sip:x SIP/2.0\r\nTo: <sip:x>\r\n\r\n";
        assertFalse(decoder.wrap(ascii(bad), 0, bad.length()) == OK);

        assertFalse(editor.wrap(decoder));
        assertFalse(editor.pushVia(ascii(OURS), 0, OURS.length()));
        assertFalse(editor.popVia());
        assertFalse(editor.decrementMaxForwards());
        assertFalse(editor.replaceBody(ascii("x"), 0, 1));
        assertEquals(-1, editor.encode(out, 0));
    }

    @Test
    void shouldDropPreviousEditsWhenRewrapped()
    {
        wrap(INVITE);
        assertTrue(editor.popVia());

        assertTrue(editor.wrap(decoder));

        assertEquals(INVITE, encode());
    }

    @Test
    void shouldLeaveLeadingCrlfAndTrailingDatagramBytesOutWhenMessageIsFramed()
    {
        final String datagram = "\r\n" + INVITE + "trailing";
        assertEquals(OK, decoder.wrap(ascii(datagram), 0, datagram.length()));
        assertTrue(editor.wrap(decoder));

        assertEquals(INVITE, SipBytes.toString(out, 0, editor.encode(out, 0)));
    }

    @Test
    void shouldRejectIndexesOutOfRange()
    {
        wrap(INVITE);

        assertFalse(editor.removeHeader(-1));
        assertFalse(editor.removeHeader(decoder.headerCount()));
        assertFalse(editor.replaceHeaderValue(999, ascii("x"), 0, 1));
        assertFalse(editor.removeHeaderLine(-5));
        assertEquals(0, editor.editCount());
    }

    private void wrap(final String message)
    {
        assertEquals(OK, decoder.wrap(ascii(message), 0, message.length()), decoder.reason());
        assertTrue(editor.wrap(decoder));
    }

    private String encode()
    {
        return encode(true);
    }

    private String encode(final boolean mustDecode)
    {
        final int length = editor.encode(out, 0);
        assertEquals(editor.encodedLength(), length);
        if (mustDecode)
        {
            assertEquals(OK, check.wrap(out, 0, length), check.reason());
        }
        return SipBytes.toString(out, 0, length);
    }

    private SipMessageDecoder decodeEdited()
    {
        encode();
        return check;
    }

    private static String value(final SipMessageDecoder decoder, final int index)
    {
        return SipBytes.toString(decoder.buffer(), decoder.valueOffset(index), decoder.valueLength(index));
    }

    static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
