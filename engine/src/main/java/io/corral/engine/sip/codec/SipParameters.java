package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

/**
 * Offsets of the parameters of one header value or URI, filled by a decoder's {@code wrap} and read through its
 * {@code parameters()} accessor. Values are raw bytes as they appear (a quoted value keeps its quotes; a URI
 * parameter keeps its escapes). Fixed capacity so decoding never allocates: a value with more parameters than
 * {@link #MAX_PARAMETERS} is rejected by the decoders.
 */
public final class SipParameters
{
    /** The most parameters one URI or header value may carry. */
    public static final int MAX_PARAMETERS = 32;

    static final int OK = 0;
    static final int ERROR_SYNTAX = -1;
    static final int ERROR_TOO_MANY = -2;
    static final int ERROR_UNTERMINATED_QUOTE = -3;

    private static final int NAME_OFFSET = 0;
    private static final int NAME_LENGTH = 1;
    private static final int VALUE_OFFSET = 2;
    private static final int VALUE_LENGTH = 3;
    private static final int TOKEN_VALUE = 4;
    private static final int STRIDE = 5;

    private final int[] fields = new int[MAX_PARAMETERS * STRIDE];
    private DirectBuffer buffer;
    private int count;

    void reset(final DirectBuffer buffer)
    {
        this.buffer = buffer;
        count = 0;
    }

    boolean add(final int nameOffset, final int nameLength, final int valueOffset, final int valueLength)
    {
        return add(nameOffset, nameLength, valueOffset, valueLength, false);
    }

    /**
     * @param tokenValue true if the caller found the value to be a non-empty token; see {@link #isTokenValue(int)}.
     */
    boolean add(
        final int nameOffset,
        final int nameLength,
        final int valueOffset,
        final int valueLength,
        final boolean tokenValue)
    {
        if (count == MAX_PARAMETERS)
        {
            return false;
        }
        final int base = count * STRIDE;
        fields[base + NAME_OFFSET] = nameOffset;
        fields[base + NAME_LENGTH] = nameLength;
        fields[base + VALUE_OFFSET] = valueOffset;
        fields[base + VALUE_LENGTH] = valueLength;
        fields[base + TOKEN_VALUE] = tokenValue ? 1 : 0;
        count++;
        return true;
    }

    /**
     * @return the number of parameters, in the order they appear.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index of the parameter, 0 to {@code count() - 1}.
     * @return offset of its name.
     */
    public int nameOffset(final int index)
    {
        return fields[index * STRIDE + NAME_OFFSET];
    }

    /**
     * @param index of the parameter.
     * @return length of its name.
     */
    public int nameLength(final int index)
    {
        return fields[index * STRIDE + NAME_LENGTH];
    }

    /**
     * @param index of the parameter.
     * @return offset of its raw value, or -1 if the parameter has no {@code =value}.
     */
    public int valueOffset(final int index)
    {
        return fields[index * STRIDE + VALUE_OFFSET];
    }

    /**
     * @param index of the parameter.
     * @return length of its raw value, or -1 if the parameter has no {@code =value}.
     */
    public int valueLength(final int index)
    {
        return fields[index * STRIDE + VALUE_LENGTH];
    }

    /**
     * @param index of the parameter.
     * @return true if the parameter has a value ({@code name=value}).
     */
    public boolean hasValue(final int index)
    {
        return fields[index * STRIDE + VALUE_LENGTH] >= 0;
    }

    /**
     * Known from the scan of {@link #parseHeaderParameters}, so a decoder need not scan a branch or tag again.
     *
     * @param index of the parameter.
     * @return true if the header parameter's value is a non-empty token of RFC 3261 §25.1; false for a URI parameter.
     */
    boolean isTokenValue(final int index)
    {
        return fields[index * STRIDE + TOKEN_VALUE] != 0;
    }

    /**
     * @param index of the parameter.
     * @return true if the value is a quoted-string (its raw range starts and ends with DQUOTE).
     */
    public boolean isQuoted(final int index)
    {
        return valueLength(index) >= 2 && buffer.getByte(valueOffset(index)) == '"';
    }

    /**
     * Find a parameter by name, ignoring case (parameter names are case-insensitive, RFC 3261 §7.3.1 and §19.1.4).
     *
     * @param lowerCaseName the name, in lower case.
     * @return the index of the first parameter with that name, or -1.
     */
    public int find(final byte[] lowerCaseName)
    {
        for (int i = 0; i < count; i++)
        {
            if (SipBytes.equalsIgnoreCase(buffer, nameOffset(i), nameLength(i), lowerCaseName))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parse {@code *( SEMI generic-param )} (RFC 3261 §25.1), or with {@code separator} ',' and
     * {@code leadingSeparator} false the {@code param *(COMMA param)} list of digest credentials, up to
     * {@code limit}. A value is a quoted-string, or a run of token characters, '[', ']' and ':' so hosts and
     * unbracketed IPv6 addresses pass; the caller validates the values it knows.
     *
     * @return {@link #OK} or a negative error code.
     */
    int parseHeaderParameters(
        final DirectBuffer buffer,
        final int position,
        final int limit,
        final byte separator,
        final boolean leadingSeparator)
    {
        if (position < limit)
        {
            // One bounds check for the range: the scan below then reads without a check per byte.
            buffer.boundsCheck(position, limit - position);
        }
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset();
        int i = position;
        boolean first = true;
        while (true)
        {
            i = SipBytes.skipLws(array, address, i, limit);
            if (i == limit)
            {
                return first && !leadingSeparator ? ERROR_SYNTAX : OK;
            }
            if (!first || leadingSeparator)
            {
                if (SipBytes.byteAt(array, address, i) != separator)
                {
                    return ERROR_SYNTAX;
                }
                i = SipBytes.skipLws(array, address, i + 1, limit);
            }
            first = false;
            final int nameOffset = i;
            i = SipBytes.scanToken(array, address, i, limit);
            final int nameLength = i - nameOffset;
            if (nameLength == 0)
            {
                return ERROR_SYNTAX;
            }
            i = SipBytes.skipLws(array, address, i, limit);
            int valueOffset = -1;
            int valueLength = -1;
            boolean tokenValue = false;
            if (i < limit && SipBytes.byteAt(array, address, i) == '=')
            {
                i = SipBytes.skipLws(array, address, i + 1, limit);
                valueOffset = i;
                if (i < limit && SipBytes.byteAt(array, address, i) == '"')
                {
                    final int close = SipBytes.scanQuotedString(array, address, i, limit);
                    if (close < 0)
                    {
                        return ERROR_UNTERMINATED_QUOTE;
                    }
                    i = close + 1;
                }
                else
                {
                    final int tokenEnd = SipBytes.scanToken(array, address, i, limit);
                    i = SipBytes.scanParamValue(array, address, tokenEnd, limit);
                    if (i == valueOffset)
                    {
                        return ERROR_SYNTAX;
                    }
                    tokenValue = tokenEnd == i;
                }
                valueLength = i - valueOffset;
            }
            if (!add(nameOffset, nameLength, valueOffset, valueLength, tokenValue))
            {
                return ERROR_TOO_MANY;
            }
        }
    }
}
