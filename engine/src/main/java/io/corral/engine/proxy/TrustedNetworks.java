package io.corral.engine.proxy;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A set of IPv4 and IPv6 CIDR blocks (config {@code corral.proxy.trusted.networks}): requests from these sources may
 * be forwarded to destinations that are not this member's (no open relay). {@link #contains(PeerAddress)} is a
 * linear scan over primitive arrays: no allocation, fine for the handful of blocks an operator configures.
 */
public final class TrustedNetworks
{
    private final int[] families;
    private final long[] highs;
    private final long[] lows;
    private final long[] highMasks;
    private final long[] lowMasks;

    private TrustedNetworks(final int count)
    {
        families = new int[count];
        highs = new long[count];
        lows = new long[count];
        highMasks = new long[count];
        lowMasks = new long[count];
    }

    /**
     * @param value comma-separated CIDR blocks, e.g. {@code 127.0.0.0/8,::1/128}; a bare address is a /32 or /128.
     * @return the set (empty for an empty value).
     * @throws IllegalArgumentException naming the bad block.
     */
    public static TrustedNetworks parse(final String value)
    {
        final List<String> blocks = ProxyConfiguration.split(value);
        final TrustedNetworks networks = new TrustedNetworks(blocks.size());
        final PeerAddress address = new PeerAddress();
        for (int i = 0; i < blocks.size(); i++)
        {
            final String block = blocks.get(i);
            final int slash = block.indexOf('/');
            final String host = slash < 0 ? block : block.substring(0, slash);
            final byte[] bytes = host.getBytes(StandardCharsets.US_ASCII);
            if (!address.parse(new UnsafeBuffer(bytes), 0, bytes.length, 0))
            {
                throw new IllegalArgumentException("not an IP address: " + block);
            }
            final int maxPrefix = address.family() == PeerAddress.IPV4 ? 32 : 128;
            final int prefix;
            try
            {
                prefix = slash < 0 ? maxPrefix : Integer.parseInt(block.substring(slash + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("bad prefix length: " + block, ex);
            }
            if (prefix < 0 || prefix > maxPrefix)
            {
                throw new IllegalArgumentException("bad prefix length: " + block);
            }
            networks.families[i] = address.family();
            if (address.family() == PeerAddress.IPV4)
            {
                networks.lowMasks[i] = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
                networks.lows[i] = (address.ipv4() & 0xFFFF_FFFFL) & networks.lowMasks[i];
            }
            else
            {
                networks.highMasks[i] = mask(Math.min(prefix, 64));
                networks.lowMasks[i] = mask(Math.max(prefix - 64, 0));
                networks.highs[i] = address.ipv6High() & networks.highMasks[i];
                networks.lows[i] = address.ipv6Low() & networks.lowMasks[i];
            }
        }
        return networks;
    }

    /**
     * @return number of blocks.
     */
    public int size()
    {
        return families.length;
    }

    /**
     * @param address a source address.
     * @return true if it lies in one of the blocks.
     */
    public boolean contains(final PeerAddress address)
    {
        final int family = address.family();
        for (int i = 0; i < families.length; i++)
        {
            if (families[i] != family)
            {
                continue;
            }
            if (family == PeerAddress.IPV4)
            {
                if (((address.ipv4() & 0xFFFF_FFFFL) & lowMasks[i]) == lows[i])
                {
                    return true;
                }
            }
            else if ((address.ipv6High() & highMasks[i]) == highs[i] && (address.ipv6Low() & lowMasks[i]) == lows[i])
            {
                return true;
            }
        }
        return false;
    }

    private static long mask(final int bits)
    {
        return bits == 0 ? 0 : -1L << (64 - bits);
    }
}
