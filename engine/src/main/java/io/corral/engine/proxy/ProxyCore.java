package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TagGenerator;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The request path of the RFC 3261 §16 proxy, stateless about transactions: checks ({@link RequestValidator}), own
 * OPTIONS ({@link OwnOptionsResponder}), Route processing ({@link RouteProcessor}), the no-open-relay rule, next-hop
 * resolution and the forwarding edits ({@link ForwardingEditor}), writing either the response to send back or the
 * request to forward. The transaction layer calls it for a new request (stateful, then keeps the branch in a
 * {@link ResponseContext}) or for an ACK to a 2xx and an unmatched CANCEL (stateless).
 * <p>
 * No open relay: a request whose next hop is not this member is forwarded only when its source is in the trusted
 * networks or it came through a Route (or, from a strict router, a Request-URI) naming this member: an in-dialog
 * request on a dialog we record-routed;
 * otherwise 403. Registered and authenticated users join the rule with the registrar.
 * <p>
 * Reusable and allocation-free; one instance per agent.
 */
public final class ProxyCore
{
    /** Nothing to send (keep-alive, malformed ACK, unanswerable message); counted. */
    public static final int DROP = 0;
    /** Send {@link #length()} bytes of the output back to the source: a response to the request. */
    public static final int RESPOND = 1;
    /** Send {@link #length()} bytes of the output to {@link #nextHop()}: the request forwarded. */
    public static final int FORWARD = 2;
    /** The request is for this member (registrar, location service): not forwarded here. */
    public static final int LOCAL = 3;

    private static final byte[] RELAYING_DENIED = bytes("Relaying denied");
    private static final byte[] BAD_ROUTE = bytes("Bad Route");
    private static final byte[] UNRESOLVABLE = bytes("Unresolvable destination");
    private static final byte[] TOO_LARGE_TO_FORWARD = bytes("Request too large to forward");

    private final ProxyContext context;
    private final Interfaces interfaces;
    private final NextHopResolver resolver;
    private final RequestValidator validator;
    private final OwnOptionsResponder ownOptions;
    private final RouteProcessor routes;
    private final ForwardingEditor forwarding;
    private final SipMessageEditor editor = new SipMessageEditor();
    private final SipResponseBuilder responseBuilder = new SipResponseBuilder();
    private final ReceivedVia receivedVia = new ReceivedVia();
    private PeerAddress source;
    private final UnsafeBuffer tag = new UnsafeBuffer(new byte[TagGenerator.TAG_LENGTH]);
    private final TagGenerator tags;
    private int length;
    private int status;
    private int outboundInterface;
    private boolean agentSocket;
    private boolean authenticated;
    private long dropCount;
    private long relayDeniedCount;

    /**
     * @param context  who this member is.
     * @param resolver resolves next-hop hosts.
     * @param seed     seeds branches and tags; differ per agent and per start.
     */
    public ProxyCore(final ProxyContext context, final NextHopResolver resolver, final long seed)
    {
        this(context, Interfaces.single(context), resolver, seed);
    }

    /**
     * @param context    who this member is.
     * @param interfaces the addresses the member listens on, for Via and Record-Route.
     * @param resolver   resolves next-hop hosts.
     * @param seed       seeds branches and tags; differ per agent and per start.
     */
    public ProxyCore(
        final ProxyContext context, final Interfaces interfaces, final NextHopResolver resolver, final long seed)
    {
        this.context = context;
        this.interfaces = interfaces;
        this.resolver = resolver;
        validator = new RequestValidator(context);
        ownOptions = new OwnOptionsResponder(context, seed ^ 0x5DEECE66DL);
        routes = new RouteProcessor(context);
        forwarding = new ForwardingEditor(context, seed);
        tags = new TagGenerator(seed * 31 + 17);
    }

    /**
     * Process a request.
     *
     * @param request          the decoder after {@link SipMessageDecoder#wrap}, whatever its result.
     * @param source           where it came from.
     * @param inboundTransport the {@link io.corral.engine.sip.codec.TransportProtocol} it came on.
     * @param mode             {@link ForwardingEditor#STATEFUL} or {@link ForwardingEditor#STATELESS} (ACK to a
     *                         2xx, unmatched CANCEL).
     * @param dst              receives the response or the forwarded request; must not overlap the request.
     * @param dstOffset        of the first byte.
     * @return {@link #DROP}, {@link #RESPOND}, {@link #FORWARD} or {@link #LOCAL}.
     */
    public int onRequest(
        final SipMessageDecoder request,
        final PeerAddress source,
        final int inboundTransport,
        final int mode,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        return onRequest(request, source, inboundTransport, 0, mode, dst, dstOffset);
    }

