package io.corral.engine.agent;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleStrategiesTest
{
    private static final long MAX_WAIT_NS = 3_000_000;

    @Test
    void shouldWaitInTheAgentWhenEpollWaitIsNamedForAnIdleWaiter()
    {
        final Waiter waiter = new Waiter(true);
        final IdleStrategy strategy = IdleStrategies.create(
            IdleStrategies.EPOLL_WAIT, waiter, AgentConfiguration.ROLE_SIP, 1000, 1000, MAX_WAIT_NS);

        assertInstanceOf(EpollWaitIdleStrategy.class, strategy);
        strategy.idle(0);
        strategy.idle(5);
        strategy.idle(0);

        assertEquals(2, waiter.waits);
        assertEquals(MAX_WAIT_NS, waiter.lastMaxWaitNs);
        assertEquals(IdleStrategies.EPOLL_WAIT, strategy.alias());
    }

    @Test
    void shouldBackOffWhenTheAgentCannotWaitYet()
    {
        final Waiter waiter = new Waiter(false);
        final IdleStrategy strategy = IdleStrategies.create(
            IdleStrategies.EPOLL_WAIT, waiter, AgentConfiguration.ROLE_SIP, 1000, 1000, MAX_WAIT_NS);

        final long startNs = System.nanoTime();
        for (int i = 0; i < 100; i++)
        {
            strategy.idle(0);
        }

        assertEquals(100, waiter.waits);
        assertTrue(System.nanoTime() - startNs > 10 * 1000, "the fallback parked");
    }

    @Test
    void shouldBackOffWhenSeveralAgentsShareTheThread()
    {
        final IdleStrategy strategy = IdleStrategies.create(IdleStrategies.EPOLL_WAIT,
            new CompositeAgent(new Waiter(true), new Waiter(true)), AgentConfiguration.ROLE_SHARED, 1000, 1000,
            MAX_WAIT_NS);

        assertInstanceOf(BackoffIdleStrategy.class, strategy);
    }

    @Test
    void shouldIgnoreTheAgentForEveryOtherStrategy()
    {
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.create(
            IdleStrategies.BACKOFF, new Waiter(true), AgentConfiguration.ROLE_SIP, 1000, 1000, MAX_WAIT_NS));
    }

    private static final class Waiter implements Agent, IdleWaiter
    {
        private final boolean canWait;
        private int waits;
        private long lastMaxWaitNs;

        Waiter(final boolean canWait)
        {
            this.canWait = canWait;
        }

        public boolean awaitWork(final long maxWaitNs)
        {
            waits++;
            lastMaxWaitNs = maxWaitNs;
            return canWait;
        }

        public int doWork()
        {
            return 0;
        }

        public String roleName()
        {
            return "waiter";
        }
    }
}
