package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.NameAddrDecoder;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.SipUriDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Route pre-processing (RFC 3261 §16.4) and the next-hop choice of §16.5/§16.6 items 6–7, recorded as edits in a
 * {@link SipMessageEditor}:
 * <ol>
 *     <li>Request-URI that this member record-routed (a strict router put our Record-Route URI there, recognised by
 *     our address and its member id parameter): replace it with the last Route value and remove that value;</li>
 *     <li>top Route values that are ours (our address and port; two of them after a double Record-Route): remove;</li>
 *     <li>top Route remaining: a loose router ({@code lr}) is the next hop and the Request-URI stays; a strict router
 *     gets the request with its URI as Request-URI, the old Request-URI appended as the last Route (§16.6 item 6);
 *     </li>
 *     <li>no Route: the next hop is the Request-URI; when that is ours the target is this member
 *     ({@link #LOCAL}).</li>
 * </ol>
 * The next hop's host is the URI's {@code maddr} when present. Reusable, allocation-free; one instance per agent.
 */
public final class RouteProcessor
{
    /** Forward to {@link #nextHop()}. */
    public static final int FORWARD = 0;
    /** The request is for this member (registrar, location service, own OPTIONS). */
    public static final int LOCAL = 1;
    /** A Route value or the Request-URI cannot be used: answer 400. */
    public static final int BAD_ROUTE = 2;
    /** The edits do not fit the editor: answer 500. */
    public static final int EDIT_FAILED = 3;

    private static final int MAX_OWN_ROUTES = 2;

    private final ProxyContext context;
    private final NameAddrDecoder route = new NameAddrDecoder();
    private final SipUriDecoder requestUri = new SipUriDecoder();
    private final NextHop nextHop = new NextHop();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[2048]);
    private int removedOwnRoutes;
    private boolean requestUriReplaced;

    /**
     * @param context who this member is.
     */
    public RouteProcessor(final ProxyContext context)
    {
        this.context = context;
    }

    /**
     * Process the Route set and Request-URI of a request.
     *
     * @param request decoded {@link SipMessageDecoder#OK} and passed by {@link RequestValidator}.
     * @param editor  wrapped over {@code request}; receives the Route and Request-URI edits.
     * @return {@link #FORWARD}, {@link #LOCAL}, {@link #BAD_ROUTE} or {@link #EDIT_FAILED}.
     */
    public int process(final SipMessageDecoder request, final SipMessageEditor editor)
    {
        nextHop.clear();
        removedOwnRoutes = 0;
        requestUriReplaced = false;
        final DirectBuffer buffer = request.buffer();
        if (!requestUri.wrap(buffer, request.requestUriOffset(), request.requestUriLength()))
        {
            return BAD_ROUTE;
        }
        int lastRoute = lastIndexOf(request, HeaderName.ROUTE);
        if (lastRoute >= 0 && context.isOwnUri(requestUri) && MemberIdCodec.memberIdOfUri(requestUri) != 0)
        {
            // Strict-router interop (§16.4): the Request-URI is our Record-Route URI; the real target is last.
            if (!wrapRoute(request, lastRoute))
            {
                return BAD_ROUTE;
            }
            if (!editor.setRequestUri(buffer, route.uriOffset(), route.uriLength()) || !editor.removeHeader(lastRoute))
            {
                return EDIT_FAILED;
            }
            requestUri.wrap(buffer, route.uriOffset(), route.uriLength());
            requestUriReplaced = true;
        }
        else
        {
            lastRoute = -1;
        }

        int top = nextRoute(request, -1, lastRoute);
        while (top >= 0 && removedOwnRoutes < MAX_OWN_ROUTES)
        {
            if (!wrapRoute(request, top))
            {
                return BAD_ROUTE;
            }
            if (!context.isOwnUri(route.uri()))
            {
                break;
            }
            if (!editor.removeHeader(top))
            {
                return EDIT_FAILED;
            }
            removedOwnRoutes++;
            top = nextRoute(request, top, lastRoute);
        }

        if (top >= 0)
        {
            if (!wrapRoute(request, top))
            {
                return BAD_ROUTE;
            }
            final SipUriDecoder next = route.uri();
            if (!next.isLooseRouting() && !toStrictRouter(request, editor, top))
            {
                return EDIT_FAILED;
            }
            nextHop.set(route.uri());
            return nextHop.hostLength() > 0 ? FORWARD : BAD_ROUTE;
        }
        if (context.isOwnUri(requestUri) || requestUri.scheme() == SipUriDecoder.TEL)
        {
            // tel URIs have no host: the location service or a routing rule of this member decides.
            return LOCAL;
        }
        nextHop.set(requestUri);
        return nextHop.hostLength() > 0 ? FORWARD : BAD_ROUTE;
    }

    /**
     * @return the next hop of the last {@link #FORWARD}.
     */
    public NextHop nextHop()
    {
        return nextHop;
    }

    /**
     * @return number of Route values naming this member removed from the top: a request with one came here through
     * a Record-Route of ours (a dialog we are on), which is what lets untrusted sources send in-dialog requests.
     */
    public int removedOwnRoutes()
    {
        return removedOwnRoutes;
    }

    /**
     * @return true if the Request-URI was replaced from the last Route (a strict router sent it).
     */
    public boolean requestUriReplaced()
    {
        return requestUriReplaced;
    }

    private boolean toStrictRouter(final SipMessageDecoder request, final SipMessageEditor editor, final int top)
    {
        // §16.6 item 6: the Request-URI goes last in the Route set, the strict route becomes the Request-URI.
        final int length = requestUri.length();
        if (length + 2 > scratch.capacity())
        {
            return false;
        }
        scratch.putByte(0, (byte)'<');
        scratch.putBytes(1, requestUri.buffer(), requestUri.offset(), length);
        scratch.putByte(length + 1, (byte)'>');
        return editor.setRequestUri(request.buffer(), route.uriOffset(), route.uriLength()) &&
            editor.removeHeader(top) &&
            editor.addHeader(HeaderName.ROUTE, scratch, 0, length + 2);
    }

    private boolean wrapRoute(final SipMessageDecoder request, final int index)
    {
        if (!route.wrap(request.buffer(), request.valueOffset(index), request.valueLength(index)))
        {
            return false;
        }
        final int scheme = route.uri().scheme();
        return scheme == SipUriDecoder.SIP || scheme == SipUriDecoder.SIPS;
    }

    private static int nextRoute(final SipMessageDecoder request, final int after, final int skip)
    {
        int index = after < 0 ? request.firstIndexOf(HeaderName.ROUTE) : request.nextIndexOf(HeaderName.ROUTE, after);
        if (index >= 0 && index == skip)
        {
            index = request.nextIndexOf(HeaderName.ROUTE, index);
        }
        return index;
    }

    private static int lastIndexOf(final SipMessageDecoder request, final int headerId)
    {
        int last = -1;
        for (int i = request.firstIndexOf(headerId); i >= 0; i = request.nextIndexOf(headerId, i))
        {
            last = i;
        }
        return last;
    }
}
