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
