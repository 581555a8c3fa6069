package io.corral.engine.registrar;

import io.corral.engine.proxy.MemberIdCodec;
import io.corral.engine.sip.codec.OptionsProbe;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipRequestBuilder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.codec.ViaDecoder;
import io.corral.engine.sip.transaction.TransactionOwnership;
import io.corral.engine.transport.RemoteAddressTable;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationDescriptor;
import io.corral.state.registration.RegistrationFlyweight;
import io.corral.state.registration.RegistrationStore;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * NAT keep-alives of the NATed contacts whose flow one SIP agent owns: a registration whose Contact host is not the
 * address its REGISTER came from ({@link RegistrationFlyweight#isNat}: a private address, a name) is reached through
 * that source, so the NAT binding in front of it must stay open. A UA that names its source address knows it (no
 * NAT, or it keeps its own binding open, e.g. RFC 5626 outbound) and is neither routed through the flow nor pinged.
 * Every {@code corral.nat.keepalive.interval.ms} each NATed contact gets an OPTIONS over UDP, sent from this agent's
 * socket to the registered source (Request-URI and To: the contact URI), or CRLF CRLF (RFC 5626 §4.4.1) on the TCP
 * connection it registered on. Any response to the OPTIONS within
 * {@code corral.nat.keepalive.timeout.ms} is an answer; no answer, a send failure or a TCP connection gone is a
 * miss. A contact with misses stored in its record ({@link RegistrationFlyweight#keepAliveFailures}) is marked; at
 * {@code corral.nat.keepalive.max.failures} misses in a row it is removed through the {@link RegistrationStore} as
 * any other removal, and an answer clears the mark. Only contacts of records this member owns are pinged.
 * <p>
 * The agent walks the registration map a segment at a time, one whole pass per interval, and sends the pings of a
 * segment evenly over that segment's share of the interval: no bursts, a bounded amount of work per
 * {@link #poll(long)}, and nothing to keep in step with REGISTERs (refreshes, removals, restarts and other agents'
 * registrations are seen in the map itself). Ping branches carry this member's id ({@link MemberIdCodec}) and a mark,
 * and the Call-ID of every ping of an agent hashes to that agent ({@link TransactionOwnership}), so the response
 * reaches the agent that sent it, which recognises it with {@link #onResponse} before transaction matching.
 * IPv4 sources only. Allocates nothing per ping once its buffers have grown to the peak; one instance per SIP agent,
 * driven on that agent's thread.
 */
public final class NatKeepAlive
{
    /**
     * The SIP agent's side: which flows it owns and how to send on them.
     */
    public interface Output
    {
        /**
         * @param transport    transport the contact registered on.
         * @param agentIndex   agent that processed its REGISTER.
         * @param connectionId connection it registered on (the agent's own id form), or 0.
         * @return true if this agent holds the socket or connection to ping the contact on.
         */
        boolean ownsKeepAliveFlow(int transport, long agentIndex, long connectionId);

        /**
         * Send a keep-alive; on a stream transport only on the registered connection, never a new one.
         *
         * @param remoteId     the registered source.
         * @param transport    its transport.
         * @param connectionId the registered connection (or local socket for UDP).
         * @param buffer       holding the message.
         * @param offset       of the message.
         * @param length       of the message.
         * @return false if it could not be sent (for a stream: the connection is gone).
         */
        boolean sendKeepAlive(
            long remoteId, int transport, long connectionId, DirectBuffer buffer, int offset, int length);

        /**
         * @param transport    transport of the flow.
         * @param connectionId the flow's connection (or local socket for UDP).
         * @return this member's Via sent-by ({@code host:port}) on the local address of the flow, for the OPTIONS.
         */
        DirectBuffer keepAliveSentBy(int transport, long connectionId);
    }

    /** Type id of the keep-alive counters in the status file. */
    public static final int KEEPALIVE_COUNTER_TYPE_ID = 21;

    /** The loop-hash field of keep-alive branches ("natp"): no forwarded request has it, so it marks pings. */
    private static final int KEEPALIVE_MARK = 0x6E61_7470;
    /** Cookie, marker, member id, mark and check digit: the same for every ping of this member. */
    private static final int BRANCH_PREFIX_LENGTH = 20;
    private static final int SEGMENTS_PER_POLL = 8;
    private static final int PINGS_PER_POLL = 64;
    private static final int RESOLVED_PER_POLL = 256;
    private static final int OUT_BYTES = 2048;
    private static final int CALL_ID_ATTEMPTS = 1024;
    private static final long INDEX_MASK = (1L << 40) - 1;
    private static final byte[] CRLF_CRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIP_SCHEME = "sip:".getBytes(StandardCharsets.US_ASCII);

    private static final int T_KEY_HIGH = 0;
    private static final int T_KEY_LOW = 8;
    private static final int T_REGISTERED_MS = 16;
    private static final int T_CONNECTION = 24;
    private static final int T_IPV4 = 32;
    private static final int T_PORT = 36;
    private static final int T_TRANSPORT = 40;
    private static final int T_FAILURES = 44;
    private static final int T_URI_LENGTH = 48;
    private static final int T_URI = 56;
    private static final int TARGET_LENGTH = T_URI + RegistrationDescriptor.URI_CAPACITY;

    private static final int P_UNIQUE = 0;
    private static final int P_KEY_HIGH = 8;
    private static final int P_KEY_LOW = 16;
    private static final int P_REGISTERED_MS = 24;
    private static final int P_SENT_MS = 32;
    private static final int P_IPV4 = 40;
    private static final int P_PORT = 44;
    private static final int P_FAILURES = 48;
    private static final int P_ANSWERED = 52;
    private static final int PENDING_LENGTH = 56;
    private static final int INITIAL_PENDING = 64;

    private final KeepAliveSettings settings;
    private final RegistrationStore store;
    private final Output output;
    private final int memberId;
    private final int segments;
    private final RegistrationFlyweight record;
    private final AddressOfRecord aor = new AddressOfRecord();
    private final OptionsProbe probe = new OptionsProbe();
    private final SipRequestBuilder builder = new SipRequestBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[OUT_BYTES]);
    private final UnsafeBuffer branch = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
    private final UnsafeBuffer branchPrefix = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
    private final UnsafeBuffer crlfCrlf = new UnsafeBuffer(CRLF_CRLF);
    private final UnsafeBuffer fromUri = new UnsafeBuffer(new byte[SIP_SCHEME.length + OptionsProbe.MAX_FIELD_LENGTH]);
    private final ExpandableArrayBuffer targets = new ExpandableArrayBuffer(16 * TARGET_LENGTH);
    private final Collector collector = new Collector();
    private final long uniqueBase;
    private final AtomicCounter pingsSent;
    private final AtomicCounter pingsAnswered;
    private final AtomicCounter pingsMissed;
    private final AtomicCounter contactsRemoved;

    private UnsafeBuffer pending = new UnsafeBuffer(new byte[INITIAL_PENDING * PENDING_LENGTH]);
    private int pendingMask = INITIAL_PENDING - 1;
    private long pendingHead;
    private long pendingTail;

    private boolean started;
    private long cseq;
    private int segment;
    private long passStartMs;
    private int targetCount;
    private int targetsSent;
    private long batchStartMs;
    private long batchEndMs;

    /**
     * @param settings        interval, answer window and misses allowed.
     * @param store           the registrations (this agent's store instance).
     * @param output          the agent: flow ownership and sending.
     * @param countersManager of the status file: the keep-alive counters are added to it.
     * @param agentIndex      this agent's index.
     * @param agentCount      SIP agents in the member.
     * @param memberId        this member's id, in ping branches; only records it owns are pinged.
     * @param seed            makes Call-ID, tag and branches differ per agent and start.
     */
    public NatKeepAlive(
        final KeepAliveSettings settings,
        final RegistrationStore store,
        final Output output,
        final CountersManager countersManager,
        final int agentIndex,
        final int agentCount,
        final int memberId,
        final long seed)
    {
        this.settings = settings;
        this.store = store;
        this.output = output;
        this.memberId = memberId;
        segments = store.segments();
        record = store.newRecord();
        uniqueBase = (seed & 0x7F_FFFFL | 0x80_0000L) << 40;
        MemberIdCodec.writeBranch(branchPrefix, 0, memberId, KEEPALIVE_MARK, 0);
        final String prefix = "SIP agent " + agentIndex + ": NAT keep-alive ";
        pingsSent = countersManager.newCounter(prefix + "pings sent", KEEPALIVE_COUNTER_TYPE_ID);
        pingsAnswered = countersManager.newCounter(prefix + "pings answered", KEEPALIVE_COUNTER_TYPE_ID);
        pingsMissed = countersManager.newCounter(prefix + "pings missed", KEEPALIVE_COUNTER_TYPE_ID);
        contactsRemoved = countersManager.newCounter(
            prefix + "contacts removed", KEEPALIVE_COUNTER_TYPE_ID);

        final TransactionOwnership ownership = new TransactionOwnership(agentCount);
        final UnsafeBuffer callId = new UnsafeBuffer(new byte[40]);
        int callIdLength = 0;
        for (int attempt = 0; attempt < CALL_ID_ATTEMPTS; attempt++)
        {
            callIdLength = callId.putStringWithoutLengthAscii(0, "ka-" + Long.toHexString(seed) + "-" + attempt);
            if (ownership.ownerOf(callId, 0, callIdLength) == agentIndex)
            {
                break;
            }
        }
        probe.callId(callId, 0, callIdLength);
        fromUri.putBytes(0, SIP_SCHEME);
        probe.fromTag(callId, 3, Math.min(10, callIdLength - 3));
    }

    /**
     * Send the pings that are due, walk the next segments of the map when due, and settle pings whose answer window
     * has passed. Call every duty cycle of the owning agent, once its transport is open.
     *
     * @param nowMs wall clock, epoch ms.
     * @return work done.
     */
    public int poll(final long nowMs)
    {
        if (!settings.isEnabled() || segments == 0)
        {
            return 0;
        }
        if (!started)
        {
            started = true;
            passStartMs = nowMs;
        }
        int work = settle(nowMs);
        work += sendDue(nowMs, PINGS_PER_POLL);
        for (int i = 0; i < SEGMENTS_PER_POLL && targetsSent == targetCount && nowMs >= segmentDueMs(segment); i++)
        {
            collect(nowMs);
            work += 1 + sendDue(nowMs, PINGS_PER_POLL);
        }
        return work;
    }

    /**
     * A response whose top Via branch may be a ping's: an answer to a ping still waiting is counted (and clears the
     * contact's misses); any response to a ping of this member is consumed, never forwarded.
     *
     * @param response a decoded response.
     * @param nowMs    wall clock, epoch ms.
     * @return true if it was a response to a keep-alive of this member: the caller drops it.
     */
    public boolean onResponse(final SipMessageDecoder response, final long nowMs)
    {
        final ViaDecoder via = response.topVia();
        final int length = via.branchLength();
        if (length != MemberIdCodec.BRANCH_LENGTH)
        {
            return false;
        }
        final DirectBuffer buffer = via.buffer();
        final int offset = via.branchOffset();
        for (int i = 0; i < BRANCH_PREFIX_LENGTH; i++)
        {
            if (SipBytes.toLowerCase(buffer.getByte(offset + i)) != SipBytes.toLowerCase(branchPrefix.getByte(i)))
            {
                return false;
            }
        }
        long unique = 0;
        for (int i = BRANCH_PREFIX_LENGTH; i < length; i++)
        {
            final int digit = SipBytes.hexValue(buffer.getByte(offset + i));
            if (digit < 0)
            {
                return true;
            }
            unique = (unique << 4) | digit;
        }
        final long index = unique & INDEX_MASK;
        if ((unique & ~INDEX_MASK) == uniqueBase && index >= pendingTail && index < pendingHead)
        {
            final int at = pendingOffset(index);
            if (pending.getLong(at + P_UNIQUE) == unique && pending.getInt(at + P_ANSWERED) == 0)
            {
                pending.putInt(at + P_ANSWERED, 1);
                pingsAnswered.incrementRelease();
                if (pending.getInt(at + P_FAILURES) > 0)
                {
                    update(pending.getLong(at + P_KEY_HIGH), pending.getLong(at + P_KEY_LOW),
                        pending.getLong(at + P_REGISTERED_MS), TransportProtocol.UDP, pending.getInt(at + P_IPV4),
                        pending.getInt(at + P_PORT), false, nowMs);
                }
            }
        }
        return true;
    }

    /**
     * @return pings sent (OPTIONS and CRLF CRLF).
     */
    public long pingsSent()
    {
        return pingsSent.get();
    }

    /**
     * @return OPTIONS pings answered.
     */
    public long pingsAnswered()
    {
        return pingsAnswered.get();
    }

    /**
     * @return misses: pings unanswered, unsent or on a connection gone.
     */
    public long pingsMissed()
    {
        return pingsMissed.get();
    }

    /**
     * @return contacts removed after too many misses.
     */
    public long contactsRemoved()
    {
        return contactsRemoved.get();
    }

    private long segmentDueMs(final int segmentInPass)
    {
        return passStartMs + segmentInPass * settings.intervalMs() / segments;
    }

    /**
     * Collect the pings of the next segment and spread them until the segment after it is due.
     */
    private void collect(final long nowMs)
    {
        targetCount = 0;
        targetsSent = 0;
        collector.nowMs = nowMs;
        store.forEachInSegment(segment, collector);
        batchStartMs = nowMs;
        segment++;
        if (segment == segments)
        {
            segment = 0;
            // A member that fell a whole interval behind (paused, overloaded) starts afresh rather than catching up.
            passStartMs = Math.max(passStartMs + settings.intervalMs(), nowMs - settings.intervalMs());
        }
        batchEndMs = Math.max(nowMs, segmentDueMs(segment));
    }

    private int sendDue(final long nowMs, final int limit)
    {
        int sent = 0;
        while (targetsSent < targetCount && sent < limit &&
            nowMs >= batchStartMs + targetsSent * (batchEndMs - batchStartMs) / targetCount)
        {
            ping(targetsSent * TARGET_LENGTH, nowMs);
            targetsSent++;
            sent++;
        }
        return sent;
    }

    private void ping(final int target, final long nowMs)
    {
        final int transport = targets.getInt(target + T_TRANSPORT);
        final long remoteId =
            RemoteAddressTable.ipv4Id(targets.getInt(target + T_IPV4), targets.getInt(target + T_PORT));
        final long connectionId = targets.getLong(target + T_CONNECTION);
        if (transport != TransportProtocol.UDP)
        {
            if (output.sendKeepAlive(remoteId, transport, connectionId, crlfCrlf, 0, CRLF_CRLF.length))
            {
                pingsSent.incrementRelease();
                if (targets.getInt(target + T_FAILURES) > 0)
                {
                    updateTarget(target, false, nowMs);
                }
            }
            else
            {
                updateTarget(target, true, nowMs);
            }
            return;
        }
        if (pendingHead - pendingTail > pendingMask)
        {
            growPending();
        }
        final long index = pendingHead;
        final long unique = uniqueBase | (index & INDEX_MASK);
        MemberIdCodec.writeBranch(branch, 0, memberId, KEEPALIVE_MARK, unique);
        cseq = cseq == SipMessageDecoder.MAX_CSEQ ? 1 : cseq + 1;
        final int uriLength = targets.getInt(target + T_URI_LENGTH);
        final DirectBuffer sentBy = output.keepAliveSentBy(transport, connectionId);
        final int sentByLength = Math.min(sentBy.capacity(), OptionsProbe.MAX_FIELD_LENGTH);
        fromUri.putBytes(SIP_SCHEME.length, sentBy, 0, sentByLength);
        final int length = probe.sentBy(sentBy, 0, sentByLength) &&
            probe.fromUri(fromUri, 0, Math.min(SIP_SCHEME.length + sentByLength, OptionsProbe.MAX_FIELD_LENGTH)) &&
            probe.requestUri(targets, target + T_URI, uriLength) &&
            probe.toUri(targets, target + T_URI, uriLength) &&
            probe.transport(TransportProtocol.UDP) &&
            probe.branch(branch, 0, MemberIdCodec.BRANCH_LENGTH) &&
            probe.cseq(cseq) ? builder.buildOptions(probe, out, 0) : -1;
        if (length <= 0)
        {
            updateTarget(target, true, nowMs);
            return;
        }
        final int at = pendingOffset(index);
        pending.putLong(at + P_UNIQUE, unique);
        pending.putLong(at + P_KEY_HIGH, targets.getLong(target + T_KEY_HIGH));
        pending.putLong(at + P_KEY_LOW, targets.getLong(target + T_KEY_LOW));
        pending.putLong(at + P_REGISTERED_MS, targets.getLong(target + T_REGISTERED_MS));
        pending.putLong(at + P_SENT_MS, nowMs);
        pending.putInt(at + P_IPV4, targets.getInt(target + T_IPV4));
        pending.putInt(at + P_PORT, targets.getInt(target + T_PORT));
        pending.putInt(at + P_FAILURES, targets.getInt(target + T_FAILURES));
        pending.putInt(at + P_ANSWERED, 0);
        pendingHead = index + 1;
        if (output.sendKeepAlive(remoteId, transport, connectionId, out, 0, length))
        {
            pingsSent.incrementRelease();
        }
        else
        {
            pendingHead = index;
            updateTarget(target, true, nowMs);
        }
    }

    /**
     * Pop the pings that were answered or whose answer window has passed; the latter are misses.
     */
    private int settle(final long nowMs)
    {
        int work = 0;
        while (pendingTail < pendingHead && work < RESOLVED_PER_POLL)
        {
            final int at = pendingOffset(pendingTail);
            final boolean answered = pending.getInt(at + P_ANSWERED) != 0;
            if (!answered && nowMs - pending.getLong(at + P_SENT_MS) < settings.timeoutMs())
            {
                break;
            }
            pendingTail++;
            work++;
            if (!answered)
            {
                update(pending.getLong(at + P_KEY_HIGH), pending.getLong(at + P_KEY_LOW),
                    pending.getLong(at + P_REGISTERED_MS), TransportProtocol.UDP, pending.getInt(at + P_IPV4),
                    pending.getInt(at + P_PORT), true, nowMs);
            }
        }
        return work;
    }

    private void updateTarget(final int target, final boolean miss, final long nowMs)
    {
        update(targets.getLong(target + T_KEY_HIGH), targets.getLong(target + T_KEY_LOW),
            targets.getLong(target + T_REGISTERED_MS), targets.getInt(target + T_TRANSPORT),
            targets.getInt(target + T_IPV4), targets.getInt(target + T_PORT), miss, nowMs);
    }

    /**
     * Record a miss (or clear the misses after an answer) on the contact that was pinged, if it is still the same
     * binding (a REGISTER since then starts afresh); remove it at the limit. Through the store, as any change.
     */
    private void update(
        final long keyHigh,
        final long keyLow,
        final long registeredMs,
        final int transport,
        final int ipv4,
        final int port,
        final boolean miss,
        final long nowMs)
    {
        if (miss)
        {
            pingsMissed.incrementRelease();
        }
        for (int attempt = 0; attempt < 2; attempt++)
        {
            final long version = store.find(keyHigh, keyLow, record);
            final int contact = version == 0 ? -1 : indexOf(registeredMs, transport, ipv4, port);
            if (contact < 0)
            {
                return;
            }
            final int failures = record.keepAliveFailures(contact);
            final boolean remove = miss && failures + 1 >= settings.maxFailures();
            if (remove)
            {
                record.removeContact(contact);
            }
            else if (miss)
            {
                record.keepAliveFailures(contact, failures + 1);
            }
            else if (failures == 0)
            {
                return;
            }
            else
            {
                record.keepAliveFailures(contact, 0);
            }
            if (!aor.set(record))
            {
                return;
            }
            final int result = store.put(aor, record, version, nowMs);
            if (result == RegistrationStore.RESULT_OK)
            {
                if (remove)
                {
                    contactsRemoved.incrementRelease();
                }
                return;
            }
            if (result != RegistrationStore.RESULT_STALE_VERSION)
            {
                return;
            }
        }
    }

    private int indexOf(final long registeredMs, final int transport, final int ipv4, final int port)
    {
        for (int i = 0, n = record.contactCount(); i < n; i++)
        {
            if (record.registeredMs(i) == registeredMs && record.transport(i) == transport &&
                record.ipv4(i) == ipv4 && record.port(i) == port &&
                record.addressFamily(i) == RegistrationDescriptor.ADDRESS_FAMILY_IPV4)
            {
                return i;
            }
        }
        return -1;
    }

    private int pendingOffset(final long index)
    {
        return (int)(index & pendingMask) * PENDING_LENGTH;
    }

    private void growPending()
    {
        final int capacity = (pendingMask + 1) * 2;
        final UnsafeBuffer grown = new UnsafeBuffer(new byte[capacity * PENDING_LENGTH]);
        for (long index = pendingTail; index < pendingHead; index++)
        {
            grown.putBytes((int)(index & (capacity - 1)) * PENDING_LENGTH, pending, pendingOffset(index),
                PENDING_LENGTH);
        }
        pending = grown;
        pendingMask = capacity - 1;
    }

    /**
     * Copies the pingable contacts of one map segment into {@link #targets}.
     */
    private final class Collector implements Predicate<RegistrationFlyweight>
    {
        long nowMs;

        @Override
        public boolean test(final RegistrationFlyweight registration)
        {
            if (registration.ownerMemberId() != memberId)
            {
                return true;
            }
            for (int i = 0, n = registration.contactCount(); i < n; i++)
            {
                final int transport = registration.transport(i);
                if (registration.isNat(i) && registration.expiresMs(i) > nowMs &&
                    registration.addressFamily(i) == RegistrationDescriptor.ADDRESS_FAMILY_IPV4 &&
                    (transport == TransportProtocol.UDP || transport == TransportProtocol.TCP ||
                    transport == TransportProtocol.TLS) &&
                    output.ownsKeepAliveFlow(transport, registration.agentIndex(i), registration.connectionId(i)))
                {
                    add(registration, i);
                }
            }
            return true;
        }

        private void add(final RegistrationFlyweight registration, final int contact)
        {
            final int at = targetCount * TARGET_LENGTH;
            targets.checkLimit(at + TARGET_LENGTH);
            targets.putLong(at + T_KEY_HIGH, registration.keyHigh());
            targets.putLong(at + T_KEY_LOW, registration.keyLow());
            targets.putLong(at + T_REGISTERED_MS, registration.registeredMs(contact));
            targets.putLong(at + T_CONNECTION, registration.connectionId(contact));
            targets.putInt(at + T_IPV4, registration.ipv4(contact));
            targets.putInt(at + T_PORT, registration.port(contact));
            targets.putInt(at + T_TRANSPORT, registration.transport(contact));
            targets.putInt(at + T_FAILURES, registration.keepAliveFailures(contact));
            final int uriLength = Math.min(registration.uriLength(contact), RegistrationDescriptor.URI_CAPACITY);
            targets.putInt(at + T_URI_LENGTH, uriLength);
            targets.putBytes(at + T_URI, registration.buffer(), registration.uriOffset(contact), uriLength);
            targetCount++;
        }
    }
}
