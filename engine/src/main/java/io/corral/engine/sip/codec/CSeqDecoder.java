package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a CSeq value, {@code 1*DIGIT LWS Method} (RFC 3261 §20.16): the number, at most 2^32-1, and the
 * method as a {@link SipMethod} code plus its range.
 * <p>
 * Not thread-safe; reuse one instance per agent. After a failed {@link #wrap} only {@link #reason()} is
 * meaningful.
 */
public final class CSeqDecoder
{
    /** Largest sequence number (RFC 3261 §8.1.1.5: a 32-bit unsigned integer). */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    public static final String REASON_NUMBER = "Bad CSeq number";
    public static final String REASON_NUMBER_TOO_LARGE = "CSeq number too large";
    public static final String REASON_METHOD = "Bad CSeq method";

    private DirectBuffer buffer;
    private String reason;
    private long number;
    private int methodOffset;
    private int methodLength;
    private int method;

    /**
     * Decode a CSeq value.
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return true if well-formed; false with {@link #reason()} set otherwise.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        reason = null;
        number = -1;
        methodOffset = -1;
        methodLength = 0;
        method = SipMethod.UNKNOWN;

        final int limit = SipBytes.trimTrailingLws(buffer, offset, offset + Math.max(length, 0));
        int i = SipBytes.skipLws(buffer, offset, limit);
        final int digitsStart = i;
        while (i < limit && SipBytes.isDigit(buffer.getByte(i)))
        {
            i++;
        }
        if (i == digitsStart)
        {
            return fail(REASON_NUMBER);
        }
        final long value = SipBytes.parseUnsigned(buffer, digitsStart, i - digitsStart, MAX_NUMBER);
        if (value == SipBytes.INVALID_NUMBER)
        {
            return fail(REASON_NUMBER_TOO_LARGE);
        }
        final int methodStart = SipBytes.skipLws(buffer, i, limit);
        if (methodStart == i)
        {
            return fail(i == limit ? REASON_METHOD : REASON_NUMBER);
        }
        if (!SipBytes.isToken(buffer, methodStart, limit - methodStart))
        {
            return fail(REASON_METHOD);
        }
        number = value;
        methodOffset = methodStart;
        methodLength = limit - methodStart;
        method = SipMethod.lookup(buffer, methodOffset, methodLength);
        return true;
    }

    /**
     * @return the reason phrase for the last failed {@link #wrap}, fit for a 400 response; null after success.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the sequence number, 0 to 2^32-1 (-1 after a failed wrap).
     */
    public long number()
    {
        return number;
    }

    /**
     * @return offset of the method token.
     */
    public int methodOffset()
    {
        return methodOffset;
    }

    /**
     * @return length of the method token.
     */
    public int methodLength()
    {
        return methodLength;
    }

    /**
     * @return the method as a {@link SipMethod} code ({@link SipMethod#UNKNOWN} for an extension method).
     */
    public int method()
    {
        return method;
    }

    private boolean fail(final String reason)
    {
        this.reason = reason;
        return false;
    }
}
