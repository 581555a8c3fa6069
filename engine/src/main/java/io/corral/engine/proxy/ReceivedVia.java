package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipParameters;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The top Via value of a request as the server that received it must echo it in the responses it originates
 * (RFC 3261 §18.2.1, RFC 3581 §4): a bare {@code rport} gets the source port, and {@code received} the source address
 * when {@code rport} was asked for or the sent-by host is not that address (a stale {@code received} is replaced).
 * The same rule as {@link ForwardingEditor} applies when it forwards the request. A UA behind a NAT learns its public
 * address from these, e.g. from the answer to its REGISTER. Allocation-free; one instance per user; not thread-safe.
 */
public final class ReceivedVia
{
    /** Longest edited value; a longer top Via is left as it is. */
    public static final int CAPACITY = 2048;

    private static final byte[] RECEIVED = ";received=".getBytes(StandardCharsets.US_ASCII);
    // "=65535" and ";received=" with the longest IPv6 text.
    private static final int MAX_ADDED = 6 + 10 + 45;

    private final ViaDecoder via = new ViaDecoder();
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[CAPACITY]);
    private int length;

    /**
     * Write the request's top Via value with {@code rport} and {@code received} filled in.
     *
     * @param request the decoded request.
     * @param source  where it came from.
     * @return the length of the edited value in {@link #buffer()}, or -1 when it needs no change (no rport asked for
     * and sent from its sent-by host) or cannot be edited (no usable top Via, unknown source, too long).
     */
    public int fill(final SipMessageDecoder request, final PeerAddress source)
    {
        final int index = request.firstIndexOf(HeaderName.VIA);
        if (index < 0 || source.family() == PeerAddress.NONE)
        {
            return -1;
        }
        final DirectBuffer src = request.buffer();
        final int valueOffset = request.valueOffset(index);
        final int valueLength = request.valueLength(index);
        final int valueEnd = valueOffset + valueLength;
        if (valueLength > CAPACITY - MAX_ADDED || !via.wrap(src, valueOffset, valueLength))
        {
            return -1;
        }
        final boolean bareRport = via.rport() == ViaDecoder.RPORT_NO_VALUE;
        final boolean needReceived = bareRport || !source.sameHost(src, via.hostOffset(), via.hostLength());
        if (!needReceived)
        {
            return -1;
        }
        final SipParameters parameters = via.parameters();
        final int rportAt = bareRport ?
            parameters.nameOffset(via.rportIndex()) + parameters.nameLength(via.rportIndex()) : Integer.MAX_VALUE;
        final int receivedAt = via.hasReceived() ? via.receivedOffset() : Integer.MAX_VALUE;
        length = 0;
        int from = valueOffset;
        if (rportAt < receivedAt)
        {
            from = copyThenRport(src, from, rportAt, source);
        }
        if (receivedAt != Integer.MAX_VALUE)
        {
            copy(src, from, receivedAt);
            if (!host(source))
            {
                return -1;
            }
            from = receivedAt + via.receivedLength();
        }
        if (rportAt > receivedAt && rportAt != Integer.MAX_VALUE)
        {
            from = copyThenRport(src, from, rportAt, source);
        }
        copy(src, from, valueEnd);
        if (receivedAt == Integer.MAX_VALUE)
        {
            value.putBytes(length, RECEIVED);
            length += RECEIVED.length;
            if (!host(source))
            {
                return -1;
            }
        }
        return length;
    }

    /**
     * @return the value written by the last {@link #fill}, from offset 0.
     */
    public DirectBuffer buffer()
    {
        return value;
    }

    private int copyThenRport(final DirectBuffer src, final int from, final int rportAt, final PeerAddress source)
    {
        copy(src, from, rportAt);
        value.putByte(length++, (byte)'=');
        length += value.putNaturalIntAscii(length, source.port());
        return rportAt;
    }

    private void copy(final DirectBuffer src, final int from, final int to)
    {
        value.putBytes(length, src, from, to - from);
        length += to - from;
    }

    private boolean host(final PeerAddress source)
    {
        final int written = source.writeHost(value, length, false);
        length += Math.max(0, written);
        return written >= 0;
    }
}
