package io.corral.perf.scenario;

/**
 * A bounded search for the highest rate a target sustains: the rate doubles from {@code startRate} until a step
 * fails (or {@code maxRate} passes), then bisects between the highest pass and the lowest failure until they are
 * within {@code precision} of each other. At most {@code maxSteps} steps in all.
 */
public final class RateSearch
{
    private final double maxRate;
    private final int maxSteps;
    private final double precision;
    private double highestPass;
    private double lowestFail = Double.POSITIVE_INFINITY;
    private double next;
    private int steps;

    /**
     * @param startRate first rate tried.
     * @param maxRate   highest rate tried.
     * @param maxSteps  most steps.
     * @param precision stop when (lowest failure - highest pass) / highest pass is below this.
     */
    public RateSearch(final double startRate, final double maxRate, final int maxSteps, final double precision)
    {
        if (!(startRate > 0) || maxRate < startRate || maxSteps < 1 || !(precision > 0))
        {
            throw new IllegalArgumentException("bad search: start=" + startRate + " max=" + maxRate + " steps=" +
                maxSteps + " precision=" + precision);
        }
        this.maxRate = maxRate;
        this.maxSteps = maxSteps;
        this.precision = precision;
        this.next = startRate;
    }

    /**
     * @return the next rate to try, or -1 when the search is over.
     */
    public double nextRate()
    {
        return next;
    }

    /**
     * @param rate   the rate tried (the last {@link #nextRate()}).
     * @param passed whether the target sustained it.
     */
    public void record(final double rate, final boolean passed)
    {
        steps++;
        if (passed)
        {
            highestPass = Math.max(highestPass, rate);
        }
        else
        {
            lowestFail = Math.min(lowestFail, rate);
        }
        next = plan();
    }

    /**
     * @return the highest rate that passed, 0 if none.
     */
    public double best()
    {
        return highestPass;
    }

    /**
     * @return steps recorded.
     */
    public int steps()
    {
        return steps;
    }

    private double plan()
    {
        if (steps >= maxSteps)
        {
            return -1;
        }
        if (lowestFail == Double.POSITIVE_INFINITY)
        {
            if (highestPass >= maxRate)
            {
                return -1;
            }
            return Math.min(maxRate, highestPass * 2);
        }
        if (highestPass > 0 && (lowestFail - highestPass) / highestPass < precision)
        {
            return -1;
        }
        final double candidate = Math.round((highestPass + lowestFail) / 2);
        return candidate <= highestPass || candidate >= lowestFail || candidate < 1 ? -1 : candidate;
    }
}
