package io.corral.engine.sip.transaction;

import org.agrona.DirectBuffer;

/**
 * Where the transaction layer sends messages: the SIP agent's transport. Destinations are opaque to the layer.
 */
@FunctionalInterface
public interface TransactionOutput
{
    /**
     * Send one message; must not keep a reference to {@code buffer} after returning.
     *
     * @param remoteId     the interned remote address.
     * @param transport    a {@link io.corral.engine.sip.codec.TransportProtocol} code.
     * @param connectionId the connection for connection-oriented transports, else 0.
     * @param buffer       holding the message.
     * @param offset       of the first byte.
     * @param length       of the message.
     * @return false on a transport error (the transaction then ends, RFC 3261 §17.1.4, §17.2.4).
     */
    boolean send(long remoteId, int transport, long connectionId, DirectBuffer buffer, int offset, int length);
}
