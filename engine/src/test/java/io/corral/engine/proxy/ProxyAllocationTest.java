package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy's forward path (decode, checks incl. loop detection, Route processing, relay rule, resolution, received
 * and rport, Max-Forwards, Record-Route, Via push, encode) and the response path (decode, route, pop Via, encode,
 * best-response bookkeeping) allocate nothing per message once warm.
 */
class ProxyAllocationTest
{
    private static final int WARM_UP = 20_000;
    private static final int MESSAGES = 100_000;
    private static final long BUDGET_BYTES = 1024;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static UnsafeBuffer direct(final UnsafeBuffer source)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(source.capacity()));
        buffer.putBytes(0, source, 0, source.capacity());
        return buffer;
    }

    @Test
    void shouldAllocateNothingWhenRequestsAreForwardedRepeatedly()
    {
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final ProxyCore core = new ProxyCore(ProxyFixtures.context(), NextHopResolver.IP_LITERALS, 17);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(8192));
        final UnsafeBuffer[] requests = {
            direct(ProxyFixtures.load("invite.sip")),
            direct(ProxyFixtures.load("invite-loose-route.sip")),
            direct(ProxyFixtures.load("invite-maddr.sip"))};
        final long threadId = Thread.currentThread().getId();

        long forwarded = 0;
        long before = 0;
        for (int i = 0; i < WARM_UP + MESSAGES; i++)
        {
            if (i == WARM_UP)
            {
                before = threads.getThreadAllocatedBytes(threadId);
            }
            final UnsafeBuffer request = requests[i % requests.length];
            decoder.wrap(request, 0, request.capacity());
            if (core.onRequest(decoder, ProxyFixtures.TRUSTED_SOURCE, TransportProtocol.UDP, ForwardingEditor.STATEFUL,
                out, 0) == ProxyCore.FORWARD)
            {
                forwarded++;
            }
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(WARM_UP + MESSAGES, forwarded);
        assertTrue(allocated < BUDGET_BYTES, "allocated " + allocated + " bytes for " + MESSAGES + " forwards");
    }

    @Test
    void shouldAllocateNothingWhenResponsesAreRoutedRepeatedly()
    {
        threads.setThreadAllocatedMemoryEnabled(true);
        final UnsafeBuffer branch = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
        MemberIdCodec.writeBranch(branch, 0, 1, 7, 7);
        final UnsafeBuffer response = direct(ProxyFixtures.buffer("SIP/2.0 180 Ringing\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch.getStringWithoutLengthAscii(0, branch.capacity()) +
            "\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5062;received=198.51.100.7\r\n" +
            "To: <sip:bob@192.0.2.20>;tag=8321234356\r\nFrom: <sip:alice@192.0.2.10>;tag=1928301774\r\n" +
            "Call-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n"));
        final ResponseRouter router = new ResponseRouter(ProxyFixtures.context(), NextHopResolver.IP_LITERALS);
        final ResponseContext context = new ResponseContext(185_000, 2048);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        final SipMessageEditor editor = new SipMessageEditor();
        final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final long threadId = Thread.currentThread().getId();

        long routed = 0;
        long before = 0;
        for (int i = 0; i < WARM_UP + MESSAGES; i++)
        {
            if (i == WARM_UP)
            {
                before = threads.getThreadAllocatedBytes(threadId);
            }
            decoder.wrap(response, 0, response.capacity());
            editor.wrap(decoder);
            if (router.route(decoder, editor) == ResponseRouter.FORWARD)
            {
                final int length = editor.encode(out, 0);
                context.reset(true);
                context.addBranch(i);
                routed += context.onResponse(0, decoder.statusCode(), out, 0, length, i) == ResponseContext.FORWARD_THIS
                    ? 1 : 0;
            }
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(WARM_UP + MESSAGES, routed);
        assertTrue(allocated < BUDGET_BYTES, "allocated " + allocated + " bytes for " + MESSAGES + " responses");
    }
}
