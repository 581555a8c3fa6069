package io.corral.engine.sip.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link SipMessageDecoder} with Jazzer: no exception escapes, no read outside the given
 * range (the input sits in a buffer sized exactly to it, so Agrona's bounds checks throw), every index it reports lies
 * inside the message, and the same bytes inside a larger buffer decode the same way. {@code mvn test} replays the
 * seeds under {@code SipMessageDecoderFuzzTestInputs/decode/}; {@code bin/fuzz} fuzzes.
 */
class SipMessageDecoderFuzzTest
{
    private static final int PAD = 5;

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final SipMessageDecoder padded = new SipMessageDecoder();

    @FuzzTest(maxDuration = "60s")
    void decode(final byte[] input)
    {
        final int result = decoder.wrap(new UnsafeBuffer(input), 0, input.length);
        assertTrue(result >= SipMessageDecoder.OK && result <= SipMessageDecoder.KEEP_ALIVE, "result " + result);
        assertEquals(result, decoder.result());
        assertNotNull(decoder.reason());
        assertEquals(result == SipMessageDecoder.OK, SipMessageDecoder.REASON_OK.equals(decoder.reason()));

        final byte[] bytes = new byte[input.length + 2 * PAD];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i % 2 == 0 ? '\n' : ':');
        }
        System.arraycopy(input, 0, bytes, PAD, input.length);
        assertEquals(result, padded.wrap(new UnsafeBuffer(bytes), PAD, input.length));
        assertSame(decoder.reason(), padded.reason());

        if (result != SipMessageDecoder.OK)
        {
            return;
        }
        assertEquals(decoder.headerCount(), padded.headerCount());
        assertEquals(decoder.messageLength(), padded.messageLength());
        assertEquals(decoder.bodyLength(), padded.bodyLength());

        final int length = input.length;
        assertRange(decoder.messageOffset(), decoder.messageLength(), length);
        assertRange(decoder.bodyOffset(), decoder.bodyLength(), length);
        assertTrue(decoder.bodyOffset() + decoder.bodyLength() <= decoder.messageOffset() + decoder.messageLength());
        if (decoder.isRequest())
        {
            assertRange(decoder.methodOffset(), decoder.methodLength(), length);
            assertRange(decoder.requestUriOffset(), decoder.requestUriLength(), length);
        }
        else
        {
            assertTrue(decoder.statusCode() >= 100 && decoder.statusCode() <= 699, "status " + decoder.statusCode());
            assertRange(decoder.reasonPhraseOffset(), decoder.reasonPhraseLength(), length);
        }
        assertRange(decoder.callIdOffset(), decoder.callIdLength(), length);
        assertTrue(decoder.callIdLength() > 0);
        assertTrue(decoder.cseqNumber() >= 0 && decoder.cseqNumber() <= SipMessageDecoder.MAX_CSEQ);

        final int count = decoder.headerCount();
        for (int i = 0; i < count; i++)
        {
            assertRange(decoder.nameOffset(i), decoder.nameLength(i), length);
            assertRange(decoder.valueOffset(i), decoder.valueLength(i), length);
            assertRange(decoder.lineOffset(i), decoder.lineLength(i), length);
            assertTrue(decoder.valueOffset(i) + decoder.valueLength(i) <= decoder.headersEndOffset());

            final int id = decoder.headerId(i);
            int seen = 0;
            for (int j = decoder.firstIndexOf(id); j >= 0; j = decoder.nextIndexOf(id, j))
            {
                assertTrue(++seen <= count, "header chain does not end");
                assertEquals(id, decoder.headerId(j));
            }
            assertEquals(decoder.count(id), seen);
        }

        final boolean contacts = decoder.validateContacts();
        assertEquals(contacts ? SipMessageDecoder.OK : SipMessageDecoder.INVALID, decoder.result());
        assertEquals(contacts, SipMessageDecoder.REASON_OK.equals(decoder.reason()));
    }

    private static void assertRange(final int offset, final int length, final int limit)
    {
        assertTrue(offset >= 0 && length >= 0 && offset + length <= limit, offset + "+" + length + " > " + limit);
    }
}
