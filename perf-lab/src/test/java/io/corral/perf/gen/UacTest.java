package io.corral.perf.gen;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UacTest
{
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);

    @Test
    void shouldStartTheScheduleOnlyAfterItsTablesAreAllocated()
    {
        // A 20 s step at 10,000 calls/s: its tables take ~100 ms to allocate here, five times the start delay.
        final long delayNs = 20_000_000L;
        final UacSettings settings = new UacSettings(Workload.CALLS, 10_000, 200_000, 2_500, 0, 1_000, 500, 4_000,
            PEER, PEER, "127.0.0.1", "lab", 0, 1, 3);

        final long beforeNs = System.nanoTime();
        final Uac uac = new Uac(settings, delayNs, new GeneratorStats(30), new InetSocketAddress("127.0.0.1", 0));
        final long afterNs = System.nanoTime();
        uac.onClose();

        assertEquals(0, uac.schedule().dueBy(afterNs), "no call is due when the UAC is ready");
        assertTrue(uac.startNs() - beforeNs >= delayNs);
        assertTrue(uac.startNs() - afterNs <= delayNs);
    }
}
