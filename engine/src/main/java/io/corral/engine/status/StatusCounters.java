package io.corral.engine.status;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The member's own counters, allocated first in a fresh status file so their ids are stable: tools and scripts may
 * rely on these ids. Later issues allocate their counters after these.
 */
public final class StatusCounters
{
    /** Type id of the member's own counters. */
    public static final int SYSTEM_COUNTER_TYPE_ID = 0;

    /** Member state: one of the {@code STATE_*} values. */
    public static final int MEMBER_STATE_ID = 0;
    /** Conductor heartbeat: epoch ms of its latest duty cycle. */
    public static final int HEARTBEAT_ID = 1;
    /** Milliseconds since the member started, updated by the conductor's housekeeping timer. */
    public static final int UPTIME_ID = 2;
    /** Duty cycles the conductor has run. */
    public static final int CONDUCTOR_DUTY_CYCLES_ID = 3;
    /** Runs of the conductor's housekeeping timer. */
    public static final int CONDUCTOR_TIMER_RUNS_ID = 4;
    /** Errors recorded in the distinct error log (every observation, not only distinct ones). */
    public static final int ERRORS_ID = 5;

    /** {@link #MEMBER_STATE_ID}: opening files and starting agents. */
    public static final long STATE_STARTING = 0;
    /** {@link #MEMBER_STATE_ID}: agents running. */
    public static final long STATE_RUNNING = 1;
    /** {@link #MEMBER_STATE_ID}: closing agents after a shutdown signal. */
    public static final long STATE_CLOSING = 2;
    /** {@link #MEMBER_STATE_ID}: closed cleanly; the process is gone or about to be. */
    public static final long STATE_CLOSED = 3;

    private static final String[] LABELS =
    {
        "Member state: 0 starting, 1 running, 2 closing, 3 closed",
        "Conductor heartbeat (epoch ms)",
        "Member uptime (ms)",
        "Conductor duty cycles",
        "Conductor housekeeping timer runs",
        "Errors (bin/corral-errors lists them)",
    };

    private final AtomicCounter[] counters = new AtomicCounter[LABELS.length];

    /**
     * Allocate the counters in a fresh counters manager.
     *
     * @param countersManager of a new status file, nothing allocated yet.
     */
    public StatusCounters(final CountersManager countersManager)
    {
        for (int id = 0; id < LABELS.length; id++)
        {
            counters[id] = countersManager.newCounter(LABELS[id], SYSTEM_COUNTER_TYPE_ID);
            if (counters[id].id() != id)
            {
                throw new IllegalStateException(
                    "counter " + LABELS[id] + " got id " + counters[id].id() + ", not " + id);
            }
        }
    }

    /**
     * @param id one of the {@code *_ID} constants.
     * @return the counter.
     */
    public AtomicCounter get(final int id)
    {
        return counters[id];
    }
}
