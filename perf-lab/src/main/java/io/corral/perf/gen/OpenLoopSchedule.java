package io.corral.perf.gen;

/**
 * When each operation of an open-loop run is meant to start: operation {@code i} at {@code startNs + i / rate}
 * seconds, whatever happened to the operations before it. Latency is measured from these intended times, so a
 * target (or a generator) that falls behind shows its queueing in the figures instead of hiding it
 * (no coordinated omission). An optional tail runs at a second rate right after the first {@code count}
 * operations (the recovery window after an overload).
 */
public final class OpenLoopSchedule
{
    private final long startNs;
    private final double intervalNs;
    private final long count;
    private final long headCount;
    private final double tailIntervalNs;
    private long next;

    /**
     * @param startNs  intended start of operation 0 ({@link System#nanoTime()} clock).
     * @param ratePerS operations per second, above 0.
     * @param count    operations in the run.
     */
    public OpenLoopSchedule(final long startNs, final double ratePerS, final long count)
    {
        this(startNs, ratePerS, count, ratePerS, 0);
    }

    /**
     * @param startNs      intended start of operation 0 ({@link System#nanoTime()} clock).
     * @param ratePerS     operations per second of the first {@code count}, above 0.
     * @param count        operations at the first rate.
     * @param tailRatePerS operations per second after them, above 0.
     * @param tailCount    operations at the tail rate.
     */
    public OpenLoopSchedule(
        final long startNs, final double ratePerS, final long count, final double tailRatePerS, final long tailCount)
    {
        if (!(ratePerS > 0) || !(tailRatePerS > 0) || count < 0 || tailCount < 0)
        {
            throw new IllegalArgumentException("rates must be > 0 and counts >= 0: rate=" + ratePerS + " count=" +
                count + " tailRate=" + tailRatePerS + " tailCount=" + tailCount);
        }
        this.startNs = startNs;
        this.intervalNs = 1e9 / ratePerS;
        this.headCount = count;
        this.tailIntervalNs = 1e9 / tailRatePerS;
        this.count = count + tailCount;
    }

    /**
     * @param index an operation.
     * @return its intended start time in ns.
     */
    public long intendedStartNs(final long index)
    {
        if (index <= headCount)
        {
            return startNs + (long)(index * intervalNs);
        }
        return startNs + (long)(headCount * intervalNs + (index - headCount) * tailIntervalNs);
    }

    /**
     * @param nowNs the current time.
     * @return the next operation due at {@code nowNs} (advancing the schedule), or -1 when none is due yet or all
     * have started.
     */
    public long nextDue(final long nowNs)
    {
        if (next >= count || intendedStartNs(next) > nowNs)
        {
            return -1;
        }
        return next++;
    }

    /**
     * @return operations started so far.
     */
    public long started()
    {
        return next;
    }

    /**
     * @return operations in the run.
     */
    public long count()
    {
        return count;
    }

    /**
     * @return true when every operation has started.
     */
    public boolean isComplete()
    {
        return next >= count;
    }

    /**
     * Stop early: no further operation starts.
     */
    public void stop()
    {
        next = Math.max(next, count);
    }

    /**
     * @param nowNs the current time.
     * @return operations that should have started by {@code nowNs}, capped at the count.
     */
    public long dueBy(final long nowNs)
    {
        if (nowNs < startNs)
        {
            return 0;
        }
        final double elapsedNs = nowNs - startNs;
        final double headNs = headCount * intervalNs;
        if (elapsedNs < headNs)
        {
            return Math.min(count, (long)(elapsedNs / intervalNs) + 1);
        }
        return Math.min(count, headCount + (long)((elapsedNs - headNs) / tailIntervalNs) + 1);
    }
}
