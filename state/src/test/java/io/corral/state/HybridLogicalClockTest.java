package io.corral.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridLogicalClockTest
{
    private static final long T0 = 1_763_780_000_000L;

    private final HybridLogicalClock clock = new HybridLogicalClock();

    @Test
    void shouldFollowWallClockWhenItAdvances()
    {
        assertEquals(HybridLogicalClock.pack(T0, 0), clock.tick(T0));
        assertEquals(HybridLogicalClock.pack(T0 + 5, 0), clock.tick(T0 + 5));
        assertEquals(T0 + 5, HybridLogicalClock.physicalMs(clock.current()));
    }

    @Test
    void shouldCountLogicallyWhenTickedWithinOneMs()
    {
        clock.tick(T0);
        final long second = clock.tick(T0);
        assertEquals(T0, HybridLogicalClock.physicalMs(second));
        assertEquals(1, HybridLogicalClock.logical(second));
        assertEquals(2, HybridLogicalClock.logical(clock.tick(T0)));
    }

    @Test
    void shouldStayMonotonicWhenWallClockStepsBack()
    {
        final long before = clock.tick(T0);
        final long after = clock.tick(T0 - 60_000);
        assertTrue(after > before);
        assertEquals(T0, HybridLogicalClock.physicalMs(after));
    }

    @Test
    void shouldOrderAfterRemoteVersionWhenRemoteIsAhead()
    {
        clock.tick(T0);
        final long remote = HybridLogicalClock.pack(T0 + 1_000, 7);
        final long merged = clock.update(remote, T0 + 1);
        assertTrue(merged > remote);
        assertEquals(T0 + 1_000, HybridLogicalClock.physicalMs(merged));
        assertEquals(8, HybridLogicalClock.logical(merged));
        assertTrue(clock.tick(T0 + 2) > merged);
    }

    @Test
    void shouldUseWallClockWhenRemoteIsBehind()
    {
        final long merged = clock.update(HybridLogicalClock.pack(T0 - 5, 3), T0);
        assertEquals(HybridLogicalClock.pack(T0, 0), merged);
    }

    @Test
    void shouldBorrowNextMsWhenLogicalCounterOverflows()
    {
        long last = 0;
        for (int i = 0; i <= HybridLogicalClock.LOGICAL_MASK + 1; i++)
        {
            final long v = clock.tick(T0);
            assertTrue(v > last);
            last = v;
        }
        assertEquals(T0 + 1, HybridLogicalClock.physicalMs(last));
    }

    @Test
    void shouldIssueVersionAboveObservedWhenRestarted()
    {
        final long seen = HybridLogicalClock.pack(T0 + 10_000, 2);
        clock.observe(seen);
        assertTrue(clock.tick(T0) > seen);
        clock.observe(HybridLogicalClock.pack(T0, 0));
        assertTrue(clock.current() > seen);
    }
}
