package io.corral.jmh;

import org.agrona.DirectBuffer;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Consumes every field into a JMH {@link Blackhole}, so the JIT cannot drop the code that produced it.
 */
final class BlackholeSink implements FieldSink
{
    private Blackhole blackhole;

    BlackholeSink use(final Blackhole blackhole)
    {
        this.blackhole = blackhole;
        return this;
    }

    public void onObject(final int field, final Object value)
    {
        blackhole.consume(value);
    }

    public void onRange(final int field, final DirectBuffer buffer, final int offset, final int length)
    {
        blackhole.consume(offset);
        blackhole.consume(length);
    }

    public void onNumber(final int field, final long value)
    {
        blackhole.consume(value);
    }
}
