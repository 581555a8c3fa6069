package io.corral.engine.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.AttributeKey;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@link SipTransport} over Netty's epoll native transport, driven by the owning agent through a
 * {@link ManualIoEventLoop}: {@link #poll} runs the loop once without blocking, so the agent's thread owns sockets and
 * state and no Netty thread exists; {@link #await} blocks in the loop's {@code epoll_wait} when the agent is idle.
 * Received datagrams are delivered straight from Netty's pooled direct buffer (wrapped, not copied). Sends are copied
 * into pooled direct buffers and written without flushing; every poll flushes them (sendmmsg for UDP batches).
 * <p>
 * The event loop is owned by the thread that opens the transport: open it where it is polled (an agent's
 * {@code onStart}), and close it there too ({@code onClose}). Netty 4.2 recycles its per-write objects only on
 * {@code io.netty.util.concurrent.FastThreadLocalThread}s: agent threads made by such a factory allocate less per
 * send.
 */
public final class EpollSipTransport implements SipTransport
{
    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("corral.sip.connection");
    private static final long BIND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final TransportSettings settings;
    private final TransportCounters counters;
    private final NanoClock clock;
    private final RemoteAddressTable remotes;
    private final ErrorHandler errorHandler;
    private final AwaitableLoop loop;
    private final Channel udp;
    private final Channel server;
    private final Bootstrap udpBootstrap;
    private final InetAddress bindAddress;
    private final String address;
    private Channel agentUdp;
    private UdpReceiveQueues receiveQueues;
    private final Bootstrap connector;
    private final FixedRecvByteBufAllocator udpAllocator;
    private final TcpConnectionTable<Connection> connections;
    private final ArrayList<Connection> dirty = new ArrayList<>();
    private final UnsafeBuffer receiveView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer receiveCopy;
    private final UnsafeBuffer writeView = new UnsafeBuffer(0, 0);
    private final int localPort;
    private final UnsafeBuffer advertisedSentBy;
    private final int maxDatagramBytes;
    private final ChannelFutureListener connectListener = this::onConnectComplete;
    private final StunBindingResponder stun = new StunBindingResponder();
    private SipPacketHandler handler;
    private boolean udpDirty;
    private boolean agentUdpDirty;
    private int delivered;
    private int maxMessagesPerRead;

    /**
     * Bind the UDP socket and TCP listener, driving the new event loop on the calling thread until they are bound.
     *
     * @param settings the transport settings.
     * @param port     the port to bind, 0 for any.
     * @param counters this agent's counters.
     * @throws UncheckedIOException if a socket cannot be bound.
     */
    public EpollSipTransport(final TransportSettings settings, final int port, final TransportCounters counters)
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
    public EpollSipTransport(
        final TransportSettings settings,
        final String address,
        final int port,
        final TransportCounters counters,
        final RemoteAddressTable remotes)
    {
        this.settings = settings;
        this.counters = counters;
        this.clock = settings.nanoClock();
        this.errorHandler = settings.errorHandler();
        this.remotes = remotes;
        maxDatagramBytes = settings.maxDatagramBytes();
        receiveCopy = new UnsafeBuffer(new byte[maxDatagramBytes + 1]);
        connections = new TcpConnectionTable<>(
            counters.agentIndex(),
            TimeUnit.MILLISECONDS.toNanos(settings.tcpIdleTimeoutMs()),
            TimeUnit.MILLISECONDS.toNanos(settings.tcpConnectTimeoutMs()), clock.nanoTime());
        this.address = address;
        try
        {
            bindAddress = InetAddress.getByName(address);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("not an address literal: " + address, ex);
        }
        final SocketProtocolFamily family =
            bindAddress.getAddress().length == 4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        loop = new AwaitableLoop(Thread.currentThread());
        // One spare byte per slot: a datagram that fills it was truncated by the kernel.
        final int slotBytes = maxDatagramBytes + 1;
        final int batch = settings.recvmmsgBatch();
        udpAllocator = new FixedRecvByteBufAllocator(batch > 0 ? slotBytes * batch : slotBytes);
        udpAllocator.respectMaybeMoreData(false);
        final TcpHandler tcpHandler = new TcpHandler();
        Channel udpChannel = null;
        Channel serverChannel = null;
        udpBootstrap = new Bootstrap()
            .group(loop)
            .channelFactory(() -> new EpollDatagramChannel(family))
            .option(EpollChannelOption.IP_FREEBIND, settings.freebind())
            .option(ChannelOption.SO_RCVBUF, settings.rcvbufBytes())
            .option(ChannelOption.SO_SNDBUF, settings.sndbufBytes())
            .option(ChannelOption.RCVBUF_ALLOCATOR, udpAllocator)
            // Sends are flushed once per poll: let a poll's worth queue, up to the socket's send buffer.
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(settings.sndbufBytes() / 2, settings.sndbufBytes()));
        if (batch > 0)
        {
            udpBootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slotBytes);
        }
        try
        {
            udpChannel = bind(udpBootstrap.clone()
                .option(EpollChannelOption.SO_REUSEPORT, true)
                .handler(new UdpHandler(NO_CONNECTION))
                .bind(bindAddress, port), address, port);
            localPort = ((InetSocketAddress)udpChannel.localAddress()).getPort();
            if (settings.tcpEnabled())
            {
                final ServerBootstrap serverBootstrap = new ServerBootstrap()
                    .group(loop)
                    .channelFactory(() -> new EpollServerSocketChannel(family))
                    .option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(EpollChannelOption.IP_FREEBIND, settings.freebind())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(settings))
                    .childHandler(tcpHandler);
                serverChannel = bind(serverBootstrap.bind(bindAddress, localPort), address, localPort);
            }
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(udpChannel);
            closeQuietly(serverChannel);
            shutdownLoop();
            throw ex;
        }
        udp = udpChannel;
        server = serverChannel;
        receiveQueues = openReceiveQueues();
        advertisedSentBy = SipTransports.sentBy(advertisedAddress(), advertisedPort());
        connector = new Bootstrap()
            .group(loop)
            .channelFactory(() -> new EpollSocketChannel(family))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)settings.tcpConnectTimeoutMs())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(settings))
            .handler(tcpHandler);
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final SipPacketHandler handler, final int limit)
    {
        startPoll(handler, limit);
        int work = loop.runNow();
        if (server != null)
        {
            final ArrayList<Connection> expired = connections.expired(clock.nanoTime());
            for (int i = 0, size = expired.size(); i < size; i++)
            {
                final Connection connection = expired.get(i);
                (connection.connecting ? counters.sendFailed : counters.tcpIdleClosed).incrementRelease();
                closeConnection(connection);
                work++;
            }
            work += connections.reportFailedConnects(handler);
        }
        flush();
        return work + delivered;
    }

    /**
     * {@inheritDoc}
     */
    public boolean canAwait()
    {
        return true;
    }

    /**
     * Blocks in {@code epoll_wait}: Netty announces the wait (its wake-up deadline) before it asks
     * {@link ManualIoEventLoop#canBlock()}, which asks {@code otherWork}, and {@link #wakeup()} writes its eventfd only
     * once the deadline is announced. TCP connections' timeouts are left to the next {@link #poll}.
     */
    public int await(
        final SipPacketHandler handler, final int limit, final long waitNs, final BooleanSupplier otherWork)
    {
        startPoll(handler, limit);
        loop.otherWork = otherWork;
        final int work;
        try
        {
            work = loop.run(Math.max(1, waitNs));
        }
        finally
        {
            loop.otherWork = null;
        }
        flush();
        return work + delivered;
    }

    /**
     * {@inheritDoc}
     */
    public void wakeup()
    {
        loop.wakeup();
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
        if (address == null)
        {
            counters.sendFailed.incrementRelease();
            return false;
        }
        final Channel channel = connectionId == AGENT_SOCKET && agentUdp != null ? agentUdp : udp;
        if (!channel.isWritable())
        {
            counters.sendQueueFull.incrementRelease();
            return false;
        }
        channel.write(new DatagramPacket(copy(channel, buffer, offset, length), address), channel.voidPromise());
        if (channel == udp)
        {
            udpDirty = true;
        }
        else
        {
            agentUdpDirty = true;
        }
        counters.udpDatagramsOut.incrementRelease();
        counters.udpBytesOut.getAndAddRelease(length);
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public int receiveQueueBytes()
    {
        return receiveQueues.maxQueuedBytes();
    }

    /**
     * {@inheritDoc}
     */
    public void openAgentSocket(final int port)
    {
        if (agentUdp != null)
        {
            throw new IllegalStateException("agent socket already open on port " + port);
        }
        agentUdp = bind(udpBootstrap.clone().handler(new UdpHandler(AGENT_SOCKET)).bind(bindAddress, port),
            address, port);
        receiveQueues.close();
        receiveQueues = openReceiveQueues();
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
        return udp.config().getOption(ChannelOption.SO_RCVBUF);
    }

    /**
     * {@inheritDoc}
     */
    public int sendBufferBytes()
    {
        return udp.config().getOption(ChannelOption.SO_SNDBUF);
    }

    /**
     * {@inheritDoc}
     */
    public String kind()
    {
        return TransportConfiguration.KIND_EPOLL;
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
        if (!loop.isShuttingDown())
        {
            for (final Connection connection : connections.all())
            {
                closeConnection(connection);
            }
            closeQuietly(server);
            closeQuietly(udp);
            closeQuietly(agentUdp);
            receiveQueues.close();
            shutdownLoop();
        }
    }

    private Channel bind(final ChannelFuture future, final String address, final int port)
    {
        final long deadlineNs = System.nanoTime() + BIND_TIMEOUT_NS;
        while (!future.isDone() && System.nanoTime() - deadlineNs < 0)
        {
            loop.runNow();
        }
        if (!future.isSuccess())
        {
            final Throwable cause = future.cause();
            throw new UncheckedIOException("cannot bind SIP socket on " + address + ":" + port + ": " +
                (cause == null ? "timed out" : cause.getMessage()),
                new java.io.IOException(cause));
        }
        return future.channel();
    }

    private void shutdownLoop()
    {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        final long deadlineNs = System.nanoTime() + BIND_TIMEOUT_NS;
        while (!loop.isTerminated() && System.nanoTime() - deadlineNs < 0)
        {
            loop.runNow();
        }
    }

    private void startPoll(final SipPacketHandler handler, final int limit)
    {
        this.handler = handler;
        if (limit != maxMessagesPerRead)
        {
            maxMessagesPerRead = limit;
            udpAllocator.maxMessagesPerRead(Math.max(1, limit));
        }
        flush();
        delivered = 0;
    }

    private void flush()
    {
        if (udpDirty)
        {
            udpDirty = false;
            udp.flush();
        }
        if (agentUdpDirty)
        {
            agentUdpDirty = false;
            agentUdp.flush();
        }
        for (int i = 0, size = dirty.size(); i < size; i++)
        {
            final Connection connection = dirty.get(i);
            connection.dirty = false;
            if (!connection.closed)
            {
                connection.channel.flush();
            }
        }
        dirty.clear();
    }

    private ByteBuf copy(final Channel channel, final DirectBuffer buffer, final int offset, final int length)
    {
        final ByteBuf out = channel.alloc().directBuffer(length, length);
        if (out.hasMemoryAddress())
        {
            writeView.wrap(out.memoryAddress() + out.writerIndex(), length);
            writeView.putBytes(0, buffer, offset, length);
        }
        else
        {
            buffer.getBytes(offset, out.nioBuffer(out.writerIndex(), length), 0, length);
        }
        out.writerIndex(out.writerIndex() + length);
        return out;
    }

    private boolean sendTcp(
        final long remoteId, final long connectionId, final DirectBuffer buffer, final int offset, final int length)
    {
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
        counters.tcpBytesOut.getAndAddRelease(length);
        return true;
    }

    private Connection connect(final long remoteId)
    {
        final InetSocketAddress address = remotes.socketAddress(remoteId);
        if (address == null || connections.size() >= settings.tcpMaxConnections())
        {
            return null;
        }
        final ChannelFuture future = connector.register();
        final Connection connection = new Connection(
            connections.nextConnectionId(), remoteId, future.channel(), clock.nanoTime());
        connection.connecting = true;
        future.channel().attr(CONNECTION).set(connection);
        connections.add(connection);
        counters.tcpConnectionsOpen.incrementRelease();
        future.channel().connect(address).addListener(connectListener);
        return connection;
    }

    private void onConnectComplete(final ChannelFuture future)
    {
        if (!future.isSuccess())
        {
            final Connection connection = future.channel().attr(CONNECTION).get();
            if (connection != null && !connection.closed)
            {
                counters.sendFailed.incrementRelease();
                closeConnection(connection);
            }
        }
    }

    private void onStun(final DirectBuffer request, final int length, final long remoteId, final long connectionId)
    {
        final int responseLength = stun.answer(request, 0, length, remoteId, remotes);
        if (responseLength > 0 && send(remoteId, UDP, connectionId, stun.buffer(), 0, responseLength))
        {
            counters.stunKeepalives.incrementRelease();
        }
    }

    private void closeConnection(final Connection connection)
    {
        if (!connection.closed)
        {
            connection.closed = true;
            connections.remove(connection);
            if (connection.connecting)
            {
                connections.onConnectFailed(connection);
            }
            connection.releaseQueued();
            connection.channel.close();
            counters.tcpClosed.incrementRelease();
            counters.tcpConnectionsOpen.getAndAddRelease(-1);
        }
    }

    private static WriteBufferWaterMark waterMark(final TransportSettings settings)
    {
        return new WriteBufferWaterMark(settings.tcpSendQueueBytes() / 2, settings.tcpSendQueueBytes());
    }

    /**
     * Open the socket tables and read them once now: the first read loads classes and runs cold code, which must not
     * happen in the duty cycle that first needs it, under load (it stalled an agent for a few hundred ms).
     */
    private UdpReceiveQueues openReceiveQueues()
    {
        final UdpReceiveQueues queues = new UdpReceiveQueues(agentUdp == null ?
            new long[] {inodeOf(udp)} : new long[] {inodeOf(udp), inodeOf(agentUdp)});
        queues.maxQueuedBytes();
        return queues;
    }

    private static long inodeOf(final Channel channel)
    {
        return UdpReceiveQueues.inodeOf(((UnixChannel)channel).fd().intValue());
    }

    private static void closeQuietly(final Channel channel)
    {
        if (channel != null)
        {
            channel.close();
        }
    }

    /**
     * The transport's event loop, which blocks only while its owner has no other work waiting.
     */
    private static final class AwaitableLoop extends ManualIoEventLoop
    {
        private BooleanSupplier otherWork;

        AwaitableLoop(final Thread owner)
        {
            super(owner, EpollIoHandler.newFactory());
        }

        protected boolean canBlock()
        {
            final BooleanSupplier otherWork = this.otherWork;
            return otherWork == null || !otherWork.getAsBoolean();
        }
    }

    /**
     * Delivers datagrams from Netty's receive buffer in place.
     */
    private final class UdpHandler extends ChannelInboundHandlerAdapter
    {
        private final long connectionId;

        UdpHandler(final long connectionId)
        {
            this.connectionId = connectionId;
        }

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final DatagramPacket packet = (DatagramPacket)msg;
            try
            {
                final ByteBuf content = packet.content();
                final int length = content.readableBytes();
                if (length > maxDatagramBytes)
                {
                    counters.receiveDrops.incrementRelease();
                    return;
                }
                final DirectBuffer view;
                if (content.hasMemoryAddress())
                {
                    receiveView.wrap(content.memoryAddress() + content.readerIndex(), length);
                    view = receiveView;
                }
                else
                {
                    content.getBytes(content.readerIndex(), receiveCopy.byteArray(), 0, length);
                    view = receiveCopy;
                }
                counters.udpDatagramsIn.incrementRelease();
                counters.udpBytesIn.getAndAddRelease(length);
                delivered++;
                if (StunBindingResponder.isStun(view, 0, length))
                {
                    onStun(view, length, remotes.intern(packet.sender()), connectionId);
                    return;
                }
                try
                {
                    handler.onMessage(view, 0, length, remotes.intern(packet.sender()), UDP, connectionId);
                }
                catch (final Throwable ex)
                {
                    errorHandler.onError(ex);
                }
            }
            finally
            {
                packet.release();
            }
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            counters.sendFailed.incrementRelease();
        }
    }

    /**
     * One handler for every TCP connection; the connection rides on the channel as an attribute.
     */
    @ChannelHandler.Sharable
    private final class TcpHandler extends ChannelInboundHandlerAdapter
    {
        public void channelActive(final ChannelHandlerContext ctx)
        {
            final Channel channel = ctx.channel();
            final Connection existing = channel.attr(CONNECTION).get();
            if (existing != null)
            {
                counters.tcpConnected.incrementRelease();
                existing.onConnected();
                return;
            }
            if (connections.size() >= settings.tcpMaxConnections())
            {
                counters.tcpRejected.incrementRelease();
                channel.close();
                return;
            }
            final long remoteId = remotes.intern((InetSocketAddress)channel.remoteAddress());
            final Connection connection = new Connection(
                connections.nextConnectionId(), remoteId, channel, clock.nanoTime());
            channel.attr(CONNECTION).set(connection);
            connections.add(connection);
            counters.tcpAccepted.incrementRelease();
            counters.tcpConnectionsOpen.incrementRelease();
        }

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf bytes = (ByteBuf)msg;
            try
            {
                final Connection connection = ctx.channel().attr(CONNECTION).get();
                if (connection == null || connection.closed)
                {
                    return;
                }
                final int length = bytes.readableBytes();
                connection.lastActivityNs = clock.nanoTime();
                counters.tcpBytesIn.getAndAddRelease(length);
                final int result;
                if (bytes.hasMemoryAddress())
                {
                    receiveView.wrap(bytes.memoryAddress() + bytes.readerIndex(), length);
                    result = connection.onBytes(receiveView, 0, length, handler, counters);
                }
                else
                {
                    final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
                    bytes.getBytes(bytes.readerIndex(), copy.byteArray());
                    result = connection.onBytes(copy, 0, length, handler, counters);
                }
                if (result == TcpConnection.FRAMING_ERROR)
                {
                    counters.tcpFramingErrors.incrementRelease();
                    closeConnection(connection);
                }
                else
                {
                    delivered += result;
                }
            }
            finally
            {
                bytes.release();
            }
        }

        public void channelInactive(final ChannelHandlerContext ctx)
        {
            final Connection connection = ctx.channel().attr(CONNECTION).get();
            if (connection != null)
            {
                closeConnection(connection);
            }
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            counters.sendFailed.incrementRelease();
            final Connection connection = ctx.channel().attr(CONNECTION).get();
            if (connection != null)
            {
                closeConnection(connection);
            }
            else
            {
                ctx.close();
            }
        }
    }

    /**
     * A TCP connection: its channel, and what was sent before it connected.
     */
    private final class Connection extends TcpConnection
    {
        private final Channel channel;
        private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
        private int queuedBytes;
        private boolean dirty;

        Connection(
            final long connectionId, final long remoteId, final Channel channel, final long nowNs)
        {
            super(connectionId, remoteId, settings.tcpMaxMessageBytes(), errorHandler, nowNs);
            this.channel = channel;
        }

        void sendPong()
        {
            write(PONG, 0, PONG.capacity());
        }

        boolean write(final DirectBuffer buffer, final int offset, final int length)
        {
            if (connecting)
            {
                if (queuedBytes + length > settings.tcpSendQueueBytes())
                {
                    counters.sendQueueFull.incrementRelease();
                    return false;
                }
                queued.add(copy(channel, buffer, offset, length));
                queuedBytes += length;
                return true;
            }
            if (!channel.isWritable())
            {
                counters.sendQueueFull.incrementRelease();
                return false;
            }
            lastActivityNs = clock.nanoTime();
            channel.write(copy(channel, buffer, offset, length), channel.voidPromise());
            if (!dirty)
            {
                dirty = true;
                EpollSipTransport.this.dirty.add(this);
            }
            return true;
        }

        void onConnected()
        {
            connecting = false;
            lastActivityNs = clock.nanoTime();
            ByteBuf bytes;
            while ((bytes = queued.poll()) != null)
            {
                channel.write(bytes, channel.voidPromise());
            }
            queuedBytes = 0;
            channel.flush();
        }

        void releaseQueued()
        {
            ByteBuf bytes;
            while ((bytes = queued.poll()) != null)
            {
                bytes.release();
            }
            queuedBytes = 0;
        }
    }
}
