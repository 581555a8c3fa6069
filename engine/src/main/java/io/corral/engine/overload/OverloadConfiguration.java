package io.corral.engine.overload;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueTypes;

import java.util.List;

/**
 * Keys of overload control: when a SIP agent starts shedding new INVITEs and REGISTERs (any high threshold crossed),
 * when it admits more again (every signal under its low threshold; in between it holds: hysteresis), and how fast.
 */
public final class OverloadConfiguration
{
    /** Overload control on or off. */
    public static final ConfigKey ENABLED = ConfigKey.of(
        "corral.overload.enabled", "true", ValueTypes.oneOf("true", "false"),
        "Shed new INVITEs and REGISTERs (503 with Retry-After, or drop) before queues and socket buffers overflow.");

    /** How often the admitted share is adjusted. */
    public static final ConfigKey INTERVAL_MS = ConfigKey.of(
        "corral.overload.interval.ms", "50", ValueTypes.integer(1, 10_000),
        "Interval in ms at which the signals are evaluated and the share of new requests admitted is adjusted.");

    /** Time after start during which the duty-cycle signals (reads at the poll limit, cycle time) do not shed. */
    public static final ConfigKey GRACE_MS = ConfigKey.of(
        "corral.overload.grace.ms", "10000", ValueTypes.integer(0, 600_000),
        "Warm-up grace in ms after the member starts: the duty-cycle signals (reads at the poll limit, cycle time) " +
        "do not shed while the JIT compiles (slow cycles then are not an overload); the table and queue signals, " +
        "which guard memory, act from the start. 0: no grace.");

    /** Consecutive intervals over a high threshold before the admitted share is cut. */
    public static final ConfigKey SUSTAIN_INTERVALS = ConfigKey.of(
        "corral.overload.sustain.intervals", "4", ValueTypes.integer(1, 1000),
        "Intervals in a row with a signal over its high threshold before shedding starts (a thread descheduled " +
        "for a moment is not an overload); while it lasts, every further such interval cuts again.");

    /** Share of duty cycles whose socket reads reached the poll limit, above which new work is shed. */
    public static final ConfigKey READ_HIGH_PERCENT = ConfigKey.of(
        "corral.overload.read.high.percent", "100", ValueTypes.integer(1, 100),
        "Shed when at least this % of an interval's duty cycles read as many datagrams as one poll may (more were " +
        "waiting in the socket buffer).");

    /** Low threshold of the read signal. */
    public static final ConfigKey READ_LOW_PERCENT = ConfigKey.of(
        "corral.overload.read.low.percent", "25", ValueTypes.integer(0, 100),
        "Admit more only when at most this % of duty cycles reached the poll limit.");

    /** Socket queue fill that confirms reads at the poll limit as an overload. */
    public static final ConfigKey READ_CONFIRM_PERCENT = ConfigKey.of(
        "corral.overload.read.confirm.percent", "50", ValueTypes.integer(0, 100),
        "While every new request is admitted, reads at the poll limit count as a signal only if the fullest SIP " +
        "socket's receive queue holds at least this % of its buffer (read from /proc/net/udp, only in intervals " +
        "whose reads were at the limit): near full load a short queue keeps every read at the limit without " +
        "growing, which is batching, not an overload. Once shedding, the reads alone count. 0: they always do, as " +
        "where the kernel does not say (NIO).");

    /** Duty-cycle time (EWMA of cycles that did work) above which new work is shed. */
    public static final ConfigKey CYCLE_HIGH_US = ConfigKey.of(
        "corral.overload.cycle.high.us", "100000", ValueTypes.integer(1, 10_000_000),
        "Shed when the moving average of a working duty cycle's time reaches this many µs (the delay a new packet " +
        "waits; T1, after which callers retransmit, is 500 ms).");

    /** Low threshold of the duty-cycle time. */
    public static final ConfigKey CYCLE_LOW_US = ConfigKey.of(
        "corral.overload.cycle.low.us", "20000", ValueTypes.integer(0, 10_000_000),
        "Admit more only when the duty-cycle time average is at most this many µs.");

    /** Transaction table occupancy above which new work is shed. */
    public static final ConfigKey TABLE_HIGH_PERCENT = ConfigKey.of(
        "corral.overload.table.high.percent", "90", ValueTypes.integer(1, 100),
        "Shed when the agent's transaction table is at least this % full (at 100 % every new request gets 503).");

    /** Low threshold of the table occupancy. */
    public static final ConfigKey TABLE_LOW_PERCENT = ConfigKey.of(
        "corral.overload.table.low.percent", "80", ValueTypes.integer(0, 100),
        "Admit more only when the transaction table is at most this % full.");

    /** Hand-over queue depth above which new work is shed. */
    public static final ConfigKey QUEUE_HIGH_PERCENT = ConfigKey.of(
        "corral.overload.queue.high.percent", "50", ValueTypes.integer(1, 100),
        "Shed when the agent's hand-over queue (packets other agents read for it) is at least this % full.");

    /** Low threshold of the hand-over queue depth. */
    public static final ConfigKey QUEUE_LOW_PERCENT = ConfigKey.of(
        "corral.overload.queue.low.percent", "10", ValueTypes.integer(0, 100),
        "Admit more only when the hand-over queue is at most this % full.");

    /** Multiplicative cut of the admitted share per interval over a high threshold. */
    public static final ConfigKey DECREASE_PERCENT = ConfigKey.of(
        "corral.overload.decrease.percent", "25", ValueTypes.integer(1, 100),
        "Each interval with a signal over its high threshold cuts the share of new requests admitted by this %.");

    /** Additive raise of the admitted share per interval under every low threshold. */
    public static final ConfigKey INCREASE_PERCENT = ConfigKey.of(
        "corral.overload.increase.percent", "5", ValueTypes.integer(1, 100),
        "Each interval with every signal under its low threshold admits this many % points more of new requests.");

    /** Admitted share under which shed requests are dropped rather than answered. */
    public static final ConfigKey DROP_BELOW_PERCENT = ConfigKey.of(
        "corral.overload.drop.below.percent", "0", ValueTypes.integer(0, 100),
        "When under this % of new requests is admitted, the rest are dropped silently rather than answered 503 " +
        "(0: always answer; a dropped INVITE is retransmitted up to 6 times, a 503 ends it).");

    /** Retry-After of the 503 answered to shed requests. */
    public static final ConfigKey RETRY_AFTER_SECONDS = ConfigKey.of(
        "corral.overload.retry.after.s", "5", ValueTypes.integer(0, 86_400),
        "Retry-After in seconds of the 503 answered to a shed request (RFC 3261 §21.5.4).");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(ENABLED, INTERVAL_MS, GRACE_MS, SUSTAIN_INTERVALS,
        READ_HIGH_PERCENT, READ_LOW_PERCENT, READ_CONFIRM_PERCENT, CYCLE_HIGH_US, CYCLE_LOW_US, TABLE_HIGH_PERCENT,
        TABLE_LOW_PERCENT, QUEUE_HIGH_PERCENT, QUEUE_LOW_PERCENT, DECREASE_PERCENT, INCREASE_PERCENT,
        DROP_BELOW_PERCENT, RETRY_AFTER_SECONDS);

    private OverloadConfiguration()
    {
    }
}
