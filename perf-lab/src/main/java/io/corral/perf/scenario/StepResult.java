package io.corral.perf.scenario;

import io.corral.perf.gen.GeneratorStats;
import org.HdrHistogram.Histogram;

import java.util.Locale;

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
 * @param wallNs        wall time over which the CPU times were taken.
 * @param stopped       the step was cut short (Ctrl-C).
 * @param latency       the histogram whose p99 is bounded ({@code setup} or {@code register}).
 * @param maxP99Us      a passing step's p99 of {@code latency} is below this, in µs (0: no bound).
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
    long wallNs,
    boolean stopped,
    String latency,
    long maxP99Us)
{
    /** Most failures a passing step may have: fewer than 0.1 % of the operations started. */
    public static final double MAX_FAILURE_RATIO = 0.001;
    /** A step whose target and generator kept this share of the machine's cores busy was bound by the machine. */
    public static final double MACHINE_BOUND_SHARE = 0.9;

    /**
     * @param cpuNs a CPU time taken over the step.
     * @return the cores it kept busy on average, 0 when the wall time is unknown.
     */
    public double cores(final long cpuNs)
    {
        return wallNs > 0 ? (double)cpuNs / wallNs : 0;
    }

    /**
     * @param machineCores the machine's cores.
     * @return true when the target and the generator together kept at least {@link #MACHINE_BOUND_SHARE} of them
     * busy: the step's figures are what the machine allowed the two, not what the target alone can do.
     */
    public boolean machineBound(final int machineCores)
    {
        return cores(targetCpuNs + uacCpuNs + uasCpuNs) >= MACHINE_BOUND_SHARE * machineCores;
    }

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
     * @return true when operations started, fewer than 0.1 % failed and the p99 is within its bound.
     */
    public boolean passed()
    {
        return failedCriteria().isEmpty();
    }

    /**
     * @return what made the step fail, e.g. {@code failures 2.233 % >= 0.1 % (503x120 + 20 timeouts)} or
     * {@code setup p99 3504.1 ms >= 500.0 ms}, several joined by {@code "; "} (no commas: a CSV field);
     * empty when it passed.
     */
    public String failedCriteria()
    {
        if (stopped)
        {
            return "stopped";
        }
        if (started() == 0)
        {
            return "nothing started";
        }
        final StringBuilder criteria = new StringBuilder();
        if (failureRatio() >= MAX_FAILURE_RATIO)
        {
            criteria.append(String.format(Locale.ROOT, "failures %.3f %% >= %.1f %% (", 100 * failureRatio(),
                100 * MAX_FAILURE_RATIO));
            final int length = criteria.length();
            criteria.append(uac.rejectedStatuses());
            appendCount(criteria, length, GeneratorStats.TIMEOUTS, "timeouts");
            appendCount(criteria, length, GeneratorStats.UNFINISHED, "unfinished");
            appendCount(criteria, length, GeneratorStats.GENERATOR_FULL, "generator full");
            criteria.append(')');
        }
        if (maxP99Us > 0 && percentileUs(latency, 99) >= maxP99Us)
        {
            criteria.append(criteria.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                "%s p99 %.1f ms >= %.1f ms", latency, percentileUs(latency, 99) / 1000.0, maxP99Us / 1000.0));
        }
        return criteria.toString();
    }

    /**
     * @return why the step's figures are the lab's fault, not the target's (nothing sent, nothing came back);
     * empty when the step carried traffic.
     */
    public String labFault()
    {
        if (stopped)
        {
            return "";
        }
        if (started() == 0)
        {
            return "the generator started no operation at " + Math.round(offeredRate) + "/s";
        }
        if (uac.get(GeneratorStats.SENT) == 0)
        {
            return "the generator sent no datagram for " + started() + " operations";
        }
        if (uac.get(GeneratorStats.RECEIVED) == 0)
        {
            return "not one datagram came back for " + started() + " operations (" +
                uac.get(GeneratorStats.SENT) + " datagrams sent): the target or the generator's sockets";
        }
        return "";
    }

    private void appendCount(final StringBuilder criteria, final int start, final int counter, final String name)
    {
        final long count = uac.get(counter);
        if (count > 0)
        {
            criteria.append(criteria.length() == start ? "" : " + ").append(count).append(' ').append(name);
        }
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
