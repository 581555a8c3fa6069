package io.corral.engine.overload;

import io.corral.engine.Context;
import io.corral.engine.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverloadDetectorTest
{
    private static final int CAPACITY = 1000;
    private static final int QUEUE = 1 << 20;

    /**
     * Round thresholds (read 50/10 %, cycle 20/5 ms, table 90/80 %, queue 50/10 %), no warm-up grace, acting on the
     * first interval.
     */
    private final OverloadSettings settings = new OverloadSettings(
        true, 50, 0, 1, 0.5, 0.1, 0.5, 20_000_000, 5_000_000, 0.9, 0.8, 0.5, 0.1, 0.25, 0.05, 0.1, 5);
    private OverloadDetector detector = new OverloadDetector(settings, 0);
    private long nowMs;

    @Test
    void shouldAdmitEverythingWhenSignalsStayLow()
    {
        for (int i = 0; i < 20; i++)
        {
            interval(100, 0, 200_000, 10, 0);
        }
        assertFalse(detector.isShedding());
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(OverloadDetector.ADMIT, detector.admit());
        }
        assertEquals(0, detector.rejectedCount() + detector.droppedCount());
    }

    @Test
    void shouldCutAdmissionMultiplicativelyAndRejectTheRestWhenSocketReadsKeepReachingTheLimit()
    {
        interval(100, 60, 500_000, 10, 0);
        assertEquals(0.75, detector.admittedShare(), 1e-9);
        interval(100, 60, 500_000, 10, 0);
        assertEquals(0.5625, detector.admittedShare(), 1e-9);
        assertTrue(detector.isShedding());

        int admitted = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (detector.admit() == OverloadDetector.ADMIT)
            {
                admitted++;
            }
        }
        assertEquals(5625, admitted, 1, "admission follows the share");
        assertEquals(10_000 - admitted, detector.rejectedCount());
        assertEquals(0, detector.droppedCount());
    }

    @Test
    void shouldHoldShareBetweenThresholdsAndRaiseItAdditivelyOnlyWhenEverySignalIsLow()
    {
        interval(100, 100, 500_000, 10, 0);
        final double cut = detector.admittedShare();
        interval(100, 30, 500_000, 10, 0);
        assertEquals(cut, detector.admittedShare(), 1e-9, "30 % of cycles at the limit: between low and high");
        interval(100, 0, 500_000, 850, 0);
        assertEquals(cut, detector.admittedShare(), 1e-9, "table 85 % full: between low and high");
        interval(100, 0, 500_000, 10, 0);
        assertEquals(cut + 0.05, detector.admittedShare(), 1e-9);
        for (int i = 0; i < 10; i++)
        {
            interval(100, 0, 500_000, 10, 0);
        }
        assertEquals(1.0, detector.admittedShare(), 1e-9);
        assertFalse(detector.isShedding());
    }

    @Test
    void shouldCountReadsAtTheLimitOnlyWhenTheSocketQueueConfirmsThem()
    {
        for (int i = 0; i < 100; i++)
        {
            detector.onDutyCycle(500_000, true, true);
        }
        assertTrue(detector.readsAtLimit(), "every read at the limit: ask the socket");
        detector.onInterval(50, 10, CAPACITY, 0, QUEUE, 0.1);
        assertEquals(0, detector.highSignals(), "a queue a tenth full is batching near full load");
        assertFalse(detector.isShedding());

        for (int i = 0; i < 100; i++)
        {
            detector.onDutyCycle(500_000, true, true);
        }
        detector.onInterval(100, 10, CAPACITY, 0, QUEUE, 0.6);
        assertEquals(OverloadDetector.SIGNAL_READ, detector.highSignals(), "a queue over half full confirms");
        assertEquals(0.75, detector.admittedShare(), 1e-9);

        for (int i = 0; i < 100; i++)
        {
            detector.onDutyCycle(500_000, true, true);
        }
        assertFalse(detector.readsAtLimit(), "shedding already: the socket is not read");
        detector.onInterval(150, 10, CAPACITY, 0, QUEUE, -1);
        assertEquals(0.5625, detector.admittedShare(), 1e-9, "and the reads alone keep cutting");

        final OverloadDetector calm = new OverloadDetector(settings, 0);
        for (int i = 0; i < 100; i++)
        {
            calm.onDutyCycle(500_000, true, i < 20);
        }
        assertFalse(calm.readsAtLimit(), "reads mostly under the limit: nothing to confirm");

        final OverloadDetector unconfirmed = new OverloadDetector(new OverloadSettings(
            true, 50, 0, 1, 0.5, 0.1, 0, 20_000_000, 5_000_000, 0.9, 0.8, 0.5, 0.1, 0.25, 0.05, 0.1, 5), 0);
        for (int i = 0; i < 100; i++)
        {
            unconfirmed.onDutyCycle(500_000, true, true);
        }
        assertFalse(unconfirmed.readsAtLimit(), "confirmation off: the socket is not read");
        unconfirmed.onInterval(50, 10, CAPACITY, 0, QUEUE, -1);
        assertEquals(OverloadDetector.SIGNAL_READ, unconfirmed.highSignals(), "the reads alone count");
    }

    @Test
    void shouldShedWhenTableOrQueueOrDutyCycleIsOverItsHighThreshold()
    {
        interval(100, 0, 500_000, 900, 0);
        assertEquals(0.75, detector.admittedShare(), 1e-9, "table 90 % full");

        final OverloadDetector queue = new OverloadDetector(settings, 0);
        queue.onInterval(50, 0, CAPACITY, QUEUE / 2, QUEUE, -1);
        assertEquals(0.75, queue.admittedShare(), 1e-9, "hand-over queue half full");

        final OverloadDetector cycle = new OverloadDetector(settings, 0);
        for (int i = 0; i < 200; i++)
        {
            cycle.onDutyCycle(30_000_000, true, false);
        }
        assertTrue(cycle.cycleEwmaNs() >= settings.cycleHighNs());
        cycle.onInterval(50, 0, CAPACITY, 0, QUEUE, -1);
        assertEquals(0.75, cycle.admittedShare(), 1e-9, "duty cycles of 30 ms");
        for (int i = 0; i < 200; i++)
        {
            cycle.onDutyCycle(0, false, false);
        }
        assertTrue(cycle.cycleEwmaNs() >= settings.cycleHighNs(), "idle cycles leave the working average alone");
    }

    @Test
    void shouldShedOnlyWhenASignalStaysHighForTheSustainedIntervalsInARow()
    {
        detector = new OverloadDetector(OverloadSettings.DEFAULTS, -OverloadSettings.DEFAULTS.graceMs());
        final int sustain = OverloadSettings.DEFAULTS.sustainIntervals();
        for (int i = 1; i < sustain; i++)
        {
            interval(100, 100, 500_000, 10, 0);
        }
        interval(100, 30, 500_000, 10, 0);
        for (int i = 1; i < sustain; i++)
        {
            interval(100, 100, 500_000, 10, 0);
        }
        assertFalse(detector.isShedding(), "bursts shorter than " + sustain + " intervals are not an overload");
        assertEquals(2L * (sustain - 1), detector.highIntervals());
        interval(100, 100, 500_000, 10, 0);
        assertEquals(0.75, detector.admittedShare(), 1e-9, "the " + sustain + "th interval in a row cuts");
        interval(100, 100, 500_000, 10, 0);
        assertEquals(0.5625, detector.admittedShare(), 1e-9, "and every further one");
        interval(100, 99, 500_000, 10, 0);
        assertEquals(0.5625, detector.admittedShare(), 1e-9, "one poll under the limit: no longer high, not yet low");
    }

    @Test
    void shouldIgnoreDutyCycleSignalsDuringTheWarmUpGraceButNotTableOrQueue()
    {
        final OverloadSettings graced = new OverloadSettings(
            true, 50, 1_000, 1, 0.5, 0.1, 0.5, 20_000_000, 5_000_000, 0.9, 0.8, 0.5, 0.1, 0.25, 0.05, 0.1, 5);
        detector = new OverloadDetector(graced, 0);
        for (int i = 0; i < 19; i++)
        {
            interval(100, 100, 50_000_000, 10, 0);
        }
        assertFalse(detector.isShedding(), "JIT-slow cycles at the read limit within the first second");
        assertEquals(0, detector.highSignals());
        interval(100, 100, 50_000_000, 10, 0);
        assertEquals(OverloadDetector.SIGNAL_READ | OverloadDetector.SIGNAL_CYCLE, detector.highSignals(),
            "grace over at 1,000 ms");
        assertEquals(0.75, detector.admittedShare(), 1e-9);

        final OverloadDetector table = new OverloadDetector(graced, 0);
        table.onInterval(50, 900, CAPACITY, 0, QUEUE, -1);
        assertEquals(OverloadDetector.SIGNAL_TABLE, table.highSignals(), "the table guards memory from the start");
        assertEquals(0.75, table.admittedShare(), 1e-9);
        table.onInterval(100, 0, CAPACITY, QUEUE / 2, QUEUE, -1);
        assertEquals(OverloadDetector.SIGNAL_QUEUE, table.highSignals(), "and so does the hand-over queue");
        assertEquals(0.5625, table.admittedShare(), 1e-9);
        for (int i = 0; i < 200; i++)
        {
            table.onDutyCycle(50_000_000, true, true);
        }
        table.onInterval(150, 0, CAPACITY, 0, QUEUE, -1);
        assertEquals(0.6125, table.admittedShare(), 1e-9, "slow cycles in the grace do not hold the share down");
    }

    @Test
    void shouldDropRatherThanRejectWhenShareFallsUnderTheDropThreshold()
    {
        for (int i = 0; i < 9; i++)
        {
            interval(100, 100, 500_000, 10, 0);
        }
        assertTrue(detector.admittedShare() < settings.dropBelow(), Double.toString(detector.admittedShare()));
        int dropped = 0;
        for (int i = 0; i < 100; i++)
        {
            if (detector.admit() == OverloadDetector.DROP)
            {
                dropped++;
            }
        }
        assertTrue(dropped >= 90, Integer.toString(dropped));
        assertEquals(dropped, detector.droppedCount());
        assertEquals(0, detector.rejectedCount());

        for (int i = 0; i < 40; i++)
        {
            interval(100, 0, 500_000, 10, 0);
        }
        assertFalse(detector.isShedding(), "shedding stops once the load is gone");
    }

    @Test
    void shouldNeverShedWhenDisabled()
    {
        final OverloadDetector off = new OverloadDetector(new OverloadSettings(false, 50, 0, 1, 0.5, 0.1, 0.5,
            20_000_000, 5_000_000, 0.9, 0.8, 0.5, 0.1, 0.25, 0.05, 0.1, 5), 0);
        off.onInterval(50, CAPACITY, CAPACITY, QUEUE, QUEUE, -1);
        assertFalse(off.isShedding());
        assertEquals(OverloadDetector.ADMIT, off.admit());
    }

    @Test
    void shouldReadSettingsFromConfigurationAndRejectLowAboveHigh()
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.overload.table.high.percent", "70");
        properties.setProperty("corral.overload.table.low.percent", "40");
        properties.setProperty("corral.overload.retry.after.s", "9");
        properties.setProperty("corral.overload.grace.ms", "2500");
        final OverloadSettings read = Context.load(null, properties).conclude().overloadSettings();
        assertEquals(0.7, read.tableHigh(), 1e-9);
        assertEquals(0.4, read.tableLow(), 1e-9);
        assertEquals(9, read.retryAfterSeconds());
        assertEquals(2500, read.graceMs());
        assertEquals(OverloadSettings.DEFAULTS,
            Context.load(null, new Properties()).conclude().overloadSettings());

        final Properties inverted = new Properties();
        inverted.setProperty("corral.overload.queue.low.percent", "60");
        final String message = assertThrows(ConfigurationException.class,
            () -> Context.load(null, inverted).conclude()).getMessage();
        assertTrue(message.contains("corral.overload.queue.low.percent=60") &&
            message.contains("corral.overload.queue.high.percent"), message);
    }

    /**
     * One interval of {@code cycles} duty cycles of {@code cycleNs}, {@code atLimit} of them at the read limit.
     */
    private void interval(
        final int cycles, final int atLimit, final long cycleNs, final int transactions, final int queueBytes)
    {
        for (int i = 0; i < cycles; i++)
        {
            detector.onDutyCycle(cycleNs, true, i < atLimit);
        }
        nowMs += settings.intervalMs();
        assertTrue(detector.isIntervalDue(nowMs));
        detector.onInterval(nowMs, transactions, CAPACITY, queueBytes, QUEUE, -1);
    }
}
