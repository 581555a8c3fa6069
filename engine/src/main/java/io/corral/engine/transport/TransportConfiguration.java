package io.corral.engine.transport;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueType;
import io.corral.engine.config.ValueTypes;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Keys of the SIP transport (UDP and TCP sockets). The listen address and port are
 * {@link io.corral.engine.SipConfiguration}'s {@code corral.sip.address} and {@code corral.sip.port}.
 */
public final class TransportConfiguration
{
    /** {@link #TRANSPORT_KIND}: epoll when the native library loads, else NIO with one log line saying why. */
    public static final String KIND_AUTO = "auto";
    /** {@link #TRANSPORT_KIND}: Netty's epoll native transport; start-up fails where it is unavailable. */
    public static final String KIND_EPOLL = "epoll";
    /** {@link #TRANSPORT_KIND}: plain JDK NIO channels. */
    public static final String KIND_NIO = "nio";

    /** Which socket implementation to use. */
    public static final ConfigKey TRANSPORT_KIND = ConfigKey.of(
        "corral.sip.transport.kind", KIND_AUTO, ValueTypes.oneOf(KIND_AUTO, KIND_EPOLL, KIND_NIO),
        "Socket implementation: auto (epoll if available, else NIO, logged once), epoll, or nio.");

    /** Requested SO_RCVBUF of every SIP socket. */
    public static final ConfigKey SOCKET_RCVBUF_BYTES = ConfigKey.of(
        "corral.sip.socket.rcvbuf.bytes", "4194304", ValueTypes.integer(65536, 1 << 30),
        "SO_RCVBUF requested for SIP sockets; a warning at start if the kernel grants less (raise " +
        "net.core.rmem_max).");

    /** Requested SO_SNDBUF of every SIP socket. */
    public static final ConfigKey SOCKET_SNDBUF_BYTES = ConfigKey.of(
        "corral.sip.socket.sndbuf.bytes", "4194304", ValueTypes.integer(65536, 1 << 30),
        "SO_SNDBUF requested for SIP sockets; a warning at start if the kernel grants less (raise " +
        "net.core.wmem_max).");

    /** Largest UDP datagram received whole; longer ones are truncated by the kernel and dropped. */
    public static final ConfigKey UDP_MAX_DATAGRAM_BYTES = ConfigKey.of(
        "corral.sip.udp.max.datagram.bytes", "65535", ValueTypes.integer(1500, 65535),
        "Largest SIP datagram received whole; a longer one is counted as dropped.");

    /** Datagrams per recvmmsg call (epoll only); 0 reads one datagram per recvmsg. */
    public static final ConfigKey UDP_RECVMMSG_BATCH = ConfigKey.of(
        "corral.sip.udp.recvmmsg.batch", "16", ValueTypes.integer(0, 64, " (0 = off)"),
        "Datagrams read per recvmmsg call on epoll, into slots of max.datagram.bytes each (16 x 64 KiB = 1 MiB " +
        "per socket); one call per batch instead of one per datagram is what lets an overloaded member keep " +
        "serving calls while it sheds the rest.");

    /** Bind with IP_FREEBIND so a member can listen on a VIP it does not hold yet. */
    public static final ConfigKey FREEBIND = ConfigKey.of(
        "corral.sip.freebind", "false", ValueTypes.oneOf("true", "false"),
        "Bind SIP sockets with IP_FREEBIND (epoll only) to listen on a VIP this host does not hold yet.");

    /** Host or address written in Via and Record-Route; empty means the listen address. */
    public static final ConfigKey ADVERTISED_ADDRESS = ConfigKey.of(
        "corral.sip.advertised.address", "", hostOrEmpty(),
        "Host name or IP written in Via and Record-Route (e.g. the VIP, a NAT's public address or the edge's " +
        "public name); empty = corral.sip.address.");

    /** Port written in Via and Record-Route; 0 means the listen port. */
    public static final ConfigKey ADVERTISED_PORT = ConfigKey.of(
        "corral.sip.advertised.port", "0", ValueTypes.integer(0, 65535, " (0 = the listen port)"),
        "Port written in Via and Record-Route; 0 = the port the SIP sockets are bound to.");

