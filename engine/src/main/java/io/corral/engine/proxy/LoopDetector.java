package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.DirectBuffer;

/**
 * Loop detection of RFC 3261 §16.3 item 4 with the branch component of §16.6 item 8.
 * <p>
 * The hash covers what identifies the request at this hop as received: the Request-URI, Call-ID, CSeq number, From
 * tag, To tag and the Proxy-Require and Proxy-Authorization values. The top Via is left out on purpose: a request
 * that loops back always arrives with a downstream element's Via on top, so including it would never match. A
 * spiral (the request comes back with a changed Request-URI, e.g. after a forwarding service) hashes differently and
 * is forwarded; the same request coming back unchanged is a loop (482).
 * <p>
 * Reusable, allocation-free; one instance per agent.
 */
public final class LoopDetector
{
    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private final ViaDecoder via = new ViaDecoder();
    private final NameAddrDecoder nameAddr = new NameAddrDecoder();

    /**
     * @param request a request decoded {@link SipMessageDecoder#OK}.
     * @return its loop-detection hash, to carry in the branch of the Via this member pushes.
     */
    public int hash(final SipMessageDecoder request)
    {
        final DirectBuffer buffer = request.buffer();
        int hash = FNV_OFFSET;
        hash = mix(hash, buffer, request.requestUriOffset(), request.requestUriLength());
        hash = mix(hash, buffer, request.callIdOffset(), request.callIdLength());
        hash = mixLong(hash, request.cseqNumber());
        hash = mixTag(hash, request, HeaderName.FROM);
        hash = mixTag(hash, request, HeaderName.TO);
        hash = mixAll(hash, request, HeaderName.PROXY_REQUIRE);
        hash = mixAll(hash, request, HeaderName.PROXY_AUTHORIZATION);
        return hash;
    }

    /**
     * @param request a request decoded {@link SipMessageDecoder#OK}.
     * @param context who this member is.
     * @return true if some Via carries this member's sent-by and a branch of this
     * member whose loop hash equals the request's: the request has been here before, unchanged.
     */
    public boolean isLoop(final SipMessageDecoder request, final ProxyContext context)
    {
        final DirectBuffer buffer = request.buffer();
        int hash = 0;
        boolean hashed = false;
        for (int i = request.firstIndexOf(HeaderName.VIA); i >= 0; i = request.nextIndexOf(HeaderName.VIA, i))
        {
            if (!via.wrap(buffer, request.valueOffset(i), request.valueLength(i)) || !via.hasBranch() ||
                !context.isOwnSentBy(buffer, via.hostOffset(), via.hostLength(), via.port()) ||
                MemberIdCodec.memberIdOfBranch(buffer, via.branchOffset(), via.branchLength()) != context.memberId())
            {
                continue;
            }
            if (!hashed)
            {
                hash = hash(request);
                hashed = true;
            }
            if (MemberIdCodec.loopHashOfBranch(buffer, via.branchOffset()) == hash)
            {
                return true;
            }
        }
        return false;
    }

    private int mixTag(final int hash, final SipMessageDecoder request, final int headerId)
    {
        final int index = request.firstIndexOf(headerId);
        if (index < 0 || !nameAddr.wrap(request.buffer(), request.valueOffset(index), request.valueLength(index)) ||
            !nameAddr.hasTag())
        {
            return mixLong(hash, 0);
        }
        return mix(hash, request.buffer(), nameAddr.tagOffset(), nameAddr.tagLength());
    }

    private static int mixAll(final int hash, final SipMessageDecoder request, final int headerId)
    {
        int h = hash;
        for (int i = request.firstIndexOf(headerId); i >= 0; i = request.nextIndexOf(headerId, i))
        {
            h = mix(h, request.buffer(), request.valueOffset(i), request.valueLength(i));
        }
        return h;
    }

    private static int mix(final int hash, final DirectBuffer buffer, final int offset, final int length)
    {
        int h = hash;
        for (int i = 0; i < length; i++)
        {
            h = (h ^ (buffer.getByte(offset + i) & 0xFF)) * FNV_PRIME;
        }
        // A separator, so that moving bytes between fields changes the hash.
        return (h ^ 0xFF) * FNV_PRIME;
    }

    private static int mixLong(final int hash, final long value)
    {
        int h = hash;
        for (int shift = 0; shift < 64; shift += 8)
        {
            h = (h ^ (int)((value >>> shift) & 0xFF)) * FNV_PRIME;
        }
        return h;
    }
}
