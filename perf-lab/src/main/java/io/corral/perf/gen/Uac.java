package io.corral.perf.gen;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipUriDecoder;
import org.agrona.BitUtil;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The generator's user agent client: starts operations on an {@link OpenLoopSchedule} and drives each through its
 * SIP transactions with RFC 3261 retransmissions (INVITE: T1 doubling until 64*T1; non-INVITE: doubling up to T2).
 * A call is INVITE → 1xx → 200 → ACK → hold → BYE → 200; the ACK and BYE carry the route set built from the 200's
 * Record-Route (reversed) and go to the Contact's URI, through the address of the first Route when there is a route
 * set (RFC 3261 §8.1.2: loose routing), else straight to the UAS. Every
 * operation owns the slot {@code number & mask} of struct-of-arrays state; nothing is allocated per message.
 */
public final class Uac implements Agent, SlotTimers.Handler
{
    private static final byte FREE = 0;
    private static final byte INVITING = 1;
    private static final byte PROCEEDING = 2;
    private static final byte HOLDING = 3;
    private static final byte BYEING = 4;
    private static final byte REGISTERING = 5;
    private static final byte OPTIONING = 6;

    private static final int RECEIVE_BATCH = 64;
    private static final int START_BATCH = 256;
    private static final int TIMER_BATCH = 256;
    private static final int RECORD_BYTES = 1024;
    private static final int MAX_ROUTES = 16;
    private static final String SDP = "v=0\r\no=lab 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private final UacSettings settings;
    private final OpenLoopSchedule schedule;
    private final GeneratorStats stats;
    private final UdpSocket socket;
    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();
    private final NameAddrDecoder routeAddr = new NameAddrDecoder();
    private final SipUriDecoder routeUri = new SipUriDecoder();
    /** The first Route's address by port, on the next hop's host: made once per port, not per call. */
    private final Int2ObjectHashMap<InetSocketAddress> hopsByPort = new Int2ObjectHashMap<>();
    private final SipWriter writer = new SipWriter();
    private final DigestClient digest;
    private final SlotTimers timers;
    private final RecordPool records;
    private final int mask;
    private final long[] numbers;
    private final long[] intendedNs;
    private final long[] transactionNs;
    private final long[] intervalNs;
    private final byte[] states;
    private final byte[] cseqs;
    private final InetSocketAddress[] inDialogHops;
    private final int[] recordOf;
    private final int[] routeIndexes = new int[MAX_ROUTES];
    private final long t1Ns;
    private final long t2Ns;
    private final long timeoutNs;
    private final long holdNs;
    private final long runStartNs;
    private final String local;
    private final String uasUri;
    private final String registrarUri;
    private final InetSocketAddress nextHop;
    private final byte[] nextHopHost;
    private final InetSocketAddress uas;
    private long active;
    private long nowNs;

