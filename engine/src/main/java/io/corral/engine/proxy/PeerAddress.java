package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A mutable IPv4 or IPv6 address and port, as primitives: the source of a request, the next hop of a response.
 * Parses and writes the textual forms without allocating. Reusable; not thread-safe.
 */
public final class PeerAddress
{
    /** No address set. */
    public static final int NONE = 0;
    public static final int IPV4 = 4;
    public static final int IPV6 = 6;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private final int[] groups = new int[8];
    private int family;
    private int ipv4;
    private long ipv6High;
    private long ipv6Low;
    private int port;

    /**
     * @param address IPv4 address, most significant octet first.
     * @param port    0 to 65535.
     * @return this.
     */
    public PeerAddress ipv4(final int address, final int port)
    {
        family = IPV4;
        ipv4 = address;
        ipv6High = 0;
        ipv6Low = 0;
        this.port = port;
        return this;
    }

    /**
     * @param high first 64 bits of the IPv6 address.
     * @param low  last 64 bits.
     * @param port 0 to 65535.
     * @return this.
     */
    public PeerAddress ipv6(final long high, final long low, final int port)
    {
        family = IPV6;
        ipv4 = 0;
        ipv6High = high;
        ipv6Low = low;
        this.port = port;
        return this;
    }

    /**
     * Copy another address.
     *
     * @param other to copy.
     * @return this.
     */
    public PeerAddress set(final PeerAddress other)
    {
        family = other.family;
        ipv4 = other.ipv4;
        ipv6High = other.ipv6High;
        ipv6Low = other.ipv6Low;
        port = other.port;
        return this;
    }

    /**
     * Forget the address.
     *
     * @return this.
     */
    public PeerAddress clear()
    {
        family = NONE;
        ipv4 = 0;
        ipv6High = 0;
        ipv6Low = 0;
        port = 0;
        return this;
    }

    /**
     * @return {@link #IPV4}, {@link #IPV6} or {@link #NONE}.
     */
    public int family()
    {
        return family;
    }

    /**
     * @return the IPv4 address when {@link #family()} is {@link #IPV4}.
     */
    public int ipv4()
    {
        return ipv4;
    }

    /**
     * @return the first 64 bits of the IPv6 address.
     */
    public long ipv6High()
    {
        return ipv6High;
    }

    /**
     * @return the last 64 bits of the IPv6 address.
     */
    public long ipv6Low()
    {
        return ipv6Low;
    }

    /**
     * @return the port.
     */
    public int port()
    {
        return port;
    }

    /**
     * @param port 0 to 65535.
     * @return this.
     */
    public PeerAddress port(final int port)
    {
        this.port = port;
        return this;
    }

    /**
     * Parse an IP literal (IPv4 dotted quad, IPv6 with or without brackets) and keep the port.
     *
     * @param buffer holding the text.
     * @param offset of the text.
     * @param length of the text.
     * @param port   the port to set.
     * @return false, leaving this unchanged, if the text is not an IP literal (e.g. a host name).
     */
    public boolean parse(final DirectBuffer buffer, final int offset, final int length, final int port)
    {
        final long v4 = parseIpv4(buffer, offset, length);
        if (v4 >= 0)
        {
            ipv4((int)v4, port);
            return true;
        }
        int start = offset;
        int end = offset + length;
        if (length >= 2 && buffer.getByte(start) == '[' && buffer.getByte(end - 1) == ']')
        {
            start++;
            end--;
        }
        return parseIpv6(buffer, start, end, port);
    }

    /**
     * @param buffer holding a host: an IP literal or a host name.
     * @param offset of the host.
     * @param length of the host.
     * @return true if it is an IP literal equal to this address (whatever its text form).
     */
    public boolean sameHost(final DirectBuffer buffer, final int offset, final int length)
    {
        if (family == IPV4)
        {
            return parseIpv4(buffer, offset, length) == (ipv4 & 0xFFFF_FFFFL);
        }
        if (family == IPV6)
        {
            final long high = ipv6High;
            final long low = ipv6Low;
            final int savedPort = port;
            final boolean parsed = parse(buffer, offset, length, savedPort);
            final boolean same = parsed && family == IPV6 && ipv6High == high && ipv6Low == low;
            ipv6(high, low, savedPort);
            return same;
        }
        return false;
    }

