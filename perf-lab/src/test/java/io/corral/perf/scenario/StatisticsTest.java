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
        final StepResult step = new StepResult("t", 1, "s", "p", 1, 1, stats, new GeneratorStats(1), 0, 0, 0, 0, false,
            "setup", 0);

        assertEquals(500_000, step.percentileUs("setup", 50), 500);
        assertEquals(990_000, step.percentileUs("setup", 99), 1000);
        assertEquals(1_000_000, step.percentileUs("setup", 100), 1000);
        assertEquals(0, step.percentileUs("bye", 99), "nothing recorded");
    }

    @Test
    void shouldFailAStepWhoseP99IsNotBelowItsBoundAndSayWhich()
    {
        final GeneratorStats stats = new GeneratorStats(5);
        for (int i = 1; i <= 1000; i++)
        {
            stats.onStarted(0);
            stats.recordLatencyNs(0, i * 1_000_000L);
            stats.onSucceeded(1);
        }

        final StepResult bounded = bounded(stats, 500_000);
        assertFalse(bounded.passed(), "no failures, but p99 990 ms lives on retransmissions");
        assertEquals("setup p99 990.0 ms >= 500.0 ms", bounded.failedCriteria().replaceAll("p99 99\\d\\.\\d",
            "p99 990.0"));
        assertTrue(bounded(stats, 2_000_000).passed(), "p99 under a 2 s bound");
        assertTrue(bounded(stats, 0).passed(), "no bound (latency and warm-up steps)");
    }

    @Test
    void shouldNameEveryFailedCriterion()
    {
        final GeneratorStats stats = new GeneratorStats(5);
        for (int i = 0; i < 100; i++)
        {
            stats.onStarted(0);
            stats.recordLatencyNs(0, 600_000_000L);
            if (i == 0)
            {
                stats.onRejected(503, 1);
            }
            else if (i == 1)
            {
                stats.onFailed(GeneratorStats.TIMEOUTS, 1);
            }
            else
            {
                stats.onSucceeded(1);
            }
        }

        assertEquals("failures 2.000 % >= 0.1 % (503x1 + 1 timeouts); setup p99 600.0 ms >= 500.0 ms",
            bounded(stats, 500_000).failedCriteria().replaceAll("p99 60\\d\\.\\d", "p99 600.0"));
    }

    @Test
    void shouldCallAStepThatCarriedNoTrafficALabFaultButNotOneTheTargetAnswered()
    {
        final GeneratorStats none = new GeneratorStats(5);
        assertTrue(bounded(none, 0).labFault().contains("started no operation"), bounded(none, 0).labFault());

        final GeneratorStats unanswered = new GeneratorStats(5);
        for (int i = 0; i < 10; i++)
        {
            unanswered.onStarted(0);
            unanswered.increment(GeneratorStats.SENT);
            unanswered.onFailed(GeneratorStats.TIMEOUTS, 1);
        }
        assertTrue(bounded(unanswered, 0).labFault().startsWith("not one datagram came back for 10 operations"),
            bounded(unanswered, 0).labFault());

        // The 7,500 calls/s step of 2026-12-02: every call answered 503 by a target full of earlier steps' state.
        final GeneratorStats shed = new GeneratorStats(5);
        for (int i = 0; i < 10; i++)
        {
            shed.onStarted(0);
            shed.increment(GeneratorStats.SENT);
            shed.increment(GeneratorStats.RECEIVED);
            shed.onRejected(503, 1);
        }
        final StepResult step = bounded(shed, 500_000);
        assertEquals("", step.labFault(), "the target answered: its failure, not the lab's");
        assertEquals("failures 100.000 % >= 0.1 % (503x10)", step.failedCriteria());
        assertEquals("", new StepResult("t", 1, "s", "p", 1, 1, none, none, 0, 0, 0, 0, true, "setup", 0).labFault(),
            "a step stopped by Ctrl-C");
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

    private static StepResult bounded(final GeneratorStats stats, final long maxP99Us)
    {
        return new StepResult("t", 1, "s", "search", 1000, 1, stats, new GeneratorStats(1), 0, 0, 0, 0, false, "setup",
            maxP99Us);
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
        return new StepResult("t", 1, "s", "p", 1000, 2, stats, new GeneratorStats(1), 0, 0, 0, 0, false, "setup", 0);
    }
}
