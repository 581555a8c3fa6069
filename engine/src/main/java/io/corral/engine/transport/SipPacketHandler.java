package io.corral.engine.transport;

import org.agrona.DirectBuffer;

/**
 * Receives the SIP messages a {@link SipTransport} reads; called on the polling agent's thread.
 */
@FunctionalInterface
public interface SipPacketHandler
{
    /**
     * One SIP message: a UDP datagram, or a message framed from a TCP stream. The bytes are valid only during the
     * call (they are the transport's receive buffer): copy what must outlive it.
     *
     * @param buffer       holding the message.
     * @param offset       of the message's first byte.
     * @param length       of the message.
     * @param remoteId     the sender, see {@link RemoteAddressTable}.
     * @param transport    {@link SipTransport#UDP} or {@link SipTransport#TCP}.
     * @param connectionId the TCP connection, or {@link SipTransport#NO_CONNECTION} for UDP.
     */
    void onMessage(DirectBuffer buffer, int offset, int length, long remoteId, int transport, long connectionId);

    /**
     * An outgoing TCP connection opened by a send could not be established (refused, unreachable, connect timeout):
     * what was queued on it is gone, and nothing will ever arrive on it. Called from {@link SipTransport#poll}, never
     * from inside {@link SipTransport#send}.
     *
     * @param remoteId     the address it was opened to, see {@link RemoteAddressTable}.
     * @param connectionId the failed connection.
     */
    default void onConnectFailed(final long remoteId, final long connectionId)
    {
    }
}
