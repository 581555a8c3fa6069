package io.corral.perf.gen;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Appends ASCII text, numbers and byte ranges to a {@link MutableDirectBuffer}: how the generator writes SIP messages
 * without allocating. Writes past {@link #limit()} are refused: {@link #isOverflow()} then says the message is
 * incomplete and must not be sent.
 */
final class SipWriter
{
    private static final int MAX_NUMBER_CHARS = 20;

    private MutableDirectBuffer buffer;
    private int start;
    private int position;
    private int limit;
    private boolean overflow;

    /**
     * Start a message.
     *
     * @param buffer where it goes.
     * @param offset its first byte.
     * @param limit  one past the last byte it may use.
     * @return this.
     */
    SipWriter wrap(final MutableDirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        this.limit = limit;
        this.overflow = false;
        return this;
    }

    SipWriter ascii(final String text)
    {
        if (room(text.length()))
        {
            position += buffer.putStringWithoutLengthAscii(position, text);
        }
        return this;
    }

    SipWriter bytes(final DirectBuffer source, final int offset, final int length)
    {
        if (room(length))
        {
            buffer.putBytes(position, source, offset, length);
            position += length;
        }
        return this;
    }

    SipWriter bytes(final byte[] source, final int length)
    {
        if (room(length))
        {
            buffer.putBytes(position, source, 0, length);
            position += length;
        }
        return this;
    }

    SipWriter number(final long value)
    {
        if (room(MAX_NUMBER_CHARS))
        {
            position += buffer.putLongAscii(position, value);
        }
        return this;
    }

    SipWriter crlf()
    {
        if (room(2))
        {
            buffer.putByte(position++, (byte)'\r');
            buffer.putByte(position++, (byte)'\n');
        }
        return this;
    }

    /**
     * Overwrite a number right-aligned in a field written earlier with spaces (e.g. a Content-Length whose body was
     * written after it).
     *
     * @param fieldEnd   one past the field's last byte.
     * @param fieldWidth the field's width.
     * @param value      the number, which must fit the field.
     */
    void patchNumber(final int fieldEnd, final int fieldWidth, final long value)
    {
        long v = value;
        int i = fieldEnd - 1;
        do
        {
            buffer.putByte(i--, (byte)('0' + (v % 10)));
            v /= 10;
        }
        while (v > 0 && i >= fieldEnd - fieldWidth);
    }

    int position()
    {
        return position;
    }

    int length()
    {
        return position - start;
    }

    int limit()
    {
        return limit;
    }

    boolean isOverflow()
    {
        return overflow;
    }

    private boolean room(final int length)
    {
        if (position + length > limit)
        {
            overflow = true;
            return false;
        }
        return true;
    }
}
