package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipRequestBuilder;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipTransport;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.BitUtil;
import org.agrona.DeadlineTimerWheel;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The RFC 3261 §17 transaction layer of one SIP agent: INVITE and non-INVITE, client and server transactions with
 * RFC 6026's Accepted states, timers A–M over a {@link DeadlineTimerWheel}, retransmission over UDP and
 * absorption of retransmitted requests and responses. Pure logic: messages go out through a
 * {@link TransactionOutput}, events to a {@link TransactionListener}; time comes in as {@code nowMs}.
 * <p>
 * Transactions are records in preallocated parallel arrays (no object per transaction), each with a key slot for
 * matching and a message slot holding the exact bytes a retransmission resends; messages larger than the slot
 * borrow one of a few shared 64 KiB slots. Matching (§17.1.3, §17.2.3 with the RFC 2543 fallback) hashes the key
 * bytes to 64 bits into a primitive map whose value heads a chain of records; every hit compares the stored key
 * bytes, so a hash collision never mis-matches.
 * <p>
 * A transaction id is {@code generation << 32 | record}: an id kept after its transaction ended is stale and
 * every call with it is refused. Single-threaded: owned by one SIP agent's duty cycle; nothing is allocated per
 * message or transaction in steady state.
 */
public final class TransactionLayer
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

    /** Bytes of a transaction's key slot: the matching key and the RFC 2543 To tags. */
    public static final int KEY_BYTES = 512;
    /** Size of a shared large message slot. */
    public static final int LARGE_SLOT_BYTES = 65536;
    /** Largest message slab: capacity times slot bytes must not exceed it. */
    public static final long MAX_SLAB_BYTES = 1L << 30;

    private static final int MAX_TAG_BYTES = 128;
    private static final long MISSING = -1;
    private static final int TIMER_A = 1;
    private static final int TIMER_B = 2;
    private static final int TIMER_D = 3;
    private static final int TIMER_E = 4;
    private static final int TIMER_F = 5;
    private static final int TIMER_G = 6;
    private static final int TIMER_H = 7;
    private static final int TIMER_I = 8;
    private static final int TIMER_J = 9;
    private static final int TIMER_K = 10;
    private static final int TIMER_L = 11;
    private static final int TIMER_M = 12;
    private static final int TICKS_PER_WHEEL = 512;

    private static final byte KEY_SERVER = 'S';
    private static final byte KEY_SERVER_2543 = 'L';
    private static final byte KEY_CLIENT = 'C';
    private static final byte[] INVITE = "INVITE".getBytes(StandardCharsets.US_ASCII);

    private final TransactionOutput output;
    private final TransactionListener listener;
    private final KeyHasher hasher;
    private final long t1Ms;
    private final long t2Ms;
    private final long t4Ms;
    private final long timerDMs;
    private final int capacity;
    private final int slotBytes;

    private final int[] state;
    private final int[] kind;
    private final int[] generation;
    private final int[] transport;
    private final int[] next;
    private final int[] keyLength;
    private final int[] requestTagLength;
    private final int[] responseTagLength;
    private final int[] messageLength;
    private final int[] largeSlot;
    private final int[] lastStatus;
    private final long[] remoteId;
    private final long[] connectionId;
    private final long[] keyHash;
    private final long[] retransmitTimerId;
    private final long[] lifetimeTimerId;
    private final long[] intervalMs;
    private final int[] free;
    private int freeCount;
    private final int[] freeLarge;
    private int freeLargeCount;

    private final UnsafeBuffer keySlab;
    private final UnsafeBuffer messageSlab;
    private final UnsafeBuffer largeSlab;
    private final UnsafeBuffer keyScratch = new UnsafeBuffer(new byte[KEY_BYTES]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(LARGE_SLOT_BYTES));
    private int keyScratchLength;
    private boolean keyOverflow;

    private final Long2LongHashMap index;
    private final Long2LongHashMap timerOwners;
    private final Long2LongHashMap userTimers;
    private final DeadlineTimerWheel wheel;
    private final DeadlineTimerWheel.TimerHandler timerHandler = this::onTimerExpiry;

    private final ViaDecoder via = new ViaDecoder();
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();
    private final SipMessageDecoder ownDecoder = new SipMessageDecoder(LARGE_SLOT_BYTES - 1,
        SipMessageDecoder.DEFAULT_MAX_HEADER_VALUES);
    private final SipMessageDecoder sentDecoder = new SipMessageDecoder(LARGE_SLOT_BYTES - 1,
        SipMessageDecoder.DEFAULT_MAX_HEADER_VALUES);
    private final SipResponseBuilder responseBuilder = new SipResponseBuilder();
    private final SipRequestBuilder requestBuilder = new SipRequestBuilder();

    private long transactionId = NULL_ID;
    private long invitedTransactionId = NULL_ID;
    private int activeCount;

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
        if ((long)settings.capacity() * Math.max(settings.slotBytes(), KEY_BYTES) > MAX_SLAB_BYTES)
        {
            throw new IllegalArgumentException("capacity * slot bytes exceeds " + MAX_SLAB_BYTES + ": " +
                settings.capacity() + " * " + settings.slotBytes());
        }
        this.output = output;
        this.listener = listener;
        this.hasher = hasher;
        t1Ms = settings.t1Ms();
        t2Ms = settings.t2Ms();
        t4Ms = settings.t4Ms();
        timerDMs = settings.timerDMs();
        capacity = settings.capacity();
        slotBytes = settings.slotBytes();

        state = new int[capacity];
        kind = new int[capacity];
        generation = new int[capacity];
        transport = new int[capacity];
        next = new int[capacity];
        keyLength = new int[capacity];
        requestTagLength = new int[capacity];
        responseTagLength = new int[capacity];
        messageLength = new int[capacity];
        largeSlot = new int[capacity];
        lastStatus = new int[capacity];
        remoteId = new long[capacity];
        connectionId = new long[capacity];
        keyHash = new long[capacity];
        retransmitTimerId = new long[capacity];
        lifetimeTimerId = new long[capacity];
        intervalMs = new long[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[i] = capacity - 1 - i;
            largeSlot[i] = -1;
            retransmitTimerId[i] = MISSING;
            lifetimeTimerId[i] = MISSING;
        }
        freeCount = capacity;
        freeLarge = new int[settings.largeSlots()];
        for (int i = 0; i < freeLarge.length; i++)
        {
            freeLarge[i] = freeLarge.length - 1 - i;
        }
        freeLargeCount = freeLarge.length;

        keySlab = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * KEY_BYTES));
        messageSlab = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * slotBytes));
        largeSlab = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, freeLarge.length) * LARGE_SLOT_BYTES));

        index = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
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
     * @param remoteId     where it came from (responses go back there).
     * @param transport    a {@link SipTransport} code; anything but UDP is reliable.
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
        final long hash = hasher.hash(keyScratch, 0, keyScratchLength);
        final int found = find(hash, !rfc3261, false, buffer, toTagOffset, toTagLength);
        if (found >= 0)
        {
            transactionId = id(found);
            absorbedCount++;
            final int s = state[found];
            if ((s == TransactionState.PROCEEDING || s == TransactionState.COMPLETED) && messageLength[found] > 0)
            {
                resend(found);
            }
            return TransactionResult.RETRANSMISSION_ABSORBED;
        }
        if (toTagLength > MAX_TAG_BYTES || keyScratchLength + toTagLength + MAX_TAG_BYTES > KEY_BYTES)
        {
            keyTooLongCount++;
            return TransactionResult.INVALID;
        }
        final int rec = allocate(method == SipMethod.INVITE ? TransactionState.INVITE_SERVER :
            TransactionState.NON_INVITE_SERVER, remoteId, transport, connectionId);
        if (rec < 0)
        {
            tableFullCount++;
            return TransactionResult.TABLE_FULL;
        }
        link(rec, hash);
        keySlab.putBytes(rec * KEY_BYTES + keyLength[rec], buffer, toTagOffset, toTagLength);
        requestTagLength[rec] = toTagLength;
        transactionId = id(rec);

        if (method == SipMethod.INVITE)
        {
            state[rec] = TransactionState.PROCEEDING;
            final int length = responseBuilder.buildTrying(request, scratch, 0);
            if (length > 0)
            {
                lastStatus[rec] = 100;
                if (store(rec, scratch, 0, length))
                {
                    sendStored(rec);
                }
            }
            return TransactionResult.NEW;
        }
        state[rec] = TransactionState.TRYING;
        if (method == SipMethod.CANCEL)
        {
            if (buildServerKey(request, rfc3261, null, 0, 0))
            {
                final int invite = find(
                    hasher.hash(keyScratch, 0, keyScratchLength), !rfc3261, false, buffer, toTagOffset, toTagLength);
                if (invite >= 0 && kind[invite] == TransactionState.INVITE_SERVER)
                {
                    invitedTransactionId = id(invite);
                    return TransactionResult.CANCEL_MATCHED;
                }
            }
            return TransactionResult.CANCEL_NO_MATCH;
        }
        return TransactionResult.NEW;
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
        final int rec = resolve(txId);
        if (rec < 0 || statusCode < 100 || statusCode > 699)
        {
            return false;
        }
        final int s = state[rec];
        final boolean reliable = isReliable(transport[rec]);
        if (kind[rec] == TransactionState.INVITE_SERVER)
        {
            if (s == TransactionState.ACCEPTED && statusCode >= 200 && statusCode < 300)
            {
                return send(rec, buffer, offset, length);
            }
            if (s != TransactionState.PROCEEDING)
            {
                return false;
            }
            lastStatus[rec] = statusCode;
            if (statusCode < 200)
            {
                storeOrCount(rec, buffer, offset, length);
                return send(rec, buffer, offset, length);
            }
            if (statusCode < 300)
            {
                state[rec] = TransactionState.ACCEPTED;
                dropMessage(rec);
                schedule(rec, TIMER_L, nowMs + 64 * t1Ms);
                return send(rec, buffer, offset, length);
            }
            state[rec] = TransactionState.COMPLETED;
            storeOrCount(rec, buffer, offset, length);
            if (keyHeadByte(rec) == KEY_SERVER_2543)
            {
                storeResponseTag(rec, buffer, offset, length);
            }
            if (!reliable)
            {
                intervalMs[rec] = t1Ms;
                schedule(rec, TIMER_G, nowMs + t1Ms);
            }
            schedule(rec, TIMER_H, nowMs + 64 * t1Ms);
            return send(rec, buffer, offset, length);
        }

        if (s != TransactionState.TRYING && s != TransactionState.PROCEEDING)
        {
            return false;
        }
        lastStatus[rec] = statusCode;
        storeOrCount(rec, buffer, offset, length);
        if (statusCode < 200)
        {
            state[rec] = TransactionState.PROCEEDING;
        }
        else
        {
            state[rec] = TransactionState.COMPLETED;
            schedule(rec, TIMER_J, nowMs + (reliable ? 0 : 64 * t1Ms));
        }
        return send(rec, buffer, offset, length);
    }

    /**
     * Start a client transaction: send the request and, over UDP, retransmit it on timer A (INVITE) or E.
     * The transaction is keyed by the top Via branch (which the caller generated) and the method (§17.1.3).
     *
     * @param buffer       holding the request as it goes on the wire.
     * @param offset       of the first byte.
     * @param length       of the request.
     * @param remoteId     the next hop.
     * @param transport    a {@link SipTransport} code.
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
            request.method() == SipMethod.ACK || !wrapTopVia(request) || !via.hasBranch())
        {
            return START_INVALID;
        }
        if (!buildClientKey(request.buffer(), request.methodOffset(), request.methodLength()))
        {
            keyTooLongCount++;
            return START_INVALID;
        }
        final long hash = hasher.hash(keyScratch, 0, keyScratchLength);
        if (find(hash, false, false, null, 0, 0) >= 0)
        {
            return START_DUPLICATE;
        }
        final boolean invite = request.method() == SipMethod.INVITE;
        final int rec = allocate(invite ? TransactionState.INVITE_CLIENT : TransactionState.NON_INVITE_CLIENT,
            remoteId, transport, connectionId);
        if (rec < 0)
        {
            tableFullCount++;
            return START_TABLE_FULL;
        }
        if (!store(rec, buffer, offset, length))
        {
            storeFailureCount++;
            free(rec);
            return START_TOO_LARGE;
        }
        link(rec, hash);
        final long txId = id(rec);
        if (!output.send(remoteId, transport, connectionId, messageBuffer(rec), messageOffset(rec), length))
        {
            transportErrorCount++;
            unlink(rec);
            free(rec);
            return START_SEND_FAILED;
        }
        state[rec] = invite ? TransactionState.CALLING : TransactionState.TRYING;
        if (!isReliable(transport))
        {
            intervalMs[rec] = t1Ms;
            schedule(rec, invite ? TIMER_A : TIMER_E, nowMs + t1Ms);
        }
        schedule(rec, invite ? TIMER_B : TIMER_F, nowMs + 64 * t1Ms);
        return txId;
    }

    /**
     * A response arrived: match it to a client transaction (§17.1.3) by its top Via branch and CSeq method.
     *
     * @param response decoded {@link SipMessageDecoder#OK}.
     * @param nowMs    the clock.
     * @return {@link TransactionResult#FORWARD_TO_CORE} (with {@link #transactionId()}),
     * {@link TransactionResult#RETRANSMISSION_ABSORBED}, {@link TransactionResult#NO_MATCH} or
     * {@link TransactionResult#INVALID}.
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
        final int rec = find(hasher.hash(keyScratch, 0, keyScratchLength), false, false, null, 0, 0);
        if (rec < 0)
        {
            return TransactionResult.NO_MATCH;
        }
        transactionId = id(rec);
        final int status = response.statusCode();
        final int s = state[rec];
        final boolean reliable = isReliable(transport[rec]);
        if (kind[rec] == TransactionState.INVITE_CLIENT)
        {
            if (s == TransactionState.CALLING || s == TransactionState.PROCEEDING)
            {
                lastStatus[rec] = status;
                cancelTimers(rec);
                if (status < 200)
                {
                    state[rec] = TransactionState.PROCEEDING;
                }
                else if (status < 300)
                {
                    state[rec] = TransactionState.ACCEPTED;
                    dropMessage(rec);
                    schedule(rec, TIMER_M, nowMs + 64 * t1Ms);
                }
                else
                {
                    state[rec] = TransactionState.COMPLETED;
                    sendAck(rec, response);
                    schedule(rec, TIMER_D, nowMs + (reliable ? 0 : timerDMs));
                }
                return TransactionResult.FORWARD_TO_CORE;
            }
            if (s == TransactionState.ACCEPTED && status >= 200 && status < 300)
            {
                return TransactionResult.FORWARD_TO_CORE;
            }
            absorbedCount++;
            if (s == TransactionState.COMPLETED && status >= 300 && messageLength[rec] > 0)
            {
                resend(rec);
            }
            return TransactionResult.RETRANSMISSION_ABSORBED;
        }

        if (s == TransactionState.TRYING || s == TransactionState.PROCEEDING)
        {
            lastStatus[rec] = status;
            if (status < 200)
            {
                state[rec] = TransactionState.PROCEEDING;
            }
            else
            {
                state[rec] = TransactionState.COMPLETED;
                cancelTimers(rec);
                dropMessage(rec);
                schedule(rec, TIMER_K, nowMs + (reliable ? 0 : t4Ms));
            }
            return TransactionResult.FORWARD_TO_CORE;
        }
        absorbedCount++;
        return TransactionResult.RETRANSMISSION_ABSORBED;
    }

    /**
     * Drive the timers; call from the SIP agent's duty cycle.
     *
     * @param nowMs the clock.
     * @return the number of timers that fired.
     */
    public int poll(final long nowMs)
    {
        if (wheel.timerCount() == 0)
        {
            if (wheel.currentTickTime() <= nowMs)
            {
                wheel.currentTickTime(nowMs);
            }
            return 0;
        }
        // The wheel advances at most one tick per poll and does not expire the tick it advanced to: poll until the
        // tick stands still, so every deadline up to nowMs fires in this call whatever the gap since the last one.
        int expired = 0;
        long tickTime;
        do
        {
            tickTime = wheel.currentTickTime();
            expired += wheel.poll(nowMs, timerHandler, Integer.MAX_VALUE);
        }
        while (wheel.currentTickTime() != tickTime && wheel.timerCount() > 0);
        return expired;
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
        final int rec = resolve(txId);
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
     * @return for {@link TransactionResult#CANCEL_MATCHED}, the INVITE server transaction the CANCEL targets.
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
        final int rec = resolve(txId);
        return rec < 0 ? TransactionState.NONE : state[rec];
    }

    /**
     * @param txId a transaction id.
     * @return its kind ({@link TransactionState#INVITE_CLIENT} ...), {@link TransactionState#NONE} if stale.
     */
    public int kind(final long txId)
    {
        final int rec = resolve(txId);
        return rec < 0 ? TransactionState.NONE : kind[rec];
    }

    /**
     * @param txId a transaction id.
     * @return the last status code sent (server) or received (client), 0 for none or a stale id.
     */
    public int lastStatus(final long txId)
    {
        final int rec = resolve(txId);
        return rec < 0 ? 0 : lastStatus[rec];
    }

    /**
     * @param txId a transaction id.
     * @return the remote the transaction talks to, or {@link #NULL_ID} if stale.
     */
    public long remoteId(final long txId)
    {
        final int rec = resolve(txId);
        return rec < 0 ? NULL_ID : remoteId[rec];
    }

    /**
     * @param txId a transaction id.
     * @return its transport code, {@link SipTransport#NONE} if stale.
     */
    public int transport(final long txId)
    {
        final int rec = resolve(txId);
        return rec < 0 ? SipTransport.NONE : transport[rec];
    }

    /**
     * @param txId a transaction id.
     * @return its connection id, or {@link #NULL_ID} if stale.
     */
    public long connectionId(final long txId)
    {
        final int rec = resolve(txId);
        return rec < 0 ? NULL_ID : connectionId[rec];
    }

    /**
     * @return live transactions.
     */
    public int activeCount()
    {
        return activeCount;
    }

    /**
     * @return the table's capacity.
     */
    public int capacity()
    {
        return capacity;
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
        final int rec = find(hasher.hash(keyScratch, 0, keyScratchLength), !rfc3261, true,
            request.buffer(), toTagOffset, toTagLength);
        if (rec < 0 || kind[rec] != TransactionState.INVITE_SERVER)
        {
            return TransactionResult.NO_MATCH;
        }
        transactionId = id(rec);
        final int s = state[rec];
        if (s == TransactionState.COMPLETED)
        {
            cancelTimers(rec);
            state[rec] = TransactionState.CONFIRMED;
            dropMessage(rec);
            schedule(rec, TIMER_I, nowMs + (isReliable(transport[rec]) ? 0 : t4Ms));
            return TransactionResult.ACK_FOR_NON2XX_ABSORBED;
        }
        if (s == TransactionState.CONFIRMED)
        {
            absorbedCount++;
            return TransactionResult.ACK_FOR_NON2XX_ABSORBED;
        }
        if (s == TransactionState.ACCEPTED)
        {
            return TransactionResult.ACK_FOR_2XX;
        }
        transactionId = NULL_ID;
        return TransactionResult.NO_MATCH;
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
            retransmitTimerId[rec] = MISSING;
            onRetransmitTimer(rec, timer, nowMs);
        }
        else
        {
            lifetimeTimerId[rec] = MISSING;
            onLifetimeTimer(rec, timer);
        }
        return true;
    }

    private void onRetransmitTimer(final int rec, final int timer, final long nowMs)
    {
        final int s = state[rec];
        final long interval;
        if (timer == TIMER_A && s == TransactionState.CALLING)
        {
            interval = intervalMs[rec] * 2;
        }
        else if (timer == TIMER_E && (s == TransactionState.TRYING || s == TransactionState.PROCEEDING))
        {
            interval = s == TransactionState.TRYING ? Math.min(intervalMs[rec] * 2, t2Ms) : t2Ms;
        }
        else if (timer == TIMER_G && s == TransactionState.COMPLETED)
        {
            interval = Math.min(intervalMs[rec] * 2, t2Ms);
        }
        else
        {
            return;
        }
        if (resend(rec))
        {
            intervalMs[rec] = interval;
            schedule(rec, timer, nowMs + interval);
        }
    }

    private void onLifetimeTimer(final int rec, final int timer)
    {
        final long txId = id(rec);
        if (timer == TIMER_B || timer == TIMER_F)
        {
            clientTimeoutCount++;
            listener.onClientTimeout(txId);
        }
        else if (timer == TIMER_H)
        {
            serverTimeoutCount++;
            listener.onServerTimeout(txId);
        }
        if (resolve(txId) >= 0)
        {
            terminate(rec);
        }
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
        keyScratchLength = 0;
        keyOverflow = false;
        if (rfc3261)
        {
            putByte(KEY_SERVER);
            putBytes(buffer, via.branchOffset(), via.branchLength());
            putByte((byte)0);
            putLowerCase(buffer, via.hostOffset(), via.hostLength());
            putByte((byte)0);
            putInt(via.port());
        }
        else
        {
            final int topVia = request.firstIndexOf(HeaderName.VIA);
            putByte(KEY_SERVER_2543);
            putBytes(buffer, request.requestUriOffset(), request.requestUriLength());
            putByte((byte)0);
            if (!wrapTag(request, HeaderName.FROM))
            {
                return false;
            }
            if (nameAddr.hasTag())
            {
                putBytes(buffer, nameAddr.tagOffset(), nameAddr.tagLength());
            }
            putByte((byte)0);
            putBytes(buffer, request.callIdOffset(), request.callIdLength());
            putByte((byte)0);
            putLong(request.cseqNumber());
            putBytes(buffer, request.valueOffset(topVia), request.valueLength(topVia));
            putByte((byte)0);
        }
        if (methodBuffer == null)
        {
            putBytes(INVITE);
        }
        else
        {
            putBytes(methodBuffer, methodOffset, methodLength);
        }
        return !keyOverflow;
    }

    private boolean buildClientKey(final DirectBuffer methodBuffer, final int methodOffset, final int methodLength)
    {
        keyScratchLength = 0;
        keyOverflow = false;
        putByte(KEY_CLIENT);
        putBytes(via.buffer(), via.branchOffset(), via.branchLength());
        putByte((byte)0);
        putBytes(methodBuffer, methodOffset, methodLength);
        return !keyOverflow && keyScratchLength + MAX_TAG_BYTES <= KEY_BYTES;
    }

    private void putByte(final byte b)
    {
        if (keyScratchLength < KEY_BYTES)
        {
            keyScratch.putByte(keyScratchLength++, b);
        }
        else
        {
            keyOverflow = true;
        }
    }

    private void putInt(final int value)
    {
        if (keyScratchLength + 4 <= KEY_BYTES)
        {
            keyScratch.putInt(keyScratchLength, value);
            keyScratchLength += 4;
        }
        else
        {
            keyOverflow = true;
        }
    }

    private void putLong(final long value)
    {
        if (keyScratchLength + 8 <= KEY_BYTES)
        {
            keyScratch.putLong(keyScratchLength, value);
            keyScratchLength += 8;
        }
        else
        {
            keyOverflow = true;
        }
    }

    private void putBytes(final DirectBuffer src, final int offset, final int length)
    {
        if (keyScratchLength + length <= KEY_BYTES)
        {
            keyScratch.putBytes(keyScratchLength, src, offset, length);
            keyScratchLength += length;
        }
        else
        {
            keyOverflow = true;
        }
    }

    private void putBytes(final byte[] src)
    {
        if (keyScratchLength + src.length <= KEY_BYTES)
        {
            keyScratch.putBytes(keyScratchLength, src);
            keyScratchLength += src.length;
        }
        else
        {
            keyOverflow = true;
        }
    }

    private void putLowerCase(final DirectBuffer src, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = src.getByte(offset + i);
            putByte(b >= 'A' && b <= 'Z' ? (byte)(b + ('a' - 'A')) : b);
        }
    }

    /**
     * Walk the chain of the key's hash and compare key bytes; RFC 2543 keys also compare the To tag, of the
     * request that created the transaction, or for an ACK of the response it sent.
     */
    private int find(
        final long hash,
        final boolean legacy,
        final boolean ack,
        final DirectBuffer tagBuffer,
        final int tagOffset,
        final int tagLength)
    {
        int rec = (int)index.get(hash);
        while (rec >= 0)
        {
            if (keyHash[rec] == hash &&
                SipBytes.rangesEqualExact(keySlab, rec * KEY_BYTES, keyLength[rec], keyScratch, 0, keyScratchLength) &&
                (!legacy || tagMatches(rec, ack, tagBuffer, tagOffset, tagLength)))
            {
                return rec;
            }
            rec = next[rec];
        }
        return -1;
    }

    private boolean tagMatches(
        final int rec, final boolean ack, final DirectBuffer tagBuffer, final int tagOffset, final int tagLength)
    {
        final int stored = ack ? responseTagLength[rec] : requestTagLength[rec];
        if (stored != tagLength)
        {
            return false;
        }
        final int at = rec * KEY_BYTES + keyLength[rec] + (ack ? requestTagLength[rec] : 0);
        return SipBytes.rangesEqualExact(keySlab, at, stored, tagBuffer, tagOffset, tagLength);
    }

    private byte keyHeadByte(final int rec)
    {
        return keySlab.getByte(rec * KEY_BYTES);
    }

    private void storeResponseTag(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        responseTagLength[rec] = 0;
        if (sentDecoder.wrap(buffer, offset, length) == SipMessageDecoder.OK && wrapTag(sentDecoder, HeaderName.TO) &&
            nameAddr.hasTag() && nameAddr.tagLength() <= MAX_TAG_BYTES)
        {
            keySlab.putBytes(rec * KEY_BYTES + keyLength[rec] + requestTagLength[rec], sentDecoder.buffer(),
                nameAddr.tagOffset(), nameAddr.tagLength());
            responseTagLength[rec] = nameAddr.tagLength();
        }
    }

    private void link(final int rec, final long hash)
    {
        keySlab.putBytes(rec * KEY_BYTES, keyScratch, 0, keyScratchLength);
        keyLength[rec] = keyScratchLength;
        keyHash[rec] = hash;
        final long head = index.get(hash);
        next[rec] = (int)head;
        index.put(hash, rec);
    }

    private void unlink(final int rec)
    {
        final long hash = keyHash[rec];
        int current = (int)index.get(hash);
        int previous = -1;
        while (current >= 0 && current != rec)
        {
            previous = current;
            current = next[current];
        }
        if (current != rec)
        {
            return;
        }
        if (previous >= 0)
        {
            next[previous] = next[rec];
        }
        else if (next[rec] >= 0)
        {
            index.put(hash, next[rec]);
        }
        else
        {
            index.remove(hash);
        }
        next[rec] = -1;
    }

    private int allocate(final int kind, final long remoteId, final int transport, final long connectionId)
    {
        if (freeCount == 0)
        {
            return -1;
        }
        final int rec = free[--freeCount];
        generation[rec] = (generation[rec] + 1) & 0x7FFF_FFFF;
        this.kind[rec] = kind;
        this.remoteId[rec] = remoteId;
        this.transport[rec] = transport;
        this.connectionId[rec] = connectionId;
        next[rec] = -1;
        keyLength[rec] = 0;
        requestTagLength[rec] = 0;
        responseTagLength[rec] = 0;
        messageLength[rec] = 0;
        lastStatus[rec] = 0;
        intervalMs[rec] = 0;
        state[rec] = TransactionState.NONE;
        activeCount++;
        return rec;
    }

    private void free(final int rec)
    {
        dropMessage(rec);
        state[rec] = TransactionState.NONE;
        kind[rec] = TransactionState.NONE;
        free[freeCount++] = rec;
        activeCount--;
    }

    private void terminate(final int rec)
    {
        final long txId = id(rec);
        cancelTimers(rec);
        unlink(rec);
        free(rec);
        listener.onTerminated(txId);
    }

    private long id(final int rec)
    {
        return ((long)generation[rec] << 32) | rec;
    }

    private int resolve(final long txId)
    {
        if (txId < 0)
        {
            return -1;
        }
        final int rec = (int)(txId & 0xFFFF_FFFFL);
        if (rec >= capacity || state[rec] == TransactionState.NONE || generation[rec] != (int)(txId >>> 32))
        {
            return -1;
        }
        return rec;
    }

    private void schedule(final int rec, final int timer, final long deadlineMs)
    {
        final boolean retransmit = timer == TIMER_A || timer == TIMER_E || timer == TIMER_G;
        final long existing = retransmit ? retransmitTimerId[rec] : lifetimeTimerId[rec];
        if (existing != MISSING)
        {
            wheel.cancelTimer(existing);
            timerOwners.remove(existing);
        }
        final long timerId = wheel.scheduleTimer(deadlineMs);
        timerOwners.put(timerId, ((long)rec << 4) | timer);
        if (retransmit)
        {
            retransmitTimerId[rec] = timerId;
        }
        else
        {
            lifetimeTimerId[rec] = timerId;
        }
    }

    private void cancelTimers(final int rec)
    {
        if (retransmitTimerId[rec] != MISSING)
        {
            wheel.cancelTimer(retransmitTimerId[rec]);
            timerOwners.remove(retransmitTimerId[rec]);
            retransmitTimerId[rec] = MISSING;
        }
        if (lifetimeTimerId[rec] != MISSING)
        {
            wheel.cancelTimer(lifetimeTimerId[rec]);
            timerOwners.remove(lifetimeTimerId[rec]);
            lifetimeTimerId[rec] = MISSING;
        }
    }

    private static boolean isReliable(final int transport)
    {
        return transport != SipTransport.UDP;
    }

    private void sendAck(final int rec, final SipMessageDecoder response)
    {
        final SipMessageDecoder invite = sentDecoder;
        if (invite.wrap(messageBuffer(rec), messageOffset(rec), messageLength[rec]) != SipMessageDecoder.OK)
        {
            dropMessage(rec);
            return;
        }
        final int length = requestBuilder.buildAck(invite, response, scratch, 0);
        if (length <= 0 || !store(rec, scratch, 0, length))
        {
            storeFailureCount++;
            dropMessage(rec);
            return;
        }
        sendStored(rec);
    }

    private boolean send(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        if (output.send(remoteId[rec], transport[rec], connectionId[rec], buffer, offset, length))
        {
            return true;
        }
        onSendFailed(rec);
        return true;
    }

    private boolean resend(final int rec)
    {
        retransmissionCount++;
        return sendStored(rec);
    }

    private boolean sendStored(final int rec)
    {
        if (output.send(remoteId[rec], transport[rec], connectionId[rec],
            messageBuffer(rec), messageOffset(rec), messageLength[rec]))
        {
            return true;
        }
        onSendFailed(rec);
        return false;
    }

    private void onSendFailed(final int rec)
    {
        transportErrorCount++;
        final long txId = id(rec);
        listener.onTransportError(txId);
        if (resolve(txId) >= 0)
        {
            terminate(rec);
        }
    }

    private void storeOrCount(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!store(rec, buffer, offset, length))
        {
            storeFailureCount++;
        }
    }

    private boolean store(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= slotBytes)
        {
            releaseLarge(rec);
            messageSlab.putBytes(rec * slotBytes, buffer, offset, length);
            messageLength[rec] = length;
            return true;
        }
        if (length > LARGE_SLOT_BYTES || (largeSlot[rec] < 0 && freeLargeCount == 0))
        {
            dropMessage(rec);
            return false;
        }
        if (largeSlot[rec] < 0)
        {
            largeSlot[rec] = freeLarge[--freeLargeCount];
        }
        largeSlab.putBytes(largeSlot[rec] * LARGE_SLOT_BYTES, buffer, offset, length);
        messageLength[rec] = length;
        return true;
    }

    private void dropMessage(final int rec)
    {
        messageLength[rec] = 0;
        releaseLarge(rec);
    }

    private void releaseLarge(final int rec)
    {
        if (largeSlot[rec] >= 0)
        {
            freeLarge[freeLargeCount++] = largeSlot[rec];
            largeSlot[rec] = -1;
        }
    }

    private UnsafeBuffer messageBuffer(final int rec)
    {
        return largeSlot[rec] >= 0 ? largeSlab : messageSlab;
    }

    private int messageOffset(final int rec)
    {
        return largeSlot[rec] >= 0 ? largeSlot[rec] * LARGE_SLOT_BYTES : rec * slotBytes;
    }
}
