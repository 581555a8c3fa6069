package io.corral.engine.transport;

import io.corral.engine.sip.codec.SipStreamFramer;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * What both implementations keep per TCP connection: ids, last activity, and the inbound side: the connection's
 * unconsumed bytes (contiguous, in a direct buffer that grows up to the message limit) and its
 * {@link SipStreamFramer}.
 */
abstract class TcpConnection
{
    /** {@link #frame}: the stream cannot be framed, close the connection. */
    static final int FRAMING_ERROR = -1;
    /** RFC 5626 §4.4.1 pong: a single CRLF. Read-only, shared. */
    static final UnsafeBuffer PONG = new UnsafeBuffer(new byte[]{'\r', '\n'});

    private static final int INITIAL_INBOUND_BYTES = 4096;
    /** Room for CRLFs between messages beyond the largest message. */
    private static final int SLACK_BYTES = 1024;

    final long connectionId;
    final long remoteId;
    long aliasRemoteId = RemoteAddressTable.NO_REMOTE;
    long lastActivityNs;
    boolean connecting;
    boolean closed;

    private final SipStreamFramer framer;
    private final ErrorHandler errorHandler;
    private final int maxInboundBytes;
    private ByteBuffer inboundBuffer;
    private final UnsafeBuffer inbound = new UnsafeBuffer(0, 0);
    private int inboundLength;
    private int delivered;

    TcpConnection(
        final long connectionId, final long remoteId, final int maxMessageBytes, final ErrorHandler errorHandler,
        final long nowNs)
    {
        this.errorHandler = errorHandler;
        this.connectionId = connectionId;
        this.remoteId = remoteId;
        this.lastActivityNs = nowNs;
        framer = new SipStreamFramer(maxMessageBytes);
        maxInboundBytes = maxMessageBytes + SLACK_BYTES;
    }

    /**
     * Answer an RFC 5626 keep-alive ping with a single CRLF.
     */
    abstract void sendPong();

    /**
     * Frame newly read bytes, delivering each message. Frames in place when nothing is buffered, so only a partial
     * message at the end is copied into the connection's buffer.
     *
     * @return messages delivered, or {@link #FRAMING_ERROR}.
     */
    final int onBytes(
        final DirectBuffer buffer, final int offset, final int length, final SipPacketHandler handler,
        final TransportCounters counters)
    {
        if (inboundLength == 0)
        {
            final int consumed = frame(buffer, offset, length, handler, counters);
            if (consumed < 0)
            {
                return FRAMING_ERROR;
            }
            final int rest = length - consumed;
            if (rest > 0 && !append(buffer, offset + consumed, rest))
            {
                return FRAMING_ERROR;
            }
            return delivered;
        }
        if (!append(buffer, offset, length))
        {
            return FRAMING_ERROR;
        }
        return frameInbound(handler, counters);
    }

    /**
     * For readers that fill {@link #readTarget()} directly (NIO): frame what is buffered after {@code read} bytes.
     *
     * @return messages delivered, or {@link #FRAMING_ERROR}.
     */
    final int onRead(final int read, final SipPacketHandler handler, final TransportCounters counters)
    {
        inboundLength += read;
        return frameInbound(handler, counters);
    }

    /**
     * @return a buffer whose position..limit is the free space after the buffered bytes, or null when the buffer is
     * at the message limit already (a framing error).
     */
    final ByteBuffer readTarget()
    {
        if (!ensureCapacity(inboundLength + 1))
        {
            return null;
        }
        inboundBuffer.limit(inboundBuffer.capacity()).position(inboundLength);
        return inboundBuffer;
    }

    private int frameInbound(final SipPacketHandler handler, final TransportCounters counters)
    {
        final int consumed = frame(inbound, 0, inboundLength, handler, counters);
        if (consumed < 0)
        {
            return FRAMING_ERROR;
        }
        final int rest = inboundLength - consumed;
        if (consumed > 0 && rest > 0)
        {
            inbound.putBytes(0, inbound, consumed, rest);
        }
        inboundLength = rest;
        return delivered;
    }

    /**
     * @return bytes consumed from the front, or {@link #FRAMING_ERROR}; {@link #delivered} holds the message count.
     */
    private int frame(
        final DirectBuffer buffer, final int offset, final int length, final SipPacketHandler handler,
        final TransportCounters counters)
    {
        delivered = 0;
        int position = 0;
        while (position < length)
        {
            final int result = framer.frame(buffer, offset + position, length - position);
            if (result == SipStreamFramer.NEED_MORE)
            {
                break;
            }
            if (result == SipStreamFramer.INVALID)
            {
                return FRAMING_ERROR;
            }
            if (result == SipStreamFramer.MESSAGE)
            {
                counters.tcpMessagesIn.incrementRelease();
                delivered++;
                try
                {
                    handler.onMessage(
                        buffer, framer.messageOffset(), framer.messageLength(), remoteId, SipTransport.TCP,
                        connectionId);
                }
                catch (final Throwable ex)
                {
                    errorHandler.onError(ex);
                }
            }
            else
            {
                counters.tcpKeepalives.incrementRelease();
                sendPong();
            }
            position += framer.consumed();
        }
        return position;
    }

    private boolean append(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!ensureCapacity(inboundLength + length))
        {
            return false;
        }
        inbound.putBytes(inboundLength, buffer, offset, length);
        inboundLength += length;
        return true;
    }

    private boolean ensureCapacity(final int required)
    {
        if (required > maxInboundBytes)
        {
            return false;
        }
        if (inboundBuffer == null || inboundBuffer.capacity() < required)
        {
            int capacity = inboundBuffer == null ? INITIAL_INBOUND_BYTES : inboundBuffer.capacity();
            while (capacity < required)
            {
                capacity <<= 1;
            }
            capacity = Math.min(capacity, maxInboundBytes);
            final ByteBuffer grown = BufferUtil.allocateDirectAligned(capacity, 64);
            if (inboundBuffer != null && inboundLength > 0)
            {
                new UnsafeBuffer(grown).putBytes(0, inbound, 0, inboundLength);
            }
            inboundBuffer = grown;
            inbound.wrap(grown);
        }
        return true;
    }
}
