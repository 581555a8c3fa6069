package io.corral.engine.agent;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * A member's agents started in a {@link ThreadingMode}: one {@link AgentRunner} per agent (dedicated), one runner
 * for a {@link CompositeAgent} (shared), or an {@link AgentInvoker} the caller drives (invoker).
 * Closing the group closes every agent.
 */
public final class AgentGroup implements AutoCloseable
{
    private final List<AgentRunner> runners = new ArrayList<>();
    private final AgentInvoker invoker;

    private AgentGroup(final AgentInvoker invoker)
    {
        this.invoker = invoker;
    }

    /**
     * Start agents.
     *
     * @param mode         how agents map to threads.
     * @param agents       the agents with their roles, at least one.
     * @param placement    idle strategy and CPU per role.
     * @param errorHandler receives what a duty cycle throws.
     * @param errorCounter counts what a duty cycle throws.
     * @return the started group.
     */
    public static AgentGroup start(
        final ThreadingMode mode,
        final List<RoleAgent> agents,
        final AgentPlacement placement,
        final ErrorHandler errorHandler,
        final AtomicCounter errorCounter)
    {
        if (agents.isEmpty())
        {
            throw new IllegalArgumentException("no agents");
        }
        switch (mode)
        {
            case DEDICATED:
            {
                final AgentGroup group = new AgentGroup(null);
                for (final RoleAgent roleAgent : agents)
                {
                    group.startRunner(roleAgent.role(), roleAgent.agent(), placement, errorHandler, errorCounter);
                }
                return group;
            }
            case SHARED:
            {
                final AgentGroup group = new AgentGroup(null);
                group.startRunner(
                    AgentConfiguration.ROLE_SHARED, composite(agents), placement, errorHandler, errorCounter);
                return group;
            }
            case INVOKER:
            {
                final AgentInvoker invoker = new AgentInvoker(errorHandler, errorCounter, composite(agents));
                invoker.start();
                return new AgentGroup(invoker);
            }
            default:
                throw new IllegalArgumentException("unknown threading mode " + mode);
        }
    }

    /**
     * @return the invoker to drive the agents' duty cycles with, or null unless {@link ThreadingMode#INVOKER}.
     */
    public AgentInvoker invoker()
    {
        return invoker;
    }

    /**
     * @return the runners started, one per thread; empty in {@link ThreadingMode#INVOKER}.
     */
    public List<AgentRunner> runners()
    {
        return runners;
    }

    /**
     * Close every agent: stops the threads and waits for each agent's {@code onClose}.
     */
    public void close()
    {
        CloseHelper.closeAll(runners);
        CloseHelper.close(invoker);
    }

    private void startRunner(
        final String role,
        final Agent agent,
        final AgentPlacement placement,
        final ErrorHandler errorHandler,
        final AtomicCounter errorCounter)
    {
        final int cpu = placement.cpu(role);
        final Agent placed = cpu >= 0 ? new PinnedAgent(agent, role, cpu) : agent;
        final AgentRunner runner =
            new AgentRunner(placement.idleStrategy(role, agent), errorHandler, errorCounter, placed);
        runners.add(runner);
        // Netty reuses per-write objects only on FastThreadLocalThreads: an epoll send allocates ~44 B, not ~170 B.
        AgentRunner.startOnThread(runner, FastThreadLocalThread::new);
    }

    private static Agent composite(final List<RoleAgent> agents)
    {
        final List<Agent> list = new ArrayList<>(agents.size());
        for (final RoleAgent roleAgent : agents)
        {
            list.add(roleAgent.agent());
        }
        return list.size() == 1 ? list.get(0) : new CompositeAgent(list);
    }

    /**
     * An agent and the configuration role that places it.
     *
     * @param role  configuration role, one of {@link AgentConfiguration#ROLES}.
     * @param agent the agent.
     */
    public record RoleAgent(String role, Agent agent)
    {
    }
}
