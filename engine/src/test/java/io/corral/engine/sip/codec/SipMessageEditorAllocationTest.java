package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward path (decode, push Via, decrement Max-Forwards, add Record-Route, encode) allocates nothing per
 * message once warm.
 */
class SipMessageEditorAllocationTest
{
    private static final int WARM_UP = 20_000;
    private static final int MESSAGES = 100_000;
    private static final long BUDGET_BYTES = 1024;

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final SipMessageEditor editor = new SipMessageEditor();
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final UnsafeBuffer via = ascii("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-corral-1");
    private final UnsafeBuffer recordRoute = ascii("<sip:192.0.2.1;lr;ftag=2481SIPpTag001>");

    @Test
    void shouldAllocateNothingWhenInviteIsDecodedAndForwardedRepeatedly() throws IOException
    {
        final UnsafeBuffer in = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final UnsafeBuffer fixture = SipMessageDecoderTest.resource("/sip/ua/linphone-invite.sip");
        in.putBytes(0, fixture, 0, fixture.capacity());
        final int length = fixture.capacity();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final long threadId = Thread.currentThread().getId();

        long total = 0;
        for (int i = 0; i < WARM_UP; i++)
        {
            total += forward(in, length);
        }
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < MESSAGES; i++)
        {
            total += forward(in, length);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals((long)(WARM_UP + MESSAGES) * (length + via.capacity() + recordRoute.capacity() + 23), total);
        assertTrue(allocated < BUDGET_BYTES, "allocated " + allocated + " bytes for " + MESSAGES + " forwards");
    }

    private int forward(final UnsafeBuffer in, final int length)
    {
        if (decoder.wrap(in, 0, length) != SipMessageDecoder.OK ||
            !editor.wrap(decoder) ||
            !editor.pushVia(via, 0, via.capacity()) ||
            !editor.decrementMaxForwards() ||
            !editor.addRecordRoute(recordRoute, 0, recordRoute.capacity()))
        {
            return -1;
        }
        return editor.encode(out, 0);
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
