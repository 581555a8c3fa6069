package io.corral.engine.agent;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentGroupTest
{
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Set<String> placedRoles = ConcurrentHashMap.newKeySet();

    private AgentPlacement placement(final int conductorCpu)
    {
        return new AgentPlacement()
        {
            public IdleStrategy idleStrategy(final String role)
            {
                placedRoles.add(role);
                return new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1));
            }

            public int cpu(final String role)
            {
                return AgentConfiguration.ROLE_CONDUCTOR.equals(role) ? conductorCpu : -1;
            }
        };
    }

    private static void awaitTrue(final BooleanSupplier condition)
    {
        while (!condition.getAsBoolean())
        {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void shouldRunAgentsOnlyWhenInvokedByHandInInvokerMode()
    {
        final CountingAgent a = new CountingAgent("a");
        final CountingAgent b = new CountingAgent("b");
        try (AgentGroup group = AgentGroup.start(ThreadingMode.INVOKER, List.of(
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, a),
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, b)), placement(-1), errors::add, null))
        {
            assertTrue(group.runners().isEmpty());
            assertEquals(1, a.starts.get());
            assertEquals(0, a.duties.get());

            assertEquals(2, group.invoker().invoke());
            assertEquals(2, group.invoker().invoke());

            assertEquals(2, a.duties.get());
            assertEquals(2, b.duties.get());
            assertSame(Thread.currentThread(), a.threads.get(0));
            assertTrue(placedRoles.isEmpty());
        }
        assertEquals(1, a.closes.get());
        assertEquals(1, b.closes.get());
    }

    @Test
    void shouldRunAllAgentsOnOneThreadWithTheSharedRoleInSharedMode()
    {
        final CountingAgent a = new CountingAgent("a");
        final CountingAgent b = new CountingAgent("b");
        try (AgentGroup group = AgentGroup.start(ThreadingMode.SHARED, List.of(
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, a),
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, b)), placement(-1), errors::add, null))
        {
            awaitTrue(() -> a.duties.get() > 2 && b.duties.get() > 2);

            assertEquals(1, group.runners().size());
            assertSame(a.threads.get(0), b.threads.get(0));
            assertNotEquals(Thread.currentThread(), a.threads.get(0));
            assertEquals(Set.of(AgentConfiguration.ROLE_SHARED), placedRoles);
            assertNull(group.invoker());
        }
        assertEquals(1, a.closes.get());
        assertEquals(1, b.closes.get());
    }

    @Test
    void shouldRunEachAgentOnItsOwnThreadWithItsRoleInDedicatedMode()
    {
        final CountingAgent a = new CountingAgent("a");
        final CountingAgent b = new CountingAgent("b");
        try (AgentGroup group = AgentGroup.start(ThreadingMode.DEDICATED, List.of(
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, a),
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, b)), placement(-1), errors::add, null))
        {
            awaitTrue(() -> a.duties.get() > 2 && b.duties.get() > 2);

            assertEquals(2, group.runners().size());
            assertNotEquals(a.threads.get(0), b.threads.get(0));
            assertEquals("a", a.threads.get(0).getName());
            assertEquals(Set.of(AgentConfiguration.ROLE_CONDUCTOR), placedRoles);
        }
        assertEquals(1, a.closes.get());
    }

    @Test
    void shouldRunUnpinnedWhenTheCpuCannotBePinned()
    {
        final CountingAgent a = new CountingAgent("a");
        try (AgentGroup group = AgentGroup.start(ThreadingMode.DEDICATED, List.of(
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, a)), placement(1023), errors::add, null))
        {
            awaitTrue(() -> a.duties.get() > 2);

            final AgentRunner runner = group.runners().get(0);
            final PinnedAgent pinned = assertInstanceOf(PinnedAgent.class, runner.agent());
            assertFalse(pinned.isPinned());
            assertEquals("a", pinned.roleName());
        }
        assertEquals(1, a.closes.get());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void shouldReportErrorsAndCarryOnWhenDutyCycleThrows()
    {
        final CountingAgent a = new CountingAgent("a");
        a.failEvery = 2;
        try (AgentGroup group = AgentGroup.start(ThreadingMode.SHARED, List.of(
            new AgentGroup.RoleAgent(AgentConfiguration.ROLE_CONDUCTOR, a)), placement(-1), errors::add, null))
        {
            awaitTrue(() -> a.duties.get() > 6);
            assertEquals(1, group.runners().size());

            assertTrue(errors.size() >= 2);
            assertEquals("duty 2", errors.get(0).getMessage());
        }
    }

    static final class CountingAgent implements Agent
    {
        final String name;
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger duties = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        volatile int failEvery;

        CountingAgent(final String name)
        {
            this.name = name;
        }

        public void onStart()
        {
            starts.incrementAndGet();
            threads.add(Thread.currentThread());
        }

        public int doWork()
        {
            final int duty = duties.incrementAndGet();
            if (failEvery > 0 && duty % failEvery == 0)
            {
                throw new IllegalStateException("duty " + duty);
            }
            return 1;
        }

        public void onClose()
        {
            closes.incrementAndGet();
        }

        public String roleName()
        {
            return name;
        }
    }
}
