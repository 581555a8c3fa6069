package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SipScalarsTest
{
    @Test
    void shouldBoundMaxForwardsTo255WhenParsing()
    {
        assertEquals(70, SipScalars.maxForwards(buffer(" 70 "), OFFSET, length(" 70 ")));
        assertEquals(0, SipScalars.maxForwards(buffer("0"), OFFSET, 1));
        assertEquals(255, SipScalars.maxForwards(buffer("255"), OFFSET, 3));
        assertEquals(-1, SipScalars.maxForwards(buffer("256"), OFFSET, 3));
        assertEquals(-1, SipScalars.maxForwards(buffer("300"), OFFSET, 3));
        assertEquals(-1, SipScalars.maxForwards(buffer(""), OFFSET, 0));
        assertEquals(-1, SipScalars.maxForwards(buffer("7 0"), OFFSET, 3));
    }

    @Test
    void shouldRejectOverlargeExpiresWhenAbove32Bits()
    {
        final String max = "4294967295";
        final String over = "10000000000000000000";
        assertEquals(4294967295L, SipScalars.expires(buffer(max), OFFSET, length(max)));
        assertEquals(SipScalars.INVALID, SipScalars.expires(buffer(over), OFFSET, length(over)));
        final UnsafeBuffer folded = buffer("\r\n 3600\r\n");
        assertEquals(3600L, SipScalars.expires(folded, OFFSET, 9));
    }

    @Test
    void shouldRejectContentLengthWhenNegativeOrOverflowing()
    {
        assertEquals(150, SipScalars.contentLength(buffer("150"), OFFSET, 3));
        assertEquals(-1, SipScalars.contentLength(buffer("-5"), OFFSET, 2));
        assertEquals(-1, SipScalars.contentLength(buffer("9999999999999999999"), OFFSET, 19));
    }
}
