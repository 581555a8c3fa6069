package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

/**
 * Host syntax of RFC 3261 §25.1 ({@code hostname / IPv4address / IPv6reference}) with RFC 4291 IPv6 text forms,
 * shared by the URI and Via decoders. Bounded, linear, no allocation.
 */
public final class SipHost
{
    /** The range is not a valid host. */
    public static final int INVALID = -1;
    /** No host (a tel URI, an opaque URI). */
    public static final int NONE = 0;
    /** A domain name. Underscores are tolerated inside labels, as deployed hosts use them. */
    public static final int HOSTNAME = 1;
    /** A dotted-quad IPv4 address, each octet at most 255. */
    public static final int IPV4 = 2;
    /** An IPv6 reference: the address in brackets, brackets included in the range. */
    public static final int IPV6 = 3;

    // Classes of the bytes a hostname or IPv4 address is made of, one bit each (0: the byte ends the host).
    private static final int DIGIT = 1;
    private static final int LETTER = 2;
    private static final int DASH = 4;
    private static final int DOT = 8;
    private static final byte[] HOST_CLASS = new byte[256];
    /** By previous class * 16 + class: the pairs a hostname may not hold (an empty label, a label edge at '-'). */
    private static final boolean[] BAD_PAIR = new boolean[16 * 16];

    static
    {
        for (int b = '0'; b <= '9'; b++)
        {
            HOST_CLASS[b] = DIGIT;
        }
        for (int b = 'a'; b <= 'z'; b++)
        {
            HOST_CLASS[b] = LETTER;
            HOST_CLASS[b - 32] = LETTER;
        }
        HOST_CLASS['_'] = LETTER;
        HOST_CLASS['-'] = DASH;
        HOST_CLASS['.'] = DOT;
        BAD_PAIR[DOT * 16 + DOT] = true;
        BAD_PAIR[DOT * 16 + DASH] = true;
        BAD_PAIR[DASH * 16 + DOT] = true;
    }

    private SipHost()
    {
    }

