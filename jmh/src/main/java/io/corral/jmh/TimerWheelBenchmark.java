package io.corral.jmh;

import org.agrona.DeadlineTimerWheel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The transaction layer's timer wheel (Agrona's DeadlineTimerWheel, configured as TransactionLayer does: ms ticks of
 * 8, 512 ticks per wheel) holding 100,000 live timers that never fire during the run (they share the spokes, as
 * lingering transactions do): schedule and cancel one (a retransmission timer replaced), and schedule one then poll
 * the next tick until it fires.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TimerWheelBenchmark
{
    private static final int LIVE_TIMERS = 100_000;
    private static final long TICK_MS = 8;
    private static final long FAR_MS = 1L << 50;

    private DeadlineTimerWheel wheel;
    private long nowMs;
    private long fired;
    private final DeadlineTimerWheel.TimerHandler handler = (timeUnit, now, timerId) ->
    {
        fired++;
        return true;
    };

    /**
     * Fill the wheel with timers spread over every spoke, due far in the future.
     */
    @Setup
    public void setUp()
    {
        wheel = new DeadlineTimerWheel(TimeUnit.MILLISECONDS, 0, TICK_MS, 512, 1024);
        for (int i = 0; i < LIVE_TIMERS; i++)
        {
            wheel.scheduleTimer(FAR_MS + i * TICK_MS);
        }
    }

    /**
     * @return whether the cancel found the timer, for JMH to consume.
     */
    @Benchmark
    public boolean scheduleAndCancel()
    {
        final long timerId = wheel.scheduleTimer(nowMs + 500);
        return wheel.cancelTimer(timerId);
    }

    /**
     * @return timers expired, for JMH to consume.
     */
    @Benchmark
    public long scheduleAndExpire()
    {
        wheel.scheduleTimer(nowMs + TICK_MS);
        nowMs += TICK_MS;
        final long before = fired;
        while (fired == before)
        {
            wheel.poll(nowMs, handler, Integer.MAX_VALUE);
        }
        return fired;
    }
}
