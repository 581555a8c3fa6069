package io.corral.engine.sip.transaction;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueTypes;

import java.util.List;

/**
 * Keys of the transaction layer (RFC 3261 §17): timer base values and the size of each SIP agent's table.
 */
public final class TransactionConfiguration
{
    /** RTT estimate T1 (RFC 3261 §17.1.1.1). */
    public static final ConfigKey T1_MS = ConfigKey.of(
        "corral.transaction.t1.ms", "500", ValueTypes.integer(10, 60_000),
        "RFC 3261 T1 in ms: first UDP retransmission interval; timers B, F, H, J, L, M are 64*T1.");

    /** Longest retransmission interval T2 for non-INVITE requests and INVITE responses. */
    public static final ConfigKey T2_MS = ConfigKey.of(
        "corral.transaction.t2.ms", "4000", ValueTypes.integer(10, 600_000),
        "RFC 3261 T2 in ms: cap of the doubling retransmission interval (timers E and G); at least T1.");

    /** Longest time a message stays in the network, T4. */
    public static final ConfigKey T4_MS = ConfigKey.of(
        "corral.transaction.t4.ms", "5000", ValueTypes.integer(0, 600_000),
        "RFC 3261 T4 in ms: timers I and K on UDP (0 on reliable transports).");

    /** Timer D: how long a completed INVITE client transaction absorbs final response retransmissions. */
    public static final ConfigKey TIMER_D_MS = ConfigKey.of(
        "corral.transaction.timer.d.ms", "32000", ValueTypes.integer(0, 600_000),
        "RFC 3261 timer D in ms on UDP (at least 32 s per the RFC; 0 on reliable transports).");

    /** Transactions one SIP agent can hold at once. */
    public static final ConfigKey CAPACITY = ConfigKey.of(
        "corral.transaction.capacity", "16384", ValueTypes.powerOfTwo(16, 1 << 22),
        "Transactions one SIP agent holds at once; when full a new request is answered 503 and counted.");

    /** Bytes kept per transaction for the message it retransmits. */
    public static final ConfigKey SLOT_BYTES = ConfigKey.of(
        "corral.transaction.slot.bytes", "2048", ValueTypes.powerOfTwo(512, 65536),
        "Bytes per transaction for the last message sent (the exact bytes a retransmission resends).");

    /** Large message slots shared by the transactions whose last message does not fit their own slot. */
    public static final ConfigKey LARGE_SLOTS = ConfigKey.of(
        "corral.transaction.large.slots", "64", ValueTypes.integer(0, 65536),
        "Shared 64 KiB slots for messages larger than corral.transaction.slot.bytes.");

    /** Resolution of the timer wheel. */
    public static final ConfigKey TICK_MS = ConfigKey.of(
        "corral.transaction.tick.ms", "8", ValueTypes.powerOfTwo(1, 1024),
        "Tick of the transaction timer wheel in ms: timers fire up to one tick late.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS =
        List.of(T1_MS, T2_MS, T4_MS, TIMER_D_MS, CAPACITY, SLOT_BYTES, LARGE_SLOTS, TICK_MS);

    private TransactionConfiguration()
    {
    }
}
