package io.corral.engine.sip.transaction;

import org.agrona.DirectBuffer;

/**
 * Receives the packets another SIP agent handed over, in the owning agent's duty cycle.
 */
@FunctionalInterface
public interface HandoverHandler
{
    /**
     * @param buffer       holding the packet; valid only during the call.
     * @param offset       of the first byte.
     * @param length       of the packet.
     * @param remoteId     where the packet came from.
     * @param transport    a {@link io.corral.engine.sip.codec.TransportProtocol} code.
     * @param connectionId the connection it arrived on, else 0.
     */
    void onHandover(DirectBuffer buffer, int offset, int length, long remoteId, int transport, long connectionId);
}
