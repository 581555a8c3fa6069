package io.corral.perf.gen;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The generator's user agent server. An INVITE is answered 180 then 200 (Record-Route copied, so in-dialog requests
 * come back through a record-routing proxy); the 200 is kept and resent on timer G (T1 doubling up to T2) and on
 * every retransmitted INVITE until its ACK arrives or 64*T1 passes. BYE, OPTIONS, CANCEL and REGISTER are answered
 * 200 statelessly (a retransmission gets the same answer). With {@code challenge}, a REGISTER without credentials is
 * answered 401 (credentials are not checked: this side only measures the generator). Responses go to the datagram's
 * source, which is the proxy when there is one.
 */
public final class Uas implements Agent, SlotTimers.Handler
{
    private static final int RECEIVE_BATCH = 64;
    private static final int TIMER_BATCH = 256;
    private static final int RECORD_BYTES = 1536;
    private static final long MISSING = -1;
    private static final String SDP = "v=0\r\no=uas 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio 40002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private final GeneratorStats stats;
    private final UdpSocket socket;
    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();
    private final SipWriter writer = new SipWriter();
    private final RecordPool records;
    private final SlotTimers timers;
    private final Long2LongHashMap recordByCall;
    private final long[] callOfRecord;
    private final long[] transactionNs;
    private final long[] intervalNs;
    private final SocketAddress[] destinations;
    private final int run;
    private final boolean challenge;
    private final long t1Ns;
    private final long t2Ns;
    private final String contact;

    /**
     * @param run       the run's tag (Call-IDs of other runs are answered without state).
     * @param t1Ms      RFC 3261 T1.
     * @param t2Ms      RFC 3261 T2.
     * @param challenge answer a REGISTER without credentials 401.
     * @param pending   most INVITEs awaiting their ACK at once.
     * @param stats     where counts go.
     * @param bind      local address (port 0: any).
     */
    public Uas(
        final int run,
        final long t1Ms,
        final long t2Ms,
        final boolean challenge,
        final int pending,
        final GeneratorStats stats,
        final InetSocketAddress bind)
    {
        this.run = run;
        this.challenge = challenge;
        this.stats = stats;
        t1Ns = t1Ms * 1_000_000L;
        t2Ns = t2Ms * 1_000_000L;
        socket = new UdpSocket(bind);
        records = new RecordPool(pending, RECORD_BYTES);
        timers = new SlotTimers(pending, System.nanoTime());
        recordByCall = new Long2LongHashMap(pending * 2, 0.65f, MISSING);
        callOfRecord = new long[pending];
        transactionNs = new long[pending];
        intervalNs = new long[pending];
        destinations = new SocketAddress[pending];
        contact = "<sip:uas@" + bind.getAddress().getHostAddress() + ":" + socket.localAddress().getPort() + ">";
    }

    /**
     * @return the address the UAS listens on.
     */
    public InetSocketAddress localAddress()
    {
        return socket.localAddress();
    }

    @Override
    public String roleName()
    {
        return "lab-uas";
    }

    @Override
    public int doWork()
    {
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
        if (timers.pending() > 0)
        {
            work += timers.poll(System.nanoTime(), this, TIMER_BATCH);
        }
        return work;
    }

    @Override
    public void onClose()
    {
        socket.close();
    }

    @Override
    public void onSlotTimer(final int record, final long nowNs)
    {
        if (nowNs - transactionNs[record] >= 64 * t1Ns)
        {
            stats.increment(GeneratorStats.TIMEOUTS);
            release(record);
            return;
        }
        stats.increment(GeneratorStats.RETRANSMISSIONS);
        sendRecord(record);
        intervalNs[record] = Math.min(intervalNs[record] * 2, t2Ns);
        timers.schedule(record, Math.min(nowNs + intervalNs[record], transactionNs[record] + 64 * t1Ns));
    }

    private void onDatagram(final int length)
    {
        final UnsafeBuffer buffer = socket.receiveBuffer();
        if (decoder.wrap(buffer, 0, length) != SipMessageDecoder.OK || !decoder.isRequest())
        {
            stats.increment(GeneratorStats.UNMATCHED);
            return;
        }
        final long number = CallIds.parse(buffer, decoder.callIdOffset(), decoder.callIdLength(), run);
        switch (decoder.method())
        {
            case SipMethod.INVITE:
                onInvite(number);
                break;
            case SipMethod.ACK:
                final long record = number == CallIds.NONE ? MISSING : recordByCall.get(number);
                if (record != MISSING)
                {
                    stats.increment(GeneratorStats.SUCCEEDED);
                    release((int)record);
                }
                break;
            case SipMethod.REGISTER:
                if (challenge && decoder.firstIndexOf(HeaderName.AUTHORIZATION) < 0)
                {
                    stats.increment(GeneratorStats.CHALLENGES);
                    reply(401, "Unauthorized", number, false);
                }
                else
                {
                    reply(200, "OK", number, false);
                }
                break;
            default:
                reply(200, "OK", number, false);
                break;
        }
    }

