package io.corral.perf.gen;

import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one side of the generator counted in a run: counters readable from another thread while it runs (for the
 * progress line), latency histograms in microseconds and per-second series, read once the run has ended.
 */
public final class GeneratorStats
{
    /** Operations started (calls, REGISTERs, OPTIONS). */
    public static final int STARTED = 0;
    /** Operations completed successfully (a call: its BYE answered 2xx). */
    public static final int SUCCEEDED = 1;
    /** Operations failed for any reason (the sum of the reasons below). */
    public static final int FAILED = 2;
    /** Failed: no final response within 64*T1. */
    public static final int TIMEOUTS = 3;
    /** Failed: a final response >= 300 (other than 503). */
    public static final int REJECTED = 4;
    /** Failed: 503 Service Unavailable (load shed by the target). */
    public static final int REJECTED_503 = 5;
    /** Failed: still in progress when the run's drain time ran out. */
    public static final int UNFINISHED = 6;
    /** Failed: the generator had no free slot or record for it (raise its capacity). */
    public static final int GENERATOR_FULL = 7;
    /** Retransmissions sent. */
    public static final int RETRANSMISSIONS = 8;
    /** Datagrams received that matched nothing (late, foreign or malformed). */
    public static final int UNMATCHED = 9;
    /** Datagrams received. */
    public static final int RECEIVED = 10;
    /** Datagrams sent. */
    public static final int SENT = 11;
    /** Calls set up (200 to INVITE). */
    public static final int ESTABLISHED = 12;
    /** Digest challenges answered. */
    public static final int CHALLENGES = 13;

    static final String[] NAMES = {
        "started", "succeeded", "failed", "timeouts", "rejected", "rejected_503", "unfinished", "generator_full",
        "retransmissions", "unmatched", "received", "sent", "established", "challenges" };

    /** Histogram names, in {@link #histograms()} order. */
    public static final String[] HISTOGRAM_NAMES = { "setup", "invite", "bye", "register", "options" };
    static final int SETUP = 0;
    static final int INVITE = 1;
    static final int BYE = 2;
    static final int REGISTER = 3;
    static final int OPTIONS = 4;

    private static final long HIGHEST_US = 3_600_000_000L;

    private static final int MAX_STATUS = 700;

    private final AtomicLongArray counters = new AtomicLongArray(NAMES.length);
    private final long[] rejectedByStatus = new long[MAX_STATUS];
    private final Histogram[] histograms = new Histogram[HISTOGRAM_NAMES.length];
    private final long[] succeededPerSecond;
    private final long[] failedPerSecond;
    private final long[] startedPerSecond;
    private final long[] succeededByStartSecond;

    /**
     * @param seconds length of the per-second series; later events go into the last second.
     */
    public GeneratorStats(final int seconds)
    {
        for (int i = 0; i < histograms.length; i++)
        {
            histograms[i] = new Histogram(HIGHEST_US, 3);
        }
        succeededPerSecond = new long[Math.max(1, seconds)];
        failedPerSecond = new long[Math.max(1, seconds)];
        startedPerSecond = new long[Math.max(1, seconds)];
        succeededByStartSecond = new long[Math.max(1, seconds)];
    }

    /**
     * @param counter a counter id of this class, counted up by one.
     */
    public void increment(final int counter)
    {
        counters.setRelease(counter, counters.getPlain(counter) + 1);
    }

    void add(final int counter, final long delta)
    {
        counters.setRelease(counter, counters.getPlain(counter) + delta);
    }

    public void recordLatencyNs(final int histogram, final long latencyNs)
    {
        histograms[histogram].recordValue(Math.min(HIGHEST_US, Math.max(0, latencyNs / 1000)));
    }

    public void onStarted(final int second)
    {
        increment(STARTED);
        startedPerSecond[clamp(second)]++;
    }

    public void onSucceeded(final int second)
    {
        onSucceeded(second, second);
    }

    /**
     * @param second      the second of the run the operation completed in.
     * @param startSecond the second of the run it was due to start in.
     */
    public void onSucceeded(final int second, final int startSecond)
    {
        increment(SUCCEEDED);
        succeededPerSecond[clamp(second)]++;
        succeededByStartSecond[clamp(startSecond)]++;
    }

    public void onFailed(final int reason, final int second)
    {
        increment(FAILED);
        increment(reason);
        failedPerSecond[clamp(second)]++;
    }

    /**
     * @param status the final status (>= 300) that ended an operation.
     * @param second the second of the run it came in.
     */
    public void onRejected(final int status, final int second)
    {
        rejectedByStatus[Math.max(0, Math.min(status, MAX_STATUS - 1))]++;
        onFailed(status == 503 ? REJECTED_503 : REJECTED, second);
    }

    /**
     * @return the final statuses that failed operations got, e.g. {@code 401x12 503x7}; read after the run.
     */
    public String rejectedStatuses()
    {
        final StringBuilder text = new StringBuilder();
        for (int status = 0; status < MAX_STATUS; status++)
        {
            if (rejectedByStatus[status] > 0)
            {
                text.append(text.length() == 0 ? "" : " ").append(status).append('x').append(rejectedByStatus[status]);
            }
        }
        return text.toString();
    }

    /**
     * @param counter a counter id of this class.
     * @return its value, safe to read from any thread.
     */
    public long get(final int counter)
    {
        return counters.getAcquire(counter);
    }

    /**
     * @param counter a counter id.
     * @return its name for reports.
     */
    public static String name(final int counter)
    {
        return NAMES[counter];
    }

    /**
     * @return number of counters.
     */
    public static int counterCount()
    {
        return NAMES.length;
    }

    /**
     * @return latency histograms in microseconds, named by {@link #HISTOGRAM_NAMES}; read after the run.
     */
    public Histogram[] histograms()
    {
        return histograms;
    }

    /**
     * @return operations that succeeded in each second of the run (goodput).
     */
    public long[] succeededPerSecond()
    {
        return succeededPerSecond;
    }

    /**
     * @return operations that succeeded, by the second of the run they were due to start in.
     */
    public long[] succeededByStartSecond()
    {
        return succeededByStartSecond;
    }

    /**
     * @return operations that failed in each second of the run.
     */
    public long[] failedPerSecond()
    {
        return failedPerSecond;
    }

    /**
     * @return operations started in each second of the run.
     */
    public long[] startedPerSecond()
    {
        return startedPerSecond;
    }

    private int clamp(final int second)
    {
        return Math.max(0, Math.min(second, succeededPerSecond.length - 1));
    }
}
