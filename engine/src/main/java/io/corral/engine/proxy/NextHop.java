package io.corral.engine.proxy;

import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.sip.codec.SipUriDecoder;
import org.agrona.DirectBuffer;

/**
 * Where a request goes next, as {@link RouteProcessor} found it: the host (the URI's {@code maddr} when present,
 * else its host), port and transport of the top Route or the Request-URI, as ranges in the decoded message's buffer,
 * and the resolved address once a {@link NextHopResolver} has run. Reusable; not thread-safe.
 */
public final class NextHop
{
    private final PeerAddress address = new PeerAddress();
    private DirectBuffer buffer;
    private int uriOffset;
    private int uriLength;
    private int hostOffset;
    private int hostLength;
    private int port;
    private int transport;
    private boolean resolved;

    void set(final SipUriDecoder uri)
    {
        buffer = uri.buffer();
        uriOffset = uri.offset();
        uriLength = uri.length();
        final int maddr = uri.maddrIndex();
        if (maddr >= 0)
        {
            hostOffset = uri.parameters().valueOffset(maddr);
            hostLength = uri.parameters().valueLength(maddr);
        }
        else
        {
            hostOffset = uri.hostOffset();
            hostLength = uri.hostLength();
        }
        port = uri.effectivePort();
        final int uriTransport = uri.transport();
        if (uriTransport != TransportProtocol.NONE)
        {
            transport = uriTransport;
        }
        else
        {
            transport = uri.scheme() == SipUriDecoder.SIPS ? TransportProtocol.TLS : TransportProtocol.UDP;
        }
        resolved = false;
        address.clear();
    }

    void set(final DirectBuffer buffer, final int hostOffset, final int hostLength, final int port,
        final int transport)
    {
        this.buffer = buffer;
        uriOffset = -1;
        uriLength = 0;
        this.hostOffset = hostOffset;
        this.hostLength = hostLength;
        this.port = port;
        this.transport = transport;
        resolved = false;
        address.clear();
    }

    void clear()
    {
        buffer = null;
        uriOffset = -1;
        uriLength = 0;
        hostOffset = -1;
        hostLength = 0;
        port = -1;
        transport = TransportProtocol.NONE;
        resolved = false;
        address.clear();
    }

    /**
     * Resolve the host.
     *
     * @param resolver to use.
     * @return true if {@link #address()} is set.
     */
    public boolean resolve(final NextHopResolver resolver)
    {
        resolved = hostLength > 0 && resolver.resolve(buffer, hostOffset, hostLength, port, address);
        return resolved;
    }

    /**
     * @return true once {@link #resolve} succeeded.
     */
    public boolean isResolved()
    {
        return resolved;
    }

    /**
     * @return the resolved address and port.
     */
    public PeerAddress address()
    {
        return address;
    }

    /**
     * @return the buffer holding the ranges below.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the URI the hop was taken from (top Route or Request-URI), -1 for a response's Via.
     */
    public int uriOffset()
    {
        return uriOffset;
    }

    /**
     * @return length of that URI.
     */
    public int uriLength()
    {
        return uriLength;
    }

    /**
     * @return offset of the host to send to (maddr or host).
     */
    public int hostOffset()
    {
        return hostOffset;
    }

    /**
     * @return length of the host.
     */
    public int hostLength()
    {
        return hostLength;
    }

    /**
     * @return the port (the default for the scheme and transport when absent).
     */
    public int port()
    {
        return port;
    }

    /**
     * @return the {@link TransportProtocol} to use: the URI's transport parameter, else TLS for sips, else UDP.
     */
    public int transport()
    {
        return transport;
    }
}