    /**
     * @param settings     what to do.
     * @param startDelayNs how long after this constructor returns the first operation is due. The clock starts when
     *                     the tables are allocated: a step's tables are hundreds of MB, and a schedule started before
     *                     them would begin behind and send the calls it missed in one burst.
     * @param stats        where counts and latencies go.
     * @param bind         local address to bind (port 0: any).
     */
    public Uac(
        final UacSettings settings, final long startDelayNs, final GeneratorStats stats, final InetSocketAddress bind)
    {
        this.settings = settings;
        this.stats = stats;
        this.socket = new UdpSocket(bind);
        t1Ns = settings.t1Ms() * 1_000_000L;
        t2Ns = settings.t2Ms() * 1_000_000L;
        timeoutNs = 64 * t1Ns;
        holdNs = settings.holdMs() * 1_000_000L;
        // Every operation may live for its timeouts (INVITE and BYE: 2 * 64 * T1) plus the hold.
        final double lifetimeS = (2 * timeoutNs + holdNs) / 1e9 + 1;
        final double peakRate = Math.max(settings.ratePerS(), settings.tailRatePerS());
        final long concurrent = (long)Math.min(1L << 22, Math.max(1024, peakRate * lifetimeS));
        final int slots = BitUtil.findNextPositivePowerOfTwo((int)Math.min(concurrent, settings.totalCount() + 1024));
        mask = slots - 1;
        numbers = new long[slots];
        Arrays.fill(numbers, -1);
        intendedNs = new long[slots];
        transactionNs = new long[slots];
        intervalNs = new long[slots];
        states = new byte[slots];
        cseqs = new byte[slots];
        inDialogHops = new InetSocketAddress[slots];
        recordOf = new int[slots];
        Arrays.fill(recordOf, RecordPool.NONE);
        final double recordLifetimeS = (holdNs + timeoutNs) / 1e9 + 1;
        final int recordCount = (int)Math.min(1 << 18, Math.max(1024, peakRate * recordLifetimeS));
        records = new RecordPool(Math.min(recordCount, slots), RECORD_BYTES);
        timers = new SlotTimers(slots, System.nanoTime());
        digest = new DigestClient(settings.password());
        local = bind.getAddress().getHostAddress() + ":" + socket.localAddress().getPort();
        uasUri = "sip:service@" + settings.uas().getAddress().getHostAddress() + ":" + settings.uas().getPort();
        registrarUri = "sip:" + settings.domain();
        nextHop = settings.nextHop();
        nextHopHost = nextHop.getAddress().getHostAddress().getBytes(StandardCharsets.US_ASCII);
        uas = settings.uas();
        runStartNs = System.nanoTime() + startDelayNs;
        schedule = new OpenLoopSchedule(
            runStartNs, settings.ratePerS(), settings.count(), settings.tailRatePerS(), settings.tailCount());
    }

    /**
     * @return the intended start of the first operation, {@link System#nanoTime()} based.
     */
    public long startNs()
    {
        return runStartNs;
    }

    @Override
    public String roleName()
    {
        return "lab-uac";
    }

    @Override
    public int doWork()
    {
        nowNs = System.nanoTime();
        int work = 0;
        for (int i = 0; i < RECEIVE_BATCH; i++)
        {
            final int length = socket.receive();
            if (length == 0)
            {
                break;
            }
            stats.increment(GeneratorStats.RECEIVED);
            onDatagram(length);
            work++;
        }
        work += timers.poll(nowNs, this, TIMER_BATCH);
        for (int i = 0; i < START_BATCH; i++)
        {
            final long number = schedule.nextDue(nowNs);
            if (number < 0)
            {
                break;
            }
            start(number);
            work++;
        }
        return work;
    }

    /**
     * @return true when every operation has started and none is in progress.
     */
    public boolean isDone()
    {
        return schedule.isComplete() && active == 0;
    }

    /**
     * Start no further operation (Ctrl-C, or the end of an overload window).
     */
    public void stopStarting()
    {
        schedule.stop();
    }

    /**
     * Count every operation still in progress as unfinished and forget it.
     */
    public void abandonAll()
    {
        for (int slot = 0; slot <= mask; slot++)
        {
            if (states[slot] != FREE)
            {
                fail(slot, GeneratorStats.UNFINISHED);
            }
        }
    }

    /**
     * @return operations in progress.
     */
    public long active()
    {
        return active;
    }

    /**
     * @return the schedule (how many started, how many were due).
     */
    public OpenLoopSchedule schedule()
    {
        return schedule;
    }

    /**
     * @return datagrams the socket could not send (full send buffer).
     */
    public long sendDrops()
    {
        return socket.sendDrops();
    }

    @Override
    public void onClose()
    {
        socket.close();
    }

    @Override
    public void onSlotTimer(final int slot, final long now)
    {
        switch (states[slot])
        {
            case INVITING:
            case BYEING:
            case REGISTERING:
            case OPTIONING:
                if (now - transactionNs[slot] >= timeoutNs)
                {
                    fail(slot, GeneratorStats.TIMEOUTS);
                }
                else
                {
                    stats.increment(GeneratorStats.RETRANSMISSIONS);
                    resend(slot);
                    final long interval = states[slot] == INVITING ?
                        intervalNs[slot] * 2 : Math.min(intervalNs[slot] * 2, t2Ns);
                    intervalNs[slot] = interval;
                    timers.schedule(slot, Math.min(now + interval, transactionNs[slot] + timeoutNs));
                }
                break;
            case PROCEEDING:
                fail(slot, GeneratorStats.TIMEOUTS);
                break;
            case HOLDING:
                states[slot] = BYEING;
                beginTransaction(slot, now);
                sendRecord(slot, nextHopOf(slot));
                break;
            default:
                break;
        }
    }

