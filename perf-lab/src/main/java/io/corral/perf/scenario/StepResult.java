package io.corral.perf.scenario;

import io.corral.perf.gen.GeneratorStats;
import org.HdrHistogram.Histogram;

/**
 * One load step against one target: what was offered, what came back, what it cost.
 *
 * @param target        target name.
 * @param turn          the turn of a comparison (1, 2, ...).
 * @param scenario      the scenario's name.
 * @param phase         what the step was for (search, latency, overload, storm, ...).
 * @param offeredRate   operations per second offered (the head rate for an overload step).
 * @param offerSeconds  seconds over which operations were offered.
 * @param uac           the UAC's counters, histograms and series.
 * @param uas           the UAS's counters.
 * @param targetCpuNs   CPU time of the target's processes during the step.
 * @param uacCpuNs      CPU time of the UAC thread.
 * @param uasCpuNs      CPU time of the UAS thread.
 * @param stopped       the step was cut short (Ctrl-C).
 */
public record StepResult(
    String target,
    int turn,
    String scenario,
    String phase,
    double offeredRate,
    double offerSeconds,
    GeneratorStats uac,
    GeneratorStats uas,
    long targetCpuNs,
    long uacCpuNs,
    long uasCpuNs,
    boolean stopped)
{
    /** Most failures a passing step may have: fewer than 0.1 % of the operations started. */
    public static final double MAX_FAILURE_RATIO = 0.001;

    public long started()
    {
        return uac.get(GeneratorStats.STARTED);
    }

    public long succeeded()
    {
        return uac.get(GeneratorStats.SUCCEEDED);
    }

    public long failed()
    {
        return uac.get(GeneratorStats.FAILED);
    }

    /**
     * @return operations that succeeded per second of the offer window.
     */
    public double achievedRate()
    {
        return offerSeconds > 0 ? succeeded() / offerSeconds : 0;
    }

    /**
     * @return failed / started (1 when nothing started).
     */
    public double failureRatio()
    {
        return started() == 0 ? 1 : (double)failed() / started();
    }

    /**
     * @return true when every operation started and fewer than 0.1 % failed.
     */
    public boolean passed()
    {
        return !stopped && started() > 0 && failureRatio() < MAX_FAILURE_RATIO;
    }

    /**
     * @param cpuNs CPU time.
     * @return CPU µs per successful operation (0 when none succeeded).
     */
    public double cpuUsPerOp(final long cpuNs)
    {
        return succeeded() == 0 ? 0 : cpuNs / 1000.0 / succeeded();
    }

    /**
     * @param name one of {@link GeneratorStats#HISTOGRAM_NAMES}.
     * @return that latency histogram (µs).
     */
    public Histogram histogram(final String name)
    {
        for (int i = 0; i < GeneratorStats.HISTOGRAM_NAMES.length; i++)
        {
            if (GeneratorStats.HISTOGRAM_NAMES[i].equals(name))
            {
                return uac.histograms()[i];
            }
        }
        throw new IllegalArgumentException("no histogram " + name);
    }

    /**
     * @param name       a histogram name.
     * @param percentile 0..100.
     * @return that percentile in µs (0 when nothing was recorded).
     */
    public long percentileUs(final String name, final double percentile)
    {
        final Histogram histogram = histogram(name);
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }
}
