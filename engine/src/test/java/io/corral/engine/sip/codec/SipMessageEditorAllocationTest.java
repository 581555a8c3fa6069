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
 * The forward path (decode, push Via, decrement Max-Forwards, add Record-Route, encode) and the builders allocate
 * nothing per message once warm.
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

    @Test
    void shouldAllocateNothingWhenResponsesCancelAndOptionsAreBuiltRepeatedly() throws IOException
    {
        final UnsafeBuffer in = SipMessageDecoderTest.resource("/sip/ua/linphone-invite.sip");
        assertEquals(SipMessageDecoder.OK, decoder.wrap(in, 0, in.capacity()));
        final SipResponseBuilder responses = new SipResponseBuilder();
        final SipRequestBuilder requests = new SipRequestBuilder();
        final TagGenerator tags = new TagGenerator(11);
        final UnsafeBuffer tag = new UnsafeBuffer(new byte[TagGenerator.TAG_LENGTH]);
        final byte[] agent = "edge.example.com".getBytes(StandardCharsets.US_ASCII);
        final byte[] text = "Overloaded".getBytes(StandardCharsets.US_ASCII);
        final OptionsProbe probe = new OptionsProbe();
        probe.requestUri(via, 12, 9);
        probe.sentBy(via, 12, 14);
        probe.fromUri(recordRoute, 1, 14);
        probe.toUri(recordRoute, 1, 14);
        probe.callId(via, 0, 10);
        probe.fromTag(via, 0, 3);
        final UnsafeBuffer branch = new UnsafeBuffer(new byte[TagGenerator.BRANCH_LENGTH]);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        long total = 0;
        long before = 0;
        for (int i = 0; i < WARM_UP + MESSAGES; i++)
        {
            if (i == WARM_UP)
            {
                before = threads.getThreadAllocatedBytes(threadId);
            }
            tags.writeTag(tag, 0);
            total += responses.buildTrying(decoder, out, 0);
            responses.withWarning(399, agent, text).withRetryAfter(30);
            total += responses.buildResponse(
                decoder, SipStatus.REQUEST_TERMINATED, null, tag, 0, tag.capacity(), out, 0);
            total += requests.buildCancel(decoder, out, 0);
            probe.branch(branch, 0, tags.writeBranch(branch, 0));
            probe.cseq(i);
            total += requests.buildOptions(probe, out, 0);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertTrue(total > (WARM_UP + MESSAGES) * 1000L, "built bytes " + total);
        assertTrue(allocated < BUDGET_BYTES, "allocated " + allocated + " bytes for " + MESSAGES + " rounds");
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