    private void onInvite(final long number)
    {
        final long known = number == CallIds.NONE ? MISSING : recordByCall.get(number);
        if (known != MISSING)
        {
            stats.increment(GeneratorStats.RETRANSMISSIONS);
            sendRecord((int)known);
            return;
        }
        stats.increment(GeneratorStats.STARTED);
        reply(180, "Ringing", number, true);
        final int record = number == CallIds.NONE ? RecordPool.NONE : records.allocate();
        if (record == RecordPool.NONE)
        {
            stats.increment(GeneratorStats.GENERATOR_FULL);
            reply(200, "OK", number, true);
            return;
        }
        final int offset = records.messageOffset(record);
        writeResponse(200, "OK", number, true, records.buffer(), offset, offset + records.maxMessageBytes());
        if (writer.isOverflow())
        {
            records.release(record);
            stats.increment(GeneratorStats.GENERATOR_FULL);
            return;
        }
        records.length(record, writer.length());
        callOfRecord[record] = number;
        destinations[record] = socket.lastSource();
        recordByCall.put(number, record);
        final long nowNs = System.nanoTime();
        transactionNs[record] = nowNs;
        intervalNs[record] = t1Ns;
        timers.schedule(record, nowNs + t1Ns);
        sendRecord(record);
    }

    private void release(final int record)
    {
        timers.cancel(record);
        recordByCall.remove(callOfRecord[record]);
        destinations[record] = null;
        records.release(record);
    }

    private void sendRecord(final int record)
    {
        socket.send(records.buffer(), records.messageOffset(record), records.length(record), destinations[record]);
        stats.increment(GeneratorStats.SENT);
    }

    private void reply(final int status, final String reason, final long number, final boolean dialog)
    {
        final UnsafeBuffer buffer = socket.sendBuffer();
        writeResponse(status, reason, number, dialog, buffer, 0, buffer.capacity());
        if (!writer.isOverflow())
        {
            socket.send(writer.length(), socket.lastSource());
            stats.increment(GeneratorStats.SENT);
        }
    }

    private void writeResponse(
        final int status,
        final String reason,
        final long number,
        final boolean dialog,
        final UnsafeBuffer buffer,
        final int offset,
        final int limit)
    {
        writer.wrap(buffer, offset, limit).ascii("SIP/2.0 ").number(status).ascii(" ").ascii(reason).crlf();
        copyAll("Via: ", HeaderName.VIA);
        if (dialog)
        {
            copyAll("Record-Route: ", HeaderName.RECORD_ROUTE);
        }
        copyAll("From: ", HeaderName.FROM);
        final int to = decoder.firstIndexOf(HeaderName.TO);
        if (to >= 0)
        {
            writer.ascii("To: ").bytes(decoder.buffer(), decoder.valueOffset(to), decoder.valueLength(to));
            if (nameAddr.wrap(decoder.buffer(), decoder.valueOffset(to), decoder.valueLength(to)) &&
                !nameAddr.hasTag())
            {
                writer.ascii(";tag=uas").number(Math.max(0, number));
            }
            writer.crlf();
        }
        copyAll("Call-ID: ", HeaderName.CALL_ID);
        copyAll("CSeq: ", HeaderName.CSEQ);
        if (status == 401)
        {
            writer.ascii("WWW-Authenticate: Digest realm=\"corral-lab\", nonce=\"").number(Math.max(0, number))
                .ascii("\", qop=\"auth\", algorithm=MD5\r\n");
        }
        if (decoder.method() == SipMethod.REGISTER && status == 200)
        {
            copyAll("Contact: ", HeaderName.CONTACT);
        }
        if (dialog)
        {
            writer.ascii("Contact: ").ascii(contact).crlf();
        }
        if (dialog && status == 200)
        {
            writer.ascii("Content-Type: application/sdp\r\nContent-Length: ").number(SDP.length()).ascii("\r\n\r\n")
                .ascii(SDP);
        }
        else
        {
            writer.ascii("Content-Length: 0\r\n\r\n");
        }
    }

    private void copyAll(final String name, final int headerId)
    {
        for (int i = decoder.firstIndexOf(headerId); i >= 0; i = decoder.nextIndexOf(headerId, i))
        {
            writer.ascii(name).bytes(decoder.buffer(), decoder.valueOffset(i), decoder.valueLength(i)).crlf();
        }
    }
}
