package io.corral.engine.agent;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /**
     * Block in the agent's own epoll_wait until a packet, a hand-over or a timer: no CPU when idle, woken at once.
     * Only an agent that owns an epoll transport alone on its thread can: any other backs off.
     */
    public static final String EPOLL_WAIT = "epoll-wait";

    /** Every name, as configuration accepts them. */
    public static final String[] NAMES = { BUSY_SPIN, NO_OP, YIELD, BACKOFF, SLEEPING, EPOLL_WAIT };

    private static final Logger LOG = LoggerFactory.getLogger(IdleStrategies.class);

    private static final long BACKOFF_MAX_SPINS = 10;
    private static final long BACKOFF_MAX_YIELDS = 5;
    private static final long BACKOFF_MIN_PARK_NS = 1000;

    private IdleStrategies()
    {
    }

    /**
     * @param name             one of {@link #NAMES}.
     * @param agent            the agent (or composite of agents) the strategy's thread runs.
     * @param role             the agent's configuration role, named in the log line of a fallback.
     * @param backoffMaxParkNs longest park of {@link #BACKOFF}.
     * @param sleepingPeriodNs park period of {@link #SLEEPING}.
     * @param epollWaitMaxNs   longest single wait of {@link #EPOLL_WAIT}.
     * @return a new strategy for the agent's thread; {@link #EPOLL_WAIT} for an agent that is no {@link IdleWaiter}
     * (a conductor, several agents on one thread) is {@link #BACKOFF}, with one INFO line saying so.
     */
    public static IdleStrategy create(
        final String name,
        final Agent agent,
        final String role,
        final long backoffMaxParkNs,
        final long sleepingPeriodNs,
        final long epollWaitMaxNs)
    {
        final IdleStrategy strategy = create(name, backoffMaxParkNs, sleepingPeriodNs);
        if (!EPOLL_WAIT.equals(name))
        {
            return strategy;
        }
        if (agent instanceof IdleWaiter)
        {
            return new EpollWaitIdleStrategy((IdleWaiter)agent, epollWaitMaxNs, strategy);
        }
        LOG.info("agent role {} ({}) idles with {}: {} needs one SIP agent per thread (threading mode dedicated)",
            role, agent.roleName(), BACKOFF, EPOLL_WAIT);
        return strategy;
    }

    /**
     * @param name               one of {@link #NAMES}.
     * @param backoffMaxParkNs   longest park of {@link #BACKOFF}.
     * @param sleepingPeriodNs   park period of {@link #SLEEPING}.
     * @return a new strategy (strategies with state must not be shared between threads); {@link #EPOLL_WAIT} without
     * its agent is {@link #BACKOFF}, its fallback.
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
            case EPOLL_WAIT:
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
