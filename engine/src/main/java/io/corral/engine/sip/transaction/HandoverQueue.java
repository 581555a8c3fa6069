package io.corral.engine.sip.transaction;

import io.corral.engine.agent.AgentWakeup;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inbox of one SIP agent: other agents that read a packet whose Call-ID this agent owns write it here
 * (lock-free, {@link ManyToOneRingBuffer}), and the owner drains it in its duty cycle. A full queue drops the
 * packet and counts it; a writer never spins (UDP senders retransmit; a TCP packet's loss is counted as an error).
 * A writer signals the owner's {@link AgentWakeup} after each packet, which wakes the owner only if it is blocked.
 * <pre>
 *   0                   8                   16        20        24
 *  +-------------------+-------------------+---------+---------+------------------+
 *  | remoteId          | connectionId      |transport| (pad)   | packet bytes ... |
 *  +-------------------+-------------------+---------+---------+------------------+
 * </pre>
 */
public final class HandoverQueue
{
    /** Message type of a handed-over packet. */
    public static final int MSG_TYPE_PACKET = 1;

    private static final int REMOTE_ID_OFFSET = 0;
    private static final int CONNECTION_ID_OFFSET = 8;
    private static final int TRANSPORT_OFFSET = 16;
    private static final int HEADER_LENGTH = 24;

    private final ManyToOneRingBuffer ringBuffer;
    private final AtomicLong droppedCount = new AtomicLong();
    private final MessageHandler adapter = this::onMessage;
    private final AgentWakeup wakeup;
    private HandoverHandler handler;

    /**
     * @param capacityBytes ring capacity, a power of two; the largest packet is an eighth of it less 24 bytes.
     */
    public HandoverQueue(final int capacityBytes)
    {
        this(capacityBytes, new AgentWakeup());
    }

    /**
     * @param capacityBytes ring capacity, a power of two; the largest packet is an eighth of it less 24 bytes.
     * @param wakeup        the owner's, signalled after every packet.
     */
    public HandoverQueue(final int capacityBytes, final AgentWakeup wakeup)
    {
        this.wakeup = wakeup;
        ringBuffer = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Hand a packet over; safe from any thread.
     *
     * @param buffer       holding the packet.
     * @param offset       of the first byte.
     * @param length       of the packet.
     * @param remoteId     where it came from.
     * @param transport    a {@link io.corral.engine.sip.codec.TransportProtocol} code.
     * @param connectionId the connection it arrived on, else 0.
     * @return false if the queue was full or the packet too large: dropped and counted.
     */
    public boolean offer(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long remoteId,
        final int transport,
        final long connectionId)
    {
        final int total = HEADER_LENGTH + length;
        if (total > ringBuffer.maxMsgLength())
        {
            droppedCount.incrementAndGet();
            return false;
        }
        final int index = ringBuffer.tryClaim(MSG_TYPE_PACKET, total);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY)
        {
            droppedCount.incrementAndGet();
            return false;
        }
        final MutableDirectBuffer dst = ringBuffer.buffer();
        dst.putLong(index + REMOTE_ID_OFFSET, remoteId);
        dst.putLong(index + CONNECTION_ID_OFFSET, connectionId);
        dst.putInt(index + TRANSPORT_OFFSET, transport);
        dst.putBytes(index + HEADER_LENGTH, buffer, offset, length);
        ringBuffer.commit(index);
        // tryClaim's compare-and-set of the tail precedes this read: the owner's last check before it blocks sees it.
        wakeup.signal();
        return true;
    }

    /**
     * Deliver up to {@code limit} packets; call from the owning agent only.
     *
     * @param handler receives each packet.
     * @param limit   most packets delivered by this call.
     * @return packets delivered.
     */
    public int drain(final HandoverHandler handler, final int limit)
    {
        this.handler = handler;
        try
        {
            return ringBuffer.read(adapter, limit);
        }
        finally
        {
            this.handler = null;
        }
    }

    /**
     * @return packets dropped because the queue was full or they were too large.
     */
    public long droppedCount()
    {
        return droppedCount.get();
    }

    /**
     * @return bytes queued and not yet drained, for overload control; any thread.
     */
    public int sizeBytes()
    {
        return ringBuffer.size();
    }

    /**
     * @return true if a packet is queued or being written; any thread.
     */
    public boolean hasPackets()
    {
        return ringBuffer.size() > 0;
    }

    /**
     * @return bytes the queue holds at most.
     */
    public int capacityBytes()
    {
        return ringBuffer.capacity();
    }

    /**
     * @return largest packet accepted, in bytes.
     */
    public int maxPacketLength()
    {
        return ringBuffer.maxMsgLength() - HEADER_LENGTH;
    }

    private void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        handler.onHandover(buffer, index + HEADER_LENGTH, length - HEADER_LENGTH,
            buffer.getLong(index + REMOTE_ID_OFFSET), buffer.getInt(index + TRANSPORT_OFFSET),
            buffer.getLong(index + CONNECTION_ID_OFFSET));
    }
}
