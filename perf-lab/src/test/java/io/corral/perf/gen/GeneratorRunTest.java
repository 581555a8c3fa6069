package io.corral.perf.gen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class GeneratorRunTest
{
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void shouldCompleteEveryCallWhenUacTalksToUas() throws InterruptedException
    {
        final GeneratorRun run = run(Workload.CALLS, 300, false);

        final GeneratorStats uac = run.uacStats();
        assertEquals(300, uac.get(GeneratorStats.STARTED));
        assertEquals(300, uac.get(GeneratorStats.SUCCEEDED));
        assertEquals(0, uac.get(GeneratorStats.FAILED));
        assertEquals(300, uac.get(GeneratorStats.ESTABLISHED));
        assertEquals(300, uac.histograms()[GeneratorStats.SETUP].getTotalCount());
        assertEquals(300, uac.histograms()[GeneratorStats.BYE].getTotalCount());
        assertEquals(300, run.uasStats().get(GeneratorStats.SUCCEEDED), "every 200 acknowledged");
        assertTrue(run.uacCpuNs() > 0);
    }

    @Test
    void shouldAnswerDigestChallengesWhenRegistering() throws InterruptedException
    {
        final GeneratorRun run = run(Workload.REGISTER, 200, true);

        final GeneratorStats uac = run.uacStats();
        assertEquals(200, uac.get(GeneratorStats.SUCCEEDED));
        assertEquals(200, uac.get(GeneratorStats.CHALLENGES));
        assertEquals(200, run.uasStats().get(GeneratorStats.CHALLENGES));
        assertEquals(200, uac.histograms()[GeneratorStats.REGISTER].getTotalCount());
    }

    @Test
    void shouldCountTimeoutsWhenNothingAnswers() throws InterruptedException
    {
        final UacSettings settings = new UacSettings(Workload.OPTIONS, 100, 20, 100, 0, 0, 10, 40,
            new InetSocketAddress("127.0.0.1", 9), new InetSocketAddress("127.0.0.1", 9), "127.0.0.1", "lab", 0,
            1000, 7);
        final GeneratorRun run = new GeneratorRun(settings, 5_000, LOOPBACK, false)
            .run(false, (elapsedS, due, stats) -> { }, uas -> { });

        final GeneratorStats uac = run.uacStats();
        assertEquals(20, uac.get(GeneratorStats.FAILED));
        assertEquals(20, uac.get(GeneratorStats.TIMEOUTS));
        assertTrue(uac.get(GeneratorStats.RETRANSMISSIONS) >= 20 * 5, "retransmitted on timer E");
    }

    private static GeneratorRun run(final Workload workload, final int count, final boolean challenge)
        throws InterruptedException
    {
        final UacSettings settings = new UacSettings(workload, 500, count, 500, 0, 50, 500, 4000,
            null, null, "127.0.0.1", "lab", 0, 1000, 42);
        return new GeneratorRun(settings, 10_000, LOOPBACK, challenge).run(true, (elapsedS, due, stats) -> { },
            uas -> { });
    }
}
