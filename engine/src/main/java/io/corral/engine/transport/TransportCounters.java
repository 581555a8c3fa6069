package io.corral.engine.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.charset.StandardCharsets;

/**
 * The counters of one SIP agent's transport, in the member's status file. Each has type id
 * {@link #TRANSPORT_COUNTER_TYPE_ID} and an 8-byte key: the agent index (int) then the counter kind (int, one of the
 * {@code *_KIND} constants), so tools find a counter by type and key rather than by allocation order. Labels read
 * {@code sip-N: <what>}. Only the owning agent writes them (release stores, no locked instructions).
 */
public final class TransportCounters
{
    /** Type id of transport counters. */
    public static final int TRANSPORT_COUNTER_TYPE_ID = 10;

    /** UDP datagrams received. */
    public static final int UDP_DATAGRAMS_IN_KIND = 0;
    /** UDP bytes received. */
    public static final int UDP_BYTES_IN_KIND = 1;
    /** UDP datagrams sent. */
    public static final int UDP_DATAGRAMS_OUT_KIND = 2;
    /** UDP bytes sent. */
    public static final int UDP_BYTES_OUT_KIND = 3;
    /** SIP messages framed from TCP streams. */
    public static final int TCP_MESSAGES_IN_KIND = 4;
    /** TCP bytes received. */
    public static final int TCP_BYTES_IN_KIND = 5;
    /** SIP messages sent on TCP. */
    public static final int TCP_MESSAGES_OUT_KIND = 6;
    /** TCP bytes sent. */
    public static final int TCP_BYTES_OUT_KIND = 7;
    /** TCP connections open now. */
    public static final int TCP_CONNECTIONS_OPEN_KIND = 8;
    /** TCP connections accepted. */
    public static final int TCP_ACCEPTED_KIND = 9;
    /** TCP connections opened to remotes. */
    public static final int TCP_CONNECTED_KIND = 10;
    /** TCP connections closed, for any reason. */
    public static final int TCP_CLOSED_KIND = 11;
    /** TCP connections closed for being idle. */
    public static final int TCP_IDLE_CLOSED_KIND = 12;
    /** TCP connections closed because their stream could not be framed. */
    public static final int TCP_FRAMING_ERRORS_KIND = 13;
    /** RFC 5626 keep-alive pings answered. */
    public static final int TCP_KEEPALIVES_KIND = 14;
    /** TCP connections refused at the connection limit. */
    public static final int TCP_REJECTED_KIND = 15;
    /** Sends dropped because a send queue or socket buffer was full. */
    public static final int SEND_QUEUE_FULL_KIND = 16;
    /** Sends dropped for an unknown remote, a failed connect, or a socket error. */
    public static final int SEND_FAILED_KIND = 17;
    /** Received datagrams dropped: truncated (too long) or unreadable. */
    public static final int RECEIVE_DROPS_KIND = 18;
    /** RFC 5389 Binding requests answered on the UDP port: RFC 5626 §4.4.2 keep-alives of outbound flows. */
    public static final int STUN_KEEPALIVES_KIND = 19;

    private static final String[] LABELS =
    {
        "UDP datagrams in",
        "UDP bytes in",
        "UDP datagrams out",
        "UDP bytes out",
        "TCP messages in",
        "TCP bytes in",
        "TCP messages out",
        "TCP bytes out",
        "TCP connections open",
        "TCP connections accepted",
        "TCP connections opened",
        "TCP connections closed",
        "TCP connections closed idle",
        "TCP framing errors",
        "TCP keep-alive pings answered",
        "TCP connections rejected (limit)",
        "Sends dropped: queue full",
        "Sends dropped: failed",
        "Datagrams dropped on receive",
        "STUN keep-alives answered",
    };

    final AtomicCounter udpDatagramsIn;
    final AtomicCounter udpBytesIn;
    final AtomicCounter udpDatagramsOut;
    final AtomicCounter udpBytesOut;
    final AtomicCounter tcpMessagesIn;
    final AtomicCounter tcpBytesIn;
    final AtomicCounter tcpMessagesOut;
    final AtomicCounter tcpBytesOut;
    final AtomicCounter tcpConnectionsOpen;
    final AtomicCounter tcpAccepted;
    final AtomicCounter tcpConnected;
    final AtomicCounter tcpClosed;
    final AtomicCounter tcpIdleClosed;
    final AtomicCounter tcpFramingErrors;
    final AtomicCounter tcpKeepalives;
    final AtomicCounter tcpRejected;
    final AtomicCounter sendQueueFull;
    final AtomicCounter sendFailed;
    final AtomicCounter receiveDrops;
    final AtomicCounter stunKeepalives;
    private final AtomicCounter[] all = new AtomicCounter[LABELS.length];
    private final int agentIndex;

    /**
     * Allocate one agent's transport counters.
     *
     * @param countersManager of the member's status file.
     * @param agentIndex      the SIP agent, 0-based.
     */
    public TransportCounters(final CountersManager countersManager, final int agentIndex)
    {
        this.agentIndex = agentIndex;
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        for (int kind = 0; kind < LABELS.length; kind++)
        {
            key.putInt(0, agentIndex);
            key.putInt(4, kind);
            final String label = "sip-" + agentIndex + ": " + LABELS[kind];
            final UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(StandardCharsets.US_ASCII));
            all[kind] = countersManager.newCounter(
                TRANSPORT_COUNTER_TYPE_ID, key, 0, key.capacity(), labelBuffer, 0, labelBuffer.capacity());
        }
        udpDatagramsIn = all[UDP_DATAGRAMS_IN_KIND];
        udpBytesIn = all[UDP_BYTES_IN_KIND];
        udpDatagramsOut = all[UDP_DATAGRAMS_OUT_KIND];
        udpBytesOut = all[UDP_BYTES_OUT_KIND];
        tcpMessagesIn = all[TCP_MESSAGES_IN_KIND];
        tcpBytesIn = all[TCP_BYTES_IN_KIND];
        tcpMessagesOut = all[TCP_MESSAGES_OUT_KIND];
        tcpBytesOut = all[TCP_BYTES_OUT_KIND];
        tcpConnectionsOpen = all[TCP_CONNECTIONS_OPEN_KIND];
        tcpAccepted = all[TCP_ACCEPTED_KIND];
        tcpConnected = all[TCP_CONNECTED_KIND];
        tcpClosed = all[TCP_CLOSED_KIND];
        tcpIdleClosed = all[TCP_IDLE_CLOSED_KIND];
        tcpFramingErrors = all[TCP_FRAMING_ERRORS_KIND];
        tcpKeepalives = all[TCP_KEEPALIVES_KIND];
        tcpRejected = all[TCP_REJECTED_KIND];
        sendQueueFull = all[SEND_QUEUE_FULL_KIND];
        sendFailed = all[SEND_FAILED_KIND];
        receiveDrops = all[RECEIVE_DROPS_KIND];
        stunKeepalives = all[STUN_KEEPALIVES_KIND];
    }

    /**
     * @return the SIP agent these counters belong to, 0-based.
     */
    public int agentIndex()
    {
        return agentIndex;
    }

    /**
     * @param kind one of the {@code *_KIND} constants.
     * @return the counter's current value.
     */
    public long get(final int kind)
    {
        return all[kind].get();
    }
}
