package io.corral.engine.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-shake that lets an agent block when idle and still see work other threads give it. The agent announces
 * {@link #prepareToWait()}, checks its queues once more, blocks, then calls {@link #doneWaiting()}. A producer
 * publishes its work first, then calls {@link #signal()}: that is a volatile read while the agent is busy, and one
 * wake-up (a syscall) only for an agent that announced it would block. Both sides order their write before their read
 * (sequentially consistent volatile accesses), so either the agent's last check sees the work or the producer sees
 * the announcement.
 */
public final class AgentWakeup
{
    private static final VarHandle WAITING;

    static
    {
        try
        {
            WAITING = MethodHandles.lookup().findVarHandle(AgentWakeup.class, "waiting", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AtomicLong wakeCount = new AtomicLong();
    private volatile int waiting;
    private volatile Runnable target;

    /**
     * @param target wakes the agent from its blocking wait, callable from any thread; null until the agent can block.
     */
    public void target(final Runnable target)
    {
        this.target = target;
    }

    /**
     * Agent: about to block. Check for work after this, and block only if there is none.
     */
    public void prepareToWait()
    {
        WAITING.setVolatile(this, 1);
    }

    /**
     * Agent: awake again; producers stop signalling.
     */
    public void doneWaiting()
    {
        waiting = 0;
    }

    /**
     * @return true between {@link #prepareToWait()} and {@link #doneWaiting()} or the first {@link #signal()}.
     */
    public boolean isWaiting()
    {
        return waiting != 0;
    }

    /**
     * Producer: work was published; wake the agent if it announced it would block. Any thread.
     */
    public void signal()
    {
        if (waiting != 0 && WAITING.compareAndSet(this, 1, 0))
        {
            final Runnable target = this.target;
            if (target != null)
            {
                wakeCount.incrementAndGet();
                target.run();
            }
        }
    }

    /**
     * @return wake-ups sent by {@link #signal()}.
     */
    public long wakeCount()
    {
        return wakeCount.get();
    }
}
