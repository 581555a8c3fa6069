package io.corral.engine.transport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteAddressTableTest
{
    private final RemoteAddressTable table = new RemoteAddressTable(2);

    @Test
    void shouldPackAddressAndPortWhenTheRemoteIsIpv4() throws UnknownHostException
    {
        final long id = table.intern(new InetSocketAddress(InetAddress.getByName("192.0.2.200"), 5061));

        assertTrue(RemoteAddressTable.isIpv4(id));
        assertEquals(RemoteAddressTable.ipv4Id(0xC000_02C8, 5061), id);
        assertEquals(0xC000_02C8, RemoteAddressTable.ipv4Address(id));
        assertEquals(5061, RemoteAddressTable.ipv4Port(id));
        assertEquals("192.0.2.200:5061", table.format(id));
        assertNotEquals(RemoteAddressTable.NO_REMOTE, RemoteAddressTable.ipv4Id(0, 0));
    }

    @Test
    void shouldResolveTheSameSocketAddressWhenSendingToAKnownIpv4Remote() throws UnknownHostException
    {
        final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5060);
        final long id = table.intern(address);

        assertSame(address, table.socketAddress(id));
        final long unseen = RemoteAddressTable.ipv4Id(0x0A01_0204, 5062);
        final InetSocketAddress built = table.socketAddress(unseen);
        assertEquals(new InetSocketAddress(InetAddress.getByName("10.1.2.4"), 5062), built);
        assertSame(built, table.socketAddress(unseen));
    }

    @Test
    void shouldInternIpv6RemotesOnceWhenSeenAgain() throws UnknownHostException
    {
        final long id = table.intern(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5060));

        assertFalse(RemoteAddressTable.isIpv4(id));
        assertEquals(id, table.intern(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5060)));
        assertNotEquals(id, table.intern(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5061)));
        assertEquals("[2001:db8:0:0:0:0:0:1]:5060", table.format(id));
        assertEquals(2, table.ipv6Size());
    }

    @Test
    void shouldEvictTheOldestIpv6RemoteWhenTheTableIsFull() throws UnknownHostException
    {
        final long first = table.intern(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5060));
        final long second = table.intern(new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 5060));
        final long third = table.intern(new InetSocketAddress(InetAddress.getByName("2001:db8::3"), 5060));

        assertNull(table.socketAddress(first));
        assertEquals(5060, table.socketAddress(second).getPort());
        assertEquals(InetAddress.getByName("2001:db8::3"), table.socketAddress(third).getAddress());
        assertEquals(2, table.ipv6Size());
        assertNotEquals(first, table.intern(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5060)));
        assertNull(table.socketAddress(second));
    }
}
