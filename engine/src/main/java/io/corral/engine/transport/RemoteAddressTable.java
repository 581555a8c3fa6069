package io.corral.engine.transport;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2LongHashMap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Remote addresses as {@code long} ids, so the hot path carries no {@link InetSocketAddress} objects. One table per
 * SIP agent, used only by its thread.
 * <pre>
 *   IPv4: 0x0001_AAAA_AAAA_PPPP   (tag bit 48, address in bits 16..47, port in bits 0..15): no lookup needed
 *   IPv6: 0x4000_0000_SSSS_SSSS   (tag bit 62, sequence number of the interning)
 *   0   : {@link #NO_REMOTE}
 * </pre>
 * IPv6 addresses are interned in a bounded table of {@link TransportSettings#remoteTableCapacity()} entries; when it
 * is full the oldest interned address is evicted (first in, first out), and its id then resolves to null, so a send
 * to it fails and is counted. The socket address objects of IPv4 ids are cached for sends (no allocation per send to a
 * known remote); at capacity the cache is cleared and refills from traffic.
 */
public final class RemoteAddressTable
{
    /** Ids of no remote. */
    public static final long NO_REMOTE = 0;
    /** Default for {@link TransportSettings#remoteTableCapacity()}. */
    public static final int DEFAULT_CAPACITY = 65536;

    private static final long IPV4_TAG = 1L << 48;
    private static final long IPV6_TAG = 1L << 62;
    private static final long IPV6_SEQUENCE_MASK = (1L << 62) - 1;

    private final int capacity;
    private final Long2ObjectHashMap<InetSocketAddress> ipv4Cache = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<InetSocketAddress> ipv6ById = new Long2ObjectHashMap<>();
    private final Object2LongHashMap<InetSocketAddress> ipv6ByAddress = new Object2LongHashMap<>(NO_REMOTE);
    private final long[] ipv6Order;
    private int ipv6OrderHead;
    private long ipv6Sequence;

    /**
     * @param capacity most interned IPv6 remotes, and most cached IPv4 socket addresses.
     */
    public RemoteAddressTable(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        ipv6Order = new long[capacity];
    }

    /**
     * @param address IPv4 address in network order as an int, as {@link Inet4Address#hashCode()} returns it.
     * @param port    UDP or TCP port.
     * @return the id: computed, nothing stored.
     */
    public static long ipv4Id(final int address, final int port)
    {
        return IPV4_TAG | ((address & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    /**
     * @param remoteId an id.
     * @return true if it is an IPv4 id.
     */
    public static boolean isIpv4(final long remoteId)
    {
        return (remoteId & ~0xFFFF_FFFF_FFFFL) == IPV4_TAG;
    }

    /**
     * @param remoteId an IPv4 id.
     * @return the address as an int in network order.
     */
    public static int ipv4Address(final long remoteId)
    {
        return (int)(remoteId >>> 16);
    }

    /**
     * @param remoteId an IPv4 id.
     * @return the port.
     */
    public static int ipv4Port(final long remoteId)
    {
        return (int)(remoteId & 0xFFFF);
    }

    /**
     * Id of a socket address. Allocation-free for IPv4 and for IPv6 addresses already interned; the address object is
     * kept for sends.
     *
     * @param address a resolved socket address.
     * @return its id.
     */
    public long intern(final InetSocketAddress address)
    {
        final InetAddress inet = address.getAddress();
        if (inet instanceof Inet4Address)
        {
            // Inet4Address.hashCode() is the address itself: no byte[] copy.
            final long id = ipv4Id(inet.hashCode(), address.getPort());
            if (!ipv4Cache.containsKey(id))
            {
                if (ipv4Cache.size() >= capacity)
                {
                    ipv4Cache.clear();
                }
                ipv4Cache.put(id, address);
            }
            return id;
        }
        final long existing = ipv6ByAddress.getValue(address);
        if (existing != NO_REMOTE)
        {
            return existing;
        }
        if (ipv6ById.size() >= capacity)
        {
            final long oldest = ipv6Order[ipv6OrderHead];
            final InetSocketAddress evicted = ipv6ById.remove(oldest);
            if (evicted != null)
            {
                ipv6ByAddress.removeKey(evicted);
            }
        }
        final long id = IPV6_TAG | (++ipv6Sequence & IPV6_SEQUENCE_MASK);
        ipv6ById.put(id, address);
        ipv6ByAddress.put(address, id);
        ipv6Order[ipv6OrderHead] = id;
        ipv6OrderHead = ipv6OrderHead + 1 == capacity ? 0 : ipv6OrderHead + 1;
        return id;
    }

    /**
     * The socket address to send to. Cached for IPv4 (built once per remote) and interned IPv6 remotes.
     *
     * @param remoteId an id from {@link #intern(InetSocketAddress)} or {@link #ipv4Id(int, int)}.
     * @return the address, or null if the id is unknown or its IPv6 entry was evicted.
     */
    public InetSocketAddress socketAddress(final long remoteId)
    {
        if (isIpv4(remoteId))
        {
            InetSocketAddress address = ipv4Cache.get(remoteId);
            if (address == null)
            {
                address = new InetSocketAddress(ipv4InetAddress(ipv4Address(remoteId)), ipv4Port(remoteId));
                if (ipv4Cache.size() >= capacity)
                {
                    ipv4Cache.clear();
                }
                ipv4Cache.put(remoteId, address);
            }
            return address;
        }
        return ipv6ById.get(remoteId);
    }

    /**
     * For logs and tools, never the hot path.
     *
     * @param remoteId an id.
     * @return {@code 192.0.2.1:5060}, {@code [2001:db8::1]:5060}, or {@code unknown(id)}.
     */
    public String format(final long remoteId)
    {
        if (isIpv4(remoteId))
        {
            return formatIpv4(remoteId);
        }
        final InetSocketAddress address = ipv6ById.get(remoteId);
        if (address == null)
        {
            return "unknown(" + Long.toHexString(remoteId) + ")";
        }
        final Inet6Address inet = (Inet6Address)address.getAddress();
        String host = inet.getHostAddress();
        final int scope = host.indexOf('%');
        if (scope >= 0 && inet.getScopeId() == 0)
        {
            // Native transports report a zero scope id explicitly: "::1%0" is plain "::1".
            host = host.substring(0, scope);
        }
        return "[" + host + "]:" + address.getPort();
    }

    /**
     * @param remoteId an IPv4 id.
     * @return {@code a.b.c.d:port}.
     */
    public static String formatIpv4(final long remoteId)
    {
        final int address = ipv4Address(remoteId);
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF) + ":" + ipv4Port(remoteId);
    }

    /**
     * @return interned IPv6 remotes.
     */
    public int ipv6Size()
    {
        return ipv6ById.size();
    }

    private static InetAddress ipv4InetAddress(final int address)
    {
        final byte[] bytes = {(byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address};
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
