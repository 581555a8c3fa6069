package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SipStreamFramerTest
{
    private static final String MESSAGE =
        "MESSAGE sip:bob@example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1\r\n" +
        "t: <sip:bob@example.com>\r\n" +
        "f: <sip:alice@example.com>;tag=1\r\n" +
        "i: abc@192.0.2.1\r\n" +
        "CSeq: 1 MESSAGE\r\n" +
        "l: 5\r\n" +
        "\r\n" +
        "hello";

    private final SipStreamFramer framer = new SipStreamFramer(1024);
    private final SipMessageDecoder decoder = new SipMessageDecoder();

    @Test
    void shouldFrameMessageWhenBytesArriveOneAtATime()
    {
        final byte[] stream = (MESSAGE + MESSAGE.replace("hello", "world")).getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(stream);
        int start = 0;
        int framed = 0;
        for (int end = 1; end <= stream.length; end++)
        {
            final int result = framer.frame(buffer, start, end - start);
            if (result == SipStreamFramer.MESSAGE)
            {
                assertEquals(MESSAGE.length(), framer.messageLength());
                assertEquals(SipMessageDecoder.OK,
                    decoder.wrap(buffer, framer.messageOffset(), framer.messageLength()));
                assertEquals(5, decoder.bodyLength());
                start += framer.consumed();
                framed++;
            }
            else
            {
                assertEquals(SipStreamFramer.NEED_MORE, result);
            }
        }
        assertEquals(2, framed);
        assertEquals(stream.length, start);
    }

    @Test
    void shouldFrameSeveralMessagesWhenOneReadHoldsThem()
    {
        final UnsafeBuffer buffer = ascii("\r\n" + MESSAGE + MESSAGE);
        assertEquals(SipStreamFramer.MESSAGE, framer.frame(buffer, 0, buffer.capacity()));
        assertEquals(2, framer.messageOffset());
        assertEquals(MESSAGE.length() + 2, framer.consumed());
        final int next = framer.consumed();
        assertEquals(SipStreamFramer.MESSAGE, framer.frame(buffer, next, buffer.capacity() - next));
        assertEquals(next, framer.messageOffset());
        assertEquals(MESSAGE.length(), framer.messageLength());
    }

    @Test
    void shouldReportPingWhenDoubleCrlfArrives()
    {
        final UnsafeBuffer buffer = ascii("\r\n\r\n" + MESSAGE);
        assertEquals(SipStreamFramer.NEED_MORE, framer.frame(buffer, 0, 3));
        assertEquals(SipStreamFramer.PING, framer.frame(buffer, 0, buffer.capacity()));
        assertEquals(4, framer.consumed());
        assertEquals(SipStreamFramer.MESSAGE, framer.frame(buffer, 4, buffer.capacity() - 4));
    }

    @Test
    void shouldRejectWhenContentLengthIsMissingOrBad()
    {
        final UnsafeBuffer missing = ascii(MESSAGE.replace("l: 5\r\n", ""));
        assertEquals(SipStreamFramer.INVALID, framer.frame(missing, 0, missing.capacity()));
        assertEquals(SipStreamFramer.REASON_MISSING_CONTENT_LENGTH, framer.reason());

        final UnsafeBuffer negative = ascii(MESSAGE.replace("l: 5", "l: -5"));
        assertEquals(SipStreamFramer.INVALID, framer.frame(negative, 0, negative.capacity()));
        assertEquals(SipStreamFramer.REASON_CONTENT_LENGTH, framer.reason());

        final UnsafeBuffer conflicting = ascii(MESSAGE.replace("l: 5\r\n", "l: 5\r\nContent-Length: 6\r\n"));
        assertEquals(SipStreamFramer.INVALID, framer.frame(conflicting, 0, conflicting.capacity()));
        assertEquals(SipStreamFramer.REASON_CONFLICTING_CONTENT_LENGTH, framer.reason());
    }

    @Test
    void shouldRejectWithoutWaitingForeverWhenHeadersNeverEnd()
    {
        final UnsafeBuffer buffer = ascii("INVITE sip:a@b SIP/2.0\r\nX-Long: " + "x".repeat(2000));
        assertEquals(SipStreamFramer.NEED_MORE, framer.frame(buffer, 0, 900));
        assertEquals(SipStreamFramer.INVALID, framer.frame(buffer, 0, buffer.capacity()));
        assertEquals(SipStreamFramer.REASON_TOO_LARGE, framer.reason());
    }

    @Test
    void shouldRejectWhenContentLengthExceedsMaximum()
    {
        final UnsafeBuffer buffer = ascii(MESSAGE.replace("l: 5", "l: 100000"));
        assertEquals(SipStreamFramer.INVALID, framer.frame(buffer, 0, buffer.capacity()));
        assertEquals(SipStreamFramer.REASON_TOO_LARGE, framer.reason());
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