    /**
     * Find where a host starting at {@code offset} ends: after the closing bracket of an IPv6 reference, else at
     * the first byte that cannot be part of a hostname or IPv4 address.
     *
     * @param buffer to read.
     * @param offset of the host's first byte.
     * @param limit  one past the last position that may be read.
     * @return one past the host's last byte (equal to {@code offset} if there is no host), or -1 for an
     * unterminated IPv6 reference.
     */
    public static int scan(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset >= limit)
        {
            return offset;
        }
        buffer.boundsCheck(offset, limit - offset);
        return scan(buffer.byteArray(), buffer.addressOffset(), offset, limit);
    }

    /**
     * Unchecked form of {@link #scan(DirectBuffer, int, int)}: reads without a bounds check per
     * byte, so the range must lie inside one the caller checked against the buffer (see {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the range.
     * @param limit   as for the checked form.
     * @return as for the checked form.
     */
    public static int scan(final byte[] array, final long address, final int offset, final int limit)
    {
        if (offset < limit && SipBytes.byteAt(array, address, offset) == '[')
        {
            final int close = SipBytes.indexOf(array, address, offset + 1, limit, (byte)']');
            return close < 0 ? -1 : close + 1;
        }
        int i = offset;
        while (i < limit && isHostChar(SipBytes.byteAt(array, address, i)))
        {
            i++;
        }
        return i;
    }

    /**
     * @param buffer to read.
     * @param offset of the host.
     * @param length of the host.
     * @return {@link #HOSTNAME}, {@link #IPV4}, {@link #IPV6} (bracketed reference) or {@link #INVALID}.
     */
    public static int parse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return INVALID;
        }
        buffer.boundsCheck(offset, length);
        return parse(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #parse(DirectBuffer, int, int)}: reads without a bounds check per
     * byte, so the range must lie inside one the caller checked against the buffer (see {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the range.
     * @param length  as for the checked form.
     * @return as for the checked form.
     */
    public static int parse(final byte[] array, final long address, final int offset, final int length)
    {
        if (length <= 0)
        {
            return INVALID;
        }
        if (SipBytes.byteAt(array, address, offset) == '[')
        {
            return length > 2 && SipBytes.byteAt(array, address, offset + length - 1) == ']' &&
                isIpv6Address(array, address, offset + 1, length - 2) ? IPV6 : INVALID;
        }
        boolean digitsAndDots = true;
        for (int i = offset, limit = offset + length; i < limit; i++)
        {
            final byte b = SipBytes.byteAt(array, address, i);
            if (!SipBytes.isDigit(b) && b != '.')
            {
                digitsAndDots = false;
                break;
            }
        }
        if (digitsAndDots)
        {
            // A name of digits and dots only cannot be a hostname (its top label must start with a letter).
            return isIpv4Address(array, address, offset, length) ? IPV4 : INVALID;
        }
        return isHostname(array, address, offset, length) ? HOSTNAME : INVALID;
    }

    /**
     * @param buffer to read.
     * @param offset of the name.
     * @param length of the name.
     * @return true for dot-separated labels of letters, digits, '-' and '_', no label empty or starting or ending
     * with '-'; one trailing dot is allowed.
     */
    public static boolean isHostname(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        buffer.boundsCheck(offset, length);
        return isHostname(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #isHostname(DirectBuffer, int, int)}: reads without a bounds check per
     * byte, so the range must lie inside one the caller checked against the buffer (see {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the range.
     * @param length  as for the checked form.
     * @return as for the checked form.
     */
    public static boolean isHostname(final byte[] array, final long address, final int offset, final int length)
    {
        if (length <= 0 || length > 255)
        {
            return false;
        }
        int labelStart = offset;
        final int limit = offset + length;
        for (int i = offset; i <= limit; i++)
        {
            final byte b = i < limit ? SipBytes.byteAt(array, address, i) : (byte)'.';
            if (b == '.')
            {
                final int labelLength = i - labelStart;
                if (labelLength == 0)
                {
                    // Only a trailing root dot may leave an empty label.
                    if (i != limit || i == offset)
                    {
                        return false;
                    }
                }
                else if (SipBytes.byteAt(array, address, labelStart) == '-' ||
                    SipBytes.byteAt(array, address, i - 1) == '-')
                {
                    return false;
                }
                labelStart = i + 1;
            }
            else if (!isAlphaNum(b) && b != '-' && b != '_')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param buffer to read.
     * @param offset of the address.
     * @param length of the address.
     * @return true for four dot-separated decimal octets of 1 to 3 digits, each at most 255.
     */
    public static boolean isIpv4Address(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        buffer.boundsCheck(offset, length);
        return isIpv4Address(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #isIpv4Address(DirectBuffer, int, int)}: reads without a bounds check per
     * byte, so the range must lie inside one the caller checked against the buffer (see {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the range.
     * @param length  as for the checked form.
     * @return as for the checked form.
     */
    public static boolean isIpv4Address(final byte[] array, final long address, final int offset, final int length)
    {
        if (length < 7 || length > 15)
        {
            return false;
        }
        int octets = 0;
        int value = 0;
        int digits = 0;
        final int limit = offset + length;
        for (int i = offset; i <= limit; i++)
        {
            final byte b = i < limit ? SipBytes.byteAt(array, address, i) : (byte)'.';
            if (b == '.')
            {
                if (digits == 0 || value > 255)
                {
                    return false;
                }
                octets++;
                value = 0;
                digits = 0;
            }
            else if (SipBytes.isDigit(b) && digits < 3)
            {
                value = value * 10 + (b - '0');
                digits++;
            }
            else
            {
                return false;
            }
        }
        return octets == 4;
    }

    /**
     * @param buffer to read.
     * @param offset of the address, without brackets.
     * @param length of the address.
     * @return true for an RFC 4291 §2.2 text address: eight groups of 1 to 4 hex digits, at most one "::", and an
     * optional trailing dotted-quad standing for the last two groups.
     */
    public static boolean isIpv6Address(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        buffer.boundsCheck(offset, length);
        return isIpv6Address(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #isIpv6Address(DirectBuffer, int, int)}: reads without a bounds check per
     * byte, so the range must lie inside one the caller checked against the buffer (see {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the range.
     * @param length  as for the checked form.
     * @return as for the checked form.
     */
    public static boolean isIpv6Address(final byte[] array, final long address, final int offset, final int length)
    {
        if (length < 2 || length > 45)
        {
            return false;
        }
        final int limit = offset + length;
        int i = offset;
        int groups = 0;
        boolean compressed = false;
        if (SipBytes.byteAt(array, address, i) == ':')
        {
            if (SipBytes.byteAt(array, address, i + 1) != ':')
            {
                return false;
            }
            compressed = true;
            i += 2;
        }
        while (i < limit)
        {
            final int start = i;
            while (i < limit && i - start < 5 && SipBytes.hexValue(SipBytes.byteAt(array, address, i)) >= 0)
            {
                i++;
            }
            final int digits = i - start;
            if (digits == 0)
            {
                return false;
            }
            if (i < limit && SipBytes.byteAt(array, address, i) == '.')
            {
                if (!isIpv4Address(array, address, start, limit - start))
                {
                    return false;
                }
                groups += 2;
                break;
            }
            if (digits > 4)
            {
                return false;
            }
            groups++;
            if (i == limit)
            {
                break;
            }
            if (SipBytes.byteAt(array, address, i) != ':')
            {
                return false;
            }
            i++;
            if (i < limit && SipBytes.byteAt(array, address, i) == ':')
            {
                if (compressed)
                {
                    return false;
                }
                compressed = true;
                i++;
            }
            else if (i == limit)
            {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /**
     * @param buffer to read.
     * @param offset of the address.
     * @param length of the address.
     * @return true for an IPv4 address, an IPv6 address, or an IPv6 reference (RFC 5118 §4.5 asks receivers to
     * take both IPv6 forms in a Via {@code received} parameter).
     */
    public static boolean isIpAddress(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        buffer.boundsCheck(offset, length);
        return isIpAddress(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #isIpAddress(DirectBuffer, int, int)}: reads without a bounds check per
     * byte, so the range must lie inside one the caller checked against the buffer (see {@link SipBytes}).
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the range.
     * @param length  as for the checked form.
     * @return as for the checked form.
     */
    public static boolean isIpAddress(final byte[] array, final long address, final int offset, final int length)
    {
        if (length > 2 && SipBytes.byteAt(array, address, offset) == '[')
        {
            return SipBytes.byteAt(array, address, offset + length - 1) == ']' &&
                isIpv6Address(array, address, offset + 1, length - 2);
        }
        return isIpv4Address(array, address, offset, length) || isIpv6Address(array, address, offset, length);
    }

    /**
     * {@link #scan} and {@link #parse} of the host found, in one pass for a hostname or IPv4 address (the decoders'
     * common case) instead of three.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the host's first byte.
     * @param limit   one past the last position that may be read, inside a checked range.
     * @return the end {@link #scan} returns and the type {@link #parse} gives that range ({@link #INVALID} for an
     * empty one or an unterminated IPv6 reference), packed: read them with {@link #scannedEnd} and
     * {@link #scannedType}.
     */
    static long scanAndParse(final byte[] array, final long address, final int offset, final int limit)
    {
        if (offset < limit && SipBytes.byteAt(array, address, offset) == '[')
        {
            final int end = scan(array, address, offset, limit);
            return pack(end, end < 0 ? INVALID : parse(array, address, offset, end - offset));
        }
        // One tight pass finds the end and checks the hostname rules by pairs of byte classes; an address made of
        // digits and dots only is then checked as IPv4 (at most 15 bytes).
        int seen = 0;
        int previous = DOT;
        boolean badPair = false;
        int i = offset;
        for (; i < limit; i++)
        {
            final int type = HOST_CLASS[SipBytes.byteAt(array, address, i) & 0xFF];
            if (type == 0)
            {
                break;
            }
            seen |= type;
            badPair |= BAD_PAIR[(previous << 4) | type];
            previous = type;
        }
        final int length = i - offset;
        final int type;
        if (length == 0)
        {
            type = INVALID;
        }
        else if ((seen & (LETTER | DASH)) == 0)
        {
            type = isIpv4Address(array, address, offset, length) ? IPV4 : INVALID;
        }
        else
        {
            // The end closes the last label; an empty one there is the root dot, which is allowed.
            type = !badPair && previous != DASH && length <= 255 ? HOSTNAME : INVALID;
        }
        return pack(i, type);
    }

    /**
     * @param scanned a result of {@link #scanAndParse}.
     * @return the end of the host, or -1 for an unterminated IPv6 reference.
     */
    static int scannedEnd(final long scanned)
    {
        return (int)scanned;
    }

    /**
     * @param scanned a result of {@link #scanAndParse}.
     * @return the host's type, or {@link #INVALID}.
     */
    static int scannedType(final long scanned)
    {
        return (int)(scanned >> 32);
    }

    private static long pack(final int end, final int type)
    {
        return ((long)type << 32) | (end & 0xFFFF_FFFFL);
    }

    private static boolean isHostChar(final byte b)
    {
        return isAlphaNum(b) || b == '-' || b == '.' || b == '_';
    }

    static boolean isAlphaNum(final byte b)
    {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }
}
