package io.corral.engine.agent;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Idle strategies by configuration name.
 */
public final class IdleStrategies
{
    /** Spin with a CPU pause hint: lowest latency, burns a core. */
    public static final String BUSY_SPIN = "busy-spin";
    /** Return at once: lowest latency, burns a core without the pause hint. */
    public static final String NO_OP = "no-op";
    /** {@code Thread.yield()} between idle duty cycles. */
    public static final String YIELD = "yield";
    /** Spin, then yield, then park with exponential backoff: shared cores. */
    public static final String BACKOFF = "backoff";
    /** Park a fixed period: least CPU, highest latency. */
    public static final String SLEEPING = "sleeping";

    /** Every name, as configuration accepts them. */
    public static final String[] NAMES = { BUSY_SPIN, NO_OP, YIELD, BACKOFF, SLEEPING };

    private static final long BACKOFF_MAX_SPINS = 10;
    private static final long BACKOFF_MAX_YIELDS = 5;
    private static final long BACKOFF_MIN_PARK_NS = 1000;

    private IdleStrategies()
    {
    }

    /**
     * @param name               one of {@link #NAMES}.
     * @param backoffMaxParkNs   longest park of {@link #BACKOFF}.
     * @param sleepingPeriodNs   park period of {@link #SLEEPING}.
     * @return a new strategy (strategies with state must not be shared between threads).
     */
    public static IdleStrategy create(final String name, final long backoffMaxParkNs, final long sleepingPeriodNs)
    {
        switch (name)
        {
            case BUSY_SPIN:
                return BusySpinIdleStrategy.INSTANCE;
            case NO_OP:
                return NoOpIdleStrategy.INSTANCE;
            case YIELD:
                return YieldingIdleStrategy.INSTANCE;
            case BACKOFF:
                return new BackoffIdleStrategy(
                    BACKOFF_MAX_SPINS, BACKOFF_MAX_YIELDS, Math.min(BACKOFF_MIN_PARK_NS, backoffMaxParkNs),
                    backoffMaxParkNs);
            case SLEEPING:
                return new SleepingIdleStrategy(sleepingPeriodNs);
            default:
                throw new IllegalArgumentException("unknown idle strategy " + name);
        }
    }
}