    private void start(final long number)
    {
        final int slot = (int)(number & mask);
        final int second = second(nowNs);
        if (states[slot] != FREE)
        {
            stats.onStarted(second);
            stats.onFailed(GeneratorStats.GENERATOR_FULL, second);
            return;
        }
        stats.onStarted(second);
        active++;
        numbers[slot] = number;
        intendedNs[slot] = schedule.intendedStartNs(number);
        cseqs[slot] = 1;
        beginTransaction(slot, nowNs);
        switch (settings.workload().of(number))
        {
            case CALLS:
                states[slot] = INVITING;
                sendInvite(number);
                break;
            case REGISTER:
                states[slot] = REGISTERING;
                sendRegister(number);
                break;
            default:
                states[slot] = OPTIONING;
                sendOptions(number);
                break;
        }
    }

    private void beginTransaction(final int slot, final long now)
    {
        transactionNs[slot] = now;
        intervalNs[slot] = t1Ns;
        timers.schedule(slot, now + t1Ns);
    }

    private void resend(final int slot)
    {
        final long number = numbers[slot];
        switch (states[slot])
        {
            case INVITING:
                sendInvite(number);
                break;
            case REGISTERING:
                if (recordOf[slot] != RecordPool.NONE)
                {
                    sendRecord(slot, nextHop);
                }
                else
                {
                    sendRegister(number);
                }
                break;
            case OPTIONING:
                sendOptions(number);
                break;
            default:
                sendRecord(slot, nextHopOf(slot));
                break;
        }
    }

    private void onDatagram(final int length)
    {
        final UnsafeBuffer buffer = socket.receiveBuffer();
        if (decoder.wrap(buffer, 0, length) != SipMessageDecoder.OK || decoder.isRequest())
        {
            stats.increment(GeneratorStats.UNMATCHED);
            return;
        }
        final long number = CallIds.parse(buffer, decoder.callIdOffset(), decoder.callIdLength(), settings.run());
        if (number == CallIds.NONE)
        {
            stats.increment(GeneratorStats.UNMATCHED);
            return;
        }
        final int slot = (int)(number & mask);
        final boolean live = numbers[slot] == number && states[slot] != FREE;
        final int status = decoder.statusCode();
        switch (decoder.cseqMethod())
        {
            case SipMethod.INVITE:
                onInviteResponse(slot, number, live, status);
                break;
            case SipMethod.BYE:
                if (live && states[slot] == BYEING && status >= 200)
                {
                    stats.recordLatencyNs(GeneratorStats.BYE, nowNs - transactionNs[slot]);
                    finish(slot, status);
                }
                break;
            case SipMethod.REGISTER:
                // A late answer to the first REGISTER (a retransmission challenged again) is not the answer to the
                // one with credentials.
                if (live && states[slot] == REGISTERING && status >= 200 && decoder.cseqNumber() == cseqs[slot])
                {
                    onRegisterResponse(slot, number, status);
                }
                break;
            case SipMethod.OPTIONS:
                if (live && states[slot] == OPTIONING && status >= 200)
                {
                    stats.recordLatencyNs(GeneratorStats.OPTIONS, nowNs - intendedNs[slot]);
                    finish(slot, status);
                }
                break;
            default:
                stats.increment(GeneratorStats.UNMATCHED);
                break;
        }
    }

