package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.engine.sip.codec.TagGenerator;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Answers OPTIONS addressed to the member itself with 200 and {@code Allow}, {@code Accept} and
 * {@code Supported} (the configured option tags; RFC 3261 §11.2): balancers and monitoring probe members this way.
 * It is ours when the Request-URI has no user part and either its host is one of this member's, or every Route
 * value names this member (the balancer's {@code OPTIONS} with {@code Route: <sip:MEMBER_ADDRESS;lr>}), so a probe
 * is never relayed. Reusable and allocation-free; one instance per agent.
 */
public final class OwnOptionsResponder
{
    /** Methods a member handles. */
    public static final byte[] ALLOW =
        bytes("INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, PRACK, SUBSCRIBE, NOTIFY, REFER, MESSAGE, INFO, UPDATE");

    private static final byte[] ACCEPT_NAME = HeaderName.name(HeaderName.ACCEPT);
    private static final byte[] ACCEPT = bytes("application/sdp");
    private static final byte[] SUPPORTED_NAME = HeaderName.name(HeaderName.SUPPORTED);

    private final ProxyContext context;
    private final TagGenerator tags;
    private final NameAddrDecoder route = new NameAddrDecoder();
    private final UnsafeBuffer tag = new UnsafeBuffer(new byte[TagGenerator.TAG_LENGTH]);

    /**
     * @param context who this member is.
     * @param seed    seeds the To tags of the 200s.
     */
    public OwnOptionsResponder(final ProxyContext context, final long seed)
    {
        this.context = context;
        tags = new TagGenerator(seed);
    }

    /**
     * @param request decoded {@link SipMessageDecoder#OK} and validated.
     * @return true if it is an OPTIONS for this member.
     */
    public boolean isForMember(final SipMessageDecoder request)
    {
        final SipUriDecoder uri = request.requestUri();
        if (request.method() != SipMethod.OPTIONS || uri.hasUser())
        {
            return false;
        }
        if (context.isOwnUri(uri))
        {
            return true;
        }
        int routes = 0;
        for (int i = request.firstIndexOf(HeaderName.ROUTE); i >= 0; i = request.nextIndexOf(HeaderName.ROUTE, i))
        {
            if (!route.wrap(request.buffer(), request.valueOffset(i), request.valueLength(i)) ||
                !context.isOwnUri(route.uri()))
            {
                return false;
            }
            routes++;
        }
        return routes > 0;
    }

    /**
     * Build the 200.
     *
     * @param request   an OPTIONS for which {@link #isForMember} is true.
     * @param builder   the agent's response builder.
     * @param dst       to write into.
     * @param dstOffset of the first byte.
     * @return the response length, or -1 if it does not fit.
     */
    public int respond(
        final SipMessageDecoder request, final SipResponseBuilder builder, final MutableDirectBuffer dst,
        final int dstOffset)
    {
        final int tagLength = tags.writeTag(tag, 0);
        builder.withAllow(ALLOW).withHeader(ACCEPT_NAME, ACCEPT)
            .withHeader(SUPPORTED_NAME, context.supportedHeaderValue());
        return builder.buildResponse(request, SipStatus.OK, null, tag, 0, tagLength, dst, dstOffset);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
