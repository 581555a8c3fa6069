package io.corral.engine.transport;

import org.agrona.DirectBuffer;

import java.util.function.BooleanSupplier;

/**
 * One SIP agent's sockets: a UDP socket and a TCP listener on the SIP address and port (shared with the other agents
 * through SO_REUSEPORT), plus the TCP connections it accepted or opened. Every method is called from the owning agent's
 * thread only; nothing blocks. Implementations: {@link EpollSipTransport} and {@link NioSipTransport}, chosen by
 * {@link SipTransports#open}.
 */
public interface SipTransport extends AutoCloseable
{
    /** Transport code of UDP: the codec's Via/URI transport code. */
    int UDP = io.corral.engine.sip.codec.TransportProtocol.UDP;
    /** Transport code of TCP: the codec's Via/URI transport code. */
    int TCP = io.corral.engine.sip.codec.TransportProtocol.TCP;
    /** Connection id of UDP messages, and "any connection" for sends. */
    long NO_CONNECTION = 0;
    /**
     * Connection id of UDP messages that came on the agent's own socket ({@link #openAgentSocket}), and of sends that
     * leave from it.
     */
    long AGENT_SOCKET = 1;
    /** Connection ids carry the owning agent's index above this bit. */
    int CONNECTION_AGENT_SHIFT = 48;

    /**
     * Which agent owns a connection: only that agent's transport can send on it, so another agent hands such a send
     * to it.
     *
     * @param connectionId a connection id from {@link SipPacketHandler#onMessage}.
     * @return the index of the SIP agent whose transport holds the connection.
     */
    static int agentIndexOf(final long connectionId)
    {
        return (int)(connectionId >>> CONNECTION_AGENT_SHIFT);
    }

    /**
     * Read what has arrived and deliver each SIP message to the handler, then flush the sends queued since the last
     * poll, close idle TCP connections and finish pending connects. Never blocks.
     *
     * @param handler receives each message.
     * @param limit   most socket reads per socket in this call: a read is one datagram, one recvmmsg batch, or one
     *                TCP read (which may hold several messages).
     * @return work done: messages delivered plus sockets serviced.
     */
    int poll(SipPacketHandler handler, int limit);

    /**
     * @return true if {@link #await} can block until a socket is readable (epoll), false if it only polls (NIO).
     */
    boolean canAwait();

    /**
     * Like {@link #poll}, but when nothing is ready block until a socket is readable, {@link #wakeup()} is called, or
     * {@code waitNs} pass. It announces that it is about to block before it asks {@code otherWork} a last time: work
     * published before that answer is seen by it, work published after it wakes the transport through
     * {@link #wakeup()}. Messages that arrive during the wait are delivered to the handler before this returns. A
     * transport that cannot block ({@link #canAwait()} false) polls once.
     *
     * @param handler   receives each message.
     * @param limit     as for {@link #poll}.
     * @param waitNs    the longest wait, 1 or more.
     * @param otherWork true if work that is not this transport's is waiting: then this does not block.
     * @return work done, as for {@link #poll}.
     */
    int await(SipPacketHandler handler, int limit, long waitNs, BooleanSupplier otherWork);

    /**
     * Wake the owning thread from {@link #await}; any thread. Cheap when it is not blocked: no syscall.
     */
    void wakeup();

    /**
     * Send one SIP message. The bytes are copied before this returns. UDP: to the remote. TCP: on the given connection
     * if it is open, else on an open connection to the remote (the one it last sent on), else on a new connection
     * opened now without blocking, the bytes queued (bounded) until it connects. Bytes leave at the end of the
     * current or next {@link #poll}.
     *
     * @param remoteId     destination, see {@link RemoteAddressTable}.
     * @param transport    {@link #UDP} or {@link #TCP}.
     * @param connectionId the connection a request came on (responses, in-dialog requests), or
     *                     {@link #NO_CONNECTION}.
     * @param buffer       holding the message.
     * @param offset       of the first byte.
     * @param length       of the message.
     * @return false if the message was dropped (counted): unknown remote, queue full, no connection possible, TCP
     * disabled.
     */
    boolean send(long remoteId, int transport, long connectionId, DirectBuffer buffer, int offset, int length);

    /**
     * Bind a second UDP socket that only this agent reads, without SO_REUSEPORT: a peer that sends to its port
     * reaches this agent directly. Messages that arrive on it come with {@link #AGENT_SOCKET} as their connection id,
     * and a UDP send with that id leaves from it.
     *
     * @param port the port, on the transport's address.
     * @throws java.io.UncheckedIOException if it cannot be bound.
     * @throws IllegalStateException if this transport cannot (NIO), naming the key that asked for it.
     */
    void openAgentSocket(int port);

    /**
     * Reuse a connection for requests to another address of its peer (RFC 5923): after a request arrives with
     * {@code ;alias} in its top Via, alias the Via sent-by to the connection it came on. One alias per connection;
     * it ends with the connection.
     *
     * @param connectionId an open connection.
     * @param remoteId     the peer's advertised address (Via sent-by), see {@link RemoteAddressTable}.
     * @return false if the connection is not open.
     */
    boolean alias(long connectionId, long remoteId);

    /**
     * @return the address ids of this transport's remotes.
     */
    RemoteAddressTable remotes();

    /**
     * @return the bound port (useful when the configured port was 0).
     */
    int localPort();

    /**
     * @return the address for Via and Record-Route: {@code corral.sip.advertised.address}, else the listen address.
     */
    String advertisedAddress();

    /**
     * @return the port for Via and Record-Route: {@code corral.sip.advertised.port}, else {@link #localPort()}.
     */
    int advertisedPort();

    /**
     * @return {@link #advertisedAddress()}{@code :}{@link #advertisedPort()} in ASCII (an IPv6 address in brackets),
     * ready to copy into a Via sent-by or a Record-Route URI; read-only, never reallocated.
     */
    DirectBuffer advertisedSentBy();

    /**
     * @return the UDP socket's SO_RCVBUF as the kernel reports it (Linux doubles the request, then caps it).
     */
    int receiveBufferBytes();

    /**
     * Read from the kernel now (a cost that grows with the host's UDP sockets: call it when it matters).
     *
     * @return bytes waiting in the receive queue of the fullest of this transport's UDP sockets, comparable with
     * {@link #receiveBufferBytes()}; -1 when the kernel does not say (NIO, no /proc).
     */
    int receiveQueueBytes();

    /**
     * @return the UDP socket's SO_SNDBUF as the kernel reports it.
     */
    int sendBufferBytes();

    /**
     * @return {@link TransportConfiguration#KIND_EPOLL} or {@link TransportConfiguration#KIND_NIO}.
     */
    String kind();

    /**
     * @return open TCP connections, accepted and outgoing.
     */
    int tcpConnectionCount();

    /**
     * @param connectionId a connection.
     * @return true if it is open (or connecting).
     */
    boolean isOpen(long connectionId);

    /**
     * Close every socket and connection. Call from the owning thread, or after it stopped.
     */
    void close();
}
