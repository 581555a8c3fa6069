package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecoderAllocationTest
{
    private static final int ITERATIONS = 100_000;
    private static final int WARM_UP_RUNS = 3;
    private static final int MEASURED_RUNS = 3;
    private static final String VIA =
        "SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bK776asdhds;rport;received=192.0.2.1";
    private static final String CONTACT =
        "\"Alice \\\"A\\\"\" <sip:alice:pw@atlanta.com:5061;transport=tls;lr>;expires=3600;q=0.7;+sip.instance=\"<x>\"";
    private static final String AUTHORIZATION = "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b\","
        + " uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae4\"";

    @Test
    void shouldNotAllocateWhenWrappingRepeatedly()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        final Decoders decoders = new Decoders();
        final long threadId = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP_RUNS; i++)
        {
            decoders.run();
        }
        threads.getThreadAllocatedBytes(threadId);

        // Least over a few runs: a one-off runtime event on this thread (a deoptimisation, a late compilation)
        // may allocate once; steady-state decoding must not allocate at all.
        long leastAllocated = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_RUNS; i++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            final int valid = decoders.run();
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertEquals(4 * ITERATIONS, valid);
            leastAllocated = Math.min(leastAllocated, allocated);
        }
        assertTrue(leastAllocated < 1024, "allocated " + leastAllocated + " bytes over " + ITERATIONS + " rounds");
    }

    private static final class Decoders
    {
        private final ViaDecoder via = new ViaDecoder();
        private final NameAddrDecoder contact = new NameAddrDecoder();
        private final DigestCredentialsDecoder credentials = new DigestCredentialsDecoder();
        private final CSeqDecoder cseq = new CSeqDecoder();
        private final UnsafeBuffer viaBuffer = buffer(VIA);
        private final UnsafeBuffer contactBuffer = buffer(CONTACT);
        private final UnsafeBuffer authorizationBuffer = buffer(AUTHORIZATION);
        private final UnsafeBuffer cseqBuffer = buffer("4711 INVITE");
        private final int viaLength = length(VIA);
        private final int contactLength = length(CONTACT);
        private final int authorizationLength = length(AUTHORIZATION);

        int run()
        {
            int valid = 0;
            for (int i = 0; i < ITERATIONS; i++)
            {
                valid += via.wrap(viaBuffer, OFFSET, viaLength) ? 1 : 0;
                valid += contact.wrap(contactBuffer, OFFSET, contactLength) && contact.q() == 700 ? 1 : 0;
                valid += credentials.wrap(authorizationBuffer, OFFSET, authorizationLength) ? 1 : 0;
                valid += cseq.wrap(cseqBuffer, OFFSET, 11) ? 1 : 0;
            }
            return valid;
        }
    }
}
