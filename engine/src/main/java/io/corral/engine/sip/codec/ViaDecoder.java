package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over one Via value ({@code via-parm} of RFC 3261 §25.1, with RFC 3581 {@code rport} and RFC 5118
 * IPv6 forms): sent-protocol, sent-by and the parameters a proxy needs, validated in one bounded pass.
 * LWS (including folded line breaks) is accepted around '/', ':', ';' and '=' as the grammar allows.
 * <p>
 * Not thread-safe; reuse one instance per agent. Absent ranges have offset -1 and length 0. After a failed
 * {@link #wrap} only {@link #reason()} is meaningful.
 */
public final class ViaDecoder
{
    /** {@link #rport()} when the parameter is absent. */
    public static final int RPORT_ABSENT = -2;
    /** {@link #rport()} when the parameter is present without a value (a request asking for symmetric routing). */
    public static final int RPORT_NO_VALUE = -1;

    public static final String REASON_EMPTY = "Empty Via";
    public static final String REASON_SENT_PROTOCOL = "Bad Via sent-protocol";
    public static final String REASON_MISSING_SENT_BY = "Missing Via sent-by";
    public static final String REASON_HOST = "Bad Via sent-by host";
    public static final String REASON_PORT = "Bad Via sent-by port";
    public static final String REASON_PARAMETER = "Bad Via parameter";
    public static final String REASON_TOO_MANY_PARAMETERS = "Too many Via parameters";
    public static final String REASON_UNTERMINATED_QUOTE = "Unterminated quoted string";
    public static final String REASON_DUPLICATE = "Duplicate Via parameter";
    public static final String REASON_BRANCH = "Bad Via branch";
    public static final String REASON_RECEIVED = "Bad Via received";
    public static final String REASON_RPORT = "Bad Via rport";
    public static final String REASON_MADDR = "Bad Via maddr";
    public static final String REASON_TTL = "Bad Via ttl";

    private static final byte[] SIP = "sip".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION_2_0 = "2.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BRANCH = "branch".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED = "received".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPORT = "rport".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MADDR = "maddr".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TTL = "ttl".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_COOKIE = "z9hG4bK".getBytes(StandardCharsets.US_ASCII);

    /** "sip/2.0/" as a little-endian word, and the case bits of its letters: OR-ing a case bit maps only 'S' to 's'. */
    private static final long SIP_2_0_SLASH = wordOf("sip/2.0/");
    private static final long SIP_CASE_BITS = 0x20_20_20L;

    private final SipParameters parameters = new SipParameters();
    private DirectBuffer buffer;
    private byte[] array;
    private long address;
    private String reason;
    private int protocolNameOffset;
    private int protocolNameLength;
    private int protocolVersionOffset;
    private int protocolVersionLength;
    private int transportOffset;
    private int transportLength;
    private int transport;
    private int hostOffset;
    private int hostLength;
    private int hostType;
    private int port;
    private int branchIndex;
    private int receivedIndex;
    private int rportIndex;
    private int rport;
    private int maddrIndex;
    private int ttl;

    /**
     * Decode one Via value.
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
        protocolNameOffset = -1;
        protocolNameLength = 0;
        protocolVersionOffset = -1;
        protocolVersionLength = 0;
        transportOffset = -1;
        transportLength = 0;
        transport = TransportProtocol.NONE;
        hostOffset = -1;
        hostLength = 0;
        hostType = SipHost.NONE;
        port = -1;
        branchIndex = -1;
        receivedIndex = -1;
        rportIndex = -1;
        rport = RPORT_ABSENT;
        maddrIndex = -1;
        ttl = -1;
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
            return fail(REASON_EMPTY);
        }

        protocolNameOffset = i;
        if (i <= limit - Long.BYTES && (SipBytes.longAt(array, address, i) | SIP_CASE_BITS) == SIP_2_0_SLASH)
        {
            // Nearly every Via: "SIP/2.0/" without white space inside, so no token scans.
            protocolNameLength = 3;
            protocolVersionOffset = i + 4;
            protocolVersionLength = 3;
            i = SipBytes.skipLws(array, address, i + Long.BYTES, limit);
        }
        else
        {
            i = scanToken(i, limit);
            protocolNameLength = i - protocolNameOffset;
            i = expectSlash(i, limit);
            if (protocolNameLength == 0 || i < 0)
            {
                return fail(REASON_SENT_PROTOCOL);
            }
            protocolVersionOffset = i;
            i = scanToken(i, limit);
            protocolVersionLength = i - protocolVersionOffset;
            i = expectSlash(i, limit);
            if (protocolVersionLength == 0 || i < 0)
            {
                return fail(REASON_SENT_PROTOCOL);
            }
        }
        transportOffset = i;
        i = scanToken(i, limit);
        transportLength = i - transportOffset;
        if (transportLength == 0)
        {
            return fail(REASON_SENT_PROTOCOL);
        }
        transport = TransportProtocol.lookup(array, address, transportOffset, transportLength);

        final int hostStart = SipBytes.skipLws(array, address, i, limit);
        if (hostStart == limit)
        {
            return fail(REASON_MISSING_SENT_BY);
        }
        if (hostStart == i)
        {
            return fail(REASON_SENT_PROTOCOL);
        }
        final long scanned = SipHost.scanAndParse(array, address, hostStart, limit);
        final int hostEnd = SipHost.scannedEnd(scanned);
        if (hostEnd == hostStart)
        {
            return fail(REASON_MISSING_SENT_BY);
        }
        final int type = SipHost.scannedType(scanned);
        if (type == SipHost.INVALID)
        {
            return fail(REASON_HOST);
        }
        hostType = type;
        hostOffset = hostStart;
        hostLength = hostEnd - hostStart;

        i = SipBytes.skipLws(array, address, hostEnd, limit);
        if (i < limit && byteAt(i) == ':')
        {
            final int portStart = SipBytes.skipLws(array, address, i + 1, limit);
            i = portStart;
            while (i < limit && SipBytes.isDigit(byteAt(i)))
            {
                i++;
            }
            final long value = SipBytes.parseUnsigned(array, address, portStart, i - portStart, 65535);
            if (value == SipBytes.INVALID_NUMBER || (i < limit && SipBytes.isTokenChar(byteAt(i))))
            {
                return fail(REASON_PORT);
            }
            port = (int)value;
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
     * @return offset of the protocol name (normally "SIP").
     */
    public int protocolNameOffset()
    {
        return protocolNameOffset;
    }

    /**
     * @return length of the protocol name.
     */
    public int protocolNameLength()
    {
        return protocolNameLength;
    }

    /**
     * @return offset of the protocol version (normally "2.0").
     */
    public int protocolVersionOffset()
    {
        return protocolVersionOffset;
    }

    /**
     * @return length of the protocol version.
     */
    public int protocolVersionLength()
    {
        return protocolVersionLength;
    }

    /**
     * @return true if the sent-protocol is SIP (any case) version 2.0.
     */
    public boolean isSip20()
    {
        return SipBytes.equalsIgnoreCase(buffer, protocolNameOffset, protocolNameLength, SIP) &&
            SipBytes.equalsExact(buffer, protocolVersionOffset, protocolVersionLength, VERSION_2_0);
    }

    /**
     * @return offset of the transport token.
     */
    public int transportOffset()
    {
        return transportOffset;
    }

    /**
     * @return length of the transport token.
     */
    public int transportLength()
    {
        return transportLength;
    }

    /**
     * @return the transport as a {@link TransportProtocol} code ({@link TransportProtocol#OTHER} for an unknown token).
     */
    public int transport()
    {
        return transport;
    }

    /**
     * @return offset of the sent-by host (for an IPv6 reference, of the '[').
     */
    public int hostOffset()
    {
        return hostOffset;
    }

    /**
     * @return length of the sent-by host (brackets included for IPv6).
     */
    public int hostLength()
    {
        return hostLength;
    }

    /**
     * @return {@link SipHost#HOSTNAME}, {@link SipHost#IPV4} or {@link SipHost#IPV6}.
     */
    public int hostType()
    {
        return hostType;
    }

    /**
     * @return the sent-by port, 0 to 65535, or -1 if absent.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return all parameters in order, the known ones included; raw values (quoted ones keep their quotes).
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
     * @return true if a branch parameter is present.
     */
    public boolean hasBranch()
    {
        return branchIndex >= 0;
    }

    /**
     * @return offset of the branch value, or -1.
     */
    public int branchOffset()
    {
        return branchIndex < 0 ? -1 : parameters.valueOffset(branchIndex);
    }

    /**
     * @return length of the branch value, or 0.
     */
    public int branchLength()
    {
        return branchIndex < 0 ? 0 : parameters.valueLength(branchIndex);
    }

    /**
     * @return true if the branch starts with the RFC 3261 magic cookie "z9hG4bK" (case-sensitive, §8.1.1.7) and
     * carries an identifier after it; a bare cookie (RFC 4475 §3.3.9) is treated as an RFC 2543 branch.
     */
    public boolean isRfc3261Branch()
    {
        return branchIndex >= 0 && branchLength() > MAGIC_COOKIE.length &&
            SipBytes.equalsExact(buffer, branchOffset(), MAGIC_COOKIE.length, MAGIC_COOKIE);
    }

    /**
     * @return index of the branch parameter in {@link #parameters()}, or -1.
     */
    public int branchIndex()
    {
        return branchIndex;
    }

    /**
     * @return true if a received parameter is present.
     */
    public boolean hasReceived()
    {
        return receivedIndex >= 0;
    }

    /**
     * @return offset of the received value (an IPv4 address, or an IPv6 address with or without brackets), or -1.
     */
    public int receivedOffset()
    {
        return receivedIndex < 0 ? -1 : parameters.valueOffset(receivedIndex);
    }

    /**
     * @return length of the received value, or 0.
     */
    public int receivedLength()
    {
        return receivedIndex < 0 ? 0 : parameters.valueLength(receivedIndex);
    }

    /**
     * @return index of the received parameter in {@link #parameters()}, or -1.
     */
    public int receivedIndex()
    {
        return receivedIndex;
    }

    /**
     * @return the rport value 0 to 65535, {@link #RPORT_NO_VALUE} for a bare {@code rport}, or
     * {@link #RPORT_ABSENT}.
     */
    public int rport()
    {
        return rport;
    }

    /**
     * @return index of the rport parameter in {@link #parameters()} (where a proxy fills in the value), or -1.
     */
    public int rportIndex()
    {
        return rportIndex;
    }

    /**
     * @return true if a maddr parameter is present.
     */
    public boolean hasMaddr()
    {
        return maddrIndex >= 0;
    }

    /**
     * @return offset of the maddr value (a host), or -1.
     */
    public int maddrOffset()
    {
        return maddrIndex < 0 ? -1 : parameters.valueOffset(maddrIndex);
    }

    /**
     * @return length of the maddr value, or 0.
     */
    public int maddrLength()
    {
        return maddrIndex < 0 ? 0 : parameters.valueLength(maddrIndex);
    }

    /**
     * @return the ttl parameter, 0 to 255, or -1 if absent.
     */
    public int ttl()
    {
        return ttl;
    }

    private boolean resolve(final int index)
    {
        final int nameOffset = parameters.nameOffset(index);
        final int nameLength = parameters.nameLength(index);
        final int valueOffset = parameters.valueOffset(index);
        final int valueLength = parameters.valueLength(index);
        if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, BRANCH))
        {
            if (branchIndex >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            if (!parameters.isTokenValue(index))
            {
                return fail(REASON_BRANCH);
            }
            branchIndex = index;
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, RECEIVED))
        {
            if (receivedIndex >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            if (valueLength <= 0 || !SipHost.isIpAddress(array, address, valueOffset, valueLength))
            {
                return fail(REASON_RECEIVED);
            }
            receivedIndex = index;
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, RPORT))
        {
            if (rportIndex >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            if (valueLength < 0)
            {
                rport = RPORT_NO_VALUE;
            }
            else
            {
                final long value = SipBytes.parseUnsigned(array, address, valueOffset, valueLength, 65535);
                if (value == SipBytes.INVALID_NUMBER)
                {
                    return fail(REASON_RPORT);
                }
                rport = (int)value;
            }
            rportIndex = index;
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, MADDR))
        {
            if (maddrIndex >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            if (valueLength <= 0 || SipHost.parse(array, address, valueOffset, valueLength) == SipHost.INVALID)
            {
                return fail(REASON_MADDR);
            }
            maddrIndex = index;
        }
        else if (SipBytes.equalsIgnoreCase(array, address, nameOffset, nameLength, TTL))
        {
            if (ttl >= 0)
            {
                return fail(REASON_DUPLICATE);
            }
            final long value = SipBytes.parseUnsigned(array, address, valueOffset, valueLength, 255);
            if (value == SipBytes.INVALID_NUMBER)
            {
                return fail(REASON_TTL);
            }
            ttl = (int)value;
        }
        return true;
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

    private int expectSlash(final int start, final int limit)
    {
        final int i = SipBytes.skipLws(array, address, start, limit);
        if (i == limit || byteAt(i) != '/')
        {
            return -1;
        }
        return SipBytes.skipLws(array, address, i + 1, limit);
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

    private static long wordOf(final String eightChars)
    {
        long word = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--)
        {
            word = (word << 8) | eightChars.charAt(i);
        }
        return word;
    }
}
