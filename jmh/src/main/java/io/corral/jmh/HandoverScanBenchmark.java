package io.corral.jmh;

import io.corral.engine.sip.codec.CallIdLocator;
import io.corral.engine.sip.codec.SipMessageDecoder;
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
 * What a SIP agent pays to learn which agent owns a datagram it read: locating the Call-ID (what it does now before
 * a hand-over) against decoding the whole message (what it did before), on the typical INVITE.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HandoverScanBenchmark
{
    private final UnsafeBuffer received = InviteFixture.loadDirect();
    private final SipMessageDecoder decoder = new SipMessageDecoder();

    /**
     * @return the located Call-ID, for JMH to consume.
     */
    @Benchmark
    public long locateCallId()
    {
        return CallIdLocator.locate(received, 0, received.capacity());
    }

    /**
     * @return the Call-ID's offset from a full decode, for JMH to consume.
     */
    @Benchmark
    public int decodeForCallId()
    {
        decoder.wrap(received, 0, received.capacity());
        return decoder.callIdOffset();
    }
}
