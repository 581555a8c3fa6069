package io.corral.engine.dispatch;

import io.corral.engine.proxy.MemberIdCodec;
import io.corral.engine.sip.codec.OptionsProbe;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipRequestBuilder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * OPTIONS health probing of the backends marked {@code probe=true}, as Kamailio's dispatcher does it: one probe per
 * backend every interval, never more than one outstanding; a probe fails on timeout, on a send failure or on a
 * final status not configured as alive (only 200 by default, like {@code ds_ping_reply_codes}); a timeout always
 * fails whatever the configuration (Kamailio would accept its own local 408 if 4xx were configured alive). After
 * {@code failureThreshold} consecutive failures an up backend is marked down, after {@code successThreshold}
 * consecutive successes a down backend is marked up; down backends keep being probed, so one that answers again
 * comes back.
 * <p>
 * Pure logic driven by {@link #poll(long)} with the caller's clock (the conductor's duty cycle); it sends through a
 * {@link ProbeSender} and learns answers from {@link #onProbeResponse}. Probe branches carry the member id
 * ({@link MemberIdCodec}) so responses in a farm come back to the member that probed, and end in the backend slot.
 * <p>
 * Threads: {@link #poll(long)} and the counters belong to one thread (the conductor); the {@code onProbe*} methods
 * may be called from any SIP agent: they only post the outcome into a per-backend slot that the next
 * {@link #poll(long)} consumes. Allocates nothing per probe.
 */
public final class BackendProber
{
    private static final int SLOTS = BackendSets.SLOTS;
    private static final int OUT_BYTES = 4096;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CALL_ID_PREFIX = "probe-".getBytes(StandardCharsets.US_ASCII);
    /** The loop-hash field of probe branches ("prob"): no request is forwarded with it, so it marks probes. */
    private static final int PROBE_MARK = 0x7072_6F62;
    /** Cookie, marker, member id, hash and check digit: the same for every probe of this member. */
    private static final int BRANCH_PREFIX_LENGTH = 20;
    /** Posted outcome: none yet. */
    private static final int NO_OUTCOME = 0;
    /** Posted outcome: failed outside the prober (transport error). */
    private static final int FAILED = -1;

    private final Dispatcher dispatcher;
    private final ProbeSender sender;
    private final ProbeSettings settings;
    private final long seed;
    private final OptionsProbe probe = new OptionsProbe();
    private final SipRequestBuilder builder = new SipRequestBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[OUT_BYTES]);
    private final UnsafeBuffer uriView = new UnsafeBuffer(new byte[1]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[OptionsProbe.MAX_FIELD_LENGTH]);
    private final UnsafeBuffer branch = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
    private final AtomicLongArray currentProbe = new AtomicLongArray(SLOTS);
    private final AtomicIntegerArray outcome = new AtomicIntegerArray(SLOTS);
    private final UnsafeBuffer branchPrefix = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);

    private final boolean[] active = new boolean[SLOTS];
    private final int[] version = new int[SLOTS];
    private final boolean[] outstanding = new boolean[SLOTS];
    private final long[] sentAtMs = new long[SLOTS];
    private final long[] nextProbeMs = new long[SLOTS];
    private final int[] failures = new int[SLOTS];
    private final int[] successes = new int[SLOTS];
    private long sequence;

    private long probesSent;
    private long probesAnswered;
    private long probesFailed;
    private long markedDown;
    private long markedUp;

    /**
     * @param dispatcher whose backends to probe and mark.
     * @param sender     sends the probes.
     * @param settings   cadence, thresholds and identity.
     * @param seed       makes branches, tags and Call-IDs unique per start.
     */
    public BackendProber(
        final Dispatcher dispatcher, final ProbeSender sender, final ProbeSettings settings, final long seed)
    {
        this.dispatcher = dispatcher;
        this.sender = sender;
        this.settings = settings;
        this.seed = seed;
        MemberIdCodec.writeBranch(branchPrefix, 0, settings.memberId(), PROBE_MARK, 0);
        final byte[] sentBy = settings.sentBy().getBytes(StandardCharsets.US_ASCII);
        final byte[] from = settings.fromUri().getBytes(StandardCharsets.US_ASCII);
        if (!probe.sentBy(new UnsafeBuffer(sentBy), 0, sentBy.length) ||
            !probe.fromUri(new UnsafeBuffer(from), 0, from.length))
        {
            throw new IllegalArgumentException("probe sent-by or From URI empty or longer than " +
                OptionsProbe.MAX_FIELD_LENGTH);
        }
    }

    /**
     * Send the probes that are due and expire the ones that timed out.
     *
     * @param nowMs the clock.
     * @return work done: probes sent plus probes expired.
     */
    public int poll(final long nowMs)
    {
        final BackendSets sets = dispatcher.current();
        int work = 0;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (!sets.isPresent(slot) || !sets.isProbed(slot))
            {
                active[slot] = false;
                continue;
            }
            if (!active[slot] || version[slot] != sets.slotVersion(slot))
            {
                start(slot, sets.slotVersion(slot), nowMs);
            }
            final int posted = outcome.getAndSet(slot, NO_OUTCOME);
            if (posted != NO_OUTCOME && outstanding[slot])
            {
                outstanding[slot] = false;
                onOutcome(slot, posted);
                work++;
            }
            if (outstanding[slot] && nowMs - sentAtMs[slot] >= settings.timeoutMs())
            {
                outstanding[slot] = false;
                onFailure(slot);
                work++;
            }
            if (!outstanding[slot] && nowMs >= nextProbeMs[slot])
            {
                send(sets, slot, nowMs);
                work++;
            }
        }
        return work;
    }

    /**
     * A response to the outstanding probe of a backend, already matched by the caller; taken into account at the
     * next {@link #poll(long)}. Any thread.
     *
     * @param backend the slot the probe went to.
     * @param status  the response status; 1xx is ignored.
     */
    public void onProbeResponse(final int backend, final int status)
    {
        if (backend >= 0 && backend < SLOTS && status >= 200 && status <= 699)
        {
            outcome.compareAndSet(backend, NO_OUTCOME, status);
        }
    }

    /**
     * A response whose top Via branch may be a probe's.
     *
     * @param buffer holding the branch.
     * @param offset of the branch value.
     * @param length of the branch value.
     * @param status the response status.
     * @return true if the branch is a probe's of this member (current, late or of an older probe): the agent
     *         drops the response; false if it is not a probe's.
     */
    public boolean onProbeResponse(final DirectBuffer buffer, final int offset, final int length, final int status)
    {
        if (!isProbeBranch(buffer, offset, length))
        {
            return false;
        }
        final int backend = probeBackendOf(buffer, offset, length);
        if (backend != Dispatcher.NONE)
        {
            onProbeResponse(backend, status);
        }
        return true;
    }

    /**
     * @param buffer holding a Via branch.
     * @param offset of the branch value.
     * @param length of the branch value.
     * @return true if it has the form of this member's probe branches, whether or not the probe is still current.
     */
    public boolean isProbeBranch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != MemberIdCodec.BRANCH_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < BRANCH_PREFIX_LENGTH; i++)
        {
            if (SipBytes.toLowerCase(buffer.getByte(offset + i)) != SipBytes.toLowerCase(branchPrefix.getByte(i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param buffer holding a Via branch.
     * @param offset of the branch value.
     * @param length of the branch value.
     * @return the slot whose current probe carries this branch, or {@link Dispatcher#NONE} (not a probe's, or an
     *         older probe's). Any thread.
     */
    public int probeBackendOf(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isProbeBranch(buffer, offset, length))
        {
            return Dispatcher.NONE;
        }
        long unique = 0;
        for (int i = BRANCH_PREFIX_LENGTH; i < length; i++)
        {
            final int digit = SipBytes.hexValue(buffer.getByte(offset + i));
            if (digit < 0)
            {
                return Dispatcher.NONE;
            }
            unique = (unique << 4) | digit;
        }
        final int slot = (int)(unique & 0xFF);
        return slot < SLOTS && unique != 0 && currentProbe.get(slot) == unique ? slot : Dispatcher.NONE;
    }

    /**
     * The outstanding probe of a backend failed outside this prober (e.g. the transport reported an error); taken
     * into account at the next {@link #poll(long)}. Any thread.
     *
     * @param backend the slot.
     */
    public void onProbeFailure(final int backend)
    {
        if (backend >= 0 && backend < SLOTS)
        {
            outcome.compareAndSet(backend, NO_OUTCOME, FAILED);
        }
    }

    /**
     * @return probes sent.
     */
    public long probesSent()
    {
        return probesSent;
    }

    /**
     * @return probes that got a final response (alive or not).
     */
    public long probesAnswered()
    {
        return probesAnswered;
    }

    /**
     * @return probes that failed: timeout, send failure or a status not configured alive.
     */
    public long probesFailed()
    {
        return probesFailed;
    }

    /**
     * @return times a backend was marked down by probing.
     */
    public long markedDownCount()
    {
        return markedDown;
    }

    /**
     * @return times a backend was marked up again by probing.
     */
    public long markedUpCount()
    {
        return markedUp;
    }

    /**
     * @return backends in force that are up.
     */
    public int backendsUp()
    {
        final BackendSets sets = dispatcher.current();
        int count = 0;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            count += sets.isPresent(slot) && dispatcher.isUp(slot) ? 1 : 0;
        }
        return count;
    }

    /**
     * @return backends in force that are down.
     */
    public int backendsDown()
    {
        return dispatcher.current().backendCount() - backendsUp();
    }

    private void start(final int slot, final int slotVersion, final long nowMs)
    {
        active[slot] = true;
        version[slot] = slotVersion;
        outstanding[slot] = false;
        failures[slot] = 0;
        successes[slot] = 0;
        nextProbeMs[slot] = nowMs;
        currentProbe.set(slot, 0);
        outcome.set(slot, NO_OUTCOME);
    }

    private void send(final BackendSets sets, final int slot, final long nowMs)
    {
        final long unique = (BackendSets.mix(seed + (++sequence)) & ~0xFFL) | 0x100L | slot;
        MemberIdCodec.writeBranch(branch, 0, settings.memberId(), PROBE_MARK, unique);
        currentProbe.set(slot, unique);
        outcome.set(slot, NO_OUTCOME);
        final byte[] uri = sets.uriBytes(slot);
        uriView.wrap(uri);
        scratch.putBytes(0, CALL_ID_PREFIX);
        final int callIdLength = CALL_ID_PREFIX.length + writeHex(scratch, CALL_ID_PREFIX.length, unique);
        final boolean built = probe.requestUri(uriView, 0, uri.length) &&
            probe.toUri(uriView, 0, uri.length) &&
            probe.transport(sets.transport(slot)) &&
            probe.branch(branch, 0, MemberIdCodec.BRANCH_LENGTH) &&
            probe.callId(scratch, 0, callIdLength) &&
            probe.fromTag(scratch, CALL_ID_PREFIX.length, 10) &&
            probe.cseq(sequence & 0x7FFF_FFFFL);
        final int length = built ? builder.buildOptions(probe, out, 0) : -1;
        nextProbeMs[slot] = nowMs + settings.intervalMs();
        probesSent++;
        if (length > 0 && sender.send(slot, out, 0, length))
        {
            outstanding[slot] = true;
            sentAtMs[slot] = nowMs;
        }
        else
        {
            onFailure(slot);
        }
    }

    private void onOutcome(final int slot, final int status)
    {
        if (status == FAILED)
        {
            onFailure(slot);
            return;
        }
        probesAnswered++;
        if (settings.isAlive(status))
        {
            onSuccess(slot);
        }
        else
        {
            onFailure(slot);
        }
    }

    private void onFailure(final int slot)
    {
        probesFailed++;
        successes[slot] = 0;
        if (++failures[slot] >= settings.failureThreshold() && dispatcher.markUp(slot, false))
        {
            markedDown++;
        }
    }

    private void onSuccess(final int slot)
    {
        failures[slot] = 0;
        if (++successes[slot] >= settings.successThreshold() && dispatcher.markUp(slot, true))
        {
            markedUp++;
        }
    }

    private static int writeHex(final UnsafeBuffer dst, final int offset, final long value)
    {
        for (int i = 0; i < 16; i++)
        {
            dst.putByte(offset + i, HEX[(int)(value >>> (60 - 4 * i)) & 0xF]);
        }
        return 16;
    }
}