    /**
     * Process a request that came in on one of several {@link Interfaces}.
     *
     * @param request          the decoder after {@link SipMessageDecoder#wrap}, whatever its result.
     * @param source           where it came from.
     * @param inboundTransport the {@link io.corral.engine.sip.codec.TransportProtocol} it came on.
     * @param inboundInterface the interface it came in on.
     * @param mode             {@link ForwardingEditor#STATEFUL} or {@link ForwardingEditor#STATELESS}.
     * @param dst              receives the response or the forwarded request; must not overlap the request.
     * @param dstOffset        of the first byte.
     * @return {@link #DROP}, {@link #RESPOND}, {@link #FORWARD} or {@link #LOCAL}.
     */
    public int onRequest(
        final SipMessageDecoder request,
        final PeerAddress source,
        final int inboundTransport,
        final int inboundInterface,
        final int mode,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        length = 0;
        this.source = source;
        outboundInterface = inboundInterface;
        status = validator.validate(request);
        if (status == RequestValidator.DROP)
        {
            dropCount++;
            return DROP;
        }
        if (status != RequestValidator.OK)
        {
            return sent(validator.respond(request, answering(request), tag, 0, tags.writeTag(tag, 0), dst, dstOffset));
        }
        if (ownOptions.isForMember(request))
        {
            status = SipStatus.OK;
            return sent(ownOptions.respond(request, answering(request), dst, dstOffset));
        }
        editor.wrap(request);
        final int route = routes.process(request, editor);
        if (route == RouteProcessor.LOCAL)
        {
            return LOCAL;
        }
        if (route == RouteProcessor.BAD_ROUTE)
        {
            return respond(request, SipStatus.BAD_REQUEST, BAD_ROUTE, dst, dstOffset);
        }
        if (route != RouteProcessor.FORWARD)
        {
            return respond(request, SipStatus.SERVER_INTERNAL_ERROR, null, dst, dstOffset);
        }
        if (routes.removedOwnRoutes() == 0 && !routes.requestUriReplaced() &&
            !authenticated && !context.trustedNetworks().contains(source))
        {
            relayDeniedCount++;
            return respond(request, SipStatus.FORBIDDEN, RELAYING_DENIED, dst, dstOffset);
        }
        final NextHop nextHop = routes.nextHop();
        if (!nextHop.resolve(resolver))
        {
            return respond(request, SipStatus.SERVICE_UNAVAILABLE, UNRESOLVABLE, dst, dstOffset);
        }
        outboundInterface = interfaces.outbound(inboundInterface, nextHop.address());
        agentSocket = interfaces.usesAgentSocket(outboundInterface, nextHop.transport());
        if (!forwarding.forward(request, editor, source,
            inboundTransport, interfaces.host(inboundInterface), interfaces.port(inboundInterface, inboundTransport),
            nextHop.transport(), interfaces.host(outboundInterface),
            interfaces.port(outboundInterface, nextHop.transport()), mode))
        {
            return respond(request, SipStatus.SERVER_INTERNAL_ERROR, null, dst, dstOffset);
        }
        return encodeForwarded(request, dst, dstOffset);
    }

    /**
     * Forward a request to a target this member chose, after {@link #onRequest} returned {@link #LOCAL} or
     * {@link #FORWARD}: a registered contact of a user of this member (the Request-URI becomes the contact, RFC 3261
     * §16.5, §16.6 item 2) or a backend (the Request-URI stays; the backend is the next hop). The edits start again
     * from the request as received, so it may be called once per branch (forking, serial failover); the caller
     * sends the result to {@code destination}.
     *
     * @param request          the request {@link #onRequest} returned {@link #LOCAL} or {@link #FORWARD} for.
     * @param source           where it came from.
     * @param inboundTransport the transport it came on.
     * @param inboundInterface the interface it came in on.
     * @param uri              buffer holding the contact URI, or null to keep the Request-URI.
     * @param uriOffset        of the URI.
     * @param uriLength        of the URI.
     * @param destination      the contact's registered source address, or the backend's address.
     * @param transport        the target's transport.
     * @param mode             {@link ForwardingEditor#STATEFUL}, or {@link ForwardingEditor#STATELESS} for an ACK.
     * @param dst              receives the forwarded request, or a 500.
     * @param dstOffset        of the first byte.
     * @return {@link #FORWARD} or {@link #RESPOND} (500).
     */
    public int forwardTo(
        final SipMessageDecoder request,
        final PeerAddress source,
        final int inboundTransport,
        final int inboundInterface,
        final DirectBuffer uri,
        final int uriOffset,
        final int uriLength,
        final PeerAddress destination,
        final int transport,
        final int mode,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        length = 0;
        this.source = source;
        outboundInterface = interfaces.outbound(inboundInterface, destination);
        // A registered contact may sit behind a NAT that lets in only what comes from the port it registered to:
        // requests to it leave from, and name, the shared port.
        final boolean contact = uri != null;
        agentSocket = !contact && interfaces.usesAgentSocket(outboundInterface, transport);
        editor.wrap(request);
        final int route = routes.process(request, editor);
        if ((route != RouteProcessor.LOCAL && route != RouteProcessor.FORWARD) ||
            (contact && !editor.setRequestUri(uri, uriOffset, uriLength)) ||
            !forwarding.forward(request, editor, source, inboundTransport, interfaces.host(inboundInterface),
            contact ? interfaces.port(inboundInterface) : interfaces.port(inboundInterface, inboundTransport),
            transport, interfaces.host(outboundInterface),
            contact ? interfaces.port(outboundInterface) : interfaces.port(outboundInterface, transport), mode))
        {
            return respond(request, SipStatus.SERVER_INTERNAL_ERROR, null, dst, dstOffset);
        }
        return encodeForwarded(request, dst, dstOffset);
    }

