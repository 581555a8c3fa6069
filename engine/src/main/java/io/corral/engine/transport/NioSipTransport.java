package io.corral.engine.transport;

import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@link SipTransport} over plain JDK NIO channels, for machines without epoll: a non-blocking
 * {@link DatagramChannel} read until empty on every poll, and TCP channels on a {@link Selector} checked with
 * {@code selectNow()}. UDP sends go out at once (NIO has no sendmmsg to batch into); TCP sends write at once and queue
 * what the kernel does not take. The JDK allocates a socket address per received datagram.
 */
public final class NioSipTransport implements SipTransport
{
    private final TransportSettings settings;
    private final TransportCounters counters;
    private final NanoClock clock;
    private final RemoteAddressTable remotes;
    private final ErrorHandler errorHandler;
    private final DatagramChannel udp;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final int localPort;
    private final int maxDatagramBytes;
    private final ByteBuffer receiveBuffer;
    private final UnsafeBuffer receiveView;
    private final ByteBuffer sendBuffer;
    private final TcpConnectionTable<Connection> connections;
    private final InetAddress bindAddress;
    private final UnsafeBuffer advertisedSentBy;
    private final StunBindingResponder stun = new StunBindingResponder();
    private SipPacketHandler handler;

    /**
     * Bind the UDP socket and TCP listener.
     *
     * @param settings the transport settings; {@code freebind} is not available on NIO.
     * @param port     the port to bind, 0 for any.
     * @param counters this agent's counters.
     * @throws UncheckedIOException if a socket cannot be bound.
     */
    public NioSipTransport(final TransportSettings settings, final int port, final TransportCounters counters)
    {
        this(settings, settings.address(), port, counters, new RemoteAddressTable(settings.remoteTableCapacity()));
    }

