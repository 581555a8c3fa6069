package io.corral.perf.gen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopScheduleTest
{
    private static final long START = 1_000_000_000L;

    @Test
    void shouldSpaceIntendedStartsByTheRate()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(START, 4000, 10);

        assertEquals(START, schedule.intendedStartNs(0));
        assertEquals(START + 250_000, schedule.intendedStartNs(1));
        assertEquals(START + 2_250_000, schedule.intendedStartNs(9));
    }

    @Test
    void shouldReleaseEveryOperationOfAStepWithinItsWindowAtEveryRateOfASearch()
    {
        // The rates of the 2026-12-02 search whose 7,500/s step was suspected of offering nothing, and odd ones.
        for (final double rate : new double[] {2000, 4000, 6000, 7000, 7500, 8000, 7777.7, 64000})
        {
            final long count = (long)(rate * 5);
            final OpenLoopSchedule schedule = new OpenLoopSchedule(START, rate, count);
            long released = 0;
            long previousNs = START - 1;
            for (long nowNs = START; nowNs <= START + 5_000_000_000L; nowNs += 1_000_000)
            {
                for (long i = schedule.nextDue(nowNs); i >= 0; i = schedule.nextDue(nowNs))
                {
                    assertEquals(released++, i, "in order at " + rate);
                    final long intendedNs = schedule.intendedStartNs(i);
                    assertTrue(intendedNs > previousNs && intendedNs <= nowNs, "on schedule at " + rate);
                    previousNs = intendedNs;
                }
            }
            assertEquals(count, released, "every operation of the 5 s step at " + rate + "/s");
            assertTrue(schedule.isComplete());
        }
    }

    @Test
    void shouldReleaseEveryOperationDueWhenTheCallerWasLate()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(START, 1000, 100);

        assertEquals(-1, schedule.nextDue(START - 1), "nothing before the start");
        int released = 0;
        while (schedule.nextDue(START + 4_500_000) >= 0)
        {
            released++;
        }
        assertEquals(5, released, "operations 0..4 were due by 4.5 ms, whatever the caller did meanwhile");
        assertEquals(5, schedule.dueBy(START + 4_500_000));
        assertEquals(5, schedule.started());
    }

    @Test
    void shouldNeverReleaseMoreThanTheCount()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(START, 1000, 3);

        for (int i = 0; i < 3; i++)
        {
            assertEquals(i, schedule.nextDue(START + 10_000_000_000L));
        }
        assertEquals(-1, schedule.nextDue(START + 10_000_000_000L));
        assertTrue(schedule.isComplete());
        assertEquals(3, schedule.dueBy(Long.MAX_VALUE / 2));
    }

    @Test
    void shouldContinueAtTheTailRateAfterTheHead()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(START, 2000, 4, 500, 2);

        assertEquals(START + 1_500_000, schedule.intendedStartNs(3));
        assertEquals(START + 2_000_000, schedule.intendedStartNs(4), "the head ends 4 / 2000 s after the start");
        assertEquals(START + 4_000_000, schedule.intendedStartNs(5));
        assertEquals(6, schedule.count());
        assertEquals(5, schedule.dueBy(START + 3_999_999));
        assertEquals(6, schedule.dueBy(START + 4_000_000));
    }

    @Test
    void shouldStopReleasingWhenStopped()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(START, 1000, 100);
        schedule.nextDue(START);

        schedule.stop();

        assertEquals(-1, schedule.nextDue(START + 50_000_000));
        assertTrue(schedule.isComplete());
    }

    @Test
    void shouldRefuseANonPositiveRate()
    {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(START, 0, 10));
    }
}
