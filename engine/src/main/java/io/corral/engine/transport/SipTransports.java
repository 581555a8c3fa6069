package io.corral.engine.transport;

import io.netty.channel.epoll.Epoll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens the {@link SipTransport} implementation {@code corral.sip.transport.kind} asks for. With {@code auto}: epoll
 * when Netty's native library loads, else NIO, with one INFO line saying why.
 */
public final class SipTransports
{
    private static final Logger LOG = LoggerFactory.getLogger(SipTransports.class);
    private static final AtomicBoolean KIND_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean BUFFERS_CHECKED = new AtomicBoolean();

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
        final SipTransport transport = TransportConfiguration.KIND_EPOLL.equals(resolveKind(settings)) ?
            new EpollSipTransport(settings, port, counters) : new NioSipTransport(settings, port, counters);
        if (BUFFERS_CHECKED.compareAndSet(false, true))
        {
            warnIfCapped("SO_RCVBUF", settings.rcvbufBytes(), transport.receiveBufferBytes(), "net.core.rmem_max");
            warnIfCapped("SO_SNDBUF", settings.sndbufBytes(), transport.sendBufferBytes(), "net.core.wmem_max");
        }
        return transport;
    }

    private static void warnIfCapped(final String option, final int requested, final int granted, final String sysctl)
    {
        if (granted < requested)
        {
            LOG.warn("SIP socket {} is {} bytes, less than the {} requested: raise the sysctl {}",
                option, granted, requested, sysctl);
        }
    }
}
