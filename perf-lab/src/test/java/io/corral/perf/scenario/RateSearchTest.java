package io.corral.perf.scenario;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateSearchTest
{
    @Test
    void shouldDoubleThenBisectToWithinThePrecision()
    {
        final RateSearch search = new RateSearch(1000, 64000, 20, 0.1);
        final double capacity = 5300;

        int steps = 0;
        for (double rate = search.nextRate(); rate > 0; rate = search.nextRate())
        {
            search.record(rate, rate <= capacity);
            steps++;
        }

        assertTrue(search.best() <= capacity, "never reports a rate that failed");
        assertTrue(search.best() >= capacity / 1.1, "within 10 %: " + search.best());
        assertEquals(steps, search.steps());
        assertTrue(steps <= 8, "1000, 2000, 4000, 8000, then a few bisections: " + steps);
    }

    @Test
    void shouldStopAtTheStepLimit()
    {
        final RateSearch search = new RateSearch(1000, 1_000_000, 3, 0.01);

        search.record(search.nextRate(), true);
        search.record(search.nextRate(), true);
        search.record(search.nextRate(), true);

        assertEquals(-1, search.nextRate());
        assertEquals(4000, search.best());
    }

    @Test
    void shouldStopAtTheMaximumRateWhenEverythingPasses()
    {
        final RateSearch search = new RateSearch(1000, 3000, 10, 0.1);

        search.record(search.nextRate(), true);
        assertEquals(2000, search.nextRate());
        search.record(2000, true);
        assertEquals(3000, search.nextRate(), "capped at the maximum");
        search.record(3000, true);

        assertEquals(-1, search.nextRate());
        assertEquals(3000, search.best());
    }

    @Test
    void shouldSearchDownwardsWhenTheFirstStepFails()
    {
        final RateSearch search = new RateSearch(4000, 64000, 10, 0.1);

        search.record(4000, false);
        assertEquals(2000, search.nextRate());
        search.record(2000, false);
        assertEquals(1000, search.nextRate());
        search.record(1000, true);

        assertEquals(1500, search.nextRate());
        assertEquals(1000, search.best());
    }
}
