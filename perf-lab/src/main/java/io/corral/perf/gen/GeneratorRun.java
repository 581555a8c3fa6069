package io.corral.perf.gen;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * One run of the generator: a UAS thread and a UAC thread (each a duty-cycle loop with a backoff idle strategy, so
 * that an idle generator leaves the cores to the target), the UAC's operations offered on schedule, then a bounded
 * drain: whatever is still in progress {@code drainMs} after the last operation was due counts as unfinished. Each
 * thread reads its own CPU time as it ends, so the generator's cost per operation comes out beside the target's.
 */
public final class GeneratorRun
{
    /** Once a second while the run lasts. */
    @FunctionalInterface
    public interface Progress
    {
        /**
         * @param elapsedS   seconds since the run started.
         * @param dueOps     operations due by now.
         * @param uacStats   the UAC's counters (readable while it runs).
         */
        void onSecond(double elapsedS, long dueOps, GeneratorStats uacStats);
    }

    private static final long PARK_MAX_NS = 100_000;
    private static final int SPINS = 20;
    /** Between the UAC's tables being ready and its first call: time for both generator threads to start. */
    private static final long START_DELAY_NS = 20_000_000L;

    private final UacSettings settings;
    private final long drainMs;
    private final InetSocketAddress bind;
    private final boolean challenge;
    private final GeneratorStats uacStats;
    private final GeneratorStats uasStats;
    private volatile boolean stopRequested;
    private volatile boolean stoppedEarly;
    private volatile long uacCpuNs;
    private volatile long uasCpuNs;
    private volatile Throwable failure;
    private double elapsedS;

    /**
     * @param settings  the UAC's work ({@code uas} is ignored when this run starts its own UAS).
     * @param drainMs   how long in-progress operations may finish after the last one was due.
     * @param bind      local address of the UAC and UAS sockets.
     * @param challenge the UAS challenges REGISTERs without credentials.
     */
    public GeneratorRun(final UacSettings settings, final long drainMs, final InetSocketAddress bind,
        final boolean challenge)
    {
        this.settings = settings;
        this.drainMs = drainMs;
        this.bind = bind;
        this.challenge = challenge;
        final int seconds = (int)Math.ceil(settings.offerSeconds() + drainMs / 1000.0) + 2;
        uacStats = new GeneratorStats(seconds);
        uasStats = new GeneratorStats(seconds);
    }

    /**
     * Run to the end (or until {@link #stop()}), calling {@code progress} once a second from the calling thread.
     *
     * @param uasAsNextHop the UAS is also where requests go (the generator talking to itself).
     * @param progress     the once-a-second report.
     * @param onUasReady   told the UAS address before the UAC starts.
     * @return this, with its figures.
     * @throws InterruptedException if the calling thread is interrupted.
     */
    public GeneratorRun run(final boolean uasAsNextHop, final Progress progress,
        final Consumer<InetSocketAddress> onUasReady) throws InterruptedException
    {
        final int pending = (int)Math.min(1 << 17, Math.max(4096, settings.ratePerS() * 4));
        final Uas uas = new Uas(settings.run(), settings.t1Ms(), settings.t2Ms(), challenge,
            Integer.highestOneBit(pending) * 2, uasStats, bind);
        final InetSocketAddress uasAddress = uas.localAddress();
        onUasReady.accept(uasAddress);
        final UacSettings effective = new UacSettings(settings.workload(), settings.ratePerS(), settings.count(),
            settings.tailRatePerS(), settings.tailCount(), settings.holdMs(), settings.t1Ms(), settings.t2Ms(),
            uasAsNextHop ? uasAddress : settings.nextHop(), uasAddress, settings.domain(), settings.password(),
            settings.userBase(), settings.users(), settings.run());
        final Uac uac = new Uac(effective, START_DELAY_NS, uacStats, bind);
        final long startNs = uac.startNs();
        final long drainDeadlineNs = startNs + (long)(settings.offerSeconds() * 1e9) + drainMs * 1_000_000L;

        final Thread uasThread = new Thread(() -> loop(uas, () -> false, true), "lab-uas");
        final Thread uacThread = new Thread(() -> loop(uac, () ->
        {
            if (stopRequested || System.nanoTime() - drainDeadlineNs > 0)
            {
                uac.stopStarting();
                uac.abandonAll();
            }
            return uac.isDone();
        }, false), "lab-uac");
        uasThread.setDaemon(true);
        uacThread.setDaemon(true);
        uasThread.start();
        uacThread.start();
        try
        {
            long nextReportNs = startNs + 1_000_000_000L;
            while (uacThread.isAlive())
            {
                uacThread.join(50);
                final long nowNs = System.nanoTime();
                if (nowNs - nextReportNs >= 0 && uacThread.isAlive())
                {
                    progress.onSecond((nowNs - startNs) / 1e9, uac.schedule().dueBy(nowNs), uacStats);
                    nextReportNs += 1_000_000_000L;
                }
            }
            elapsedS = (System.nanoTime() - startNs) / 1e9;
        }
        finally
        {
            stopRequested = true;
            uacThread.join();
            uasThread.interrupt();
            uasThread.join();
        }
        if (failure != null)
        {
            throw new IllegalStateException("generator failed", failure);
        }
        return this;
    }

    /**
     * Stop starting operations and end the run now (Ctrl-C); operations in progress count as unfinished.
     */
    public void stop()
    {
        stoppedEarly = true;
        stopRequested = true;
    }

    /**
     * @return true if {@link #stop()} ended the run early.
     */
    public boolean wasStopped()
    {
        return stoppedEarly;
    }

    public GeneratorStats uacStats()
    {
        return uacStats;
    }

    public GeneratorStats uasStats()
    {
        return uasStats;
    }

    /**
     * @return CPU time of the UAC thread over the run, in ns.
     */
    public long uacCpuNs()
    {
        return uacCpuNs;
    }

    /**
     * @return CPU time of the UAS thread over the run, in ns.
     */
    public long uasCpuNs()
    {
        return uasCpuNs;
    }

    /**
     * @return the UAC's work.
     */
    public UacSettings settings()
    {
        return settings;
    }

    /**
     * @return seconds from the first operation's intended start to the end of the run.
     */
    public double elapsedS()
    {
        return elapsedS;
    }

    private void loop(final Agent agent, final java.util.function.BooleanSupplier done, final boolean isUas)
    {
        // Few spins and one yield before parking: every datagram resets the strategy, and at thousands of messages
        // per second spinning and yielding between them would cost more CPU than the SIP work itself. A parked
        // loop notices a datagram up to PARK_MAX_NS late, the same for every target.
        final IdleStrategy idle = new BackoffIdleStrategy(SPINS, 1, 1_000, PARK_MAX_NS);
        try
        {
            while (!done.getAsBoolean() && !(isUas && (stopRequested || Thread.currentThread().isInterrupted())))
            {
                idle.idle(agent.doWork());
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
            stopRequested = true;
        }
        finally
        {
            final long cpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            if (isUas)
            {
                uasCpuNs = cpuNs;
            }
            else
            {
                uacCpuNs = cpuNs;
            }
            agent.onClose();
        }
    }
}
