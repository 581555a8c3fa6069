package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over an Authorization or Proxy-Authorization value, also usable for WWW-Authenticate and
 * Proxy-Authenticate challenges since they share the {@code auth-param *(COMMA auth-param)} syntax (RFC 3261
 * §25.1, RFC 7616). The whole value is one header value: its commas separate parameters, not headers.
 * <p>
 * Known parameters are addressed by the int ids below ({@link #USERNAME} ...) through {@link #has(int)},
 * {@link #valueOffset(int)} and {@link #valueLength(int)}; quoted values are given without their quotes, with
 * quoted-pairs left escaped ({@link #hasQuotedPairs(int)} tells a consumer to {@link SipBytes#unquote}).
 * Other schemes (Basic, Bearer) are accepted with only the scheme decoded, {@link #isDigest()} false.
 * <p>
 * Not thread-safe; reuse one instance per agent. After a failed {@link #wrap} only {@link #reason()} is
 * meaningful.
 */
public final class DigestCredentialsDecoder
{
    public static final int USERNAME = 0;
    public static final int REALM = 1;
    public static final int NONCE = 2;
    public static final int URI = 3;
    public static final int RESPONSE = 4;
    public static final int ALGORITHM = 5;
    public static final int CNONCE = 6;
    public static final int OPAQUE = 7;
    public static final int QOP = 8;
    public static final int NC = 9;
    public static final int DOMAIN = 10;
    public static final int STALE = 11;
    public static final int USERHASH = 12;

    /** {@link #algorithm()} when the parameter is absent (MD5 is then implied, RFC 7616 §3.4). */
    public static final int ALGORITHM_ABSENT = 0;
    public static final int ALGORITHM_MD5 = 1;
    public static final int ALGORITHM_MD5_SESS = 2;
    public static final int ALGORITHM_SHA_256 = 3;
    public static final int ALGORITHM_SHA_256_SESS = 4;
    public static final int ALGORITHM_SHA_512_256 = 5;
    public static final int ALGORITHM_SHA_512_256_SESS = 6;
    /** A well-formed algorithm token none of the above. */
    public static final int ALGORITHM_OTHER = 7;

    public static final String REASON_EMPTY = "Empty credentials";
    public static final String REASON_SCHEME = "Bad authorization scheme";
    public static final String REASON_PARAMETER = "Bad digest parameter";
    public static final String REASON_TOO_MANY_PARAMETERS = "Too many digest parameters";
    public static final String REASON_UNTERMINATED_QUOTE = "Unterminated quoted string";
    public static final String REASON_DUPLICATE = "Duplicate digest parameter";
    public static final String REASON_NC = "Bad digest nc";
    public static final String REASON_ALGORITHM = "Bad digest algorithm";

    private static final byte[] DIGEST = bytes("digest");
    private static final byte[][] NAMES =
    {
        bytes("username"), bytes("realm"), bytes("nonce"), bytes("uri"), bytes("response"), bytes("algorithm"),
        bytes("cnonce"), bytes("opaque"), bytes("qop"), bytes("nc"), bytes("domain"), bytes("stale"),
        bytes("userhash")
    };
    private static final byte[][] ALGORITHMS =
    {
        null, bytes("md5"), bytes("md5-sess"), bytes("sha-256"), bytes("sha-256-sess"), bytes("sha-512-256"),
        bytes("sha-512-256-sess")
    };

    private final SipParameters parameters = new SipParameters();
    private final int[] known = new int[NAMES.length];
    private DirectBuffer buffer;
    private String reason;
    private int schemeOffset;
    private int schemeLength;
    private boolean digest;
    private int algorithm;
    private long nonceCount;

    /**
     * Decode one credentials or challenge value.
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
        schemeOffset = -1;
        schemeLength = 0;
        digest = false;
        algorithm = ALGORITHM_ABSENT;
        nonceCount = -1;
        parameters.reset(buffer);
        for (int i = 0; i < known.length; i++)
        {
            known[i] = -1;
        }

        final int limit = SipBytes.trimTrailingLws(buffer, offset, offset + Math.max(length, 0));
        final int start = SipBytes.skipLws(buffer, offset, limit);
        if (start == limit)
        {
            return fail(REASON_EMPTY);
        }
        int i = start;
        while (i < limit && SipBytes.isTokenChar(buffer.getByte(i)))
        {
            i++;
        }
        if (i == start || (i < limit && !SipBytes.isWhitespace(buffer.getByte(i)) && buffer.getByte(i) != '\r'))
        {
            return fail(REASON_SCHEME);
        }
        schemeOffset = start;
        schemeLength = i - start;
        if (!SipBytes.equalsIgnoreCase(buffer, start, schemeLength, DIGEST))
        {
            return true;
        }
        digest = true;
        final int result = parameters.parseHeaderParameters(buffer, i, limit, (byte)',', false);
        if (result != SipParameters.OK)
        {
            digest = false;
            return fail(result == SipParameters.ERROR_TOO_MANY ? REASON_TOO_MANY_PARAMETERS :
                result == SipParameters.ERROR_UNTERMINATED_QUOTE ? REASON_UNTERMINATED_QUOTE : REASON_PARAMETER);
        }
        for (int p = 0, count = parameters.count(); p < count; p++)
        {
            if (!resolve(p))
            {
                digest = false;
                return false;
            }
        }
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
     * @return true if the scheme is Digest (any case) and its parameters decoded.
     */
    public boolean isDigest()
    {
        return digest;
    }

    /**
     * @return offset of the scheme token.
     */
    public int schemeOffset()
    {
        return schemeOffset;
    }

    /**
     * @return length of the scheme token.
     */
    public int schemeLength()
    {
        return schemeLength;
    }

    /**
     * @param param a known parameter id, {@link #USERNAME} to {@link #USERHASH}.
     * @return true if present.
     */
    public boolean has(final int param)
    {
        return known[param] >= 0;
    }

    /**
     * @param param a known parameter id.
     * @return index of the parameter in {@link #parameters()}, or -1.
     */
    public int index(final int param)
    {
        return known[param];
    }

    /**
     * @param param a known parameter id.
     * @return offset of the value, inside the quotes for a quoted-string; -1 if absent.
     */
    public int valueOffset(final int param)
    {
        final int index = known[param];
        if (index < 0)
        {
            return -1;
        }
        return parameters.isQuoted(index) ? parameters.valueOffset(index) + 1 : parameters.valueOffset(index);
    }

    /**
     * @param param a known parameter id.
     * @return length of the value without quotes; 0 if absent.
     */
    public int valueLength(final int param)
    {
        final int index = known[param];
        if (index < 0)
        {
            return 0;
        }
        return parameters.isQuoted(index) ? parameters.valueLength(index) - 2 : parameters.valueLength(index);
    }

    /**
     * @param param a known parameter id.
     * @return true if the value was a quoted-string.
     */
    public boolean isQuoted(final int param)
    {
        final int index = known[param];
        return index >= 0 && parameters.isQuoted(index);
    }

    /**
     * @param param a known parameter id.
     * @return true if the quoted value holds a quoted-pair, so it must be unescaped before use.
     */
    public boolean hasQuotedPairs(final int param)
    {
        return isQuoted(param) &&
            SipBytes.indexOf(buffer, valueOffset(param), valueOffset(param) + valueLength(param), (byte)'\\') >= 0;
    }

    /**
     * @return the algorithm code, {@link #ALGORITHM_ABSENT} when not given.
     */
    public int algorithm()
    {
        return algorithm;
    }

    /**
     * @return the nonce count (nc, 8 hex digits), or -1 if absent.
     */
    public long nonceCount()
    {
        return nonceCount;
    }

    /**
     * @return all parameters in order, raw values (quoted ones keep their quotes).
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

    private boolean resolve(final int index)
    {
        final int nameOffset = parameters.nameOffset(index);
        final int nameLength = parameters.nameLength(index);
        if (parameters.valueLength(index) < 0)
        {
            return fail(REASON_PARAMETER);
        }
        for (int param = 0; param < NAMES.length; param++)
        {
            if (SipBytes.equalsIgnoreCase(buffer, nameOffset, nameLength, NAMES[param]))
            {
                if (known[param] >= 0)
                {
                    return fail(REASON_DUPLICATE);
                }
                known[param] = index;
                if (param == NC)
                {
                    return decodeNonceCount();
                }
                if (param == ALGORITHM)
                {
                    return decodeAlgorithm();
                }
                return true;
            }
        }
        for (int other = 0; other < index; other++)
        {
            if (SipBytes.rangesEqualIgnoreCase(
                buffer, parameters.nameOffset(other), parameters.nameLength(other), buffer, nameOffset, nameLength))
            {
                return fail(REASON_DUPLICATE);
            }
        }
        return true;
    }

    private boolean decodeNonceCount()
    {
        final int offset = valueOffset(NC);
        final int length = valueLength(NC);
        if (length != 8)
        {
            return fail(REASON_NC);
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = SipBytes.hexValue(buffer.getByte(offset + i));
            if (digit < 0)
            {
                return fail(REASON_NC);
            }
            value = (value << 4) | digit;
        }
        nonceCount = value;
        return true;
    }

    private boolean decodeAlgorithm()
    {
        final int offset = valueOffset(ALGORITHM);
        final int length = valueLength(ALGORITHM);
        if (!SipBytes.isToken(buffer, offset, length))
        {
            return fail(REASON_ALGORITHM);
        }
        algorithm = ALGORITHM_OTHER;
        for (int code = ALGORITHM_MD5; code < ALGORITHMS.length; code++)
        {
            if (SipBytes.equalsIgnoreCase(buffer, offset, length, ALGORITHMS[code]))
            {
                algorithm = code;
                break;
            }
        }
        return true;
    }

    private boolean fail(final String reason)
    {
        this.reason = reason;
        return false;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
