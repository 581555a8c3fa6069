package io.corral.perf.gen;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A non-blocking UDP socket with one direct receive buffer and one direct send buffer, each seen as an
 * {@link UnsafeBuffer}: the generator decodes received datagrams in place and writes messages straight into the send
 * buffer. A full socket send buffer drops the datagram and counts it; the SIP timers retransmit.
 */
final class UdpSocket implements AutoCloseable
{
    static final int MAX_DATAGRAM = 65_535;
    private static final int BUFFER_BYTES = 8 << 20;

    private final DatagramChannel channel;
    private final ByteBuffer receiveBytes = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(receiveBytes);
    private final ByteBuffer sendBytes = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(sendBytes);
    private final InetSocketAddress localAddress;
    private SocketAddress lastSource;
    private long sendDrops;

    /**
     * @param bindAddress address to bind, port 0 for any free port.
     */
    UdpSocket(final InetSocketAddress bindAddress)
    {
        try
        {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
            channel.bind(bindAddress);
            channel.configureBlocking(false);
            localAddress = (InetSocketAddress)channel.getLocalAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot bind UDP " + bindAddress, ex);
        }
    }

    InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /**
     * @return length of the datagram now in {@link #receiveBuffer()}, or 0 when none is waiting.
     */
    int receive()
    {
        receiveBytes.clear();
        try
        {
            lastSource = channel.receive(receiveBytes);
        }
        catch (final IOException ex)
        {
            // ICMP port unreachable from a peer that went away surfaces here on Linux; nothing was received.
            return 0;
        }
        return lastSource == null ? 0 : receiveBytes.position();
    }

    UnsafeBuffer receiveBuffer()
    {
        return receiveBuffer;
    }

    /**
     * @return where the last received datagram came from.
     */
    SocketAddress lastSource()
    {
        return lastSource;
    }

    UnsafeBuffer sendBuffer()
    {
        return sendBuffer;
    }

    /**
     * Send bytes [0, length) of {@link #sendBuffer()}.
     *
     * @param length      bytes to send.
     * @param destination where to.
     */
    void send(final int length, final SocketAddress destination)
    {
        sendBytes.clear().limit(length);
        sendFrom(sendBytes, destination);
    }

    /**
     * Send a range of another direct buffer (a kept record).
     *
     * @param buffer      the buffer, over a direct {@link ByteBuffer}.
     * @param offset      first byte.
     * @param length      bytes to send.
     * @param destination where to.
     */
    void send(final UnsafeBuffer buffer, final int offset, final int length, final SocketAddress destination)
    {
        sendBuffer.putBytes(0, buffer, offset, length);
        send(length, destination);
    }

    long sendDrops()
    {
        return sendDrops;
    }

    private void sendFrom(final ByteBuffer bytes, final SocketAddress destination)
    {
        try
        {
            if (channel.send(bytes, destination) == 0)
            {
                sendDrops++;
            }
        }
        catch (final IOException ex)
        {
            sendDrops++;
        }
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing: nothing left to do with the socket
        }
    }
}
