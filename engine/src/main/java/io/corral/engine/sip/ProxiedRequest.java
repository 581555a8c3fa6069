package io.corral.engine.sip;

import io.corral.engine.dispatch.Dispatcher;
import io.corral.engine.proxy.PeerAddress;
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
 * 408, 500, RFC 3261 §16.7, and to start further branches), for an INVITE what the dialog needs from the caller's
 * side, and the targets still to try: the next backends of a set (serial failover) or the contacts of a user
 * (parallel or serial forking, RFC 3261 §16.6). Pooled by the {@link SipAgent}: reused, never allocated per request
 * in steady state.
 */
final class ProxiedRequest
{
    /** One target chosen by the proxy core: no further targets. */
    static final int TARGET_ADDRESSED = 0;
    /** The registered contacts of a user, in {@link #contactCount} slots. */
    static final int TARGET_CONTACTS = 1;
    /** The backends of {@link #setId}, one at a time. */
    static final int TARGET_BACKENDS = 2;

    private static final int INITIAL_COPY_BYTES = 4096;
    private static final int CONTACT_URI_BYTES = 512;

    final ResponseContext response;
    final long[] clients = new long[ResponseContext.MAX_BRANCHES];
    final PeerAddress source = new PeerAddress();
    int inboundInterface;
    int targetKind;

    int setId = Dispatcher.NONE;
    /** The resource the call is counted on, {@link Dispatcher#NONE} when not counted (not an INVITE, no resource). */
    int resource = Dispatcher.NONE;
    long triedBackends;
    final int[] branchBackend = new int[ResponseContext.MAX_BRANCHES];
    final boolean[] branchCounted = new boolean[ResponseContext.MAX_BRANCHES];

    boolean serialForking;
    int contactCount;
    int nextContact;
    final UnsafeBuffer contactUris =
        new UnsafeBuffer(new byte[CONTACT_URI_BYTES * ResponseContext.MAX_BRANCHES]);
    final int[] contactUriLength = new int[ResponseContext.MAX_BRANCHES];
    final int[] contactQ = new int[ResponseContext.MAX_BRANCHES];
    final int[] contactTransport = new int[ResponseContext.MAX_BRANCHES];
    final long[] contactConnection = new long[ResponseContext.MAX_BRANCHES];
    final PeerAddress[] contactAddress = new PeerAddress[ResponseContext.MAX_BRANCHES];
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
        for (int i = 0; i < contactAddress.length; i++)
        {
            contactAddress[i] = new PeerAddress();
        }
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
        targetKind = TARGET_ADDRESSED;
        setId = Dispatcher.NONE;
        resource = Dispatcher.NONE;
        triedBackends = 0;
        Arrays.fill(branchBackend, Dispatcher.NONE);
        Arrays.fill(branchCounted, false);
        serialForking = false;
        contactCount = 0;
        nextContact = 0;
    }

    /**
     * Keep a contact to fork to.
     *
     * @return false if the list is full or the URI too long for its slot.
     */
    boolean addContact(
        final DirectBuffer uri,
        final int uriOffset,
        final int uriLength,
        final int q,
        final PeerAddress address,
        final int transport,
        final long connectionId)
    {
        if (contactCount == ResponseContext.MAX_BRANCHES || uriLength > CONTACT_URI_BYTES)
        {
            return false;
        }
        final int i = contactCount++;
        contactUris.putBytes(i * CONTACT_URI_BYTES, uri, uriOffset, uriLength);
        contactUriLength[i] = uriLength;
        contactQ[i] = q;
        contactAddress[i].set(address);
        contactTransport[i] = transport;
        contactConnection[i] = connectionId;
        return true;
    }

    static int contactUriOffset(final int contact)
    {
        return contact * CONTACT_URI_BYTES;
    }

    /**
     * @return the contacts to start next: all of them in parallel forking, else those with the q of the next one
     *         (equal q in parallel, RFC 3261 §16.6); 0 when none is left.
     */
    int nextContactGroup()
    {
        if (nextContact >= contactCount)
        {
            return 0;
        }
        if (!serialForking)
        {
            return contactCount - nextContact;
        }
        int end = nextContact + 1;
        while (end < contactCount && contactQ[end] == contactQ[nextContact])
        {
            end++;
        }
        return end - nextContact;
    }

    /**
     * @param status a final status (408 for a timeout, 503 for a send failure) of a branch.
     * @return true if a further target is to be tried after it: the next backend after 408 or 5xx, the next
     *         contact group in serial forking.
     */
    boolean hasMoreTargets(final int status)
    {
        if (targetKind == TARGET_BACKENDS)
        {
            return status == 408 || (status >= 500 && status < 600);
        }
        return targetKind == TARGET_CONTACTS && nextContact < contactCount;
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
