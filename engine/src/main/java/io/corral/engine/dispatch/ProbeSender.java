package io.corral.engine.dispatch;

import org.agrona.DirectBuffer;

/**
 * Sends the OPTIONS probes the {@link BackendProber} builds; the SIP agent implements it with its transport
 * ({@link Dispatcher#address} and {@link Dispatcher#transport} give where).
 */
@FunctionalInterface
public interface ProbeSender
{
    /**
     * @param backend the backend slot to send to.
     * @param buffer  holding the request.
     * @param offset  of the request.
     * @param length  of the request.
     * @return false if it could not be sent (counted as a failed probe at once).
     */
    boolean send(int backend, DirectBuffer buffer, int offset, int length);
}
