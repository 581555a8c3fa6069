package io.corral.perf.scenario;

import io.corral.perf.gen.GeneratorStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsTest
{
    @Test
    void shouldPassOnlyBelowOneFailurePerThousand()
    {
        assertTrue(step(10_000, 9).passed());
        assertFalse(step(10_000, 10).passed(), "0.1 % is not below 0.1 %");
        assertFalse(step(0, 0).passed(), "nothing started");
    }

    @Test
    void shouldDeriveRatesAndCpuPerOperation()
    {
        final StepResult step = step(2000, 0);

        assertEquals(1000, step.achievedRate(), 1e-9, "2000 succeeded over a 2 s offer window");
        assertEquals(50, step.cpuUsPerOp(100_000_000L), 1e-9, "100 ms of CPU over 2000 operations");
        assertEquals(0, step.failureRatio(), 1e-12);
    }

    @Test
    void shouldReadPercentilesInMicroseconds()
    {
        final GeneratorStats stats = new GeneratorStats(5);
        for (int i = 1; i <= 1000; i++)
        {
            stats.recordLatencyNs(0, i * 1_000_000L);
        }
        final StepResult step = new StepResult("t", 1, "s", "p", 1, 1, stats, new GeneratorStats(1), 0, 0, 0, false);

        assertEquals(500_000, step.percentileUs("setup", 50), 500);
        assertEquals(990_000, step.percentileUs("setup", 99), 1000);
        assertEquals(1_000_000, step.percentileUs("setup", 100), 1000);
        assertEquals(0, step.percentileUs("bye", 99), "nothing recorded");
    }

    @Test
    void shouldMeasureRecoveryAsTheStartOfTheLastHealthyStretch()
    {
        final long[] good = {100, 100, 10, 20, 5, 80, 95, 100, 100, 100};

        assertEquals(4, Lab.recoverySeconds(good, 2, 10, 90), "at or above 90/s from second 6 to the end");
        assertEquals(0, Lab.recoverySeconds(good, 7, 10, 90), "already healthy when the window starts");
        assertEquals(8, Lab.recoverySeconds(new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 2, 10, 90),
            "never recovered: the whole window");
    }

    private static StepResult step(final long started, final long failed)
    {
        final GeneratorStats stats = new GeneratorStats(5);
        for (long i = 0; i < started; i++)
        {
            stats.onStarted(0);
            if (i < failed)
            {
                stats.onFailed(GeneratorStats.TIMEOUTS, 1);
            }
            else
            {
                stats.onSucceeded(1);
            }
        }
        return new StepResult("t", 1, "s", "p", 1000, 2, stats, new GeneratorStats(1), 0, 0, 0, false);
    }
}
