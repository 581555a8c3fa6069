package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallIdLocatorTest
{
    private final SipMessageDecoder decoder = new SipMessageDecoder();

    static Stream<String> messageFiles() throws IOException, URISyntaxException
    {
        final Path root = Path.of(CallIdLocatorTest.class.getResource("/sip").toURI()).getParent();
        try (Stream<Path> files = Files.walk(root))
        {
            return files.filter((path) -> path.toString().endsWith(".sip"))
                .map((path) -> "/" + root.relativize(path)).sorted().collect(Collectors.toList()).stream();
        }
    }

    @ParameterizedTest
    @MethodSource("messageFiles")
    void findsTheCallIdTheDecoderFindsOrDefers(final String path) throws IOException
    {
        final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
        final long located = CallIdLocator.locate(buffer, 0, buffer.capacity());
        if (decoder.wrap(buffer, 0, buffer.capacity()) == SipMessageDecoder.OK && located != CallIdLocator.NOT_FOUND)
        {
            assertEquals(decoder.callIdOffset(), CallIdLocator.offset(located), path);
            assertEquals(decoder.callIdLength(), CallIdLocator.length(located), path);
        }
    }

    @Test
    void locatesMostWellFormedMessagesOfTheSuite() throws IOException, URISyntaxException
    {
        int wellFormed = 0;
        int located = 0;
        for (final String path : messageFiles().collect(Collectors.toList()))
        {
            final UnsafeBuffer buffer = SipMessageDecoderTest.resource(path);
            if (decoder.wrap(buffer, 0, buffer.capacity()) == SipMessageDecoder.OK)
            {
                wellFormed++;
                if (CallIdLocator.locate(buffer, 0, buffer.capacity()) != CallIdLocator.NOT_FOUND)
                {
                    located++;
                }
            }
        }
        assertTrue(wellFormed > 50, "well-formed messages: " + wellFormed);
        // Only folded Call-ID lines defer to the decoder; the suite has a handful.
        assertTrue(located >= wellFormed - 5, located + " of " + wellFormed);
    }

    @Test
    void readsTheLongAndCompactFormsInAnyCaseAndTrimsTheValue()
    {
        assertCallId("a84b4c76e66710@pc33", "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n" +
            "CALL-id :  a84b4c76e66710@pc33 \t\r\nCSeq: 1 INVITE\r\n\r\n");
        assertCallId("abc", "SIP/2.0 200 OK\r\nContact: <sip:c@h>\r\ni:abc\r\nCSeq: 1 INVITE\r\n\r\n");
        assertCallId("abc", "SIP/2.0 200 OK\nI:\tabc\nCSeq: 1 INVITE\n\n");
    }

    @Test
    void skipsEmptyLinesBeforeTheStartLine()
    {
        assertCallId("xyz", "\r\n\r\ni :x SIP/2.0\r\nCall-ID: xyz\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INVITE sip:b@x SIP/2.0\r\nCall-ID: abc\r\n def\r\nCSeq: 1 INVITE\r\n\r\n",
        "INVITE sip:b@x SIP/2.0\r\nCall-ID:   \r\nCSeq: 1 INVITE\r\n\r\n",
        "INVITE sip:b@x SIP/2.0\r\nCall-IDs: abc\r\nId: abc\r\nCSeq: 1 INVITE\r\n\r\nCall-ID: body\r\n",
        "INVITE sip:b@x SIP/2.0\r\nCall-ID: abc",
        "Call-ID: abc\r\n",
        "",
    })
    void defersWhenNotSure(final String message)
    {
        final UnsafeBuffer buffer = buffer(message);
        assertEquals(CallIdLocator.NOT_FOUND, CallIdLocator.locate(buffer, 0, buffer.capacity()), message);
    }

    @Test
    void readsOnlyTheGivenRange()
    {
        final String message = "OPTIONS sip:b@x SIP/2.0\r\nCall-ID: inside\r\n\r\n";
        final UnsafeBuffer buffer = buffer("junk\r\nCall-ID: before\r\n" + message + "Call-ID: after\r\n");
        final int offset = "junk\r\nCall-ID: before\r\n".length();
        final long located = CallIdLocator.locate(buffer, offset, message.length());
        assertNotEquals(CallIdLocator.NOT_FOUND, located);
        assertEquals("inside", buffer.getStringWithoutLengthAscii(
            CallIdLocator.offset(located), CallIdLocator.length(located)));
    }

    private static void assertCallId(final String expected, final String message)
    {
        final UnsafeBuffer buffer = buffer(message);
        final long located = CallIdLocator.locate(buffer, 0, buffer.capacity());
        assertNotEquals(CallIdLocator.NOT_FOUND, located, message);
        assertEquals(expected,
            buffer.getStringWithoutLengthAscii(CallIdLocator.offset(located), CallIdLocator.length(located)));
    }

    private static UnsafeBuffer buffer(final String message)
    {
        return new UnsafeBuffer(message.getBytes(StandardCharsets.US_ASCII));
    }
}
