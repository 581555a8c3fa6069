package io.corral.engine.overload;

/**
 * Decides, for one SIP agent, whether a new INVITE or REGISTER is admitted, rejected (503 with Retry-After) or
 * dropped, from signals its duty cycle measures: the share of duty cycles whose socket reads reached the poll limit
 * (datagrams left in the socket buffer), confirmed by how full the socket's receive queue is
 * ({@link OverloadSettings#readConfirm()}), the moving average of a working duty cycle's time, transaction table
 * occupancy and hand-over queue depth.
 * <p>
 * Every {@link OverloadSettings#intervalMs()} the admitted share of new requests is adjusted like TCP's window: cut by
 * {@link OverloadSettings#decrease()} (multiplicative) while any signal is over its high threshold (from the
 * {@link OverloadSettings#sustainIntervals()}th interval in a row on, so that a thread descheduled for a moment does
 * not shed calls), raised by
 * {@link OverloadSettings#increase()} (additive) once every signal is under its low threshold, held in between, so
 * that it settles near what the agent can carry instead of flapping between all and nothing. For
 * {@link OverloadSettings#graceMs()} after the detector is made (the member's start) the duty-cycle signals (read and
 * cycle) are not evaluated: a cold JVM's slow cycles are the JIT at work, not an overload; the table and queue
 * signals guard memory and act from the start. Admission within the
 * share is deterministic (a credit accumulator), so the admitted requests spread evenly. Under
 * {@link OverloadSettings#dropBelow()} the shed requests are dropped: the 503s themselves would be too much.
 * <p>
 * Single-threaded: owned by its agent's duty cycle; the time comes in as arguments; allocates nothing.
 */
public final class OverloadDetector
{
    /** {@link #admit()}: serve the request. */
    public static final int ADMIT = 0;
    /** {@link #admit()}: answer 503 with Retry-After. */
    public static final int REJECT = 1;
    /** {@link #admit()}: drop the request unanswered. */
    public static final int DROP = 2;

    /** {@link #highSignals()} bit: socket reads reached the poll limit too often. */
    public static final int SIGNAL_READ = 1;
    /** {@link #highSignals()} bit: the duty-cycle time average is too long. */
    public static final int SIGNAL_CYCLE = 2;
    /** {@link #highSignals()} bit: the transaction table is too full. */
    public static final int SIGNAL_TABLE = 4;
    /** {@link #highSignals()} bit: the hand-over queue is too deep. */
    public static final int SIGNAL_QUEUE = 8;

    private static final double MIN_SHARE = 0.001;
    private static final int EWMA_SHIFT = 3;

    private final OverloadSettings settings;
    private final long graceEndMs;
    private long nextIntervalMs;
    private long cycles;
    private long cyclesAtReadLimit;
    private long cycleEwmaNs;
    private double admittedShare = 1.0;
    private double credit;
    private long rejectedCount;
    private long droppedCount;
    private long highIntervals;
    private int highInARow;
    private int highSignals;

    /**
     * @param settings thresholds and rates.
     * @param nowMs    the clock now.
     */
    public OverloadDetector(final OverloadSettings settings, final long nowMs)
    {
        this.settings = settings;
        graceEndMs = nowMs + settings.graceMs();
        nextIntervalMs = nowMs + settings.intervalMs();
    }

    /**
     * Account one duty cycle.
     *
     * @param cycleNs          how long it took.
     * @param worked           whether it did any work (idle cycles do not move the time average).
     * @param readLimitReached whether a socket read as many datagrams as one poll may (more were waiting).
     */
    public void onDutyCycle(final long cycleNs, final boolean worked, final boolean readLimitReached)
    {
        cycles++;
        if (readLimitReached)
        {
            cyclesAtReadLimit++;
        }
        if (worked)
        {
            cycleEwmaNs += (cycleNs - cycleEwmaNs) >> EWMA_SHIFT;
        }
    }

    /**
     * @param nowMs the clock.
     * @return true when {@link #onInterval} is due.
     */
    public boolean isIntervalDue(final long nowMs)
    {
        return nowMs >= nextIntervalMs;
    }

    /**
     * @return true when this interval's reads reached the poll limit often enough to be a signal while every new
     * request is admitted: then, before {@link #onInterval}, the caller reads how full its sockets' receive queues
     * are to confirm it. Once shedding, the reads alone count: the cuts that hold an overload must not wait for the
     * queue to fill again.
     */
    public boolean readsAtLimit()
    {
        return settings.readConfirm() > 0 && admittedShare >= 1.0 && readShare() >= settings.readHigh();
    }