    private void onInviteResponse(final int slot, final long number, final boolean live, final int status)
    {
        if (status < 200)
        {
            if (live && states[slot] == INVITING)
            {
                states[slot] = PROCEEDING;
                timers.schedule(slot, transactionNs[slot] + timeoutNs);
            }
            return;
        }
        if (status >= 300)
        {
            sendNon2xxAck(number);
            if (live && (states[slot] == INVITING || states[slot] == PROCEEDING))
            {
                reject(slot, status);
            }
            return;
        }
        final int routes = collectRoutes();
        final InetSocketAddress hop = inDialogHop(routes);
        sendInDialog(number, "ACK", 1, "a", routes, socket.sendBuffer(), 0, socket.sendBuffer().capacity());
        socket.send(writer.length(), hop);
        stats.increment(GeneratorStats.SENT);
        if (!live || (states[slot] != INVITING && states[slot] != PROCEEDING))
        {
            return;
        }
        stats.increment(GeneratorStats.ESTABLISHED);
        stats.recordLatencyNs(GeneratorStats.SETUP, nowNs - intendedNs[slot]);
        stats.recordLatencyNs(GeneratorStats.INVITE, nowNs - transactionNs[slot]);
        final int record = records.allocate();
        if (record == RecordPool.NONE)
        {
            fail(slot, GeneratorStats.GENERATOR_FULL);
            return;
        }
        recordOf[slot] = record;
        final int offset = records.messageOffset(record);
        sendInDialog(number, "BYE", 2, "b", routes, records.buffer(), offset, offset + records.maxMessageBytes());
        if (writer.isOverflow())
        {
            fail(slot, GeneratorStats.GENERATOR_FULL);
            return;
        }
        records.length(record, writer.length());
        inDialogHops[slot] = hop;
        states[slot] = HOLDING;
        timers.schedule(slot, nowNs + holdNs);
    }

    private void onRegisterResponse(final int slot, final long number, final int status)
    {
        if ((status == 401 || status == 407) && cseqs[slot] == 1)
        {
            final int header = decoder.firstIndexOf(status == 401 ? HeaderName.WWW_AUTHENTICATE :
                HeaderName.PROXY_AUTHENTICATE);
            if (header >= 0 && answerChallenge(slot, number, status, header))
            {
                return;
            }
        }
        if (status < 300)
        {
            stats.recordLatencyNs(GeneratorStats.REGISTER, nowNs - intendedNs[slot]);
        }
        finish(slot, status);
    }

    private boolean answerChallenge(final int slot, final long number, final int status, final int firstHeader)
    {
        final int headerId = status == 401 ? HeaderName.WWW_AUTHENTICATE : HeaderName.PROXY_AUTHENTICATE;
        int header = firstHeader;
        while (header >= 0 &&
            !digest.wrapChallenge(decoder.buffer(), decoder.valueOffset(header), decoder.valueLength(header)))
        {
            header = decoder.nextIndexOf(headerId, header);
        }
        if (header < 0)
        {
            return false;
        }
        final int record = records.allocate();
        if (record == RecordPool.NONE)
        {
            fail(slot, GeneratorStats.GENERATOR_FULL);
            return true;
        }
        recordOf[slot] = record;
        cseqs[slot] = 2;
        final int offset = records.messageOffset(record);
        writer.wrap(records.buffer(), offset, offset + records.maxMessageBytes());
        writeRegisterHead(number, 2);
        writer.ascii(status == 401 ? "Authorization: " : "Proxy-Authorization: ");
        digest.writeAuthorization(writer, settings.user(number), "REGISTER", registrarUri);
        writer.ascii("\r\nContent-Length: 0\r\n\r\n");
        if (writer.isOverflow())
        {
            fail(slot, GeneratorStats.GENERATOR_FULL);
            return true;
        }
        records.length(record, writer.length());
        stats.increment(GeneratorStats.CHALLENGES);
        beginTransaction(slot, nowNs);
        sendRecord(slot, nextHop);
        return true;
    }

    private void finish(final int slot, final int status)
    {
        if (status >= 200 && status < 300)
        {
            release(slot);
            stats.onSucceeded(second(nowNs), second(intendedNs[slot]));
        }
        else
        {
            reject(slot, status);
        }
    }

    private void reject(final int slot, final int status)
    {
        release(slot);
        stats.onRejected(status, second(nowNs));
    }

    private void fail(final int slot, final int reason)
    {
        release(slot);
        stats.onFailed(reason, second(nowNs));
    }

    private void release(final int slot)
    {
        timers.cancel(slot);
        if (recordOf[slot] != RecordPool.NONE)
        {
            records.release(recordOf[slot]);
            recordOf[slot] = RecordPool.NONE;
        }
        states[slot] = FREE;
        active--;
    }

