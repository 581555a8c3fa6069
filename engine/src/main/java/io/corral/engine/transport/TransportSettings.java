package io.corral.engine.transport;

import io.corral.engine.SipConfiguration;
import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ConfigValues;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values a {@link SipTransport} is opened with: {@link #from(ConfigValues)} for a member, the fluent setters for
 * tests. Defaults are the keys' built-in defaults.
 */
public final class TransportSettings
{
    private static final Logger LOG = LoggerFactory.getLogger(TransportSettings.class);

    private String kind = TransportConfiguration.KIND_AUTO;
    private String address = SipConfiguration.SIP_ADDRESS.defaultValue();
    private int port = Integer.parseInt(SipConfiguration.SIP_PORT.defaultValue());
    private int rcvbufBytes = intDefault(TransportConfiguration.SOCKET_RCVBUF_BYTES);
    private int sndbufBytes = intDefault(TransportConfiguration.SOCKET_SNDBUF_BYTES);
    private int maxDatagramBytes = intDefault(TransportConfiguration.UDP_MAX_DATAGRAM_BYTES);
    private int recvmmsgBatch = intDefault(TransportConfiguration.UDP_RECVMMSG_BATCH);
    private boolean freebind;
    private String advertisedAddress = "";
    private int advertisedPort;
    private boolean tcpEnabled = true;
    private long tcpIdleTimeoutMs = intDefault(TransportConfiguration.TCP_IDLE_TIMEOUT_MS);
    private long tcpConnectTimeoutMs = intDefault(TransportConfiguration.TCP_CONNECT_TIMEOUT_MS);
    private int tcpMaxConnections = intDefault(TransportConfiguration.TCP_MAX_CONNECTIONS);
    private int tcpMaxMessageBytes = intDefault(TransportConfiguration.TCP_MAX_MESSAGE_BYTES);
    private int tcpSendQueueBytes = intDefault(TransportConfiguration.TCP_SEND_QUEUE_BYTES);
    private int remoteTableCapacity = RemoteAddressTable.DEFAULT_CAPACITY;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private ErrorHandler errorHandler = TransportSettings::logError;

    /**
     * @param config validated configuration values.
     * @return the settings of {@link SipConfiguration} and {@link TransportConfiguration} keys.
     */
    public static TransportSettings from(final ConfigValues config)
    {
        return new TransportSettings()
            .kind(config.string(TransportConfiguration.TRANSPORT_KIND))
            .address(config.string(SipConfiguration.SIP_ADDRESS))
            .port(config.intValue(SipConfiguration.SIP_PORT))
            .rcvbufBytes(config.intValue(TransportConfiguration.SOCKET_RCVBUF_BYTES))
            .sndbufBytes(config.intValue(TransportConfiguration.SOCKET_SNDBUF_BYTES))
            .maxDatagramBytes(config.intValue(TransportConfiguration.UDP_MAX_DATAGRAM_BYTES))
            .recvmmsgBatch(config.intValue(TransportConfiguration.UDP_RECVMMSG_BATCH))
            .freebind(Boolean.parseBoolean(config.string(TransportConfiguration.FREEBIND)))
            .advertisedAddress(config.string(TransportConfiguration.ADVERTISED_ADDRESS))
            .advertisedPort(config.intValue(TransportConfiguration.ADVERTISED_PORT))
            .tcpEnabled(Boolean.parseBoolean(config.string(TransportConfiguration.TCP_ENABLED)))
            .tcpIdleTimeoutMs(config.longValue(TransportConfiguration.TCP_IDLE_TIMEOUT_MS))
            .tcpConnectTimeoutMs(config.longValue(TransportConfiguration.TCP_CONNECT_TIMEOUT_MS))
            .tcpMaxConnections(config.intValue(TransportConfiguration.TCP_MAX_CONNECTIONS))
            .tcpMaxMessageBytes(config.intValue(TransportConfiguration.TCP_MAX_MESSAGE_BYTES))
            .tcpSendQueueBytes(config.intValue(TransportConfiguration.TCP_SEND_QUEUE_BYTES));
    }

    private static void logError(final Throwable ex)
    {
        LOG.error("SIP packet handler failed", ex);
    }

    private static int intDefault(final ConfigKey key)
    {
        return Integer.parseInt(key.defaultValue());
    }

    /**
     * @param kind one of the {@code TransportConfiguration.KIND_*} values.
     * @return this.
     */
    public TransportSettings kind(final String kind)
    {
        this.kind = kind;
        return this;
    }

    /**
     * @return one of the {@code TransportConfiguration.KIND_*} values.
     */
    public String kind()
    {
        return kind;
    }

    /**
     * @param address listen address literal.
     * @return this.
     */
    public TransportSettings address(final String address)
    {
        this.address = address;
        return this;
    }

    /**
     * @return listen address literal.
     */
    public String address()
    {
        return address;
    }

    /**
     * @param port listen port; 0 lets the first agent's socket pick one, which the others then share.
     * @return this.
     */
    public TransportSettings port(final int port)
    {
        this.port = port;
        return this;
    }

    /**
     * @return listen port, 0 for any.
     */
    public int port()
    {
        return port;
    }

    /**
     * @param bytes requested SO_RCVBUF.
     * @return this.
     */
    public TransportSettings rcvbufBytes(final int bytes)
    {
        this.rcvbufBytes = bytes;
        return this;
    }

    /**
     * @return requested SO_RCVBUF.
     */
    public int rcvbufBytes()
    {
        return rcvbufBytes;
    }

    /**
     * @param bytes requested SO_SNDBUF.
     * @return this.
     */
    public TransportSettings sndbufBytes(final int bytes)
    {
        this.sndbufBytes = bytes;
        return this;
    }

    /**
     * @return requested SO_SNDBUF.
     */
    public int sndbufBytes()
    {
        return sndbufBytes;
    }

    /**
     * @param bytes largest datagram received whole.
     * @return this.
     */
    public TransportSettings maxDatagramBytes(final int bytes)
    {
        this.maxDatagramBytes = bytes;
        return this;
    }

    /**
     * @return largest datagram received whole.
     */
    public int maxDatagramBytes()
    {
        return maxDatagramBytes;
    }

    /**
     * @param batch datagrams per recvmmsg, 0 for off.
     * @return this.
     */
    public TransportSettings recvmmsgBatch(final int batch)
    {
        this.recvmmsgBatch = batch;
        return this;
    }

    /**
     * @return datagrams per recvmmsg, 0 for off.
     */
    public int recvmmsgBatch()
    {
        return recvmmsgBatch;
    }

    /**
     * @param freebind bind with IP_FREEBIND.
     * @return this.
     */
    public TransportSettings freebind(final boolean freebind)
    {
        this.freebind = freebind;
        return this;
    }

    /**
     * @return bind with IP_FREEBIND.
     */
    public boolean freebind()
    {
        return freebind;
    }

    /**
     * @param address advertised address literal, empty for the listen address.
     * @return this.
     */
    public TransportSettings advertisedAddress(final String address)
    {
        this.advertisedAddress = address;
        return this;
    }

    /**
     * @return the address for Via and Record-Route: the configured one, else the listen address.
     */
    public String advertisedAddress()
    {
        return advertisedAddress.isEmpty() ? address : advertisedAddress;
    }

    /**
     * @param port advertised port, 0 for the bound port.
     * @return this.
     */
    public TransportSettings advertisedPort(final int port)
    {
        this.advertisedPort = port;
        return this;
    }

    /**
     * @return the configured advertised port, 0 when the bound port applies ({@link SipTransport#advertisedPort()}).
     */
    public int advertisedPort()
    {
        return advertisedPort;
    }

    /**
     * @param enabled offer SIP over TCP.
     * @return this.
     */
    public TransportSettings tcpEnabled(final boolean enabled)
    {
        this.tcpEnabled = enabled;
        return this;
    }

    /**
     * @return offer SIP over TCP.
     */
    public boolean tcpEnabled()
    {
        return tcpEnabled;
    }

    /**
     * @param timeoutMs idle time after which a TCP connection is closed.
     * @return this.
     */
    public TransportSettings tcpIdleTimeoutMs(final long timeoutMs)
    {
        this.tcpIdleTimeoutMs = timeoutMs;
        return this;
    }

    /**
     * @return idle time after which a TCP connection is closed.
     */
    public long tcpIdleTimeoutMs()
    {
        return tcpIdleTimeoutMs;
    }

    /**
     * @param timeoutMs time an outgoing TCP connection may take to establish.
     * @return this.
     */
    public TransportSettings tcpConnectTimeoutMs(final long timeoutMs)
    {
        this.tcpConnectTimeoutMs = timeoutMs;
        return this;
    }

    /**
     * @return time an outgoing TCP connection may take to establish.
     */
    public long tcpConnectTimeoutMs()
    {
        return tcpConnectTimeoutMs;
    }

    /**
     * @param max most TCP connections per agent.
     * @return this.
     */
    public TransportSettings tcpMaxConnections(final int max)
    {
        this.tcpMaxConnections = max;
        return this;
    }

    /**
     * @return most TCP connections per agent.
     */
    public int tcpMaxConnections()
    {
        return tcpMaxConnections;
    }

    /**
     * @param bytes largest SIP message on a stream.
     * @return this.
     */
    public TransportSettings tcpMaxMessageBytes(final int bytes)
    {
        this.tcpMaxMessageBytes = bytes;
        return this;
    }

    /**
     * @return largest SIP message on a stream.
     */
    public int tcpMaxMessageBytes()
    {
        return tcpMaxMessageBytes;
    }

    /**
     * @param bytes send queue bound per TCP connection.
     * @return this.
     */
    public TransportSettings tcpSendQueueBytes(final int bytes)
    {
        this.tcpSendQueueBytes = bytes;
        return this;
    }

    /**
     * @return send queue bound per TCP connection.
     */
    public int tcpSendQueueBytes()
    {
        return tcpSendQueueBytes;
    }

    /**
     * @param capacity most interned IPv6 remotes and cached IPv4 socket addresses per agent.
     * @return this.
     */
    public TransportSettings remoteTableCapacity(final int capacity)
    {
        this.remoteTableCapacity = capacity;
        return this;
    }

    /**
     * @return most interned IPv6 remotes and cached IPv4 socket addresses per agent.
     */
    public int remoteTableCapacity()
    {
        return remoteTableCapacity;
    }

    /**
     * @param clock the clock idle timeouts are measured with; tests inject a manual one.
     * @return this.
     */
    public TransportSettings nanoClock(final NanoClock clock)
    {
        this.nanoClock = clock;
        return this;
    }

    /**
     * @return the clock idle timeouts are measured with.
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param errorHandler receives what a {@link SipPacketHandler} throws; the transport carries on with the next
     *                     message. The member passes its counted, distinct error log handler.
     * @return this.
     */
    public TransportSettings errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * @return receives what a {@link SipPacketHandler} throws; by default logs it.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }
}
