package io.corral.engine.agent;

/**
 * An agent that can block for its own work when a duty cycle found none: it knows its sockets, queues and next
 * timer deadline. Run with {@link IdleStrategies#EPOLL_WAIT}.
 */
public interface IdleWaiter
{
    /**
     * Block until there may be work: I/O, work handed over by another thread, or the next timer deadline, at most
     * {@code maxWaitNs}. Called on the agent's thread between duty cycles.
     *
     * @param maxWaitNs the longest wait.
     * @return false if the agent cannot block now (e.g. its sockets are not open yet): the caller backs off instead.
     */
    boolean awaitWork(long maxWaitNs);
}
