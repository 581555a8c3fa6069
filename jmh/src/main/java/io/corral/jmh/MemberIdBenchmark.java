package io.corral.jmh;

import io.corral.engine.proxy.MemberIdCodec;
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

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Member-id encoding: write the Via branch that carries this member's id (every forwarded request), and read the
 * id back from a branch (every response).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MemberIdBenchmark
{
    private final UnsafeBuffer branch = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private long unique;

    /**
     * @return the branch length, for JMH to consume.
     */
    @Benchmark
    public int writeBranch()
    {
        return MemberIdCodec.writeBranch(branch, 0, 7, 0x5EED_1234, unique++);
    }

    /**
     * @return the member id, for JMH to consume.
     */
    @Benchmark
    public int writeAndReadBranch()
    {
        MemberIdCodec.writeBranch(branch, 0, 7, 0x5EED_1234, unique++);
        return MemberIdCodec.memberIdOfBranch(branch, 0, MemberIdCodec.BRANCH_LENGTH);
    }
}
