package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandoverQueueTest
{
    @Test
    void shouldCarryBytesAndDestinationIntactWhenDrained()
    {
        final HandoverQueue queue = new HandoverQueue(4096);
        final UnsafeBuffer invite = TransactionHarness.fixture("invite.sip");
        final UnsafeBuffer framed = new UnsafeBuffer(new byte[invite.capacity() + 10]);
        framed.putBytes(5, invite, 0, invite.capacity());
        assertTrue(queue.offer(framed, 5, invite.capacity(), 0x7F00_0001_13C4L, TransportProtocol.TCP, 42));
        final List<byte[]> packets = new ArrayList<>();
        final long[] meta = new long[3];
        assertEquals(1, queue.drain((buffer, offset, length, remoteId, transport, connectionId) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            packets.add(bytes);
            meta[0] = remoteId;
            meta[1] = transport;
            meta[2] = connectionId;
        }, 10));
        assertArrayEquals(invite.byteArray(), packets.get(0));
        assertArrayEquals(new long[]{0x7F00_0001_13C4L, TransportProtocol.TCP, 42}, meta);
        assertEquals(0, queue.drain((buffer, offset, length, remoteId, transport, connectionId) -> packets.add(null),
            10));
    }

    @Test
    void shouldLetOwningAgentsLayerTakeInviteWhenAnotherAgentReadIt()
    {
        final TransactionOwnership ownership = new TransactionOwnership(2);
        final UnsafeBuffer invite = TransactionHarness.fixture("invite.sip");
        final SipMessageDecoder reader = TransactionHarness.decode(invite);
        final int owner = ownership.ownerOf(invite, reader.callIdOffset(), reader.callIdLength());
        final HandoverQueue[] inboxes = {new HandoverQueue(64 * 1024), new HandoverQueue(64 * 1024)};
        assertTrue(inboxes[owner].offer(invite, 0, invite.capacity(), TransactionHarness.REMOTE, TransportProtocol.UDP,
            TransactionHarness.CONNECTION));

        final TransactionHarness ownerAgent = new TransactionHarness();
        final SipMessageDecoder decoder = new SipMessageDecoder();
        final int[] results = new int[2];
        assertEquals(0, inboxes[1 - owner].drain((buffer, offset, length, remoteId, transport, connectionId) ->
            results[0]++, 10));
        assertEquals(1, inboxes[owner].drain((buffer, offset, length, remoteId, transport, connectionId) ->
        {
            decoder.wrap(buffer, offset, length);
            results[1] = ownerAgent.layer.onRequest(decoder, remoteId, transport, connectionId, 0);
        }, 10));
        assertEquals(TransactionResult.NEW, results[1]);
        assertEquals(1, ownerAgent.sent.size(), "the owner's transaction sent 100 Trying to the original source");
    }

    @Test
    void shouldDropAndCountWhenQueueIsFull()
    {
        final HandoverQueue queue = new HandoverQueue(2048);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[200]);
        int accepted = 0;
        while (queue.offer(packet, 0, 200, 1, TransportProtocol.UDP, 0))
        {
            accepted++;
        }
        assertTrue(accepted > 0 && accepted < 10);
        assertEquals(1, queue.droppedCount());
        assertFalse(queue.offer(packet, 0, 200, 1, TransportProtocol.UDP, 0));
        assertEquals(2, queue.droppedCount());
        assertFalse(queue.offer(new UnsafeBuffer(new byte[2048]), 0, 2048, 1, TransportProtocol.UDP, 0));
        assertEquals(3, queue.droppedCount());
        assertEquals(accepted, queue.drain((buffer, offset, length, remoteId, transport, connectionId) -> { }, 100));
        assertTrue(queue.offer(packet, 0, 200, 1, TransportProtocol.UDP, 0));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDeliverEveryPacketInOrderWhenAnotherThreadOffers() throws InterruptedException
    {
        final HandoverQueue queue = new HandoverQueue(64 * 1024);
        final int count = 20_000;
        final Thread producer = new Thread(() ->
        {
            final UnsafeBuffer packet = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < count; i++)
            {
                packet.putInt(0, i);
                packet.putInt(60, ~i);
                while (!queue.offer(packet, 0, 64, i, TransportProtocol.UDP, 0))
                {
                    Thread.yield();
                }
            }
        });
        final int[] next = {0};
        final AtomicReference<String> error = new AtomicReference<>();
        producer.start();
        while (next[0] < count)
        {
            final int drained = queue.drain((buffer, offset, length, remoteId, transport, connectionId) ->
            {
                final int i = buffer.getInt(offset);
                if (i != next[0] || remoteId != i || buffer.getInt(offset + 60) != ~i || length != 64)
                {
                    error.compareAndSet(null, "packet " + next[0] + " arrived as " + i);
                }
                next[0]++;
            }, 256);
            if (drained == 0)
            {
                Thread.yield();
            }
        }
        producer.join();
        assertNull(error.get());
        assertEquals(count, next[0]);
    }
}
