package io.corral.engine.agent;

import net.openhft.affinity.AffinityLock;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an agent with its thread pinned to a CPU. Pinning happens in {@link #onStart()}, on the agent's own thread;
 * where the machine cannot pin, one warning names the role and the agent runs unpinned.
 */
public final class PinnedAgent implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(PinnedAgent.class);

    private final Agent delegate;
    private final String role;
    private final int cpu;
    private AffinityLock lock;

    /**
     * @param delegate the agent to run.
     * @param role     the configuration role whose CPU this is, named in the warning.
     * @param cpu      the CPU to pin to, 0 or more.
     */
    public PinnedAgent(final Agent delegate, final String role, final int cpu)
    {
        this.delegate = delegate;
        this.role = role;
        this.cpu = cpu;
    }

    /**
     * {@inheritDoc}
     */
    public void onStart()
    {
        try
        {
            final AffinityLock acquired = AffinityLock.acquireLock(cpu);
            if (acquired.isBound() && acquired.cpuId() == cpu)
            {
                lock = acquired;
            }
            else
            {
                acquired.release();
                LOG.warn("agent role {} not pinned: cpu {} is not available on this machine", role, cpu);
            }
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LOG.warn("agent role {} not pinned to cpu {}: {}", role, cpu, ex.toString());
        }
        delegate.onStart();
    }

    /**
     * {@inheritDoc}
     */
    public int doWork() throws Exception
    {
        return delegate.doWork();
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        try
        {
            delegate.onClose();
        }
        finally
        {
            if (lock != null)
            {
                lock.release();
                lock = null;
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return delegate.roleName();
    }

    /**
     * @return true while the agent's thread holds its CPU.
     */
    public boolean isPinned()
    {
        return lock != null;
    }
}