    /**
     * Evaluate the interval's signals and adjust the admitted share.
     *
     * @param nowMs              the clock.
     * @param transactions       transactions held.
     * @param transactionCapacity transactions the table holds at most.
     * @param queueBytes         bytes waiting in the hand-over queue.
     * @param queueCapacityBytes bytes the hand-over queue holds at most.
     * @param socketQueueShare   the fullest socket receive queue against its buffer, 0 to 1, read after
     *                           {@link #readsAtLimit()}; -1 when not read or unknown (the reads alone count).
     */
    public void onInterval(
        final long nowMs,
        final int transactions,
        final int transactionCapacity,
        final int queueBytes,
        final int queueCapacityBytes,
        final double socketQueueShare)
    {
        nextIntervalMs = nowMs + settings.intervalMs();
        final double readShare = readShare();
        final double tableShare = (double)transactions / transactionCapacity;
        final double queueShare = (double)queueBytes / queueCapacityBytes;
        cycles = 0;
        cyclesAtReadLimit = 0;
        if (!settings.enabled())
        {
            return;
        }
        final boolean warm = nowMs >= graceEndMs;
        final boolean readsHigh = readShare >= settings.readHigh() &&
            (admittedShare < 1.0 || socketQueueShare < 0 || socketQueueShare >= settings.readConfirm());
        highSignals = (warm && readsHigh ? SIGNAL_READ : 0) |
            (warm && cycleEwmaNs >= settings.cycleHighNs() ? SIGNAL_CYCLE : 0) |
            (tableShare >= settings.tableHigh() ? SIGNAL_TABLE : 0) |
            (queueShare >= settings.queueHigh() ? SIGNAL_QUEUE : 0);
        if (highSignals != 0)
        {
            highIntervals++;
            if (++highInARow >= settings.sustainIntervals())
            {
                admittedShare *= 1.0 - settings.decrease();
                if (admittedShare < MIN_SHARE)
                {
                    admittedShare = 0;
                }
            }
            return;
        }
        highInARow = 0;
        if ((!warm || readShare <= settings.readLow() && cycleEwmaNs <= settings.cycleLowNs()) &&
            tableShare <= settings.tableLow() && queueShare <= settings.queueLow())
        {
            admittedShare = Math.min(1.0, admittedShare + settings.increase());
        }
    }

    private double readShare()
    {
        return cycles == 0 ? 0 : (double)cyclesAtReadLimit / cycles;
    }

    /**
     * @return true while some new requests are shed; retransmissions must be told apart only then.
     */
    public boolean isShedding()
    {
        return admittedShare < 1.0;
    }

    /**
     * Decide for one new INVITE or REGISTER (never a retransmission, ACK, CANCEL, in-dialog request or response).
     *
     * @return {@link #ADMIT}, {@link #REJECT} or {@link #DROP}.
     */
    public int admit()
    {
        if (admittedShare >= 1.0)
        {
            return ADMIT;
        }
        credit += admittedShare;
        if (credit >= 1.0)
        {
            credit -= 1.0;
            return ADMIT;
        }
        if (admittedShare < settings.dropBelow())
        {
            droppedCount++;
            return DROP;
        }
        rejectedCount++;
        return REJECT;
    }

    /**
     * @return the share of new requests admitted now, 0 to 1.
     */
    public double admittedShare()
    {
        return admittedShare;
    }

    /**
     * @return the moving average of a working duty cycle's time, in ns.
     */
    public long cycleEwmaNs()
    {
        return cycleEwmaNs;
    }

    /**
     * @return the signals over their high threshold in the last interval: {@link #SIGNAL_READ},
     * {@link #SIGNAL_CYCLE}, {@link #SIGNAL_TABLE}, {@link #SIGNAL_QUEUE} bits.
     */
    public int highSignals()
    {
        return highSignals;
    }

    /**
     * @return new requests answered 503.
     */
    public long rejectedCount()
    {
        return rejectedCount;
    }

    /**
     * @return new requests dropped.
     */
    public long droppedCount()
    {
        return droppedCount;
    }

    /**
     * @return intervals in which a signal was over its high threshold.
     */
    public long highIntervals()
    {
        return highIntervals;
    }

    /**
     * @return the Retry-After of a rejection, in seconds.
     */
    public long retryAfterSeconds()
    {
        return settings.retryAfterSeconds();
    }
}
