package io.corral.jmh;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.transaction.TransactionLayer;
import io.corral.engine.sip.transaction.TransactionResult;
import io.corral.engine.sip.transaction.TransactionSettings;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The linger ring through the transaction layer. {@code lingerAndExpire}: a new BYE starts a non-INVITE server
 * transaction, its 200 completes it and the next poll moves it to the ring, while the poll also drops the entry that
 * expired (T1 of 10 ms, so timer J is 640 ms and the clock advances 1 ms an operation: ~640 entries live).
 * {@code absorbFromRing}: a retransmitted BYE matches one of 1,024 lingering entries and is answered with its stored
 * 200. Each operation of the first is a new transaction's whole life in the table and its move to the ring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LingerRingBenchmark
{
    private static final int MESSAGES = 1024;

    private final SipMessageDecoder[] requests = new SipMessageDecoder[MESSAGES];
    private final UnsafeBuffer[] responses = new UnsafeBuffer[MESSAGES];
    private final int[] responseLengths = new int[MESSAGES];
    private TransactionLayer churn;
    private TransactionLayer lingering;
    private long nowMs = 1_000_000;
    private int next;

    /**
     * Decode the BYEs, build their 200s and let the second layer's transactions linger.
     */
    @Setup
    public void setUp()
    {
        final TransactionSettings settings = new TransactionSettings().t1Ms(10).t2Ms(40).capacity(1 << 12)
            .smallSlots(1 << 12).slots(64).lingerBytes(1 << 22).lingerEntries(1 << 14);
        churn = TransactionFixture.layer(settings, nowMs);
        lingering = TransactionFixture.layer(new TransactionSettings().capacity(1 << 12).smallSlots(1 << 12).slots(64)
            .lingerBytes(1 << 22).lingerEntries(1 << 14), nowMs);
        for (int i = 0; i < MESSAGES; i++)
        {
            requests[i] = TransactionFixture.bye("bench-" + i, i);
            responses[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
            responseLengths[i] = responses[i].putStringWithoutLengthAscii(0, "SIP/2.0 200 OK\r\n" +
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKbench-" + i + ";rport=5060;received=192.0.2.10\r\n" +
                "From: <sip:alice@example.com>;tag=a" + i + "\r\nTo: <sip:bob@example.com>;tag=b" + i + "\r\n" +
                "Call-ID: bench-" + i + "@192.0.2.10\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
            if (lingering.onRequest(requests[i], 1, TransportProtocol.UDP, 0, nowMs) != TransactionResult.NEW)
            {
                throw new IllegalStateException("not a new transaction");
            }
            lingering.respond(lingering.transactionId(), responses[i], 0, responseLengths[i], 200, nowMs);
        }
        lingering.poll(nowMs + 1);
        if (lingering.lingeringCount() != MESSAGES || lingering.activeCount() != 0)
        {
            throw new IllegalStateException("not lingering: " + lingering.lingeringCount());
        }
    }

    /**
     * Free the rings.
     */
    @TearDown
    public void tearDown()
    {
        churn.close();
        lingering.close();
    }

    /**
     * @return the poll's work count, for JMH to consume.
     */
    @Benchmark
    public int lingerAndExpire()
    {
        final int i = next;
        next = (next + 1) & (MESSAGES - 1);
        nowMs++;
        if (churn.onRequest(requests[i], 1, TransportProtocol.UDP, 0, nowMs) != TransactionResult.NEW)
        {
            throw new IllegalStateException("not a new transaction");
        }
        churn.respond(churn.transactionId(), responses[i], 0, responseLengths[i], 200, nowMs);
        return churn.poll(nowMs);
    }

    /**
     * @return the layer's result, for JMH to consume.
     */
    @Benchmark
    public int absorbFromRing()
    {
        final SipMessageDecoder request = requests[next];
        next = (next + 1) & (MESSAGES - 1);
        final int result = lingering.onRequest(request, 1, TransportProtocol.UDP, 0, 1_000_002);
        if (result != TransactionResult.RETRANSMISSION_ABSORBED)
        {
            throw new IllegalStateException("retransmission not matched: " + result);
        }
        return result;
    }
}
