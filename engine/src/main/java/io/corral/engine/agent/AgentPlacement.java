package io.corral.engine.agent;

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
     * @param role an agent role.
     * @return the CPU to pin the role's thread to, or -1 for none.
     */
    int cpu(String role);
}