    /**
     * Whether the next requests come from an authenticated user of this member, who may be relayed anywhere like a
     * trusted source (the no-open-relay rule).
     *
     * @param authenticated true after digest authentication succeeded for the request about to be processed.
     */
    public void authenticated(final boolean authenticated)
    {
        this.authenticated = authenticated;
    }

    /**
     * @return bytes written to the output by the last {@link #onRequest}.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return status of the response after {@link #RESPOND}.
     */
    public int status()
    {
        return status;
    }

    /**
     * @return where the request goes after {@link #FORWARD}.
     */
    public NextHop nextHop()
    {
        return routes.nextHop();
    }

    /**
     * @return the interface the request leaves from after {@link #FORWARD}.
     */
    public int outboundInterface()
    {
        return outboundInterface;
    }

    /**
     * @return true when the request forwarded last names the agent's own port in its Via (and Record-Route) and
     * must leave from the agent's own socket ({@link Interfaces#usesAgentSocket}); false for the shared port.
     */
    public boolean leavesFromAgentSocket()
    {
        return agentSocket;
    }

    /**
     * @return the branch of the Via pushed after {@link #FORWARD} (the client transaction key), from offset 0,
     * {@link MemberIdCodec#BRANCH_LENGTH} bytes.
     */
    public DirectBuffer branch()
    {
        return forwarding.branch();
    }

    /**
     * @return after {@link #FORWARD}: the request came through a Route (or strict-router Request-URI) naming this
     * member, i.e. an in-dialog request on a dialog this member record-routed.
     */
    public boolean isRoutedHere()
    {
        return routes.removedOwnRoutes() > 0 || routes.requestUriReplaced();
    }

    /**
     * @return requests dropped without an answer.
     */
    public long dropCount()
    {
        return dropCount;
    }

    /**
     * @return requests refused 403 by the no-open-relay rule.
     */
    public long relayDeniedCount()
    {
        return relayDeniedCount;
    }

    private int respond(
        final SipMessageDecoder request, final int status, final byte[] reason, final MutableDirectBuffer dst,
        final int dstOffset)
    {
        if (request.method() == SipMethod.ACK)
        {
            dropCount++;
            return DROP;
        }
        this.status = status;
        return sent(answering(request).buildResponse(
            request, status, reason, tag, 0, tags.writeTag(tag, 0), dst, dstOffset));
    }

    /**
     * The response builder with the request's top Via as received (RFC 3581 §4, RFC 3261 §18.2.1).
     */
    private SipResponseBuilder answering(final SipMessageDecoder request)
    {
        final int topViaLength = receivedVia.fill(request, source);
        if (topViaLength > 0)
        {
            responseBuilder.withTopVia(receivedVia.buffer(), 0, topViaLength);
        }
        return responseBuilder;
    }

    private int encodeForwarded(final SipMessageDecoder request, final MutableDirectBuffer dst, final int dstOffset)
    {
        length = editor.encode(dst, dstOffset);
        if (length < 0)
        {
            length = 0;
            return respond(request, SipStatus.SERVER_INTERNAL_ERROR, TOO_LARGE_TO_FORWARD, dst, dstOffset);
        }
        return FORWARD;
    }

    private int sent(final int responseLength)
    {
        if (responseLength < 0)
        {
            dropCount++;
            return DROP;
        }
        length = responseLength;
        return RESPOND;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
