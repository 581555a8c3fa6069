package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.codec.ViaDecoder;
import org.agrona.DirectBuffer;

/**
 * Routes a response from downstream (RFC 3261 §16.7 item 3, §18.2.2): checks that the top Via is this member's (its
 * branch carries our member id), pops it, and finds where the response goes from the next Via:
 * <ul>
 *     <li>reliable transport (TCP, TLS, SCTP, WS, WSS): back on the connection the request came on
 *     ({@link #REPLY_ON_CONNECTION}); {@link #target()} still holds the address to connect to if it is gone;</li>
 *     <li>{@code maddr}: that host, the sent-by port or 5060;</li>
 *     <li>{@code received}: that address, the {@code rport} value when present (RFC 3581 §4), else the sent-by port
 *     or 5060;</li>
 *     <li>otherwise the sent-by host and port (a host name goes through the {@link NextHopResolver}).</li>
 * </ul>
 * A malformed response is dropped and counted; a response whose top Via carries another member's id is for the farm
 * router to relay ({@link #RELAY_TO_MEMBER}); one with no member branch is dropped and counted.
 * Reusable and allocation-free; one instance per agent.
 */
public final class ResponseRouter
{
    /** Send the edited response to {@link #target()} (resolved when {@link NextHop#isResolved()}). */
    public static final int FORWARD = 0;
    /** Send the edited response on the connection its request came on (reliable transport). */
    public static final int REPLY_ON_CONNECTION = 1;
    /** Our Via was the only one: the response answers a request this member originated (CANCEL, probe). */
    public static final int LOCAL = 2;
    /** The top Via is another member's: relay the packet unchanged to {@link #memberId()}. */
    public static final int RELAY_TO_MEMBER = 3;
    /** Dropped and counted: malformed, not a member's branch, or the Via cannot be popped. */
    public static final int DROP = 4;

    private static final int DEFAULT_PORT = 5060;
    private static final int DEFAULT_TLS_PORT = 5061;

    private final ProxyContext context;
    private final NextHopResolver resolver;
    private final ViaDecoder via = new ViaDecoder();
    private final NextHop target = new NextHop();
    private int memberId;
    private long malformedCount;
    private long foreignCount;

    /**
     * @param context  who this member is.
     * @param resolver for sent-by host names.
     */
    public ResponseRouter(final ProxyContext context, final NextHopResolver resolver)
    {
        this.context = context;
        this.resolver = resolver;
    }

    /**
     * Route a response.
     *
     * @param response the decoder after {@link SipMessageDecoder#wrap} of a response, whatever its result.
     * @param editor   wrapped over {@code response} when it decoded OK; receives the Via pop.
     * @return {@link #FORWARD}, {@link #REPLY_ON_CONNECTION}, {@link #LOCAL}, {@link #RELAY_TO_MEMBER} or
     * {@link #DROP}.
     */
    public int route(final SipMessageDecoder response, final SipMessageEditor editor)
    {
        target.clear();
        memberId = 0;
        if (response.result() != SipMessageDecoder.OK || response.isRequest())
        {
            malformedCount++;
            return DROP;
        }
        final DirectBuffer buffer = response.buffer();
        final int top = response.firstIndexOf(HeaderName.VIA);
        if (!via.wrap(buffer, response.valueOffset(top), response.valueLength(top)) || !via.hasBranch())
        {
            foreignCount++;
            return DROP;
        }
        memberId = MemberIdCodec.memberIdOfBranch(buffer, via.branchOffset(), via.branchLength());
        if (memberId == 0)
        {
            foreignCount++;
            return DROP;
        }
        if (memberId != context.memberId())
        {
            return RELAY_TO_MEMBER;
        }
        if (!editor.popVia())
        {
            return DROP;
        }
        final int next = response.nextIndexOf(HeaderName.VIA, top);
        if (next < 0)
        {
            return LOCAL;
        }
        via.wrap(buffer, response.valueOffset(next), response.valueLength(next));
        final int transport = via.transport();
        final int defaultPort = transport == TransportProtocol.TLS || transport == TransportProtocol.WSS ?
            DEFAULT_TLS_PORT : DEFAULT_PORT;
        final int sentByPort = via.port() >= 0 ? via.port() : defaultPort;
        if (via.hasMaddr())
        {
            target.set(buffer, via.maddrOffset(), via.maddrLength(), sentByPort, transport);
        }
        else if (via.hasReceived())
        {
            final int port = via.rport() >= 0 ? via.rport() : sentByPort;
            target.set(buffer, via.receivedOffset(), via.receivedLength(), port, transport);
        }
        else
        {
            target.set(buffer, via.hostOffset(), via.hostLength(), sentByPort, transport);
        }
        target.resolve(resolver);
        return isReliable(transport) ? REPLY_ON_CONNECTION : FORWARD;
    }

    /**
     * @return where the response goes after {@link #FORWARD} or {@link #REPLY_ON_CONNECTION}.
     */
    public NextHop target()
    {
        return target;
    }

    /**
     * @return the member id of the top Via's branch after {@link #RELAY_TO_MEMBER} (or this member's).
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * @return malformed responses dropped so far.
     */
    public long malformedCount()
    {
        return malformedCount;
    }

    /**
     * @return responses dropped because their top Via is no member's.
     */
    public long foreignCount()
    {
        return foreignCount;
    }

    private static boolean isReliable(final int transport)
    {
        return transport == TransportProtocol.TCP || transport == TransportProtocol.TLS ||
            transport == TransportProtocol.SCTP ||
            transport == TransportProtocol.WS || transport == TransportProtocol.WSS;
    }
}
