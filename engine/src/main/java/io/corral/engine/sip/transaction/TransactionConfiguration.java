package io.corral.engine.sip.transaction;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueTypes;

import java.util.List;

/**
 * Keys of the transaction layer (RFC 3261 §17): timer base values, the size of each SIP agent's table of
 * transactions in progress and of its ring of lingering ones.
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
        "corral.transaction.capacity", "262144", ValueTypes.powerOfTwo(16, 1 << 22),
        "Transactions in progress one SIP agent holds at once (about 500 bytes each with its key; messages are " +
        "kept in the slots below); when full a new request is answered 503 and counted. A proxied call holds 2 " +
        "while it rings (its INVITE server and client transactions) and 2 for a moment at its BYE; once only " +
        "retransmissions remain to be absorbed they move to the linger ring: allow 2 per call/s per second of " +
        "ringing, and some room.");

    /** Bytes of the ring of lingering transactions. */
    public static final ConfigKey LINGER_BYTES = ConfigKey.of(
        "corral.transaction.linger.bytes", "536870912", ValueTypes.powerOfTwo(4096, 1 << 30),
        "Bytes of native memory of one SIP agent's ring of lingering transactions (RFC 6026 Accepted, timers L " +
        "and M; Completed, timers J, K and D): taken from the OS as it first fills. A proxied call leaves about " +
        "800 bytes for 32 s (its BYE's 200 most of it): allow 25,600 bytes per call/s; when full the oldest " +
        "are dropped early and counted.");

    /** Entries of the ring of lingering transactions. */
    public static final ConfigKey LINGER_ENTRIES = ConfigKey.of(
        "corral.transaction.linger.entries", "4194304", ValueTypes.powerOfTwo(16, 1 << 26),
        "Lingering transactions one SIP agent keeps at most (its index takes 16 bytes per entry of heap): a " +
        "proxied call leaves 4 for 32 s, allow 128 per call/s; when full the oldest are dropped early and counted.");

    /** Bytes of a small message slot. */
    public static final ConfigKey SMALL_SLOT_BYTES = ConfigKey.of(
        "corral.transaction.small.slot.bytes", "512", ValueTypes.integer(128, 65536),
        "Bytes of a small message slot: 100 Trying, a final response to BYE, an ACK the layer built; at most " +
        "corral.transaction.slot.bytes.");

    /** Small message slots. */
    public static final ConfigKey SMALL_SLOTS = ConfigKey.of(
        "corral.transaction.small.slots", "65536", ValueTypes.integer(0, 1 << 22),
        "Small message slots (no more are made than corral.transaction.capacity); a message takes the smallest " +
        "free slot it fits. A ringing INVITE holds one (its 100 Trying): allow 1 per call/s per second of ringing.");

    /** Bytes of a standard message slot. */
    public static final ConfigKey SLOT_BYTES = ConfigKey.of(
        "corral.transaction.slot.bytes", "2048", ValueTypes.powerOfTwo(512, 65536),
        "Bytes of a standard message slot: an INVITE with SDP a client transaction retransmits, a provisional.");

    /** Standard message slots. */
    public static final ConfigKey SLOTS = ConfigKey.of(
        "corral.transaction.slots", "65536", ValueTypes.integer(0, 1 << 22),
        "Standard message slots (no more than corral.transaction.capacity): INVITEs in progress hold one each " +
        "until answered: allow 1 per call/s per second of ringing.");

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
        List.of(T1_MS, T2_MS, T4_MS, TIMER_D_MS, CAPACITY, LINGER_BYTES, LINGER_ENTRIES, SMALL_SLOT_BYTES, SMALL_SLOTS,
        SLOT_BYTES, SLOTS, LARGE_SLOTS, TICK_MS);

    private TransactionConfiguration()
    {
    }
}