    /** First port of the per-agent UDP sockets that steer each dialog's packets to the agent that owns it. */
    public static final ConfigKey AGENT_PORT_BASE = ConfigKey.of(
        "corral.sip.agent.port.base", "0", ValueTypes.integer(0, 65535, " (0 = off)"),
        "With several SIP agents, agent i also listens for UDP on this port + i, on its own socket, and writes that " +
        "port in the Via and Record-Route of the requests it forwards over UDP: responses and in-dialog requests " +
        "then reach the agent that owns the transaction and dialog, instead of any agent through SO_REUSEPORT " +
        "followed by a hand-over. Needs the epoll transport; with a load balancer in front, balance these ports " +
        "too. 0 = off: every packet arrives on the shared port.");

    /** Whether SIP over TCP is offered. */
    public static final ConfigKey TCP_ENABLED = ConfigKey.of(
        "corral.sip.tcp.enabled", "true", ValueTypes.oneOf("true", "false"),
        "Listen for SIP over TCP on the SIP address and port, and open TCP connections on demand.");

    /** A TCP connection without traffic in either direction for this long is closed. */
    public static final ConfigKey TCP_IDLE_TIMEOUT_MS = ConfigKey.of(
        "corral.sip.tcp.idle.timeout.ms", "600000", ValueTypes.integer(100, 86_400_000),
        "TCP connections with no traffic either way for this long are closed (keep-alives count as traffic).");

    /** An outgoing TCP connection not established within this time is closed and its queued messages dropped. */
    public static final ConfigKey TCP_CONNECT_TIMEOUT_MS = ConfigKey.of(
        "corral.sip.tcp.connect.timeout.ms", "10000", ValueTypes.integer(100, 600_000),
        "Outgoing TCP connections not established within this time are closed; their queued messages are dropped.");

    /** Most TCP connections one SIP agent holds, accepted and outgoing together. */
    public static final ConfigKey TCP_MAX_CONNECTIONS = ConfigKey.of(
        "corral.sip.tcp.max.connections", "4096", ValueTypes.integer(1, 1_000_000),
        "Most TCP connections per SIP agent; further accepts are closed at once and counted.");

    /** Largest SIP message accepted on a TCP stream. */
    public static final ConfigKey TCP_MAX_MESSAGE_BYTES = ConfigKey.of(
        "corral.sip.tcp.max.message.bytes", "65535", ValueTypes.integer(1024, 1 << 24),
        "Largest SIP message (headers and body) accepted on a TCP stream; a larger one closes the connection.");

    /** Bytes queued per TCP connection while it connects or the kernel's send buffer is full. */
    public static final ConfigKey TCP_SEND_QUEUE_BYTES = ConfigKey.of(
        "corral.sip.tcp.send.queue.bytes", "262144", ValueTypes.integer(4096, 1 << 30),
        "Bytes queued per TCP connection while it connects or its send buffer is full; sends beyond fail.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        TRANSPORT_KIND, SOCKET_RCVBUF_BYTES, SOCKET_SNDBUF_BYTES, UDP_MAX_DATAGRAM_BYTES,
        UDP_RECVMMSG_BATCH, FREEBIND, ADVERTISED_ADDRESS, ADVERTISED_PORT, AGENT_PORT_BASE, TCP_ENABLED,
        TCP_IDLE_TIMEOUT_MS, TCP_CONNECT_TIMEOUT_MS, TCP_MAX_CONNECTIONS, TCP_MAX_MESSAGE_BYTES, TCP_SEND_QUEUE_BYTES);

    /** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)" + LABEL + "(?:\\." + LABEL + ")*");

    private TransportConfiguration()
    {
    }

    private static ValueType hostOrEmpty()
    {
        final ValueType ip = ValueTypes.ipAddress();
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                return value.isEmpty() || ip.isValid(value) || HOST_NAME.matcher(value).matches();
            }

            public String expected()
            {
                return "a host name or IP literal, or empty for corral.sip.address";
            }
        };
    }
}
