package io.corral.engine.agent;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idle strategy {@link IdleStrategies#EPOLL_WAIT}: after a duty cycle without work the agent blocks in its own
 * transport's {@code epoll_wait} ({@link IdleWaiter#awaitWork}), like a worker blocked in {@code recvfrom}, so an idle
 * agent costs no CPU and wakes as soon as a packet arrives. Where the agent cannot block now, it backs off instead.
 */
public final class EpollWaitIdleStrategy implements IdleStrategy
{
    /** Alias used in {@link #alias()}. */
    public static final String ALIAS = IdleStrategies.EPOLL_WAIT;

    private final IdleWaiter waiter;
    private final long maxWaitNs;
    private final IdleStrategy fallback;

    /**
     * @param waiter    the agent run with this strategy.
     * @param maxWaitNs the longest single wait.
     * @param fallback  used while the agent cannot block.
     */
    public EpollWaitIdleStrategy(final IdleWaiter waiter, final long maxWaitNs, final IdleStrategy fallback)
    {
        this.waiter = waiter;
        this.maxWaitNs = maxWaitNs;
        this.fallback = fallback;
    }

    /**
     * {@inheritDoc}
     */
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            fallback.reset();
        }
        else
        {
            idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void idle()
    {
        if (!waiter.awaitWork(maxWaitNs))
        {
            fallback.idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void reset()
    {
        fallback.reset();
    }

    /**
     * {@inheritDoc}
     */
    public String alias()
    {
        return ALIAS;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "EpollWaitIdleStrategy{maxWaitNs=" + maxWaitNs + ", fallback=" + fallback + "}";
    }
}
