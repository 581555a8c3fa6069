package io.corral.perf.gen;

import org.agrona.DirectBuffer;

/**
 * Call-IDs of the generator: {@code <number>-<run>@corral-lab}. The number is the operation's index in its run, so
 * either side finds the operation's slot from any message without a lookup by string.
 */
final class CallIds
{
    static final long NONE = -1;
    private static final int MAX_DIGITS = 18;

    private CallIds()
    {
    }

    /**
     * @param writer where the Call-ID value goes.
     * @param number the operation's number.
     * @param run    the run's tag.
     */
    static void write(final SipWriter writer, final long number, final int run)
    {
        writer.number(number).ascii("-").number(run).ascii("@corral-lab");
    }

    /**
     * @param buffer holding a Call-ID value.
     * @param offset its first byte.
     * @param length its length.
     * @param run    the run's tag expected after the number.
     * @return the operation's number, or {@link #NONE} if the Call-ID is not one of this run's.
     */
    static long parse(final DirectBuffer buffer, final int offset, final int length, final int run)
    {
        long number = 0;
        int i = 0;
        while (i < length && i <= MAX_DIGITS)
        {
            final byte b = buffer.getByte(offset + i);
            if (b < '0' || b > '9')
            {
                break;
            }
            number = number * 10 + (b - '0');
            i++;
        }
        if (i == 0 || i > MAX_DIGITS || i >= length || buffer.getByte(offset + i) != '-')
        {
            return NONE;
        }
        long tag = 0;
        int j = i + 1;
        final int tagStart = j;
        while (j < length)
        {
            final byte b = buffer.getByte(offset + j);
            if (b < '0' || b > '9')
            {
                break;
            }
            tag = tag * 10 + (b - '0');
            j++;
        }
        return j > tagStart && tag == run ? number : NONE;
    }
}
