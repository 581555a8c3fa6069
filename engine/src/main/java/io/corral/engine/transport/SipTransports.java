package io.corral.engine.transport;

import io.netty.channel.epoll.Epoll;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens the {@link SipTransport} implementation {@code corral.sip.transport.kind} asks for. With {@code auto}: epoll
 * when Netty's native library loads, else NIO, with one INFO line saying why.
 */
public final class SipTransports
{
    private static final int ANY_PORT_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SipTransports.class);
    private static final AtomicBoolean KIND_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean BUFFERS_CHECKED = new AtomicBoolean();
    private static final long WARM_UP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final byte[] WARM_UP_MESSAGE = ("OPTIONS sip:warm-up@127.0.0.1 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-warm-up\r\nMax-Forwards: 0\r\nCall-ID: warm-up\r\n" +
        "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WARM_UP_RESPONSE = ("SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-warm-up\r\nCall-ID: warm-up\r\n" +
        "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private SipTransports()
    {
    }

    /**
     * @param settings the transport settings.
     * @return {@link TransportConfiguration#KIND_EPOLL} or {@link TransportConfiguration#KIND_NIO}.
     * @throws IllegalStateException if epoll was asked for and is unavailable.
     */
    public static String resolveKind(final TransportSettings settings)
    {
        final String kind = settings.kind();
        if (TransportConfiguration.KIND_NIO.equals(kind))
        {
            return kind;
        }
        if (Epoll.isAvailable())
        {
            return TransportConfiguration.KIND_EPOLL;
        }
        if (TransportConfiguration.KIND_EPOLL.equals(kind))
        {
            throw new IllegalStateException(
                "corral.sip.transport.kind=epoll but epoll is unavailable: " + Epoll.unavailabilityCause());
        }
        if (KIND_LOGGED.compareAndSet(false, true))
        {
            LOG.info("SIP transport: NIO, because epoll is unavailable: {}",
                String.valueOf(Epoll.unavailabilityCause()));
        }
        return TransportConfiguration.KIND_NIO;
    }

    /**
     * Open one SIP agent's transport. With epoll, call this on the thread that will poll it.
     *
     * @param settings the transport settings.
     * @param port     the port: {@link TransportSettings#port()} for the first agent, that agent's
     *                 {@link SipTransport#localPort()} for the others (they share it through SO_REUSEPORT).
     * @param counters the agent's counters.
     * @return the bound transport.
     */
    public static SipTransport open(final TransportSettings settings, final int port, final TransportCounters counters)
    {
        return open(
            settings, settings.address(), port, counters, new RemoteAddressTable(settings.remoteTableCapacity()));
    }

    /**
     * Open one SIP agent's transport on one of several local addresses. With epoll, call this on the thread that
     * will poll it.
     *
     * @param settings the transport settings.
     * @param address  the local address to bind.
     * @param port     the port.
     * @param counters the agent's counters.
     * @param remotes  the agent's remote address table, shared by all its transports.
     * @return the bound transport.
     */
    public static SipTransport open(
        final TransportSettings settings,
        final String address,
        final int port,
        final TransportCounters counters,
        final RemoteAddressTable remotes)
    {
        final boolean epoll = TransportConfiguration.KIND_EPOLL.equals(resolveKind(settings));
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                final SipTransport transport = epoll ?
                    new EpollSipTransport(settings, address, port, counters, remotes) :
                    new NioSipTransport(settings, address, port, counters, remotes);
                // Every agent's transport comes through here: the first tells whether the kernel capped the buffers.
                if (BUFFERS_CHECKED.compareAndSet(false, true))
                {
                    warnIfCapped("SO_RCVBUF", settings.rcvbufBytes(), transport.receiveBufferBytes(),
                        "net.core.rmem_max");
                    warnIfCapped("SO_SNDBUF", settings.sndbufBytes(), transport.sendBufferBytes(),
                        "net.core.wmem_max");
                }
                return transport;
            }
            catch (final UncheckedIOException ex)
            {
                // Port 0 binds UDP to a free port, then TCP to the same number, which another process's TCP socket
                // may hold: another free port will do.
                if (port != 0 || attempt == ANY_PORT_ATTEMPTS)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * Check that no other process listens on a SIP address and port. The SIP sockets use SO_REUSEPORT so that a
     * member's agents share the port, which would also let a second member on the same host bind it and silently
     * take half the traffic: a plain bind without SO_REUSEPORT fails when any socket holds the port.
     *
     * @param address    the local address.
     * @param port       the port; 0 is never in use.
     * @param tcpEnabled whether the TCP port is checked too.
     * @throws IllegalStateException naming the address and port when one is taken.
     */
    public static void ensurePortFree(final String address, final int port, final boolean tcpEnabled)
    {
        if (port == 0)
        {
            return;
        }
        final InetSocketAddress socketAddress = new InetSocketAddress(address, port);
        try (DatagramSocket udp = new DatagramSocket(null))
        {
            udp.bind(socketAddress);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("UDP " + address + ":" + port + " is in use by another process", ex);
        }
        if (tcpEnabled)
        {
            try (ServerSocket tcp = new ServerSocket())
            {
                tcp.setReuseAddress(true);
                tcp.bind(socketAddress);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("TCP " + address + ":" + port + " is in use by another process", ex);
            }
        }
    }

    /**
     * Run the transport's receive and send paths on a throwaway loopback transport of the same kind, so that class
     * loading, JIT and buffer pool set-up happen before traffic does (Netty's first reply takes hundreds of
     * milliseconds cold). The transport sends datagrams to itself, and TCP messages to its own listener over a
     * connection it opens, answered on the accepted connection. Call it on the agent thread before
     * {@link #open}: pooled buffer caches are per thread.
     *
     * @param settings the member's transport settings (the kind and limits are used; the address is loopback).
     * @param rounds   UDP and TCP round trips to make.
     * @return messages delivered, {@code 4 * rounds} when TCP is enabled, else {@code 2 * rounds}.
     */
    public static int warmUp(final TransportSettings settings, final int rounds)
    {
        final CountersManager countersManager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(32 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(32 * CountersReader.COUNTER_LENGTH)));
        final TransportSettings loopback = new TransportSettings()
            .kind(resolveKind(settings))
            .address("127.0.0.1")
            .port(0)
            .rcvbufBytes(settings.rcvbufBytes())
            .sndbufBytes(settings.sndbufBytes())
            .maxDatagramBytes(settings.maxDatagramBytes())
            .recvmmsgBatch(settings.recvmmsgBatch())
            .tcpEnabled(settings.tcpEnabled())
            .tcpMaxMessageBytes(settings.tcpMaxMessageBytes());
        final WarmUpEcho echo = new WarmUpEcho();
        final SipTransport transport = open(loopback, loopback.address(), 0, new TransportCounters(countersManager, 0),
            new RemoteAddressTable(loopback.remoteTableCapacity()));
        try
        {
            echo.transport = transport;
            final long self = RemoteAddressTable.ipv4Id(0x7F00_0001, transport.localPort());
            final UnsafeBuffer message = new UnsafeBuffer(WARM_UP_MESSAGE);
            final long deadlineNs = System.nanoTime() + WARM_UP_TIMEOUT_NS;
            for (int i = 0; i < rounds && System.nanoTime() - deadlineNs < 0; i++)
            {
                final int expected = echo.delivered + (settings.tcpEnabled() ? 4 : 2);
                transport.send(self, SipTransport.UDP, SipTransport.NO_CONNECTION, message, 0, message.capacity());
                if (settings.tcpEnabled())
                {
                    transport.send(self, SipTransport.TCP, SipTransport.NO_CONNECTION, message, 0, message.capacity());
                }
                while (echo.delivered < expected && System.nanoTime() - deadlineNs < 0)
                {
                    transport.poll(echo, 16);
                }
            }
            return echo.delivered;
        }
        finally
        {
            transport.close();
        }
    }

    /**
     * @param address an address literal.
     * @param port    a port.
     * @return {@code address:port} in ASCII, an IPv6 address in brackets.
     */
    static UnsafeBuffer sentBy(final String address, final int port)
    {
        final String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return new UnsafeBuffer((host + ":" + port).getBytes(StandardCharsets.US_ASCII));
    }

    private static void warnIfCapped(final String option, final int requested, final int granted, final String sysctl)
    {
        if (granted < requested)
        {
            LOG.warn("SIP socket {} is {} bytes, less than the {} requested: raise the sysctl {}",
                option, granted, requested, sysctl);
        }
    }

    /**
     * Answers each warm-up request with a response on the transport and connection it came on.
     */
    private static final class WarmUpEcho implements SipPacketHandler
    {
        private final UnsafeBuffer response = new UnsafeBuffer(WARM_UP_RESPONSE);
        private SipTransport transport;
        private int delivered;

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final long remoteId, final int transport,
            final long connectionId)
        {
            delivered++;
            if (buffer.getByte(offset) == 'O')
            {
                this.transport.send(remoteId, transport, connectionId, response, 0, response.capacity());
            }
        }
    }
}
