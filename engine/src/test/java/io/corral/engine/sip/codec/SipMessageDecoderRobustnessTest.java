package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input: every prefix of real messages and seeded random mutations of them must decode to a result code,
 * never an exception, and never index outside the given range.
 */
class SipMessageDecoderRobustnessTest
{
    private static final String[] FIXTURES = {
        "/sip/torture/valid/wsinv.sip",
        "/sip/torture/valid/intmeth.sip",
        "/sip/torture/valid/longreq.sip",
        "/sip/torture/valid/mpart01.sip",
        "/sip/rfc5118/ipv4-mapped-ipv6.sip",
        "/sip/ua/kamailio-forwarded-invite.sip",
        "/sip/ua/asterisk-401.sip",
    };
    private static final byte[] INTERESTING = {
        '\r', '\n', ' ', '\t', ',', ';', ':', '"', '\\', '<', '>', '[', ']', '@', '?', '=', '%', '0', '9', 0, -1, 0x7F
    };
    private static final int MUTANTS_PER_FIXTURE = 3_000;

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final SipStreamFramer framer = new SipStreamFramer(SipMessageDecoder.DEFAULT_MAX_MESSAGE_SIZE);

    @Test
    void shouldReturnResultCodeWhenMessageIsTruncatedAnywhere() throws Exception
    {
        for (final String fixture : FIXTURES)
        {
            final UnsafeBuffer buffer = SipMessageDecoderTest.resource(fixture);
            for (int length = 0; length <= buffer.capacity(); length++)
            {
                check(buffer, length);
                framer.reset();
                framer.frame(buffer, 0, length);
            }
        }
    }

    @Test
    void shouldReturnResultCodeWhenBytesAreMutatedAtRandom() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(4475);
        for (final String fixture : FIXTURES)
        {
            final UnsafeBuffer original = SipMessageDecoderTest.resource(fixture);
            final byte[] bytes = new byte[original.capacity()];
            for (int m = 0; m < MUTANTS_PER_FIXTURE; m++)
            {
                original.getBytes(0, bytes);
                final int edits = 1 + random.nextInt(8);
                for (int e = 0; e < edits; e++)
                {
                    final int at = random.nextInt(bytes.length);
                    bytes[at] = random.nextBoolean() ?
                        INTERESTING[random.nextInt(INTERESTING.length)] : (byte)random.nextInt(256);
                }
                final UnsafeBuffer mutant = new UnsafeBuffer(bytes);
                check(mutant, bytes.length);
                framer.reset();
                framer.frame(mutant, 0, bytes.length);
            }
        }
    }

    private void check(final UnsafeBuffer buffer, final int length)
    {
        final int result = decoder.wrap(buffer, 0, length);
        assertTrue(result >= SipMessageDecoder.OK && result <= SipMessageDecoder.KEEP_ALIVE);
        assertTrue(decoder.reason() != null);
        if (result == SipMessageDecoder.OK)
        {
            assertTrue(decoder.messageOffset() + decoder.messageLength() <= length);
            assertTrue(decoder.bodyOffset() + decoder.bodyLength() <= length);
            for (int i = 0; i < decoder.headerCount(); i++)
            {
                assertTrue(decoder.valueOffset(i) + decoder.valueLength(i) <= length);
                assertTrue(decoder.lineOffset(i) + decoder.lineLength(i) <= length);
            }
        }
    }
}
