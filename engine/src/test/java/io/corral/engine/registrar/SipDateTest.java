package io.corral.engine.registrar;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SipDateTest
{
    private static String format(final long epochMs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SipDate.LENGTH]);
        assertEquals(SipDate.LENGTH, SipDate.write(buffer, 0, epochMs));
        return buffer.getStringWithoutLengthAscii(0, SipDate.LENGTH);
    }

    @Test
    void shouldWriteRfc1123DateWhenFormatting()
    {
        assertEquals("Sat, 13 Nov 2010 23:29:00 GMT", format(1_289_690_940_000L));
        assertEquals("Tue, 29 Feb 2000 00:00:00 GMT", format(951_782_400_999L));
        assertEquals("Sun, 28 Feb 2100 23:59:59 GMT", format(4_107_542_399_000L));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", format(0));
    }
}