    /**
     * Open one SIP agent's sockets on one of several local addresses.
     *
     * @param settings the transport settings.
     * @param address  the local address to bind, instead of the settings' one.
     * @param port     the port to bind.
     * @param counters the agent's counters.
     * @param remotes  the agent's remote address table, shared by its transports so ids mean the same on each.
     */
    public NioSipTransport(
        final TransportSettings settings,
        final String address,
        final int port,
        final TransportCounters counters,
        final RemoteAddressTable remotes)
    {
        if (settings.freebind())
        {
            throw new IllegalArgumentException("corral.sip.freebind=true needs the epoll transport");
        }
        this.settings = settings;
        this.counters = counters;
        this.clock = settings.nanoClock();
        this.errorHandler = settings.errorHandler();
        this.remotes = remotes;
        maxDatagramBytes = settings.maxDatagramBytes();
        // One spare byte: a datagram that fills it was truncated by the kernel.
        receiveBuffer = BufferUtil.allocateDirectAligned(align(maxDatagramBytes + 1), 64);
        receiveView = new UnsafeBuffer(receiveBuffer);
        sendBuffer = BufferUtil.allocateDirectAligned(align(Math.max(65536, settings.tcpMaxMessageBytes())), 64);
        connections = new TcpConnectionTable<>(
            counters.agentIndex(),
            TimeUnit.MILLISECONDS.toNanos(settings.tcpIdleTimeoutMs()),
            TimeUnit.MILLISECONDS.toNanos(settings.tcpConnectTimeoutMs()), clock.nanoTime());
        DatagramChannel udpChannel = null;
        ServerSocketChannel serverChannel = null;
        Selector openedSelector = null;
        try
        {
            bindAddress = InetAddress.getByName(address);
            udpChannel = DatagramChannel.open(
                bindAddress.getAddress().length == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            udpChannel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            udpChannel.setOption(StandardSocketOptions.SO_RCVBUF, settings.rcvbufBytes());
            udpChannel.setOption(StandardSocketOptions.SO_SNDBUF, settings.sndbufBytes());
            udpChannel.bind(new InetSocketAddress(bindAddress, port));
            udpChannel.configureBlocking(false);
            localPort = ((InetSocketAddress)udpChannel.getLocalAddress()).getPort();
            openedSelector = Selector.open();
            if (settings.tcpEnabled())
            {
                serverChannel = ServerSocketChannel.open();
                serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                serverChannel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                serverChannel.bind(new InetSocketAddress(bindAddress, localPort), 1024);
                serverChannel.configureBlocking(false);
                serverChannel.register(openedSelector, SelectionKey.OP_ACCEPT);
            }
        }
        catch (final IOException ex)
        {
            CloseHelper.quietCloseAll(udpChannel, serverChannel, openedSelector);
            throw new UncheckedIOException("cannot bind SIP sockets on " + address + ":" + port, ex);
        }
        udp = udpChannel;
        server = serverChannel;
        selector = openedSelector;
        advertisedSentBy = SipTransports.sentBy(advertisedAddress(), advertisedPort());
    }

    /**
     * {@inheritDoc}
     */
    public boolean canAwait()
    {
        return false;
    }

    /**
     * Polls once: the NIO transport has no selector to block in.
     */
    public int await(
        final SipPacketHandler handler, final int limit, final long waitNs, final BooleanSupplier otherWork)
    {
        return poll(handler, limit);
    }

    /**
     * Nothing to wake: {@link #await} never blocks.
     */
    public void wakeup()
    {
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final SipPacketHandler handler, final int limit)
    {
        this.handler = handler;
        int work = 0;
        for (int i = 0; i < limit; i++)
        {
            receiveBuffer.clear();
            final SocketAddress from;
            try
            {
                from = udp.receive(receiveBuffer);
            }
            catch (final IOException ex)
            {
                counters.receiveDrops.incrementRelease();
                break;
            }
            if (from == null)
            {
                break;
            }
            work++;
            final int length = receiveBuffer.position();
            if (length > maxDatagramBytes)
            {
                counters.receiveDrops.incrementRelease();
                continue;
            }
            counters.udpDatagramsIn.incrementRelease();
            counters.udpBytesIn.getAndAddRelease(length);
            if (StunBindingResponder.isStun(receiveView, 0, length))
            {
                onStun(length, remotes.intern((InetSocketAddress)from));
                continue;
            }
            try
            {
                handler.onMessage(
                    receiveView, 0, length, remotes.intern((InetSocketAddress)from), UDP, NO_CONNECTION);
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
        if (server != null)
        {
            work += pollTcp(limit);
        }
        return work;
    }

    /**
     * {@inheritDoc}
     */
    public boolean send(
        final long remoteId, final int transport, final long connectionId, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (transport == TCP)
        {
            if (server == null)
            {
                counters.sendFailed.incrementRelease();
                return false;
            }
            return sendTcp(remoteId, connectionId, buffer, offset, length);
        }
        final InetSocketAddress address = remotes.socketAddress(remoteId);
        if (address == null || length > sendBuffer.capacity())
        {
            counters.sendFailed.incrementRelease();
            return false;
        }
        buffer.getBytes(offset, sendBuffer, 0, length);
        sendBuffer.limit(length).position(0);
        try
        {
            if (udp.send(sendBuffer, address) == 0)
            {
                counters.sendQueueFull.incrementRelease();
                return false;
            }
        }
        catch (final IOException ex)
        {
            counters.sendFailed.incrementRelease();
            return false;
        }
        counters.udpDatagramsOut.incrementRelease();
        counters.udpBytesOut.getAndAddRelease(length);
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public boolean alias(final long connectionId, final long remoteId)
    {
        return connections.alias(connectionId, remoteId);
    }

    /**
     * {@inheritDoc}
     */
    public RemoteAddressTable remotes()
    {
        return remotes;
    }

    /**
     * {@inheritDoc}
     */
    public int receiveQueueBytes()
    {
        return -1;
    }

    /**
     * {@inheritDoc}
     */
    public void openAgentSocket(final int port)
    {
        throw new IllegalStateException(TransportConfiguration.AGENT_PORT_BASE.name() +
            " needs the epoll transport (corral.sip.transport.kind=epoll)");
    }

    /**
     * {@inheritDoc}
     */
    public int localPort()
    {
        return localPort;
    }

    /**
     * {@inheritDoc}
     */
    public String advertisedAddress()
    {
        return settings.advertisedAddress();
    }

    /**
     * {@inheritDoc}
     */
    public int advertisedPort()
    {
        return settings.advertisedPort() != 0 ? settings.advertisedPort() : localPort;
    }

    /**
     * {@inheritDoc}
     */
    public DirectBuffer advertisedSentBy()
    {
        return advertisedSentBy;
    }

    /**
     * {@inheritDoc}
     */
    public int receiveBufferBytes()
    {
        return socketOption(StandardSocketOptions.SO_RCVBUF);
    }

    /**
     * {@inheritDoc}
     */
    public int sendBufferBytes()
    {
        return socketOption(StandardSocketOptions.SO_SNDBUF);
    }

    /**
     * {@inheritDoc}
     */
    public String kind()
    {
        return TransportConfiguration.KIND_NIO;
    }

    /**
     * {@inheritDoc}
     */
    public int tcpConnectionCount()
    {
        return connections.size();
    }

    /**
     * {@inheritDoc}
     */
    public boolean isOpen(final long connectionId)
    {
        final Connection connection = connections.get(connectionId);
        return connection != null && !connection.closed;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        for (final Connection connection : connections.all())
        {
            close(connection);
        }
        CloseHelper.quietCloseAll(server, selector, udp);
    }

    private int socketOption(final java.net.SocketOption<Integer> option)
    {
        try
        {
            return udp.getOption(option);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private int pollTcp(final int limit)
    {
        int work = 0;
        final long nowNs = clock.nanoTime();
        try
        {
            if (selector.selectNow() > 0)
            {
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    work += onReady(key, nowNs, limit);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final ArrayList<Connection> expired = connections.expired(nowNs);
        for (int i = 0, size = expired.size(); i < size; i++)
        {
            final Connection connection = expired.get(i);
            (connection.connecting ? counters.sendFailed : counters.tcpIdleClosed).incrementRelease();
            close(connection);
            work++;
        }
        return work + connections.reportFailedConnects(handler);
    }

    private int onReady(final SelectionKey key, final long nowNs, final int limit)
    {
        if (!key.isValid())
        {
            return 0;
        }
        final Connection connection = (Connection)key.attachment();
        if (connection == null)
        {
            return accept(nowNs, limit);
        }
        int work = 0;
        if (key.isConnectable())
        {
            work += finishConnect(connection);
        }
        if (!connection.closed && key.isWritable())
        {
            work += connection.flushQueued();
        }
        if (!connection.closed && key.isReadable())
        {
            work += read(connection, nowNs);
        }
        return work;
    }

    private int accept(final long nowNs, final int limit)
    {
        int accepted = 0;
        while (accepted < limit)
        {
            SocketChannel channel = null;
            try
            {
                channel = server.accept();
                if (channel == null)
                {
                    break;
                }
                accepted++;
                if (connections.size() >= settings.tcpMaxConnections())
                {
                    counters.tcpRejected.incrementRelease();
                    channel.close();
                    continue;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final long remoteId = remotes.intern((InetSocketAddress)channel.getRemoteAddress());
                final Connection connection = new Connection(
                    connections.nextConnectionId(), remoteId, channel, nowNs);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connections.add(connection);
                counters.tcpAccepted.incrementRelease();
                counters.tcpConnectionsOpen.incrementRelease();
            }
            catch (final IOException ex)
            {
                CloseHelper.quietClose(channel);
            }
        }
        return accepted;
    }

    private int finishConnect(final Connection connection)
    {
        try
        {
            if (connection.channel.finishConnect())
            {
                connection.connecting = false;
                connection.lastActivityNs = clock.nanoTime();
                counters.tcpConnected.incrementRelease();
                connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }
        catch (final IOException ex)
        {
            counters.sendFailed.incrementRelease();
            close(connection);
        }
        return 1;
    }

    private int read(final Connection connection, final long nowNs)
    {
        final ByteBuffer target = connection.readTarget();
        if (target == null)
        {
            return framingError(connection);
        }
        final int read;
        try
        {
            read = connection.channel.read(target);
        }
        catch (final IOException ex)
        {
            close(connection);
            return 1;
        }
        if (read < 0)
        {
            close(connection);
            return 1;
        }
        if (read == 0)
        {
            return 0;
        }
        connection.lastActivityNs = nowNs;
        counters.tcpBytesIn.getAndAddRelease(read);
        final int messages = connection.onRead(read, handler, counters);
        if (messages == TcpConnection.FRAMING_ERROR)
        {
            return framingError(connection);
        }
        return 1 + messages;
    }

    private int framingError(final Connection connection)
    {
        counters.tcpFramingErrors.incrementRelease();
        close(connection);
        return 1;
    }

    private boolean sendTcp(
        final long remoteId, final long connectionId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > sendBuffer.capacity())
        {
            counters.sendFailed.incrementRelease();
            return false;
        }
        Connection connection = connections.find(connectionId, remoteId);
        if (connection == null)
        {
            connection = connect(remoteId);
            if (connection == null)
            {
                counters.sendFailed.incrementRelease();
                return false;
            }
        }
        connections.markUsed(connection);
        if (!connection.write(buffer, offset, length))
        {
            return false;
        }
        counters.tcpMessagesOut.incrementRelease();
        return true;
    }

    private Connection connect(final long remoteId)
    {
        final InetSocketAddress address = remotes.socketAddress(remoteId);
        if (address == null || connections.size() >= settings.tcpMaxConnections())
        {
            return null;
        }
        SocketChannel channel = null;
        try
        {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final boolean connected = channel.connect(address);
            final Connection connection = new Connection(
                connections.nextConnectionId(), remoteId, channel, clock.nanoTime());
            connection.connecting = !connected;
            connection.key = channel.register(
                selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, connection);
            connections.add(connection);
            counters.tcpConnectionsOpen.incrementRelease();
            if (connected)
            {
                counters.tcpConnected.incrementRelease();
            }
            return connection;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            return null;
        }
    }

    private void onStun(final int length, final long remoteId)
    {
        final int responseLength = stun.answer(receiveView, 0, length, remoteId, remotes);
        if (responseLength > 0 && send(remoteId, UDP, NO_CONNECTION, stun.buffer(), 0, responseLength))
        {
            counters.stunKeepalives.incrementRelease();
        }
    }

    private void close(final Connection connection)
    {
        if (!connection.closed)
        {
            connection.closed = true;
            connections.remove(connection);
            if (connection.connecting)
            {
                connections.onConnectFailed(connection);
            }
            if (connection.key != null)
            {
                connection.key.cancel();
            }
            CloseHelper.quietClose(connection.channel);
            counters.tcpClosed.incrementRelease();
            counters.tcpConnectionsOpen.getAndAddRelease(-1);
        }
    }

    private static int align(final int length)
    {
        return (length + 63) & ~63;
    }

    /**
     * A TCP connection: the channel, and what it could not write yet.
     */
    private final class Connection extends TcpConnection
    {
        private final SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer queued;
        private final UnsafeBuffer queuedView = new UnsafeBuffer(0, 0);

        Connection(
            final long connectionId, final long remoteId, final SocketChannel channel, final long nowNs)
        {
            super(connectionId, remoteId, settings.tcpMaxMessageBytes(), errorHandler, nowNs);
            this.channel = channel;
        }

        void sendPong()
        {
            write(TcpConnection.PONG, 0, TcpConnection.PONG.capacity());
        }

        boolean write(final DirectBuffer buffer, final int offset, final int length)
        {
            final int pending = queued == null ? 0 : queued.position();
            if (!connecting)
            {
                lastActivityNs = clock.nanoTime();
            }
            if (!connecting && pending == 0)
            {
                int written = 0;
                buffer.getBytes(offset, sendBuffer, 0, length);
                sendBuffer.limit(length).position(0);
                try
                {
                    written = channel.write(sendBuffer);
                }
                catch (final IOException ex)
                {
                    counters.sendFailed.incrementRelease();
                    close(this);
                    return false;
                }
                counters.tcpBytesOut.getAndAddRelease(written);
                if (written == length)
                {
                    return true;
                }
                queue(sendBuffer, written, length - written);
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return true;
            }
            if (pending + length > settings.tcpSendQueueBytes())
            {
                counters.sendQueueFull.incrementRelease();
                return false;
            }
            ensureQueue(pending + length);
            buffer.getBytes(offset, queued, pending, length);
            queued.position(pending + length);
            return true;
        }

        int flushQueued()
        {
            if (queued == null || queued.position() == 0)
            {
                key.interestOps(SelectionKey.OP_READ);
                return 0;
            }
            queued.flip();
            try
            {
                final int written = channel.write(queued);
                counters.tcpBytesOut.getAndAddRelease(written);
            }
            catch (final IOException ex)
            {
                counters.sendFailed.incrementRelease();
                close(this);
                return 1;
            }
            queued.compact();
            if (queued.position() == 0)
            {
                key.interestOps(SelectionKey.OP_READ);
            }
            return 1;
        }

        private void queue(final ByteBuffer source, final int offset, final int length)
        {
            ensureQueue(length);
            final int pending = queued.position();
            queuedView.wrap(source);
            queuedView.getBytes(offset, queued, pending, length);
            queued.position(pending + length);
        }

        private void ensureQueue(final int required)
        {
            if (queued == null || queued.capacity() < required)
            {
                int capacity = queued == null ? 16384 : queued.capacity();
                while (capacity < required)
                {
                    capacity <<= 1;
                }
                final ByteBuffer grown = ByteBuffer.allocateDirect(capacity);
                if (queued != null)
                {
                    queued.flip();
                    grown.put(queued);
                }
                queued = grown;
            }
        }
    }
}
