package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over one {@code (name-addr / addr-spec) *(SEMI param)} value (RFC 3261 §25.1): From, To, Contact,
 * Route, Record-Route, Path, Reply-To. Decodes the display name, the URI (validated by an embedded
 * {@link SipUriDecoder}, see {@link #uri()}) and the header parameters, with {@code tag}, {@code expires} and
 * {@code q} resolved. Per §20.10, in the addr-spec form the {@code ;params} after the URI belong to the header,
 * and a URI holding ',', '?' or ';' must be in angle brackets. A Contact of {@code *} is recognised.
 * <p>
 * Not thread-safe; reuse one instance per agent. Absent ranges have offset -1 and length 0. After a failed
 * {@link #wrap} only {@link #reason()} is meaningful.
 */
public final class NameAddrDecoder
{
    /** Largest expires value (RFC 3261 §20.19: delta-seconds fit 32 bits unsigned). */
    public static final long MAX_EXPIRES = 0xFFFF_FFFFL;

    public static final String REASON_EMPTY = "Empty header value";
    public static final String REASON_UNTERMINATED_QUOTE = "Unterminated quoted string";
    public static final String REASON_NAME_ADDR = "Bad name-addr";
    public static final String REASON_UNTERMINATED_ANGLE = "Unterminated <";
    public static final String REASON_ADDR_SPEC = "URI with ',', '?' or ';' must be enclosed in <>";
    public static final String REASON_PARAMETER = "Bad header parameter";
    public static final String REASON_TOO_MANY_PARAMETERS = "Too many header parameters";
    public static final String REASON_TAG = "Bad tag parameter";
    public static final String REASON_EXPIRES = "Bad expires parameter";
    public static final String REASON_Q = "Bad q parameter";
    public static final String REASON_DUPLICATE = "Duplicate header parameter";

    private static final byte[] TAG = "tag".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPIRES = "expires".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] Q = "q".getBytes(StandardCharsets.US_ASCII);

    private final SipUriDecoder uri = new SipUriDecoder();
    private final SipParameters parameters = new SipParameters();
    private DirectBuffer buffer;
    private byte[] array;
    private long address;
    private String reason;
    private boolean star;
    private boolean nameAddr;
    private int displayNameOffset;
    private int displayNameLength;
    private boolean displayNameQuoted;
    private int uriOffset;
    private int uriLength;
    private int parametersOffset;
    private int tagIndex;
    private long expires;
    private int q;

    /**
     * Decode one value.
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return true if well-formed (a URI of another scheme is opaque and counts as well-formed); false with
     * {@link #reason()} set otherwise.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        reason = null;
        star = false;
        nameAddr = false;
        displayNameOffset = -1;
        displayNameLength = 0;
        displayNameQuoted = false;
        uriOffset = -1;
        uriLength = 0;
        parametersOffset = -1;
        tagIndex = -1;
        expires = -1;
        q = -1;
        parameters.reset(buffer);
        if (length > 0)
        {
            // One bounds check for the value: the scan below then reads without a check per byte.
            buffer.boundsCheck(offset, length);
        }
        array = buffer.byteArray();
        address = buffer.addressOffset();

        final int limit = SipBytes.trimTrailingLws(array, address, offset, offset + Math.max(length, 0));
        int i = SipBytes.skipLws(array, address, offset, limit);
        if (i == limit)
        {
            uri.wrap(buffer, i, 0);
            return fail(REASON_EMPTY);
        }
        final byte first = byteAt(i);
        if (first == '*' && i + 1 == limit)
        {
            uri.wrap(buffer, i, 0);
            star = true;
            return true;
        }

        if (first == '"')
        {
            final int close = SipBytes.scanQuotedString(array, address, i, limit);
            if (close < 0)
            {
                uri.wrap(buffer, i, 0);
                return fail(REASON_UNTERMINATED_QUOTE);
            }
            displayNameOffset = i + 1;
            displayNameLength = close - i - 1;
            displayNameQuoted = true;
            i = SipBytes.skipLws(array, address, close + 1, limit);
            if (i == limit || byteAt(i) != '<')
            {
                uri.wrap(buffer, i, 0);
                return fail(REASON_NAME_ADDR);
            }
        }
        else if (first != '<')
        {
            final int tokenEnd = scanToken(i, limit);
            if (tokenEnd < limit && byteAt(tokenEnd) == ':')
            {
                return decodeAddrSpec(i, limit);
            }
            i = scanDisplayTokens(i, limit);
            if (i < 0)
            {
                uri.wrap(buffer, offset, 0);
                return fail(REASON_NAME_ADDR);
            }
        }
        return decodeBracketedUri(i, limit);
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
     * @return true if the value is a Contact {@code *} (then there is no URI and no parameter).
     */
    public boolean isStar()
    {
        return star;
    }

    /**
     * @return true for the name-addr form (URI in angle brackets), false for addr-spec or star.
     */
    public boolean isNameAddr()
    {
        return nameAddr;
    }

    /**
     * @return true if a display name is present (possibly an empty quoted string).
     */
    public boolean hasDisplayName()
    {
        return displayNameOffset >= 0;
    }

    /**
     * @return offset of the display name: inside the quotes for a quoted string (quoted-pairs left escaped, see
     * {@link SipBytes#unquote}), else the token sequence; -1 if absent.
     */
    public int displayNameOffset()
    {
        return displayNameOffset;
    }

    /**
     * @return length of the display name.
     */
    public int displayNameLength()
    {
        return displayNameLength;
    }

    /**
     * @return true if the display name was a quoted string.
     */
    public boolean isDisplayNameQuoted()
    {
        return displayNameQuoted;
    }

    /**
     * @return offset of the URI (inside the angle brackets for name-addr).
     */
    public int uriOffset()
    {
        return uriOffset;
    }

    /**
     * @return length of the URI.
     */
    public int uriLength()
    {
        return uriLength;
    }

    /**
     * @return the embedded URI decoder, already wrapped over {@link #uriOffset()}/{@link #uriLength()}.
     */
    public SipUriDecoder uri()
    {
        return uri;
    }

    /**
     * @return offset of the first ';' of the header parameters, or -1 if there are none.
     */
    public int parametersOffset()
    {
        return parametersOffset;
    }

    /**
     * @return the header parameters in order (the URI's own parameters are in {@link #uri()}); raw values.
     */
    public SipParameters parameters()
    {
        return parameters;
    }

    /**
     * @param lowerCaseName parameter name in lower case.
     * @return index into {@link #parameters()}, or -1.
     */
    public int findParameter(final byte[] lowerCaseName)
    {
        return parameters.find(lowerCaseName);
    }

    /**
     * @return true if a tag parameter is present.
     */
    public boolean hasTag()
    {
        return tagIndex >= 0;
    }

    /**
     * @return offset of the tag value, or -1.
     */
    public int tagOffset()
    {
        return tagIndex < 0 ? -1 : parameters.valueOffset(tagIndex);
    }

    /**
     * @return length of the tag value, or 0.
     */
    public int tagLength()
    {
        return tagIndex < 0 ? 0 : parameters.valueLength(tagIndex);
    }

    /**
     * @return the expires parameter, 0 to 2^32-1, or -1 if absent.
     */
    public long expires()
    {
        return expires;
    }

    /**
     * @return the q parameter in thousandths, 0 to 1000, or -1 if absent.
     */
    public int q()
    {
        return q;
    }

    private boolean decodeAddrSpec(final int start, final int limit)
    {
        int i = start;
        while (i < limit)
        {
            final byte b = byteAt(i);
            if (b == ';' || SipBytes.isWhitespace(b) || b == '\r')
            {
                break;
            }
            if (b == ',' || b == '?' || b == '<' || b == '>' || b == '"')
            {
                uri.wrap(buffer, start, 0);
                return fail(REASON_ADDR_SPEC);
            }
            i++;
        }
        uriOffset = start;
        uriLength = i - start;
        if (!uri.wrap(buffer, start, uriLength))
        {
            return fail(uri.reason());
        }
        return decodeParameters(i, limit);
    }

    private boolean decodeBracketedUri(final int open, final int limit)
    {
        final int close = SipBytes.indexOf(array, address, open + 1, limit, (byte)'>');
        if (close < 0)
        {
            uri.wrap(buffer, open, 0);
            return fail(REASON_UNTERMINATED_ANGLE);
        }
        nameAddr = true;
        uriOffset = open + 1;
        uriLength = close - open - 1;
        if (!uri.wrap(buffer, uriOffset, uriLength))
        {
            return fail(uri.reason());
        }
        return decodeParameters(close + 1, limit);
    }

    private boolean decodeParameters(final int start, final int limit)
    {
        final int i = SipBytes.skipLws(array, address, start, limit);
        if (i < limit && byteAt(i) == ';')
        {
            parametersOffset = i;
        }
        final int result = parameters.parseHeaderParameters(buffer, i, limit, (byte)';', true);
        if (result != SipParameters.OK)
        {
            return fail(result == SipParameters.ERROR_TOO_MANY ? REASON_TOO_MANY_PARAMETERS :
                result == SipParameters.ERROR_UNTERMINATED_QUOTE ? REASON_UNTERMINATED_QUOTE : REASON_PARAMETER);
        }
        for (int p = 0, count = parameters.count(); p < count; p++)
        {
            if (!resolve(p))
            {
                return false;
            }
        }
        return true;
    }

    private boolean resolve(final int index)
    {
        final int nameOffset = parameters.nameOffset(index);
        final int nameLength = parameters.nameLength(index);
        final int valueOffset = parameters.valueOffset(index);
        final int valueLength = parameters.valueLength(index);
        if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, TAG))
        {
            if (tagIndex >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            if (!parameters.isTokenValue(index))
            {
                return fail(REASON_TAG);
            }
            tagIndex = index;
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, EXPIRES))
        {
            if (expires >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            expires = SipBytes.parseUnsigned(array, address, valueOffset, valueLength, MAX_EXPIRES);
            if (expires == SipBytes.INVALID_NUMBER)
            {
                return fail(REASON_EXPIRES);
            }
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, Q))
        {
            if (q >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            q = parseQValue(buffer, valueOffset, valueLength);
            if (q < 0)
            {
                return fail(REASON_Q);
            }
        }
        return true;
    }

    /**
     * Parse a qvalue of RFC 3261 §25.1: {@code "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")]}.
     *
     * @param buffer to read.
     * @param offset of the value.
     * @param length of the value.
     * @return the value in thousandths, 0 to 1000, or -1 if malformed.
     */
    public static int parseQValue(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || length > 5)
        {
            return -1;
        }
        final byte unit = buffer.getByte(offset);
        if (unit != '0' && unit != '1')
        {
            return -1;
        }
        int value = (unit - '0') * 1000;
        if (length == 1)
        {
            return value;
        }
        if (buffer.getByte(offset + 1) != '.')
        {
            return -1;
        }
        int scale = 100;
        for (int i = offset + 2, limit = offset + length; i < limit; i++)
        {
            final byte b = buffer.getByte(i);
            if (!SipBytes.isDigit(b) || (unit == '1' && b != '0'))
            {
                return -1;
            }
            value += (b - '0') * scale;
            scale /= 10;
        }
        return value;
    }

    private int scanToken(final int start, final int limit)
    {
        int i = start;
        while (i < limit && SipBytes.isTokenChar(byteAt(i)))
        {
            i++;
        }
        return i;
    }

    /**
     * A display-name word: a token, also admitting UTF-8 octets, which real user agents send unquoted
     * ({@code Jürgen <sip:j@example.com>}) although RFC 3261 asks for a quoted-string; rejecting them would fail calls.
     */
    private int scanDisplayWord(final int start, final int limit)
    {
        int i = start;
        byte b;
        while (i < limit && (SipBytes.isTokenChar(b = byteAt(i)) || b < 0))
        {
            i++;
        }
        return i;
    }

    /**
     * Scan {@code *(token LWS)} up to the '<'; records the display name without its trailing whitespace.
     *
     * @return the position of the '<', or -1.
     */
    private int scanDisplayTokens(final int start, final int limit)
    {
        int i = start;
        int end = start;
        while (i < limit)
        {
            final int tokenEnd = scanDisplayWord(i, limit);
            if (tokenEnd == i)
            {
                if (byteAt(i) != '<')
                {
                    return -1;
                }
                displayNameOffset = start;
                displayNameLength = end - start;
                return i;
            }
            end = tokenEnd;
            i = SipBytes.skipLws(array, address, tokenEnd, limit);
        }
        return -1;
    }

    private byte byteAt(final int index)
    {
        return SipBytes.byteAt(array, address, index);
    }

    private boolean fail(final String reason)
    {
        this.reason = reason;
        return false;
    }
}
