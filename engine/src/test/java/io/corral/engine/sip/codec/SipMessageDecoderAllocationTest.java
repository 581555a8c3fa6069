package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SipMessageDecoderAllocationTest
{
    private static final int WARM_UP_DECODES = 50_000;
    private static final int MEASURED_DECODES = 100_000;
    private static final long MAX_ALLOCATED_BYTES = 1024;

    @Test
    void shouldAllocateNothingWhenDecodingTypicalInviteRepeatedly() throws Exception
    {
        final UnsafeBuffer heapCopy = SipMessageDecoderTest.resource("/sip/ua/kamailio-forwarded-invite.sip");
        final int length = heapCopy.capacity();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        buffer.putBytes(0, heapCopy, 0, length);

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        final long threadId = Thread.currentThread().getId();
        final SipMessageDecoder decoder = new SipMessageDecoder();

        long checksum = decodeMany(decoder, buffer, length, WARM_UP_DECODES);
        final long before = threads.getThreadAllocatedBytes(threadId);
        checksum += decodeMany(decoder, buffer, length, MEASURED_DECODES);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals((long)(WARM_UP_DECODES + MEASURED_DECODES) * 2, checksum);
        assertTrue(allocated < MAX_ALLOCATED_BYTES,
            "allocated " + allocated + " bytes over " + MEASURED_DECODES + " decodes");
    }

    private static long decodeMany(
        final SipMessageDecoder decoder, final UnsafeBuffer buffer, final int length, final int count)
    {
        long checksum = 0;
        for (int i = 0; i < count; i++)
        {
            if (decoder.wrap(buffer, 0, length) == SipMessageDecoder.OK)
            {
                checksum += decoder.count(HeaderName.VIA);
            }
        }
        return checksum;
    }
}
