package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.BitUtil;
import org.agrona.DeadlineTimerWheel;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The RFC 3261 §17 transaction layer of one SIP agent: INVITE and non-INVITE, client and server transactions with
 * RFC 6026's Accepted states, timers A–M over a {@link DeadlineTimerWheel}, retransmission over UDP and
 * absorption of retransmitted requests and responses. Pure logic: messages go out through a
 * {@link TransactionOutput}, events to a {@link TransactionListener}; time comes in as {@code nowMs}.
 * <p>
 * Transactions are records of a {@link TransactionTable} (preallocated parallel arrays, no object per transaction),
 * each with a key slot for matching and, while it needs one, a message slot holding the exact bytes a
 * retransmission resends: the smallest free slot of three size classes (small, standard, a few shared 64 KiB ones)
 * that fits. A transaction whose only remaining duty is to absorb or answer retransmissions until its timer (RFC
 * 6026 Accepted, timers L and M; Completed, timers J, K and D) leaves the table at the next {@link #poll}: a
 * compact entry in a {@link LingerCache} (its key, state and the bytes it may resend) takes its place, so the table
 * holds only transactions in progress and the lingering ones cost no record and no timer. This class matches
 * messages to records and lingering entries and drives the timers; the state machines of figures 5–8 are
 * {@link InviteClientTransaction}, {@link NonInviteClientTransaction}, {@link InviteServerTransaction} and
 * {@link NonInviteServerTransaction}.
 * Matching (§17.1.3, §17.2.3 with the RFC 2543 fallback) hashes the key
 * bytes to 64 bits into a primitive map whose value heads a chain of records; every hit compares the stored key
 * bytes, so a hash collision never mis-matches.
 * <p>
 * A transaction id is {@code generation << 32 | record}: an id kept after its transaction ended is stale and
 * every call with it is refused. Single-threaded: owned by one SIP agent's duty cycle; nothing is allocated per
 * message or transaction in steady state.
 */
public final class TransactionLayer implements AutoCloseable
{
    /** No transaction. */
    public static final long NULL_ID = -1;
    /** {@link #startClient}: the table is full. */
    public static final long START_TABLE_FULL = -2;
    /** {@link #startClient}: not a well-formed request with a top Via branch, or an ACK (never a transaction). */
    public static final long START_INVALID = -3;
    /** {@link #startClient}: the message fits neither its slot nor a free large slot. */
    public static final long START_TOO_LARGE = -4;
    /** {@link #startClient}: a client transaction with this branch and method exists. */
    public static final long START_DUPLICATE = -5;
    /** {@link #startClient}: the first send failed; no transaction was kept. */
    public static final long START_SEND_FAILED = -6;

    /** Longest matching key with its RFC 2543 To tags (most keys take a 128-byte slot, see TransactionTable). */
    public static final int KEY_BYTES = TransactionTable.KEY_BYTES;
    /** Size of a shared large message slot. */
    public static final int LARGE_SLOT_BYTES = TransactionTable.LARGE_SLOT_BYTES;
    /** Largest message slab: capacity times slot bytes must not exceed it. */
    public static final long MAX_SLAB_BYTES = 1L << 30;

    private static final int MAX_TAG_BYTES = TransactionTable.MAX_TAG_BYTES;
    private static final long MISSING = TransactionTable.MISSING;
    static final int TIMER_A = 1;
    static final int TIMER_B = 2;
    static final int TIMER_D = 3;
    static final int TIMER_E = 4;
    static final int TIMER_F = 5;
    static final int TIMER_G = 6;
    static final int TIMER_H = 7;
    static final int TIMER_I = 8;
    static final int TIMER_J = 9;
    static final int TIMER_K = 10;
    static final int TIMER_L = 11;
    static final int TIMER_M = 12;
    /**
     * Every poll scans one spoke's whole allocation, so the wheel is wide and its spokes short: at the default 8 ms
     * tick it spans 32.8 s, the 64*T1 timers do not wrap, and a table of 512k transactions scans 512 slots a poll.
     */
    private static final int TICKS_PER_WHEEL = 4096;

    private static final byte KEY_SERVER = 'S';
    private static final byte KEY_SERVER_2543 = 'L';
    private static final byte KEY_CLIENT = 'C';
    private static final byte[] INVITE = "INVITE".getBytes(StandardCharsets.US_ASCII);

    private final TransactionOutput output;
    private final TransactionListener listener;
    private final long t1Ms;
    private final long t2Ms;
    private final long t4Ms;
    private final long timerDMs;

    private final TransactionTable table;
    private final LingerCache lingering;
    private final long[] pendingLinger;
    private int pendingLingerCount;
    private long lastNowMs;
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(LARGE_SLOT_BYTES));
    private final Long2LongHashMap timerOwners;
    private final Long2LongHashMap userTimers;
    private final DeadlineTimerWheel wheel;
    private final DeadlineTimerWheel.TimerHandler timerHandler = this::onTimerExpiry;

    private final ViaDecoder via = new ViaDecoder();
    private DirectBuffer tryingTopVia;
    private int tryingTopViaLength;
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();
    private final SipMessageDecoder ownDecoder = new SipMessageDecoder(LARGE_SLOT_BYTES - 1,
        SipMessageDecoder.DEFAULT_MAX_HEADER_VALUES);
    private final SipMessageDecoder sentDecoder = new SipMessageDecoder(LARGE_SLOT_BYTES - 1,
        SipMessageDecoder.DEFAULT_MAX_HEADER_VALUES);
    private final InviteServerTransaction inviteServer;
    private final NonInviteServerTransaction nonInviteServer;
    private final InviteClientTransaction inviteClient;
    private final NonInviteClientTransaction nonInviteClient;

    private long transactionId = NULL_ID;
    private long invitedTransactionId = NULL_ID;

    private long tableFullCount;
    private long keyTooLongCount;
    private long storeFailureCount;
    private long retransmissionCount;
    private long absorbedCount;
    private long clientTimeoutCount;
    private long serverTimeoutCount;
    private long transportErrorCount;

    /**
     * @param settings    timers and sizes.
     * @param output      where messages go.
     * @param listener    the transaction user.
     * @param startTimeMs the clock's value now (the timer wheel's origin).
     */
    public TransactionLayer(
        final TransactionSettings settings,
        final TransactionOutput output,
        final TransactionListener listener,
        final long startTimeMs)
    {
        this(settings, output, listener, startTimeMs, KeyHasher.DEFAULT);
    }

    TransactionLayer(
        final TransactionSettings settings,
        final TransactionOutput output,
        final TransactionListener listener,
        final long startTimeMs,
        final KeyHasher hasher)
    {
        if (settings.t2Ms() < settings.t1Ms() || settings.t1Ms() <= 0)
        {
            throw new IllegalArgumentException("need 0 < T1 <= T2: " + settings.t1Ms() + ", " + settings.t2Ms());
        }
        if (settings.smallSlotBytes() > settings.slotBytes() || settings.slotBytes() > LARGE_SLOT_BYTES)
        {
            throw new IllegalArgumentException("need small slot bytes <= slot bytes <= " + LARGE_SLOT_BYTES + ": " +
                settings.smallSlotBytes() + ", " + settings.slotBytes());
        }
        if (slabBytes(settings.capacity(), settings.smallSlots(), settings.smallSlotBytes()) > MAX_SLAB_BYTES ||
            slabBytes(settings.capacity(), settings.slots(), settings.slotBytes()) > MAX_SLAB_BYTES ||
            slabBytes(settings.capacity(), settings.largeSlots(), LARGE_SLOT_BYTES) > MAX_SLAB_BYTES)
        {
            throw new IllegalArgumentException("a message slab exceeds " + MAX_SLAB_BYTES + " bytes");
        }
        this.output = output;
        this.listener = listener;
        t1Ms = settings.t1Ms();
        t2Ms = settings.t2Ms();
        t4Ms = settings.t4Ms();
        timerDMs = settings.timerDMs();
        final int capacity = settings.capacity();
        table = new TransactionTable(settings, hasher);
        lingering = new LingerCache(settings.lingerBytes(), settings.lingerEntries());
        pendingLinger = new long[capacity];
        lastNowMs = startTimeMs;
        inviteServer = new InviteServerTransaction(this, table);
        nonInviteServer = new NonInviteServerTransaction(this, table);
        inviteClient = new InviteClientTransaction(this, table);
        nonInviteClient = new NonInviteClientTransaction(this, table);
        timerOwners = new Long2LongHashMap(capacity * 4, 0.65f, MISSING);
        userTimers = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
        final int tickAllocation = BitUtil.findNextPositivePowerOfTwo(Math.max(16, capacity * 4 / TICKS_PER_WHEEL));
        wheel = new DeadlineTimerWheel(
            TimeUnit.MILLISECONDS, startTimeMs, settings.tickMs(), TICKS_PER_WHEEL, tickAllocation);
    }

    /**
     * A request arrived: match it to a server transaction (RFC 3261 §17.2.3) or start one.
     * An INVITE server transaction sends 100 Trying at once (§16.2) and keeps it to answer retransmissions.
     *
     * @param request      decoded {@link SipMessageDecoder#OK}.
     * @param remoteId     where every response of the transaction goes (100 Trying and retransmissions included): the
     *                     agent resolves it per RFC 3261 §18.2.2 and RFC 3581 (source address and port when the top
     *                     Via has rport, else the source address with the sent-by port).
     * @param transport    a {@link TransportProtocol} code; anything but UDP is reliable.
     * @param connectionId the connection for connection-oriented transports, else 0.
     * @param nowMs        the clock.
     * @return a {@link TransactionResult} code; {@link #transactionId()} and {@link #invitedTransactionId()} tell
     * which transactions.
     */
    public int onRequest(
        final SipMessageDecoder request,
        final long remoteId,
        final int transport,
        final long connectionId,
        final long nowMs)
    {
        transactionId = NULL_ID;
        invitedTransactionId = NULL_ID;
        if (request.result() != SipMessageDecoder.OK || !request.isRequest() || !wrapTopVia(request))
        {
            return TransactionResult.INVALID;
        }
        final boolean rfc3261 = via.isRfc3261Branch();
        final int method = request.method();
        if (method == SipMethod.ACK)
        {
            return onAck(request, rfc3261, nowMs);
        }

        if (!wrapTag(request, HeaderName.TO))
        {
            return TransactionResult.INVALID;
        }
        final DirectBuffer buffer = request.buffer();
        final int toTagOffset = nameAddr.hasTag() ? nameAddr.tagOffset() : 0;
        final int toTagLength = nameAddr.hasTag() ? nameAddr.tagLength() : 0;
        if (!buildServerKey(request, rfc3261, buffer, request.methodOffset(), request.methodLength()))
        {
            keyTooLongCount++;
            return TransactionResult.INVALID;
        }
        final long hash = table.scratchKeyHash();
        final int found = table.find(hash, !rfc3261, false, buffer, toTagOffset, toTagLength);
        if (found >= 0)
        {
            transactionId = table.id(found);
            absorbedCount++;
            return table.kind[found] == TransactionState.INVITE_SERVER ?
                inviteServer.onRetransmission(found) : nonInviteServer.onRetransmission(found);
        }
        final int lingered = findLingering(hash, !rfc3261, buffer, toTagOffset, toTagLength, nowMs);
        if (lingered != LingerCache.NONE)
        {
            absorbedCount++;
            if (lingering.kind(lingered) == TransactionState.NON_INVITE_SERVER)
            {
                resendLingering(lingered);
            }
            return TransactionResult.RETRANSMISSION_ABSORBED;
        }
        if (toTagLength > MAX_TAG_BYTES || table.keyScratchLength() + toTagLength + MAX_TAG_BYTES > KEY_BYTES)
        {
            keyTooLongCount++;
            return TransactionResult.INVALID;
        }
        final int rec = table.allocate(method == SipMethod.INVITE ? TransactionState.INVITE_SERVER :
            TransactionState.NON_INVITE_SERVER, remoteId, transport, connectionId);
        if (rec < 0)
        {
            tableFullCount++;
            return TransactionResult.TABLE_FULL;
        }
        if (!table.link(rec, hash, rfc3261 ? 0 : toTagLength + MAX_TAG_BYTES))
        {
            table.free(rec);
            tableFullCount++;
            return TransactionResult.TABLE_FULL;
        }
        if (!rfc3261)
        {
            table.putRequestTag(rec, buffer, toTagOffset, toTagLength);
        }
        transactionId = table.id(rec);

        if (method == SipMethod.INVITE)
        {
            inviteServer.onStart(rec, request);
            return TransactionResult.NEW;
        }
        nonInviteServer.onStart(rec);
        if (method == SipMethod.CANCEL)
        {
            if (buildServerKey(request, rfc3261, null, 0, 0))
            {
                final long inviteHash = table.scratchKeyHash();
                final int invite = table.find(inviteHash, !rfc3261, false, buffer, toTagOffset, toTagLength);
                if (invite >= 0 && table.kind[invite] == TransactionState.INVITE_SERVER)
                {
                    invitedTransactionId = table.id(invite);
                    return TransactionResult.CANCEL_MATCHED;
                }
                // An INVITE answered 2xx whose record lingers compactly: the CANCEL has no effect but its 200 (§9.2).
                final int answered = findLingering(inviteHash, !rfc3261, buffer, toTagOffset, toTagLength, nowMs);
                if (answered != LingerCache.NONE && lingering.kind(answered) == TransactionState.INVITE_SERVER)
                {
                    return TransactionResult.CANCEL_MATCHED;
                }
            }
            return TransactionResult.CANCEL_NO_MATCH;
        }
        return TransactionResult.NEW;
    }

    /**
     * Whether a request is a retransmission: it matches a server transaction (RFC 3261 §17.2.3). Nothing changes;
     * overload control asks this before shedding a new request, so that requests of transactions in progress pass.
     *
     * @param request decoded {@link SipMessageDecoder#OK}, not an ACK.
     * @return true if a server transaction matches it.
     */
    public boolean matchesServer(final SipMessageDecoder request)
    {
        if (request.result() != SipMessageDecoder.OK || !request.isRequest() || !wrapTopVia(request))
        {
            return false;
        }
        final boolean rfc3261 = via.isRfc3261Branch();
        if (!wrapTag(request, HeaderName.TO))
        {
            return false;
        }
        final int toTagOffset = nameAddr.hasTag() ? nameAddr.tagOffset() : 0;
        final int toTagLength = nameAddr.hasTag() ? nameAddr.tagLength() : 0;
        if (!buildServerKey(request, rfc3261, request.buffer(), request.methodOffset(), request.methodLength()))
        {
            return false;
        }
        final long hash = table.scratchKeyHash();
        return table.find(hash, !rfc3261, false, request.buffer(), toTagOffset, toTagLength) >= 0 ||
            findLingering(hash, !rfc3261, request.buffer(), toTagOffset, toTagLength, lastNowMs) != LingerCache.NONE;
    }

    /**
     * Send a response through a server transaction; the layer keeps it to answer retransmissions and, for a
     * non-2xx final response to INVITE over UDP, retransmits it on timer G until the ACK arrives.
     *
     * @param txId       the server transaction.
     * @param buffer     holding the response.
     * @param offset     of the first byte.
     * @param length     of the response.
     * @param statusCode its status code.
     * @param nowMs      the clock.
     * @return false if the id is stale or the state allows no such response (nothing sent).
     */
    public boolean respond(
        final long txId,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int statusCode,
        final long nowMs)
    {
        final int rec = table.resolve(txId);
        if (rec < 0 || statusCode < 100 || statusCode > 699)
        {
            return false;
        }
        final int kind = table.kind[rec];
        if (kind == TransactionState.INVITE_SERVER)
        {
            return inviteServer.respond(rec, buffer, offset, length, statusCode, nowMs);
        }
        return kind == TransactionState.NON_INVITE_SERVER &&
            nonInviteServer.respond(rec, buffer, offset, length, statusCode, nowMs);
    }

    /**
     * Start a client transaction: send the request and, over UDP, retransmit it on timer A (INVITE) or E.
     * The transaction is keyed by the top Via branch (which the caller generated) and the method (§17.1.3).
     * This decodes the request to find them; a caller that wrote them knows them and calls the overload that takes
     * them.
     *
     * @param buffer       holding the request as it goes on the wire.
     * @param offset       of the first byte.
     * @param length       of the request.
     * @param remoteId     the next hop.
     * @param transport    a {@link TransportProtocol} code.
     * @param connectionId the connection for connection-oriented transports, else 0.
     * @param nowMs        the clock.
     * @return the transaction id, or a negative {@code START_*} code.
     */
    public long startClient(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long remoteId,
        final int transport,
        final long connectionId,
        final long nowMs)
    {
        final SipMessageDecoder request = ownDecoder;
        if (request.wrap(buffer, offset, length) != SipMessageDecoder.OK || !request.isRequest() ||
            !wrapTopVia(request) || !via.hasBranch())
        {
            return START_INVALID;
        }
        return startClient(buffer, offset, length, request.method(), request.buffer(), request.methodOffset(),
            request.methodLength(), via.buffer(), via.branchOffset(), via.branchLength(), remoteId, transport,
            connectionId, nowMs);
    }

    /**
     * Start a client transaction for a request whose method and top Via branch the caller knows because it wrote
     * them (a proxy forwarding with its own Via): the request is not decoded again.
     *
     * @param buffer       holding the request as it goes on the wire.
     * @param offset       of the first byte.
     * @param length       of the request.
     * @param method       the request's {@link SipMethod} code.
     * @param methodBuffer holding the method's name as the request line spells it.
     * @param methodOffset of the name.
     * @param methodLength of the name.
     * @param branchBuffer holding the branch of the request's top Via.
     * @param branchOffset of the branch.
     * @param branchLength of the branch.
     * @param remoteId     the next hop.
     * @param transport    a {@link TransportProtocol} code.
     * @param connectionId the connection for connection-oriented transports, else 0.
     * @param nowMs        the clock.
     * @return the transaction id, or a negative {@code START_*} code.
     */
    public long startClient(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int method,
        final DirectBuffer methodBuffer,
        final int methodOffset,
        final int methodLength,
        final DirectBuffer branchBuffer,
        final int branchOffset,
        final int branchLength,
        final long remoteId,
        final int transport,
        final long connectionId,
        final long nowMs)
    {
        if (method == SipMethod.ACK || branchLength <= 0)
        {
            return START_INVALID;
        }
        if (!buildClientKey(branchBuffer, branchOffset, branchLength, methodBuffer, methodOffset, methodLength))
        {
            keyTooLongCount++;
            return START_INVALID;
        }
        final long hash = table.scratchKeyHash();
        if (table.find(hash, false, false, null, 0, 0) >= 0 ||
            findLingering(hash, false, null, 0, 0, nowMs) != LingerCache.NONE)
        {
            return START_DUPLICATE;
        }
        final boolean invite = method == SipMethod.INVITE;
        final int rec = table.allocate(invite ? TransactionState.INVITE_CLIENT : TransactionState.NON_INVITE_CLIENT,
            remoteId, transport, connectionId);
        if (rec < 0)
        {
            tableFullCount++;
            return START_TABLE_FULL;
        }
        if (!table.link(rec, hash, 0))
        {
            tableFullCount++;
            table.free(rec);
            return START_TABLE_FULL;
        }
        if (!table.store(rec, buffer, offset, length))
        {
            storeFailureCount++;
            table.unlink(rec);
            table.free(rec);
            return START_TOO_LARGE;
        }
        final long txId = table.id(rec);
        if (!output.send(remoteId, transport, connectionId, table.messageBuffer(rec), table.messageOffset(rec), length))
        {
            transportErrorCount++;
            table.unlink(rec);
            table.free(rec);
            return START_SEND_FAILED;
        }
        if (invite)
        {
            inviteClient.onStart(rec, nowMs);
        }
        else
        {
            nonInviteClient.onStart(rec, nowMs);
        }
        return txId;
    }

    /**
     * A response arrived: match it to a client transaction (§17.1.3) by its top Via branch and CSeq method.
     *
     * @param response decoded {@link SipMessageDecoder#OK}.
     * @param nowMs    the clock.
     * @return {@link TransactionResult#FORWARD_TO_CORE} (with {@link #transactionId()}),
     * {@link TransactionResult#RETRANSMISSION_ABSORBED}, {@link TransactionResult#FORWARD_STATELESSLY},
     * {@link TransactionResult#NO_MATCH} or {@link TransactionResult#INVALID}.
     */
    public int onResponse(final SipMessageDecoder response, final long nowMs)
    {
        transactionId = NULL_ID;
        invitedTransactionId = NULL_ID;
        if (response.result() != SipMessageDecoder.OK || response.isRequest() || !wrapTopVia(response))
        {
            return TransactionResult.INVALID;
        }
        if (!via.hasBranch())
        {
            return TransactionResult.NO_MATCH;
        }
        if (!buildClientKey(response.buffer(), response.cseqMethodOffset(), response.cseqMethodLength()))
        {
            return TransactionResult.NO_MATCH;
        }
        final long hash = table.scratchKeyHash();
        final int rec = table.find(hash, false, false, null, 0, 0);
        if (rec < 0)
        {
            final int lingered = findLingering(hash, false, null, 0, 0, nowMs);
            return lingered == LingerCache.NONE ?
                TransactionResult.NO_MATCH : onLingeringResponse(lingered, response.statusCode());
        }
        transactionId = table.id(rec);
        return table.kind[rec] == TransactionState.INVITE_CLIENT ?
            inviteClient.onResponse(rec, response, nowMs) : nonInviteClient.onResponse(rec, response, nowMs);
    }

    /**
     * Drive the timers; call from the SIP agent's duty cycle. Fires every timer due by {@code nowMs}.
     *
     * @param nowMs the clock.
     * @return the number of timers that fired.
     */
    public int poll(final long nowMs)
    {
        return poll(nowMs, Integer.MAX_VALUE);
    }

    /**
     * Drive the timers with bounded work: timers left due fire on the next call. First the transactions that entered
     * a linger state since the last call leave the table for the linger ring (the transaction user has seen the
     * message that moved them there), and expired lingering entries are dropped.
     *
     * @param nowMs       the clock.
     * @param expiryLimit most timers fired (and most lingering entries dropped) by this call, at least 1.
     * @return the number of timers that fired, transactions moved to the linger ring and entries dropped from it.
     */
    public int poll(final long nowMs, final int expiryLimit)
    {
        lastNowMs = nowMs;
        final int lingered = pendingLingerCount > 0 ? compactPending(nowMs) : 0;
        final int swept = lingering.sweep(nowMs, expiryLimit);
        if (wheel.timerCount() == 0)
        {
            if (wheel.currentTickTime() <= nowMs)
            {
                wheel.currentTickTime(nowMs);
            }
            return lingered + swept;
        }
        // The wheel advances at most one tick per poll and does not expire the tick it advanced to: poll until the
        // tick stands still, so every deadline up to nowMs fires in this call whatever the gap since the last one.
        int expired = 0;
        long tickTime;
        do
        {
            tickTime = wheel.currentTickTime();
            expired += wheel.poll(nowMs, timerHandler, expiryLimit - expired);
        }
        while (expired < expiryLimit && wheel.currentTickTime() != tickTime && wheel.timerCount() > 0);
        return expired + lingered + swept;
    }

    /**
     * End a transaction now, e.g. a CANCEL the core forwarded statelessly; {@link TransactionListener#onTerminated}
     * is called.
     *
     * @param txId the transaction.
     * @return false if the id is stale.
     */
    public boolean release(final long txId)
    {
        final int rec = table.resolve(txId);
        if (rec < 0)
        {
            return false;
        }
        terminate(rec);
        return true;
    }

    /**
     * Schedule a timer for the transaction user (e.g. the proxy's timer C); it fires as
     * {@link TransactionListener#onTimer(long)}.
     *
     * @param deadlineMs when it fires.
     * @param cookie     handed back when it fires.
     * @return the timer id, for {@link #cancelTimer(long)}.
     */
    public long scheduleTimer(final long deadlineMs, final long cookie)
    {
        final long timerId = wheel.scheduleTimer(deadlineMs);
        userTimers.put(timerId, cookie);
        return timerId;
    }

    /**
     * @param timerId from {@link #scheduleTimer(long, long)}.
     * @return true if the timer was pending and is now cancelled.
     */
    public boolean cancelTimer(final long timerId)
    {
        if (!userTimers.containsKey(timerId))
        {
            return false;
        }
        userTimers.remove(timerId);
        return wheel.cancelTimer(timerId);
    }

    /**
     * @return the transaction the last {@code onRequest}/{@code onResponse} matched or created, or {@link #NULL_ID}.
     */
    public long transactionId()
    {
        return transactionId;
    }

    /**
     * @return for {@link TransactionResult#CANCEL_MATCHED}, the INVITE server transaction the CANCEL targets, or
     * {@link #NULL_ID} when it was answered 2xx and lingers.
     */
    public long invitedTransactionId()
    {
        return invitedTransactionId;
    }

    /**
     * @param txId a transaction id.
     * @return its {@link TransactionState} state, {@link TransactionState#NONE} if stale.
     */
    public int state(final long txId)
    {
        final int rec = table.resolve(txId);
        return rec < 0 ? TransactionState.NONE : table.state[rec];
    }

    /**
     * @param txId a transaction id.
     * @return its kind ({@link TransactionState#INVITE_CLIENT} ...), {@link TransactionState#NONE} if stale.
     */
    public int kind(final long txId)
    {
        final int rec = table.resolve(txId);
        return rec < 0 ? TransactionState.NONE : table.kind[rec];
    }

    /**
     * @param txId a transaction id.
     * @return the last status code sent (server) or received (client), 0 for none or a stale id.
     */
    public int lastStatus(final long txId)
    {
        final int rec = table.resolve(txId);
        return rec < 0 ? 0 : table.lastStatus[rec];
    }

    /**
     * @param txId a transaction id.
     * @return the remote the transaction talks to, or {@link #NULL_ID} if stale.
     */
    public long remoteId(final long txId)
    {
        final int rec = table.resolve(txId);
        return rec < 0 ? NULL_ID : table.remoteId[rec];
    }

    /**
     * @param txId a transaction id.
     * @return its transport code, {@link TransportProtocol#NONE} if stale.
     */
    public int transport(final long txId)
    {
        final int rec = table.resolve(txId);
        return rec < 0 ? TransportProtocol.NONE : table.transport[rec];
    }

    /**
     * @param txId a transaction id.
     * @return its connection id, or {@link #NULL_ID} if stale.
     */
    public long connectionId(final long txId)
    {
        final int rec = table.resolve(txId);
        return rec < 0 ? NULL_ID : table.connectionId[rec];
    }

    /**
     * Wrap a decoder over the message a transaction keeps: for a client transaction the request as it went on the
     * wire (what a CANCEL is built from, RFC 3261 §9.1), for a server transaction its last response.
     *
     * @param txId    the transaction.
     * @param decoder wrapped over the kept bytes; valid until the transaction sends or ends.
     * @return false if the id is stale, nothing is kept, or the kept bytes do not decode.
     */
    public boolean wrapMessage(final long txId, final SipMessageDecoder decoder)
    {
        final int rec = table.resolve(txId);
        return rec >= 0 && table.messageLength[rec] > 0 &&
            decoder.wrap(table.messageBuffer(rec), table.messageOffset(rec), table.messageLength[rec]) ==
            SipMessageDecoder.OK;
    }

    /**
     * The top Via for the 100 Trying of the next INVITE that starts a server transaction: the request's top Via as
     * received, with {@code rport} and {@code received} filled in (RFC 3581 §4, RFC 3261 §18.2.1). Set it before
     * each {@link #onRequest}; the value is referenced, not copied.
     *
     * @param value  holding the top Via value, or null for the request's own.
     * @param length of the value, or -1 for the request's own.
     */
    public void tryingTopVia(final DirectBuffer value, final int length)
    {
        tryingTopVia = value;
        tryingTopViaLength = value == null ? -1 : length;
    }

    /**
     * A connection to a remote could not be opened: every client transaction that sent over it and still waits for
     * its first response fails now, as a failed send would have (RFC 3261 §17.1.4), instead of waiting for timer B
     * or F.
     *
     * @param remoteId      the remote the connection was opened to.
     * @param transport     its transport code.
     * @param connectionId  the failed connection, as transactions hold it.
     * @param anyConnection the id held by transactions that sent to the remote on whatever connection the transport
     *                      chose (it opened the failed one for them).
     * @return transactions failed.
     */
    public int onConnectFailed(
        final long remoteId, final int transport, final long connectionId, final long anyConnection)
    {
        int failed = 0;
        for (int rec = 0, capacity = table.capacity; rec < capacity; rec++)
        {
            final int kind = table.kind[rec];
            final int state = table.state[rec];
            if ((kind == TransactionState.INVITE_CLIENT && state == TransactionState.CALLING ||
                kind == TransactionState.NON_INVITE_CLIENT && state == TransactionState.TRYING) &&
                table.remoteId[rec] == remoteId && table.transport[rec] == transport &&
                (table.connectionId[rec] == connectionId || table.connectionId[rec] == anyConnection))
            {
                onSendFailed(rec);
                failed++;
            }
        }
        return failed;
    }

    /**
     * Count live transactions by state.
     *
     * @param counts indexed by {@link TransactionState} state ({@link TransactionState#CALLING} ...
     *               {@link TransactionState#ACCEPTED}); zeroed first, at least {@code ACCEPTED + 1} long.
     */
    public void countByState(final long[] counts)
    {
        Arrays.fill(counts, 0);
        System.arraycopy(table.stateCounts, TransactionState.CALLING, counts, TransactionState.CALLING,
            TransactionState.ACCEPTED);
    }

    /**
     * @return live transactions.
     */
    public int activeCount()
    {
        return table.activeCount;
    }

    /**
     * @return the table's capacity.
     */
    public int capacity()
    {
        return table.capacity;
    }

    /**
     * @return lingering transactions in the linger ring (expired ones not yet swept included).
     */
    public int lingeringCount()
    {
        return lingering.entryCount();
    }

    /**
     * @return bytes of the linger ring in use.
     */
    public long lingerUsedBytes()
    {
        return lingering.usedBytes();
    }

    /**
     * @return bytes of the linger ring.
     */
    public int lingerCapacityBytes()
    {
        return lingering.capacityBytes();
    }

    /**
     * @return lingering transactions dropped before their timer because the linger ring was full.
     */
    public long lingerDroppedCount()
    {
        return lingering.droppedCount();
    }

    /**
     * Free the linger ring's native memory; the layer must not be used afterwards.
     */
    public void close()
    {
        lingering.close();
    }

    /**
     * @return requests and client starts refused because the table was full.
     */
    public long tableFullCount()
    {
        return tableFullCount;
    }

    /**
     * @return requests whose matching key did not fit {@link #KEY_BYTES}.
     */
    public long keyTooLongCount()
    {
        return keyTooLongCount;
    }

    /**
     * @return messages that fitted no slot (a response then goes out once, without retransmission).
     */
    public long storeFailureCount()
    {
        return storeFailureCount;
    }

    /**
     * @return messages resent: timer retransmissions and answers to retransmitted requests.
     */
    public long retransmissionCount()
    {
        return retransmissionCount;
    }

    /**
     * @return retransmitted requests and responses absorbed.
     */
    public long absorbedCount()
    {
        return absorbedCount;
    }

    /**
     * @return client transactions that timed out (B or F).
     */
    public long clientTimeoutCount()
    {
        return clientTimeoutCount;
    }

    /**
     * @return INVITE server transactions whose final response was never acknowledged (timer H).
     */
    public long serverTimeoutCount()
    {
        return serverTimeoutCount;
    }

    /**
     * @return failed sends.
     */
    public long transportErrorCount()
    {
        return transportErrorCount;
    }

    private int onAck(final SipMessageDecoder request, final boolean rfc3261, final long nowMs)
    {
        if (!wrapTag(request, HeaderName.TO))
        {
            return TransactionResult.INVALID;
        }
        final int toTagOffset = nameAddr.hasTag() ? nameAddr.tagOffset() : 0;
        final int toTagLength = nameAddr.hasTag() ? nameAddr.tagLength() : 0;
        if (!buildServerKey(request, rfc3261, null, 0, 0))
        {
            return TransactionResult.NO_MATCH;
        }
        final long hash = table.scratchKeyHash();
        final int rec = table.find(hash, !rfc3261, true, request.buffer(), toTagOffset, toTagLength);
        if (rec < 0 || table.kind[rec] != TransactionState.INVITE_SERVER)
        {
            // An ACK reusing its INVITE's branch after the 2xx (an RFC 2543 one never matches an Accepted INVITE:
            // its To tag is the 2xx's, which the transaction never kept).
            final int lingered = rfc3261 ? findLingering(hash, false, null, 0, 0, nowMs) : LingerCache.NONE;
            return lingered != LingerCache.NONE && lingering.kind(lingered) == TransactionState.INVITE_SERVER ?
                TransactionResult.ACK_FOR_2XX : TransactionResult.NO_MATCH;
        }
        transactionId = table.id(rec);
        final int result = inviteServer.onAck(rec, nowMs);
        if (result == TransactionResult.NO_MATCH)
        {
            transactionId = NULL_ID;
        }
        return result;
    }

    private boolean onTimerExpiry(final TimeUnit timeUnit, final long nowMs, final long timerId)
    {
        final long owner = timerOwners.remove(timerId);
        if (owner == MISSING)
        {
            if (userTimers.containsKey(timerId))
            {
                listener.onTimer(userTimers.remove(timerId));
            }
            return true;
        }
        final int rec = (int)(owner >>> 4);
        final int timer = (int)(owner & 0xF);
        if (timer == TIMER_A || timer == TIMER_E || timer == TIMER_G)
        {
            table.retransmitTimerId[rec] = MISSING;
        }
        else
        {
            table.lifetimeTimerId[rec] = MISSING;
        }
        switch (table.kind[rec])
        {
            case TransactionState.INVITE_SERVER:
                inviteServer.onTimer(rec, timer, nowMs);
                break;
            case TransactionState.NON_INVITE_SERVER:
                nonInviteServer.onTimer(rec);
                break;
            case TransactionState.INVITE_CLIENT:
                inviteClient.onTimer(rec, timer, nowMs);
                break;
            default:
                nonInviteClient.onTimer(rec, timer, nowMs);
                break;
        }
        return true;
    }

    /**
     * Resend the record's message and schedule the same retransmission timer {@code intervalMs} later.
     */
    void retransmit(final int rec, final int timer, final long intervalMs, final long nowMs)
    {
        if (resend(rec))
        {
            table.intervalMs[rec] = intervalMs;
            schedule(rec, timer, nowMs + intervalMs);
        }
    }

    void clientTimeout(final int rec)
    {
        final long txId = table.id(rec);
        clientTimeoutCount++;
        listener.onClientTimeout(txId);
        if (table.resolve(txId) >= 0)
        {
            terminate(rec);
        }
    }

    void serverTimeout(final int rec)
    {
        final long txId = table.id(rec);
        serverTimeoutCount++;
        listener.onServerTimeout(txId);
        if (table.resolve(txId) >= 0)
        {
            terminate(rec);
        }
    }

    UnsafeBuffer scratch()
    {
        return scratch;
    }

    /**
     * Set the builder's top Via for a 100 Trying as {@link #tryingTopVia} said, once.
     */
    SipResponseBuilder withTryingTopVia(final SipResponseBuilder builder)
    {
        if (tryingTopViaLength > 0)
        {
            builder.withTopVia(tryingTopVia, 0, tryingTopViaLength);
        }
        tryingTopVia = null;
        tryingTopViaLength = -1;
        return builder;
    }

    long t1Ms()
    {
        return t1Ms;
    }

    long t2Ms()
    {
        return t2Ms;
    }

    long t4Ms()
    {
        return t4Ms;
    }

    long timerDMs()
    {
        return timerDMs;
    }

    void countAbsorbed()
    {
        absorbedCount++;
    }

    void countStoreFailure()
    {
        storeFailureCount++;
    }

    private boolean wrapTopVia(final SipMessageDecoder message)
    {
        final int top = message.firstIndexOf(HeaderName.VIA);
        return top >= 0 && via.wrap(message.buffer(), message.valueOffset(top), message.valueLength(top));
    }

    private boolean wrapTag(final SipMessageDecoder message, final int headerId)
    {
        final int i = message.firstIndexOf(headerId);
        return i >= 0 && nameAddr.wrap(message.buffer(), message.valueOffset(i), message.valueLength(i));
    }

    /**
     * The server key of §17.2.3: branch, sent-by and method for RFC 3261 requests; Request-URI, From tag, Call-ID,
     * CSeq number, top Via and method for RFC 2543 ones (their To tag is verified apart, see {@link #find}).
     * A null {@code methodBuffer} means INVITE (an ACK or CANCEL looking for its INVITE).
     */
    private boolean buildServerKey(
        final SipMessageDecoder request,
        final boolean rfc3261,
        final DirectBuffer methodBuffer,
        final int methodOffset,
        final int methodLength)
    {
        final DirectBuffer buffer = request.buffer();
        table.resetKey();
        if (rfc3261)
        {
            table.putByte(KEY_SERVER);
            table.putBytes(buffer, via.branchOffset(), via.branchLength());
            table.putByte((byte)0);
            table.putLowerCase(buffer, via.hostOffset(), via.hostLength());
            table.putByte((byte)0);
            table.putInt(via.port());
        }
        else
        {
            final int topVia = request.firstIndexOf(HeaderName.VIA);
            table.putByte(KEY_SERVER_2543);
            table.putBytes(buffer, request.requestUriOffset(), request.requestUriLength());
            table.putByte((byte)0);
            if (!wrapTag(request, HeaderName.FROM))
            {
                return false;
            }
            if (nameAddr.hasTag())
            {
                table.putBytes(buffer, nameAddr.tagOffset(), nameAddr.tagLength());
            }
            table.putByte((byte)0);
            table.putBytes(buffer, request.callIdOffset(), request.callIdLength());
            table.putByte((byte)0);
            table.putLong(request.cseqNumber());
            table.putBytes(buffer, request.valueOffset(topVia), request.valueLength(topVia));
            table.putByte((byte)0);
        }
        if (methodBuffer == null)
        {
            table.putBytes(INVITE);
        }
        else
        {
            table.putBytes(methodBuffer, methodOffset, methodLength);
        }
        return !table.keyOverflow();
    }

    private boolean buildClientKey(final DirectBuffer methodBuffer, final int methodOffset, final int methodLength)
    {
        return buildClientKey(via.buffer(), via.branchOffset(), via.branchLength(), methodBuffer, methodOffset,
            methodLength);
    }

    private boolean buildClientKey(
        final DirectBuffer branchBuffer,
        final int branchOffset,
        final int branchLength,
        final DirectBuffer methodBuffer,
        final int methodOffset,
        final int methodLength)
    {
        table.resetKey();
        table.putByte(KEY_CLIENT);
        table.putBytes(branchBuffer, branchOffset, branchLength);
        table.putByte((byte)0);
        table.putBytes(methodBuffer, methodOffset, methodLength);
        return !table.keyOverflow() && table.keyScratchLength() + MAX_TAG_BYTES <= KEY_BYTES;
    }

    /**
     * An RFC 2543 transaction keeps the To tag of its non-2xx final response: its ACK must carry it (§17.2.3).
     */
    void storeResponseTag(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        table.responseTagLength[rec] = 0;
        if (table.keyHeadByte(rec) == KEY_SERVER_2543 &&
            sentDecoder.wrap(buffer, offset, length) == SipMessageDecoder.OK && wrapTag(sentDecoder, HeaderName.TO) &&
            nameAddr.hasTag() && nameAddr.tagLength() <= MAX_TAG_BYTES)
        {
            table.putResponseTag(rec, sentDecoder.buffer(), nameAddr.tagOffset(), nameAddr.tagLength());
        }
    }

    /**
     * A transaction entered a state where it only absorbs or answers retransmissions until {@code timer} at
     * {@code deadlineMs}: it moves to the linger ring at the next {@link #poll}, or stays with its timer when that
     * is due now (reliable transports) or too many are waiting.
     */
    void linger(final int rec, final int timer, final long deadlineMs, final long nowMs)
    {
        if (deadlineMs <= nowMs || pendingLingerCount == pendingLinger.length)
        {
            schedule(rec, timer, deadlineMs);
            return;
        }
        table.lingerTimer[rec] = timer;
        table.lingerUntilMs[rec] = deadlineMs;
        pendingLinger[pendingLingerCount++] = table.id(rec);
    }

    private int compactPending(final long nowMs)
    {
        int moved = 0;
        // The listener may end transactions that then linger: those append and are taken in this loop.
        for (int i = 0; i < pendingLingerCount; i++)
        {
            final long txId = pendingLinger[i];
            final int rec = table.resolve(txId);
            if (rec < 0)
            {
                continue;
            }
            if (!listener.isHeld(txId) && compact(rec, nowMs))
            {
                moved++;
            }
            else
            {
                schedule(rec, table.lingerTimer[rec], table.lingerUntilMs[rec]);
            }
        }
        pendingLingerCount = 0;
        return moved;
    }

    private boolean compact(final int rec, final long nowMs)
    {
        final int messageLength = table.messageLength[rec];
        final UnsafeBuffer key = table.keyBuffer(rec);
        final int keyOffset = table.keyOffset(rec);
        final int keyLength = table.keyLength[rec];
        if (!lingering.put(table.keyHash[rec], key, keyOffset, keyLength, key, keyOffset + keyLength,
            table.requestTagLength[rec], table.kind[rec], table.state[rec], table.remoteId[rec],
            table.transport[rec], table.connectionId[rec], messageLength > 0 ? table.messageBuffer(rec) : null,
            messageLength > 0 ? table.messageOffset(rec) : 0, messageLength, table.lingerUntilMs[rec], nowMs))
        {
            return false;
        }
        terminate(rec);
        return true;
    }

    /**
     * A response for a lingering client transaction: RFC 6026 §7.2 passes a 2xx for an Accepted INVITE on (now
     * statelessly, the core no longer has the transaction); a Completed INVITE re-ACKs a non-2xx final (§17.1.1.2);
     * everything else is absorbed (a Completed non-INVITE, timer K).
     */
    private int onLingeringResponse(final int entry, final int status)
    {
        if (lingering.kind(entry) == TransactionState.INVITE_CLIENT)
        {
            final int state = lingering.state(entry);
            if (state == TransactionState.ACCEPTED && status >= 200 && status < 300)
            {
                return TransactionResult.FORWARD_STATELESSLY;
            }
            if (state == TransactionState.COMPLETED && status >= 300)
            {
                resendLingering(entry);
            }
        }
        absorbedCount++;
        return TransactionResult.RETRANSMISSION_ABSORBED;
    }

    /**
     * The lingering entry whose key is the one just built in the table's key scratch, if any.
     */
    private int findLingering(
        final long hash,
        final boolean rfc2543,
        final DirectBuffer toTag,
        final int toTagOffset,
        final int toTagLength,
        final long nowMs)
    {
        return lingering.find(hash, table.keyScratch(), 0, table.keyScratchLength(), rfc2543, toTag, toTagOffset,
            toTagLength, nowMs);
    }

    private void resendLingering(final int entry)
    {
        final int length = lingering.messageLength(entry);
        if (length > 0)
        {
            retransmissionCount++;
            if (!output.send(lingering.remoteId(entry), lingering.transport(entry), lingering.connectionId(entry),
                lingering.buffer(), lingering.messageOffset(entry), length))
            {
                transportErrorCount++;
            }
        }
    }

    void terminate(final int rec)
    {
        final long txId = table.id(rec);
        cancelTimers(rec);
        table.unlink(rec);
        table.free(rec);
        listener.onTerminated(txId);
    }

    void schedule(final int rec, final int timer, final long deadlineMs)
    {
        final boolean retransmit = timer == TIMER_A || timer == TIMER_E || timer == TIMER_G;
        final long existing = retransmit ? table.retransmitTimerId[rec] : table.lifetimeTimerId[rec];
        if (existing != MISSING)
        {
            wheel.cancelTimer(existing);
            timerOwners.remove(existing);
        }
        final long timerId = wheel.scheduleTimer(deadlineMs);
        timerOwners.put(timerId, ((long)rec << 4) | timer);
        if (retransmit)
        {
            table.retransmitTimerId[rec] = timerId;
        }
        else
        {
            table.lifetimeTimerId[rec] = timerId;
        }
    }

    void cancelTimers(final int rec)
    {
        if (table.retransmitTimerId[rec] != MISSING)
        {
            wheel.cancelTimer(table.retransmitTimerId[rec]);
            timerOwners.remove(table.retransmitTimerId[rec]);
            table.retransmitTimerId[rec] = MISSING;
        }
        if (table.lifetimeTimerId[rec] != MISSING)
        {
            wheel.cancelTimer(table.lifetimeTimerId[rec]);
            timerOwners.remove(table.lifetimeTimerId[rec]);
            table.lifetimeTimerId[rec] = MISSING;
        }
    }

    /**
     * @param capacity  transactions of the table.
     * @param slots     slots of a message class (no more are made than there are transactions).
     * @param slotBytes bytes of each.
     * @return the bytes of that class's slab.
     */
    public static long slabBytes(final int capacity, final int slots, final int slotBytes)
    {
        return (long)Math.min(capacity, slots) * slotBytes;
    }

    static boolean isReliable(final int transport)
    {
        return transport != TransportProtocol.UDP;
    }

    boolean send(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        if (output.send(table.remoteId[rec], table.transport[rec], table.connectionId[rec], buffer, offset, length))
        {
            return true;
        }
        onSendFailed(rec);
        return true;
    }

    boolean resend(final int rec)
    {
        retransmissionCount++;
        return sendStored(rec);
    }

    boolean sendStored(final int rec)
    {
        if (table.messageLength[rec] == 0)
        {
            return false;
        }
        if (output.send(table.remoteId[rec], table.transport[rec], table.connectionId[rec],
            table.messageBuffer(rec), table.messageOffset(rec), table.messageLength[rec]))
        {
            return true;
        }
        onSendFailed(rec);
        return false;
    }

    private void onSendFailed(final int rec)
    {
        transportErrorCount++;
        final long txId = table.id(rec);
        listener.onTransportError(txId);
        if (table.resolve(txId) >= 0)
        {
            terminate(rec);
        }
    }

    void storeOrCount(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!table.store(rec, buffer, offset, length))
        {
            storeFailureCount++;
        }
    }
}