    /**
     * Write the address as text, IPv6 in brackets when {@code bracketed} (for a Via sent-by or URI host) and in the
     * RFC 5952 form (lower case, no leading zeros, the longest run of zero groups as {@code ::}).
     *
     * @param dst       to write into.
     * @param offset    of the first byte.
     * @param bracketed brackets around IPv6.
     * @return bytes written, or -1 without an address or if it does not fit.
     */
    public int writeHost(final MutableDirectBuffer dst, final int offset, final boolean bracketed)
    {
        if (family == IPV4)
        {
            if (offset + 15 > dst.capacity())
            {
                return -1;
            }
            int p = offset;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                p += dst.putNaturalIntAscii(p, (ipv4 >>> shift) & 0xFF);
                if (shift > 0)
                {
                    dst.putByte(p++, (byte)'.');
                }
            }
            return p - offset;
        }
        if (family == IPV6)
        {
            if (offset + 41 > dst.capacity())
            {
                return -1;
            }
            int p = offset;
            if (bracketed)
            {
                dst.putByte(p++, (byte)'[');
            }
            // RFC 5952: the longest run of two or more zero groups (the first on a tie) becomes "::".
            int runStart = -1;
            int runLength = 1;
            for (int group = 0, start = -1; group <= 8; group++)
            {
                if (group < 8 && group(group) == 0)
                {
                    start = start < 0 ? group : start;
                }
                else if (start >= 0)
                {
                    if (group - start > runLength)
                    {
                        runStart = start;
                        runLength = group - start;
                    }
                    start = -1;
                }
            }
            for (int group = 0; group < 8; group++)
            {
                if (group == runStart)
                {
                    dst.putByte(p++, (byte)':');
                    dst.putByte(p++, (byte)':');
                    group += runLength - 1;
                    continue;
                }
                if (group > 0 && group != runStart + runLength)
                {
                    dst.putByte(p++, (byte)':');
                }
                p = writeHexGroup(dst, p, group(group));
            }
            if (bracketed)
            {
                dst.putByte(p++, (byte)']');
            }
            return p - offset;
        }
        return -1;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        final UnsafeBuffer text = new UnsafeBuffer(new byte[48]);
        final int length = writeHost(text, 0, true);
        return length < 0 ? "none" : text.getStringWithoutLengthAscii(0, length) + ":" + port;
    }

    /**
     * @param buffer holding the text.
     * @param offset of the text.
     * @param length of the text.
     * @return the IPv4 address as an unsigned value, or -1 if the text is not a dotted quad.
     */
    static long parseIpv4(final DirectBuffer buffer, final int offset, final int length)
    {
        long address = 0;
        int octets = 0;
        int value = -1;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b >= '0' && b <= '9')
            {
                value = value < 0 ? b - '0' : value * 10 + (b - '0');
                if (value > 255)
                {
                    return -1;
                }
            }
            else if (b == '.' && value >= 0 && octets < 3)
            {
                address = (address << 8) | value;
                octets++;
                value = -1;
            }
            else
            {
                return -1;
            }
        }
        if (octets != 3 || value < 0)
        {
            return -1;
        }
        return (address << 8) | value;
    }

    private boolean parseIpv6(final DirectBuffer buffer, final int start, final int end, final int port)
    {
        final int[] groups = this.groups;
        int count = 0;
        int gap = -1;
        int i = start;
        if (end - start < 2)
        {
            return false;
        }
        if (buffer.getByte(i) == ':')
        {
            if (buffer.getByte(i + 1) != ':')
            {
                return false;
            }
            gap = 0;
            i += 2;
        }
        while (i < end)
        {
            int value = 0;
            int digits = 0;
            while (i < end && digits < 5)
            {
                final int hex = SipBytes.hexValue(buffer.getByte(i));
                if (hex < 0)
                {
                    break;
                }
                value = (value << 4) | hex;
                digits++;
                i++;
            }
            if (digits == 0 || digits > 4 || count == 8)
            {
                return false;
            }
            groups[count++] = value;
            if (i == end)
            {
                break;
            }
            if (buffer.getByte(i) != ':')
            {
                return false;
            }
            i++;
            if (i < end && buffer.getByte(i) == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }
                gap = count;
                i++;
            }
            else if (i == end)
            {
                return false;
            }
        }
        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }
        long high = 0;
        long low = 0;
        final int zeros = 8 - count;
        for (int g = 0, src = 0; g < 8; g++)
        {
            final int value = gap >= 0 && g >= gap && g < gap + zeros ? 0 : groups[src++];
            if (g < 4)
            {
                high = (high << 16) | value;
            }
            else
            {
                low = (low << 16) | value;
            }
        }
        ipv6(high, low, port);
        return true;
    }

    private int group(final int index)
    {
        final long word = index < 4 ? ipv6High : ipv6Low;
        return (int)(word >>> (48 - 16 * (index & 3))) & 0xFFFF;
    }

    private static int writeHexGroup(final MutableDirectBuffer dst, final int offset, final int value)
    {
        int p = offset;
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            final int nibble = (value >>> shift) & 0xF;
            if (nibble != 0 || started || shift == 0)
            {
                dst.putByte(p++, HEX[nibble]);
                started = true;
            }
        }
        return p;
    }
}