    private int second(final long now)
    {
        return (int)((now - runStartNs) / 1_000_000_000L);
    }

    private InetSocketAddress nextHopOf(final int slot)
    {
        return inDialogHops[slot];
    }

    /**
     * Where the in-dialog requests of the 2xx being handled go: the host and port of the first Route (the last
     * Record-Route) when it names the next hop's host, which is how a proxy steers a dialog to one of its sockets;
     * the next hop itself for any other route; the UAS when there is no route set.
     */
    private InetSocketAddress inDialogHop(final int routes)
    {
        if (routes == 0)
        {
            return uas;
        }
        final int index = routeIndexes[routes - 1];
        if (!routeAddr.wrap(decoder.buffer(), decoder.valueOffset(index), decoder.valueLength(index)) ||
            !routeUri.wrap(decoder.buffer(), routeAddr.uriOffset(), routeAddr.uriLength()) ||
            !SipBytes.equalsExact(decoder.buffer(), routeUri.hostOffset(), routeUri.hostLength(), nextHopHost))
        {
            return nextHop;
        }
        final int port = routeUri.port() < 0 ? 5060 : routeUri.port();
        if (port == nextHop.getPort())
        {
            return nextHop;
        }
        InetSocketAddress hop = hopsByPort.get(port);
        if (hop == null)
        {
            hop = new InetSocketAddress(nextHop.getAddress(), port);
            hopsByPort.put(port, hop);
        }
        return hop;
    }

    private void sendRecord(final int slot, final InetSocketAddress destination)
    {
        final int record = recordOf[slot];
        socket.send(records.buffer(), records.messageOffset(record), records.length(record), destination);
        stats.increment(GeneratorStats.SENT);
    }

    private void sendInvite(final long number)
    {
        final UnsafeBuffer buffer = socket.sendBuffer();
        writer.wrap(buffer, 0, buffer.capacity())
            .ascii("INVITE ").ascii(uasUri).ascii(" SIP/2.0\r\n");
        writeVia(number, "i", 1);
        writer.ascii("Max-Forwards: 70\r\nFrom: <sip:uac@").ascii(local).ascii(">;tag=").number(number)
            .ascii("\r\nTo: <").ascii(uasUri).ascii(">\r\nCall-ID: ");
        CallIds.write(writer, number, settings.run());
        writer.ascii("\r\nCSeq: 1 INVITE\r\nContact: <sip:uac@").ascii(local)
            .ascii(">\r\nContent-Type: application/sdp\r\nContent-Length: ").number(SDP.length())
            .ascii("\r\n\r\n").ascii(SDP);
        socket.send(writer.length(), nextHop);
        stats.increment(GeneratorStats.SENT);
    }

