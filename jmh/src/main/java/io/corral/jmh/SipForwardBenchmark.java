package io.corral.jmh;

import io.pkts.buffer.Buffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Decode a typical INVITE, then produce the forwarded bytes: push this proxy's Via, decrement Max-Forwards,
 * add a Record-Route.
 * One method per parser, same message, same work; see docs/performance.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SipForwardBenchmark
{
    private final byte[] message = InviteFixture.load();
    private final BlackholeSink sink = new BlackholeSink();
    private final JainSipCodec jainSip = new JainSipCodec();
    private final PktsCodec pkts = new PktsCodec();
    private final UnsafeBuffer received = InviteFixture.loadDirect();
    private final UnsafeBuffer output = InviteFixture.outputBuffer();
    private final CorralCodec corral = new CorralCodec();

    /**
     * @param blackhole consumes the decoded fields.
     * @return the result, for JMH to consume.
     * @throws Exception if JAIN-SIP fails.
     */
    @Benchmark
    public byte[] jainSip(final Blackhole blackhole) throws Exception
    {
        return jainSip.forward(message, sink.use(blackhole));
    }

    /**
     * @param blackhole consumes the decoded fields.
     * @return the result, for JMH to consume.
     * @throws Exception if pkts fails.
     */
    @Benchmark
    public Buffer pkts(final Blackhole blackhole) throws Exception
    {
        return pkts.forward(message, sink.use(blackhole));
    }

    /**
     * @param blackhole consumes the decoded fields.
     * @return the length of the message to send, for JMH to consume.
     */
    @Benchmark
    public int corral(final Blackhole blackhole)
    {
        return corral.forward(received, 0, received.capacity(), sink.use(blackhole), output);
    }
}
