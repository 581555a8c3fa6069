package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A bounded cursor over a {@link MutableDirectBuffer} for the encoders and builders of this package. A write that
 * does not fit sets a sticky overflow flag instead of throwing, so a builder writes a whole message and checks once
 * at the end; bytes past the limit are never touched.
 */
final class SipAsciiWriter
{
    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] COLON_SPACE = {':', ' '};

    private MutableDirectBuffer buffer;
    private int start;
    private int position;
    private int limit;
    private boolean overflow;

    /**
     * Start writing.
     *
     * @param buffer to write into.
     * @param offset of the first byte to write.
     * @param limit  one past the last byte that may be written.
     * @return this.
     */
    SipAsciiWriter wrap(final MutableDirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        start = offset;
        position = offset;
        this.limit = limit;
        overflow = offset < 0 || limit > buffer.capacity() || offset > limit;
        return this;
    }

    /**
     * @return the offset the next byte goes to.
     */
    int position()
    {
        return position;
    }

    /**
     * @return true if some write did not fit.
     */
    boolean isOverflow()
    {
        return overflow;
    }

    /**
     * @return bytes written since {@link #wrap}, or -1 if some write did not fit.
     */
    int length()
    {
        return overflow ? -1 : position - start;
    }

    /**
     * Move back to an earlier position, dropping what was written after it and clearing the overflow flag.
     *
     * @param position an offset between the start and the current position.
     */
    void rewind(final int position)
    {
        this.position = position;
        overflow = false;
    }

    SipAsciiWriter put(final byte b)
    {
        if (reserve(1))
        {
            buffer.putByte(position++, b);
        }
        return this;
    }

    SipAsciiWriter put(final byte[] bytes)
    {
        if (reserve(bytes.length))
        {
            buffer.putBytes(position, bytes);
            position += bytes.length;
        }
        return this;
    }

    SipAsciiWriter put(final DirectBuffer src, final int offset, final int length)
    {
        if (length < 0 || offset < 0 || offset > src.capacity() - length)
        {
            overflow = true;
        }
        else if (reserve(length))
        {
            buffer.putBytes(position, src, offset, length);
            position += length;
        }
        return this;
    }

    /**
     * Write a non-negative number in decimal ASCII.
     *
     * @param value to write, at least 0.
     * @return this.
     */
    SipAsciiWriter putNatural(final long value)
    {
        int digits = 1;
        for (long v = value / 10; v > 0; v /= 10)
        {
            digits++;
        }
        if (value < 0)
        {
            overflow = true;
        }
        else if (reserve(digits))
        {
            long v = value;
            for (int i = position + digits - 1; i >= position; i--)
            {
                buffer.putByte(i, (byte)('0' + (int)(v % 10)));
                v /= 10;
            }
            position += digits;
        }
        return this;
    }

    SipAsciiWriter crlf()
    {
        return put(CRLF);
    }

    /**
     * Write {@code name: } for a header line.
     *
     * @param name header name.
     * @return this.
     */
    SipAsciiWriter name(final byte[] name)
    {
        return put(name).put(COLON_SPACE);
    }

    /**
     * Copy a header line, or its tail, ending it with CRLF whatever terminator it had (a tolerated bare LF).
     *
     * @param src     holding the line.
     * @param offset  of the first byte to copy.
     * @param lineEnd one past the line's terminator.
     * @return this.
     */
    SipAsciiWriter putLine(final DirectBuffer src, final int offset, final int lineEnd)
    {
        int end = lineEnd;
        while (end > offset && (src.getByte(end - 1) == '\n' || src.getByte(end - 1) == '\r'))
        {
            end--;
        }
        return put(src, offset, end - offset).crlf();
    }

    private boolean reserve(final int length)
    {
        if (overflow || length > limit - position)
        {
            overflow = true;
            return false;
        }
        return true;
    }
}
