package io.corral.engine.agent;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * Where each agent role runs: its idle strategy and CPU. The engine's {@code Context} answers from configuration.
 */
public interface AgentPlacement
{
    /**
     * @param role an agent role, e.g. {@code conductor} or {@code shared}.
     * @return a new idle strategy for the thread running that role.
     */
    IdleStrategy idleStrategy(String role);

    /**
     * @param role  an agent role.
     * @param agent the agent (or composite of agents) the thread runs: an idle strategy may wait on it.
     * @return a new idle strategy for the thread running that agent.
     */
    default IdleStrategy idleStrategy(String role, Agent agent)
    {
        return idleStrategy(role);
    }

    /**
     * @param role an agent role.
     * @return the CPU to pin the role's thread to, or -1 for none.
     */
    int cpu(String role);
}
