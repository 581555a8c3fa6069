package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over one URI (RFC 3261 §19.1 and §25.1 for sip/sips, RFC 3966 for tel). {@link #wrap} validates in one
 * bounded pass and records offsets; accessors return offsets into the wrapped buffer and decoded primitives.
 * Other schemes only have their scheme token validated and stay opaque, so a proxy can answer 416.
 * <p>
 * Not thread-safe; reuse one instance per agent. Absent ranges have offset -1 and length 0. After a failed
 * {@link #wrap} only {@link #reason()} is meaningful.
 */
public final class SipUriDecoder
{
    /** Scheme code before a successful wrap. */
    public static final int NONE = 0;
    public static final int SIP = 1;
    public static final int SIPS = 2;
    public static final int TEL = 3;
    /** Any other well-formed scheme: the rest of the URI is opaque. */
    public static final int OTHER = 4;

    public static final String REASON_EMPTY = "Empty URI";
    public static final String REASON_SCHEME = "Bad URI scheme";
    public static final String REASON_USER = "Bad URI user";
    public static final String REASON_PASSWORD = "Bad URI password";
    public static final String REASON_HOST = "Bad URI host";
    public static final String REASON_PORT = "Bad URI port";
    public static final String REASON_PARAMETER = "Bad URI parameter";
    public static final String REASON_TOO_MANY_PARAMETERS = "Too many URI parameters";
    public static final String REASON_MADDR = "Bad URI maddr parameter";
    public static final String REASON_TTL = "Bad URI ttl parameter";
    public static final String REASON_HEADERS = "Bad URI headers";
    public static final String REASON_TEL_NUMBER = "Bad tel URI number";
    public static final String REASON_TRAILING = "Bad URI: unexpected character";

    private static final byte[] SCHEME_SIP = bytes("sip");
    private static final byte[] SCHEME_SIPS = bytes("sips");
    private static final byte[] SCHEME_TEL = bytes("tel");
    private static final byte[] PARAM_LR = bytes("lr");
    private static final byte[] PARAM_TRANSPORT = bytes("transport");
    private static final byte[] PARAM_MADDR = bytes("maddr");
    private static final byte[] PARAM_USER = bytes("user");
    private static final byte[] PARAM_TTL = bytes("ttl");
    private static final byte[] USER_PHONE = bytes("phone");

    private static final int UNRESERVED = 1;
    private static final int USER_EXTRA = 2;
    private static final int PASSWORD_EXTRA = 4;
    private static final int PARAM_EXTRA = 8;
    private static final int HEADER_EXTRA = 16;
    private static final int TEL_VISUAL = 32;
    /** By unsigned byte value, so a lookup needs no sign test: '%' is in no class, the scans test it second. */
    private static final byte[] CLASSES = new byte[256];

    static
    {
        for (int c = 0; c < 128; c++)
        {
            if (SipHost.isAlphaNum((byte)c))
            {
                CLASSES[c] |= UNRESERVED;
            }
        }
        mark("-_.!~*'()", UNRESERVED);
        mark("&=+$,;?/", USER_EXTRA);
        mark("&=+$,", PASSWORD_EXTRA);
        mark("[]/:&+$", PARAM_EXTRA);
        mark("[]/?:+$=&", HEADER_EXTRA);
        mark("-.()", TEL_VISUAL);
    }

    private final SipParameters parameters = new SipParameters();
    private DirectBuffer buffer;
    private byte[] array;
    private long address;
    private int offset;
    private int length;
    private String reason;
    private int scheme;
    private int schemeLength;
    private int userOffset;
    private int userLength;
    private int passwordOffset;
    private int passwordLength;
    private int hostOffset;
    private int hostLength;
    private int hostType;
    private int port;
    private int parametersOffset;
    private int headersOffset;
    private int headersLength;
    private boolean looseRouting;
    private boolean globalNumber;
    private int transport;
    private int transportIndex;
    private int maddrIndex;
    private int userParamIndex;
    private int ttl;

    /**
     * Decode a URI.
     *
     * @param buffer holding the URI.
     * @param offset of its first byte (the scheme).
     * @param length of the URI, without surrounding whitespace or angle brackets.
     * @return true if the URI is well-formed (any other scheme counts as well-formed and opaque); false with
     * {@link #reason()} set otherwise.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        reason = null;
        scheme = NONE;
        schemeLength = 0;
        userOffset = -1;
        userLength = 0;
        passwordOffset = -1;
        passwordLength = 0;
        hostOffset = -1;
        hostLength = 0;
        hostType = SipHost.NONE;
        port = -1;
        parametersOffset = -1;
        headersOffset = -1;
        headersLength = 0;
        looseRouting = false;
        globalNumber = false;
        transport = TransportProtocol.NONE;
        transportIndex = -1;
        maddrIndex = -1;
        userParamIndex = -1;
        ttl = -1;
        parameters.reset(buffer);

        if (length <= 0)
        {
            return fail(REASON_EMPTY);
        }
        // One bounds check for the URI: the scan below then reads without a check per byte.
        buffer.boundsCheck(offset, length);
        array = buffer.byteArray();
        address = buffer.addressOffset();
        final int limit = offset + length;
        int i = offset;
        final int code;
        if (length > 4 && isSipColon(offset))
        {
            // Nearly every URI a proxy sees: no scheme scan and no table of names.
            i += 3;
            schemeLength = 3;
            code = SIP;
        }
        else
        {
            code = decodeScheme(offset, limit);
            if (code == NONE)
            {
                return fail(REASON_SCHEME);
            }
            i += schemeLength;
        }
        i++;
        final boolean valid;
        if (code == OTHER)
        {
            valid = decodeOpaque(i, limit);
        }
        else if (code == TEL)
        {
            valid = decodeTel(i, limit);
        }
        else
        {
            valid = decodeSip(i, limit);
        }
        if (valid)
        {
            scheme = code;
        }
        return valid;
    }

    /**
     * @return true if the bytes at {@code at} are "sip:" in any case (OR-ing the case bit maps only 'S' and 's' to
     * 's', and so on).
     */
    private boolean isSipColon(final int at)
    {
        return (byteAt(at) | 0x20) == 's' && (byteAt(at + 1) | 0x20) == 'i' && (byteAt(at + 2) | 0x20) == 'p' &&
            byteAt(at + 3) == ':';
    }

    /**
     * Scan the scheme and its colon, setting {@link #schemeLength}.
     *
     * @return the scheme's code, or {@link #NONE} if it is malformed.
     */
    private int decodeScheme(final int offset, final int limit)
    {
        int i = offset;
        if (!isAlpha(byteAt(i)))
        {
            return NONE;
        }
        while (i < limit && isSchemeChar(byteAt(i)))
        {
            i++;
        }
        if (i == limit || byteAt(i) != ':')
        {
            return NONE;
        }
        schemeLength = i - offset;
        if (SipBytes.equalsIgnoreCase(array, address, offset, schemeLength, SCHEME_SIP))
        {
            return SIP;
        }
        if (SipBytes.equalsIgnoreCase(array, address, offset, schemeLength, SCHEME_SIPS))
        {
            return SIPS;
        }
        return SipBytes.equalsIgnoreCase(array, address, offset, schemeLength, SCHEME_TEL) ? TEL : OTHER;
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
     * @return offset of the whole URI.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return length of the whole URI.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return {@link #SIP}, {@link #SIPS}, {@link #TEL}, {@link #OTHER}, or {@link #NONE} if the last wrap failed.
     */
    public int scheme()
    {
        return scheme;
    }

    /**
     * @return offset of the scheme token (equal to {@link #offset()}).
     */
    public int schemeOffset()
    {
        return offset;
    }

    /**
     * @return length of the scheme token, without the colon.
     */
    public int schemeLength()
    {
        return schemeLength;
    }

    /**
     * @return true if the URI has a user part; for a tel URI, always (the number).
     */
    public boolean hasUser()
    {
        return userOffset >= 0;
    }

    /**
     * @return offset of the user part, raw with its escapes and any ';' parameters of a telephone-subscriber user;
     * for a tel URI the number; -1 if absent.
     */
    public int userOffset()
    {
        return userOffset;
    }

    /**
     * @return length of the user part.
     */
    public int userLength()
    {
        return userLength;
    }

    /**
     * @return length of the user up to its first ';': for a telephone-subscriber user such as
     * {@code +1-212-555-1212;npdi=yes} the number without its parameters; equal to {@link #userLength()} otherwise.
     */
    public int userBaseLength()
    {
        final int semicolon =
            userOffset < 0 ? -1 : SipBytes.indexOf(buffer, userOffset, userOffset + userLength, (byte)';');
        return semicolon < 0 ? userLength : semicolon - userOffset;
    }

    /**
     * @return offset of the password (after the ':' of userinfo), or -1.
     */
    public int passwordOffset()
    {
        return passwordOffset;
    }

    /**
     * @return length of the password (may be 0 for "user:@host").
     */
    public int passwordLength()
    {
        return passwordLength;
    }

    /**
     * @return offset of the host (for an IPv6 reference, of the '['), or -1 for tel and opaque URIs.
     */
    public int hostOffset()
    {
        return hostOffset;
    }

    /**
     * @return length of the host (for an IPv6 reference, brackets included).
     */
    public int hostLength()
    {
        return hostLength;
    }

    /**
     * @return {@link SipHost#HOSTNAME}, {@link SipHost#IPV4}, {@link SipHost#IPV6} or {@link SipHost#NONE}.
     */
    public int hostType()
    {
        return hostType;
    }

    /**
     * @return the port, 0 to 65535, or -1 if absent.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return the port, or the default when absent: 5061 for sips or transport=tls, 5060 otherwise.
     */
    public int effectivePort()
    {
        if (port >= 0)
        {
            return port;
        }
        return scheme == SIPS || transport == TransportProtocol.TLS ? 5061 : 5060;
    }

    /**
     * @return offset of the first ';' of the URI parameters, or -1 if there are none.
     */
    public int parametersOffset()
    {
        return parametersOffset;
    }

    /**
     * @return the URI parameters in order; values keep their escapes.
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
     * @return true if the {@code lr} parameter is present (loose routing, RFC 3261 §19.1.1).
     */
    public boolean isLooseRouting()
    {
        return looseRouting;
    }

    /**
     * @return the {@code transport} parameter as a {@link TransportProtocol} code, {@link TransportProtocol#NONE}
     * if absent.
     */
    public int transport()
    {
        return transport;
    }

    /**
     * @return index of the {@code transport} parameter in {@link #parameters()}, or -1.
     */
    public int transportIndex()
    {
        return transportIndex;
    }

    /**
     * @return index of the {@code maddr} parameter (its value validated as a host), or -1.
     */
    public int maddrIndex()
    {
        return maddrIndex;
    }

    /**
     * @return index of the {@code user} parameter, or -1.
     */
    public int userParamIndex()
    {
        return userParamIndex;
    }

    /**
     * @return true if the URI carries {@code user=phone}.
     */
    public boolean isUserPhone()
    {
        return userParamIndex >= 0 && SipBytes.equalsIgnoreCase(
            buffer, parameters.valueOffset(userParamIndex), parameters.valueLength(userParamIndex), USER_PHONE);
    }

    /**
     * @return the {@code ttl} parameter, 0 to 255, or -1 if absent.
     */
    public int ttl()
    {
        return ttl;
    }

    /**
     * @return true if the URI has a {@code ?headers} part.
     */
    public boolean hasHeaders()
    {
        return headersOffset >= 0;
    }

    /**
     * @return offset of the URI headers, after the '?', or -1.
     */
    public int headersOffset()
    {
        return headersOffset;
    }

    /**
     * @return length of the URI headers.
     */
    public int headersLength()
    {
        return headersLength;
    }

    /**
     * @return for a tel URI, true if the number is global ("+" and digits), false for a local number.
     */
    public boolean isGlobalNumber()
    {
        return globalNumber;
    }

    /**
     * Compare the hosts (ignoring case) and effective ports of two wrapped sip/sips URIs, as a proxy does to
     * recognise its own address in a Route or Request-URI. IPv6 references are compared textually.
     *
     * @param a a wrapped URI.
     * @param b another wrapped URI.
     * @return true if both have a host and they match with their effective ports.
     */
    public static boolean sameHostAndPort(final SipUriDecoder a, final SipUriDecoder b)
    {
        return a.hostOffset >= 0 && b.hostOffset >= 0 &&
            a.effectivePort() == b.effectivePort() &&
            SipBytes.rangesEqualIgnoreCase(a.buffer, a.hostOffset, a.hostLength, b.buffer, b.hostOffset, b.hostLength);
    }

    private boolean decodeOpaque(final int start, final int limit)
    {
        if (start == limit)
        {
            return fail(REASON_SCHEME);
        }
        for (int i = start; i < limit; i++)
        {
            final byte b = byteAt(i);
            if (b >= 0 && b <= ' ' || b == 0x7F)
            {
                return fail(REASON_TRAILING);
            }
        }
        return true;
    }

    private boolean decodeSip(final int start, final int limit)
    {
        int i = start;
        final int at = SipBytes.indexOf(array, address, i, limit, (byte)'@');
        if (at >= 0)
        {
            final int colon = SipBytes.indexOf(array, address, i, at, (byte)':');
            final int userEnd = colon < 0 ? at : colon;
            if (userEnd == i || !isValid(i, userEnd, UNRESERVED | USER_EXTRA))
            {
                return fail(REASON_USER);
            }
            userOffset = i;
            userLength = userEnd - i;
            if (colon >= 0)
            {
                if (!isValid(colon + 1, at, UNRESERVED | PASSWORD_EXTRA))
                {
                    return fail(REASON_PASSWORD);
                }
                passwordOffset = colon + 1;
                passwordLength = at - colon - 1;
            }
            i = at + 1;
        }
        final long scanned = SipHost.scanAndParse(array, address, i, limit);
        final int hostEnd = SipHost.scannedEnd(scanned);
        if (hostEnd < 0)
        {
            return fail(REASON_HOST);
        }
        hostType = SipHost.scannedType(scanned);
        if (hostType == SipHost.INVALID)
        {
            hostType = SipHost.NONE;
            return fail(REASON_HOST);
        }
        hostOffset = i;
        hostLength = hostEnd - i;
        i = hostEnd;
        if (i < limit && byteAt(i) == ':')
        {
            final int portStart = ++i;
            while (i < limit && SipBytes.isDigit(byteAt(i)))
            {
                i++;
            }
            final long value = SipBytes.parseUnsigned(array, address, portStart, i - portStart, 65535);
            if (value == SipBytes.INVALID_NUMBER)
            {
                return fail(REASON_PORT);
            }
            port = (int)value;
        }
        i = decodeParameters(i, limit, false);
        if (i < 0)
        {
            return false;
        }
        if (i < limit && byteAt(i) == '?')
        {
            if (i + 1 == limit || !isValid(i + 1, limit, UNRESERVED | HEADER_EXTRA))
            {
                return fail(REASON_HEADERS);
            }
            headersOffset = i + 1;
            headersLength = limit - i - 1;
            i = limit;
        }
        return i == limit || fail(REASON_TRAILING);
    }

    private boolean decodeTel(final int start, final int limit)
    {
        int i = start;
        globalNumber = i < limit && byteAt(i) == '+';
        if (globalNumber)
        {
            i++;
        }
        boolean digit = false;
        while (i < limit)
        {
            final byte b = byteAt(i);
            if (b == ';')
            {
                break;
            }
            if (globalNumber ? SipBytes.isDigit(b) : SipBytes.hexValue(b) >= 0 || b == '*' || b == '#')
            {
                digit = true;
            }
            else if ((CLASSES[b & 0xFF] & TEL_VISUAL) == 0)
            {
                return fail(REASON_TEL_NUMBER);
            }
            i++;
        }
        if (!digit)
        {
            return fail(REASON_TEL_NUMBER);
        }
        userOffset = start;
        userLength = i - start;
        i = decodeParameters(i, limit, true);
        if (i < 0)
        {
            return false;
        }
        return i == limit || fail(REASON_TRAILING);
    }

    private int decodeParameters(final int start, final int limit, final boolean tel)
    {
        int i = start;
        if (i < limit && byteAt(i) == ';')
        {
            parametersOffset = i;
        }
        while (i < limit && byteAt(i) == ';')
        {
            final int nameOffset = ++i;
            i = scanParamChars(i, limit);
            if (i < 0 || i == nameOffset || (tel && !isTelParamName(nameOffset, i)))
            {
                fail(REASON_PARAMETER);
                return -1;
            }
            final int nameLength = i - nameOffset;
            int valueOffset = -1;
            int valueLength = -1;
            if (i < limit && byteAt(i) == '=')
            {
                valueOffset = ++i;
                i = scanParamChars(i, limit);
                if (i < 0 || i == valueOffset)
                {
                    fail(REASON_PARAMETER);
                    return -1;
                }
                valueLength = i - valueOffset;
            }
            if (!parameters.add(nameOffset, nameLength, valueOffset, valueLength))
            {
                fail(REASON_TOO_MANY_PARAMETERS);
                return -1;
            }
            if (!tel &&
                !resolveKnownParameter(parameters.count() - 1, nameOffset, nameLength, valueOffset, valueLength))
            {
                return -1;
            }
        }
        return i;
    }

    private boolean resolveKnownParameter(
        final int index, final int nameOffset, final int nameLength, final int valueOffset, final int valueLength)
    {
        if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, PARAM_LR))
        {
            looseRouting = true;
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, PARAM_TRANSPORT))
        {
            if (transportIndex < 0)
            {
                if (valueLength <= 0 || !SipBytes.isToken(array, address, valueOffset, valueLength))
                {
                    return fail(REASON_PARAMETER);
                }
                transportIndex = index;
                transport = TransportProtocol.lookup(array, address, valueOffset, valueLength);
            }
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, PARAM_MADDR))
        {
            if (maddrIndex < 0)
            {
                if (valueLength <= 0 || SipHost.parse(array, address, valueOffset, valueLength) == SipHost.INVALID)
                {
                    return fail(REASON_MADDR);
                }
                maddrIndex = index;
            }
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, PARAM_USER))
        {
            if (userParamIndex < 0)
            {
                if (valueLength <= 0)
                {
                    return fail(REASON_PARAMETER);
                }
                userParamIndex = index;
            }
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, PARAM_TTL) && ttl < 0)
        {
            final long value = SipBytes.parseUnsigned(array, address, valueOffset, valueLength, 255);
            if (value == SipBytes.INVALID_NUMBER)
            {
                return fail(REASON_TTL);
            }
            ttl = (int)value;
        }
        return true;
    }

    private int scanParamChars(final int start, final int limit)
    {
        int i = start;
        while (i < limit)
        {
            final byte b = byteAt(i);
            if ((CLASSES[b & 0xFF] & (UNRESERVED | PARAM_EXTRA)) != 0)
            {
                i++;
            }
            else if (b == '%')
            {
                if (!isEscape(i, limit))
                {
                    return -1;
                }
                i += 3;
            }
            else
            {
                break;
            }
        }
        return i;
    }

    private boolean isTelParamName(final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final byte b = byteAt(i);
            if (!SipHost.isAlphaNum(b) && b != '-')
            {
                return false;
            }
        }
        return true;
    }

    private boolean isValid(final int start, final int end, final int classes)
    {
        int i = start;
        while (i < end)
        {
            final byte b = byteAt(i);
            if ((CLASSES[b & 0xFF] & classes) != 0)
            {
                i++;
            }
            else if (b == '%')
            {
                if (!isEscape(i, end))
                {
                    return false;
                }
                i += 3;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private boolean isEscape(final int percent, final int limit)
    {
        return percent + 2 < limit &&
            SipBytes.hexValue(byteAt(percent + 1)) >= 0 &&
            SipBytes.hexValue(byteAt(percent + 2)) >= 0;
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

    private static boolean isAlpha(final byte b)
    {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    private static boolean isSchemeChar(final byte b)
    {
        return SipHost.isAlphaNum(b) || b == '+' || b == '-' || b == '.';
    }

    private static void mark(final String chars, final int bit)
    {
        for (int i = 0; i < chars.length(); i++)
        {
            CLASSES[chars.charAt(i)] |= bit;
        }
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
