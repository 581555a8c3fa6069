package io.corral.jmh;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.transaction.TransactionLayer;
import io.corral.engine.sip.transaction.TransactionResult;
import io.corral.engine.sip.transaction.TransactionSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The transaction table through the transaction layer, with 10,000 live server transactions: insert (a new BYE
 * starts a non-INVITE server transaction), look up (its retransmission is matched and absorbed) and remove (the
 * transaction is released). 1,024 distinct BYEs are decoded once; the benchmark cycles through them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TransactionTableBenchmark
{
    private static final int MESSAGES = 1024;
    private static final int LIVE = 10_000;
    private static final long NOW_MS = 1_000_000;

    private final SipMessageDecoder[] requests = new SipMessageDecoder[MESSAGES];
    private TransactionLayer layer;
    private int next;

    /**
     * Decode the BYEs and fill the table with live transactions.
     */
    @Setup
    public void setUp()
    {
        layer = TransactionFixture.layer(new TransactionSettings().capacity(1 << 15), NOW_MS);
        for (int i = 0; i < MESSAGES; i++)
        {
            requests[i] = TransactionFixture.bye("bench-" + i, i);
        }
        for (int i = 0; i < LIVE; i++)
        {
            layer.onRequest(TransactionFixture.bye("live-" + i, i), 1, TransportProtocol.UDP, 0, NOW_MS);
        }
    }

    /**
     * @return whether the transaction was released, for JMH to consume.
     */
    @Benchmark
    public boolean insertLookupRemove()
    {
        final SipMessageDecoder request = requests[next];
        next = (next + 1) & (MESSAGES - 1);
        if (layer.onRequest(request, 1, TransportProtocol.UDP, 0, NOW_MS) != TransactionResult.NEW)
        {
            throw new IllegalStateException("not a new transaction");
        }
        final long txId = layer.transactionId();
        if (layer.onRequest(request, 1, TransportProtocol.UDP, 0, NOW_MS) != TransactionResult.RETRANSMISSION_ABSORBED)
        {
            throw new IllegalStateException("retransmission not matched");
        }
        return layer.release(txId);
    }
}
