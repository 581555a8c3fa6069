package io.corral.perf.target;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest
{
    @Test
    void shouldSumUserAndSystemTicksAfterTheCommandName()
    {
        final String stat = "4242 (kamailio (x) y) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 25 0 0 20 0 1 0 " +
            "1000 100000 200 18446744073709551615";

        assertEquals(175 * 10_000_000L, ProcessCpu.parseStatCpuNs(stat));
    }

    @Test
    void shouldReadThisProcessCpuTime()
    {
        long spin = 0;
        for (int i = 0; i < 50_000_000; i++)
        {
            spin += i % 7;
        }
        assertTrue(spin > 0);
        assertTrue(ProcessCpu.cpuNs(ProcessHandle.current().pid()) > 0);
        assertEquals(0, ProcessCpu.cpuNs(Long.MAX_VALUE), "no such process");
    }
}