    private void sendNon2xxAck(final long number)
    {
        final UnsafeBuffer buffer = socket.sendBuffer();
        writer.wrap(buffer, 0, buffer.capacity())
            .ascii("ACK ").ascii(uasUri).ascii(" SIP/2.0\r\n");
        writeVia(number, "i", 1);
        writer.ascii("Max-Forwards: 70\r\nFrom: <sip:uac@").ascii(local).ascii(">;tag=").number(number)
            .ascii("\r\nTo: ");
        copyFirst(HeaderName.TO);
        writer.ascii("\r\nCall-ID: ");
        CallIds.write(writer, number, settings.run());
        writer.ascii("\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        socket.send(writer.length(), nextHop);
        stats.increment(GeneratorStats.SENT);
    }

    private void sendRegister(final long number)
    {
        final UnsafeBuffer buffer = socket.sendBuffer();
        writer.wrap(buffer, 0, buffer.capacity());
        writeRegisterHead(number, 1);
        writer.ascii("Content-Length: 0\r\n\r\n");
        socket.send(writer.length(), nextHop);
        stats.increment(GeneratorStats.SENT);
    }

    private void writeRegisterHead(final long number, final int cseq)
    {
        writer.ascii("REGISTER ").ascii(registrarUri).ascii(" SIP/2.0\r\n");
        writeVia(number, "r", cseq);
        final long user = settings.user(number);
        writer.ascii("Max-Forwards: 70\r\nFrom: <sip:u").number(user).ascii("@").ascii(settings.domain())
            .ascii(">;tag=").number(number).ascii("\r\nTo: <sip:u").number(user).ascii("@")
            .ascii(settings.domain()).ascii(">\r\nCall-ID: ");
        CallIds.write(writer, number, settings.run());
        writer.ascii("\r\nCSeq: ").number(cseq).ascii(" REGISTER\r\nContact: <sip:u").number(user).ascii("@")
            .ascii(local).ascii(">\r\nExpires: 3600\r\n");
    }

    private void sendOptions(final long number)
    {
        final UnsafeBuffer buffer = socket.sendBuffer();
        writer.wrap(buffer, 0, buffer.capacity())
            .ascii("OPTIONS ").ascii(uasUri).ascii(" SIP/2.0\r\n");
        writeVia(number, "o", 1);
        writer.ascii("Max-Forwards: 70\r\nFrom: <sip:uac@").ascii(local).ascii(">;tag=").number(number)
            .ascii("\r\nTo: <").ascii(uasUri).ascii(">\r\nCall-ID: ");
        CallIds.write(writer, number, settings.run());
        writer.ascii("\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        socket.send(writer.length(), nextHop);
        stats.increment(GeneratorStats.SENT);
    }

    private void writeVia(final long number, final String kind, final int cseq)
    {
        writer.ascii("Via: SIP/2.0/UDP ").ascii(local).ascii(";branch=z9hG4bK").number(number).ascii(kind)
            .number(cseq).ascii("x").number(settings.run()).ascii(";rport\r\n");
    }

    /**
     * @return Record-Route values of the response being handled, their indexes in {@link #routeIndexes}.
     */
    private int collectRoutes()
    {
        int count = 0;
        for (int i = decoder.firstIndexOf(HeaderName.RECORD_ROUTE); i >= 0 && count < MAX_ROUTES;
            i = decoder.nextIndexOf(HeaderName.RECORD_ROUTE, i))
        {
            routeIndexes[count++] = i;
        }
        return count;
    }

    /**
     * Write an in-dialog request of the UAC from the 2xx being handled: Request-URI from its Contact, Route from its
     * Record-Route in reverse, To (with the tag) copied.
     */
    private void sendInDialog(
        final long number,
        final String method,
        final int cseq,
        final String kind,
        final int routes,
        final UnsafeBuffer buffer,
        final int offset,
        final int limit)
    {
        writer.wrap(buffer, offset, limit).ascii(method).ascii(" ");
        final int contact = decoder.firstIndexOf(HeaderName.CONTACT);
        if (contact >= 0 &&
            nameAddr.wrap(decoder.buffer(), decoder.valueOffset(contact), decoder.valueLength(contact)))
        {
            writer.bytes(decoder.buffer(), nameAddr.uriOffset(), nameAddr.uriLength());
        }
        else
        {
            writer.ascii(uasUri);
        }
        writer.ascii(" SIP/2.0\r\n");
        writeVia(number, kind, cseq);
        for (int r = routes - 1; r >= 0; r--)
        {
            final int index = routeIndexes[r];
            writer.ascii("Route: ").bytes(decoder.buffer(), decoder.valueOffset(index), decoder.valueLength(index))
                .crlf();
        }
        writer.ascii("Max-Forwards: 70\r\nFrom: <sip:uac@").ascii(local).ascii(">;tag=").number(number)
            .ascii("\r\nTo: ");
        copyFirst(HeaderName.TO);
        writer.ascii("\r\nCall-ID: ");
        CallIds.write(writer, number, settings.run());
        writer.ascii("\r\nCSeq: ").number(cseq).ascii(" ").ascii(method).ascii("\r\nContent-Length: 0\r\n\r\n");
    }

    private void copyFirst(final int headerId)
    {
        final int index = decoder.firstIndexOf(headerId);
        if (index >= 0)
        {
            writer.bytes(decoder.buffer(), decoder.valueOffset(index), decoder.valueLength(index));
        }
    }
}
