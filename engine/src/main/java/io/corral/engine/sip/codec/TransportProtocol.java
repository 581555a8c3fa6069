package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Transport codes for the Via sent-protocol and the URI {@code transport} parameter, compared ignoring case
 * (RFC 3261 §7.3.1, RFC 7118 for WS/WSS).
 */
public final class TransportProtocol
{
    /** No transport given (a URI without a {@code transport} parameter). */
    public static final int NONE = 0;
    public static final int UDP = 1;
    public static final int TCP = 2;
    public static final int TLS = 3;
    public static final int SCTP = 4;
    public static final int WS = 5;
    public static final int WSS = 6;
    /** A well-formed token that is none of the above: kept as bytes in the message. */
    public static final int OTHER = 7;

    private static final byte[][] NAMES = names("", "udp", "tcp", "tls", "sctp", "ws", "wss");

    private TransportProtocol()
    {
    }

    /**
     * @param buffer holding the transport token.
     * @param offset of the token.
     * @param length of the token.
     * @return the transport code; {@link #OTHER} for any other token, {@link #NONE} for an empty range.
     */
    public static int lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return NONE;
        }
        buffer.boundsCheck(offset, length);
        return lookup(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #lookup(DirectBuffer, int, int)} for the decoders of this package, which checked the
     * range once (see {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the token, inside a checked range.
     * @param length  of the token.
     * @return the transport code; {@link #OTHER} for any other token, {@link #NONE} for an empty range.
     */
    static int lookup(final byte[] array, final long address, final int offset, final int length)
    {
        if (length <= 0)
        {
            return NONE;
        }
        for (int code = UDP; code < NAMES.length; code++)
        {
            if (SipBytes.equalsIgnoreCase(array, address, offset, length, NAMES[code]))
            {
                return code;
            }
        }
        return OTHER;
    }

    private static byte[][] names(final String... names)
    {
        final byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++)
        {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
