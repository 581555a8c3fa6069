package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drives a {@link TransactionLayer} by hand: a manual clock polled every millisecond, an output that records what
 * was sent and when, a listener that records events, and fixtures from {@code sip/transaction}.
 */
final class TransactionHarness implements TransactionOutput, TransactionListener
{
    static final long REMOTE = 0x0A00_0001_13C4L;
    static final long CONNECTION = 77;

    final List<byte[]> sent = new ArrayList<>();
    final List<Long> sentAtMs = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    /** Transactions the core still needs in full. */
    final Set<Long> held = new HashSet<>();
    final TransactionLayer layer;
    final SipResponseBuilder responseBuilder = new SipResponseBuilder();
    long nowMs;
    boolean failSends;

    TransactionHarness()
    {
        this(new TransactionSettings().capacity(64).lingerBytes(1 << 16).lingerEntries(256), KeyHasher.DEFAULT);
    }

    TransactionHarness(final TransactionSettings settings, final KeyHasher hasher)
    {
        layer = new TransactionLayer(settings, this, this, 0, hasher);
    }

    static UnsafeBuffer fixture(final String name)
    {
        try (InputStream in = TransactionHarness.class.getResourceAsStream("/sip/transaction/" + name))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new UnsafeBuffer(in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static SipMessageDecoder decode(final String name)
    {
        return decode(fixture(name));
    }

    static SipMessageDecoder decode(final DirectBuffer buffer)
    {
        final SipMessageDecoder decoder = new SipMessageDecoder();
        if (decoder.wrap(buffer, 0, buffer.capacity()) != SipMessageDecoder.OK)
        {
            throw new IllegalArgumentException("fixture does not decode: " + decoder.reason());
        }
        return decoder;
    }

    int request(final String name)
    {
        return request(name, TransportProtocol.UDP);
    }

    int request(final String name, final int transport)
    {
        return layer.onRequest(decode(name), REMOTE, transport, CONNECTION, nowMs);
    }

    int response(final String name)
    {
        return layer.onResponse(decode(name), nowMs);
    }

    long startClient(final String name, final int transport)
    {
        final UnsafeBuffer buffer = fixture(name);
        return layer.startClient(buffer, 0, buffer.capacity(), REMOTE, transport, CONNECTION, nowMs);
    }

    /**
     * Answer the request in {@code requestFixture} through {@code txId}, with To tag {@code toTag} (or none).
     */
    boolean respond(final long txId, final String requestFixture, final int status, final String toTag)
    {
        final UnsafeBuffer tag = toTag == null ? null : new UnsafeBuffer(toTag.getBytes(StandardCharsets.US_ASCII));
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[4096]);
        final int length = responseBuilder.buildResponse(decode(requestFixture), status, null, tag, 0,
            tag == null ? -1 : tag.capacity(), dst, 0);
        return layer.respond(txId, dst, 0, length, status, nowMs);
    }

    /**
     * Advance the clock one millisecond at a time to {@code untilMs}, polling at each step.
     */
    void runUntil(final long untilMs)
    {
        while (nowMs < untilMs)
        {
            nowMs++;
            layer.poll(nowMs);
        }
    }

    String lastSent()
    {
        return new String(sent.get(sent.size() - 1), StandardCharsets.US_ASCII);
    }

    List<Long> sendIntervals()
    {
        final List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < sentAtMs.size(); i++)
        {
            intervals.add(sentAtMs.get(i) - sentAtMs.get(i - 1));
        }
        return intervals;
    }

    public boolean send(
        final long remoteId,
        final int transport,
        final long connectionId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (remoteId != REMOTE || connectionId != CONNECTION)
        {
            throw new AssertionError("sent to the wrong destination");
        }
        if (failSends)
        {
            return false;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        sent.add(bytes);
        sentAtMs.add(nowMs);
        return true;
    }

    public void onClientTimeout(final long txId)
    {
        events.add("clientTimeout:" + txId + "@" + nowMs);
    }

    public void onServerTimeout(final long txId)
    {
        events.add("serverTimeout:" + txId + "@" + nowMs);
    }

    public void onTransportError(final long txId)
    {
        events.add("transportError:" + txId);
    }

    public void onTerminated(final long txId)
    {
        events.add("terminated:" + txId + "@" + nowMs);
    }

    public void onTimer(final long cookie)
    {
        events.add("timer:" + cookie + "@" + nowMs);
    }

    public boolean isHeld(final long txId)
    {
        return held.contains(txId);
    }
}
