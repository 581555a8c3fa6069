package io.corral.jmh;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The message every parser benchmark works on: a typical ~1 KB INVITE with an audio SDP, as a softphone sends it
 * ({@code invite.sip}, exact bytes, CRLF), and the values a proxy writes when it forwards it.
 */
public final class InviteFixture
{
    /** Classpath resource holding the INVITE. */
    public static final String RESOURCE = "/invite.sip";

    /** Host of the Via this proxy pushes and of its Record-Route. */
    public static final String PROXY_HOST = "203.0.113.5";

    /** Port of the Via this proxy pushes and of its Record-Route. */
    public static final int PROXY_PORT = 5060;

    /** Branch of the Via this proxy pushes; constant so every parser writes the same bytes. */
    public static final String PROXY_BRANCH = "z9hG4bK-c1-7f3a9e2b41d0";

    /** The Record-Route this proxy adds, as a name-addr (loose routing). */
    public static final String RECORD_ROUTE = "<sip:203.0.113.5:5060;lr>";

    /** Media relay address written into the SDP {@code c=} line; longer than the original, so the body grows. */
    public static final String MEDIA_ADDRESS = "198.51.100.200";

    /** Media relay port written into the SDP {@code m=} line. */
    public static final int MEDIA_PORT = 40000;

    /** Capacity of the output buffers the zero-copy paths write into, as a transport's send buffer. */
    public static final int OUTPUT_CAPACITY = 2048;

    private InviteFixture()
    {
    }

    /**
     * @return a fresh copy of the INVITE bytes.
     */
    public static byte[] load()
    {
        try (InputStream in = InviteFixture.class.getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return the INVITE in direct memory, as a transport's receive buffer holds a datagram.
     */
    public static UnsafeBuffer loadDirect()
    {
        final byte[] bytes = load();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        buffer.putBytes(0, bytes);
        return buffer;
    }

    /**
     * @return an empty direct buffer of {@link #OUTPUT_CAPACITY} bytes.
     */
    public static UnsafeBuffer outputBuffer()
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(OUTPUT_CAPACITY));
    }
}
