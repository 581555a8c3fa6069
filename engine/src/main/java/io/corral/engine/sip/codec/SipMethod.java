package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * SIP methods as small int codes, so the hot path compares ints rather than bytes. Methods are case-sensitive
 * (RFC 3261 §7.1); any other token is {@link #UNKNOWN} and keeps its bytes in the message.
 */
public final class SipMethod
{
    public static final int UNKNOWN = 0;
    public static final int INVITE = 1;
    public static final int ACK = 2;
    public static final int BYE = 3;
    public static final int CANCEL = 4;
    public static final int OPTIONS = 5;
    public static final int REGISTER = 6;
    public static final int PRACK = 7;
    public static final int SUBSCRIBE = 8;
    public static final int NOTIFY = 9;
    public static final int PUBLISH = 10;
    public static final int INFO = 11;
    public static final int REFER = 12;
    public static final int MESSAGE = 13;
    public static final int UPDATE = 14;

    private static final byte[][] NAMES = names(
        "", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH",
        "INFO", "REFER", "MESSAGE", "UPDATE");

    private SipMethod()
    {
    }

    /**
     * @param buffer holding the method token.
     * @param offset of the token.
     * @param length of the token.
     * @return the method code, or {@link #UNKNOWN} for any other token.
     */
    public static int lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 3 || length > 9)
        {
            return UNKNOWN;
        }
        buffer.boundsCheck(offset, length);
        return lookup(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #lookup(DirectBuffer, int, int)} for a decoder that checked the range once (see
     * {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the token, inside a checked range.
     * @param length  of the token.
     * @return the method code, or {@link #UNKNOWN} for any other token.
     */
    public static int lookup(final byte[] array, final long address, final int offset, final int length)
    {
        if (length < 3 || length > 9)
        {
            return UNKNOWN;
        }
        final byte first = SipBytes.byteAt(array, address, offset);
        for (int code = 1; code < NAMES.length; code++)
        {
            final byte[] name = NAMES[code];
            if (name[0] == first && SipBytes.equalsExact(array, address, offset, length, name))
            {
                return code;
            }
        }
        return UNKNOWN;
    }

    /**
     * @param code a method code.
     * @return the method's name as bytes (empty for {@link #UNKNOWN}); callers must not modify it.
     */
    public static byte[] name(final int code)
    {
        return code > 0 && code < NAMES.length ? NAMES[code] : NAMES[UNKNOWN];
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
