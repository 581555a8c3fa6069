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

import java.util.concurrent.TimeUnit;

/**
 * Point the SDP of a typical INVITE at the media relay: rewrite the {@code c=} address and the {@code m=} port
 * and produce the new body.
 * One method per parser, same message, same work; see docs/performance.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SdpRewriteBenchmark
{
    private final byte[] message = InviteFixture.load();
    private final JainSipCodec jainSip = new JainSipCodec();
    private final PktsCodec pkts = new PktsCodec();
    private final UnsafeBuffer received = InviteFixture.loadDirect();
    private final UnsafeBuffer output = InviteFixture.outputBuffer();
    private final CorralCodec corral = new CorralCodec();

    /**
     * @return the result, for JMH to consume.
     * @throws Exception if JAIN-SIP fails.
     */
    @Benchmark
    public byte[] jainSip() throws Exception
    {
        return jainSip.rewriteSdp(message);
    }

    /**
     * @return the result, for JMH to consume.
     * @throws Exception if pkts fails.
     */
    @Benchmark
    public Buffer pkts() throws Exception
    {
        return pkts.rewriteSdp(message);
    }

    /**
     * @return the length of the rewritten body, for JMH to consume.
     */
    @Benchmark
    public int corral()
    {
        return corral.rewriteSdp(received, 0, received.capacity(), output);
    }
}
