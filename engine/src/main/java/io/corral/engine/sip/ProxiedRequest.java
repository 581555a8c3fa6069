package io.corral.engine.sip;

import io.corral.engine.proxy.ResponseContext;
import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.transaction.TransactionLayer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * One request this agent proxies statefully, from the server transaction's start to its final response: the
 * {@link ResponseContext} of its branches, a copy of the request as received (to build local responses upstream:
 * 408, 500, RFC 3261 §16.7) and, for an INVITE, what the dialog needs from the caller's side. Pooled by the
 * {@link SipAgent}: reused, never allocated per request in steady state.
 */
final class ProxiedRequest
{
    private static final int INITIAL_COPY_BYTES = 4096;

    final ResponseContext response;
    final long[] clients = new long[ResponseContext.MAX_BRANCHES];
    private final NameAddrDecoder contact = new NameAddrDecoder();
    UnsafeBuffer request = new UnsafeBuffer(new byte[INITIAL_COPY_BYTES]);
    int requestLength;
    int poolIndex;
    long serverTxId = TransactionLayer.NULL_ID;
    long timerId = TransactionLayer.NULL_ID;
    boolean invite;
    int contactOffset;
    int contactLength;
    long callerRemoteId;
    int callerTransport;

    ProxiedRequest(final long timerCMs, final int bestResponseCapacity)
    {
        response = new ResponseContext(timerCMs, bestResponseCapacity);
    }

    /**
     * Start proxying a request.
     *
     * @param serverTxId      its server transaction.
     * @param received        the request as decoded.
     * @param isInvite        true for an INVITE.
     * @param callerRemoteId  where its responses go.
     * @param callerTransport the transport it came on.
     */
    void start(
        final long serverTxId,
        final SipMessageDecoder received,
        final boolean isInvite,
        final long callerRemoteId,
        final int callerTransport)
    {
        this.serverTxId = serverTxId;
        this.invite = isInvite;
        this.callerRemoteId = callerRemoteId;
        this.callerTransport = callerTransport;
        timerId = TransactionLayer.NULL_ID;
        Arrays.fill(clients, TransactionLayer.NULL_ID);
        final int length = received.messageLength();
        if (request.capacity() < length)
        {
            // Rare: a request larger than every one before; the copy grows once and stays.
            request = new UnsafeBuffer(new byte[Math.max(length, request.capacity() * 2)]);
        }
        final DirectBuffer buffer = received.buffer();
        final int offset = received.messageOffset();
        request.putBytes(0, buffer, offset, length);
        requestLength = length;
        contactOffset = 0;
        contactLength = 0;
        final int index = isInvite ? received.firstIndexOf(HeaderName.CONTACT) : -1;
        if (index >= 0 && contact.wrap(buffer, received.valueOffset(index), received.valueLength(index)))
        {
            contactOffset = contact.uriOffset() - offset;
            contactLength = contact.uriLength();
        }
        response.reset(isInvite);
    }

    void clear()
    {
        serverTxId = TransactionLayer.NULL_ID;
        timerId = TransactionLayer.NULL_ID;
        requestLength = 0;
    }

    int branchOf(final long clientTxId)
    {
        for (int i = 0; i < clients.length; i++)
        {
            if (clients[i] == clientTxId)
            {
                return i;
            }
        }
        return -1;
    }
}
