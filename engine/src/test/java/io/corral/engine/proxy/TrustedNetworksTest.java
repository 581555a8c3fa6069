package io.corral.engine.proxy;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedNetworksTest
{
    private static PeerAddress address(final String text)
    {
        final PeerAddress address = new PeerAddress();
        assertTrue(address.parse(ProxyFixtures.buffer(text), 0, text.length(), 5060), text);
        return address;
    }

    @Test
    void shouldContainLoopbackWhenDefault()
    {
        final TrustedNetworks networks = TrustedNetworks.parse(ProxyConfiguration.TRUSTED_NETWORKS.defaultValue());
        assertTrue(networks.contains(address("127.0.0.1")));
        assertTrue(networks.contains(address("127.255.0.9")));
        assertTrue(networks.contains(address("::1")));
        assertTrue(networks.contains(address("[0:0:0:0:0:0:0:1]")));
        assertFalse(networks.contains(address("128.0.0.1")));
        assertFalse(networks.contains(address("198.51.100.7")));
        assertFalse(networks.contains(address("::2")));
        assertFalse(networks.contains(new PeerAddress()));
    }

    @Test
    void shouldMatchPrefixesWhenBlocksConfigured()
    {
        final TrustedNetworks networks = TrustedNetworks.parse("10.0.0.0/8, 192.0.2.128/25,2001:db8::/32,0.0.0.0/0");
        assertEquals(4, networks.size());
        assertTrue(networks.contains(address("2001:db8:ffff::1")));
        assertFalse(networks.contains(address("2001:db9::1")));
        assertTrue(networks.contains(address("203.0.113.1")));
        final TrustedNetworks narrow = TrustedNetworks.parse("192.0.2.128/25,2001:db8:0:0:1::/80");
        assertTrue(narrow.contains(address("192.0.2.200")));
        assertFalse(narrow.contains(address("192.0.2.127")));
        assertTrue(narrow.contains(address("2001:db8::1:0:0:1")));
        assertFalse(narrow.contains(address("2001:db8::2:0:0:1")));
        assertEquals(0, TrustedNetworks.parse("").size());
    }

    @Test
    void shouldRejectBadBlocks()
    {
        for (final String bad : new String[]{"10.0.0.0/33", "::/129", "example.com/8", "10.0.0/8", "10.0.0.0/x",
            "1:2:3:4:5:6:7:8:9", "1::2::3"})
        {
            assertThrows(IllegalArgumentException.class, () -> TrustedNetworks.parse(bad), bad);
            assertFalse(ProxyConfiguration.TRUSTED_NETWORKS.type().isValid(bad), bad);
        }
    }

    @Test
    void shouldWriteAndCompareAddressesWhenTextFormsDiffer()
    {
        final PeerAddress v6 = address("2001:DB8::7");
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        final int length = v6.writeHost(out, 0, true);
        assertEquals("[2001:db8::7]", out.getStringWithoutLengthAscii(0, length));
        final String[][] forms = {
            {"::1", "::1"}, {"::", "::"}, {"1::", "1::"}, {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
            {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
            {"1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"}, {"FE80::ABCD", "fe80::abcd"}};
        for (final String[] form : forms)
        {
            final int written = address(form[0]).writeHost(out, 0, false);
            assertEquals(form[1], out.getStringWithoutLengthAscii(0, written), form[0]);
        }
        assertTrue(v6.sameHost(ProxyFixtures.buffer("[2001:db8:0::7]"), 0, 15));
        assertFalse(v6.sameHost(ProxyFixtures.buffer("2001:db8::8"), 0, 11));
        final PeerAddress v4 = address("198.51.100.7");
        assertEquals(12, v4.writeHost(out, 0, true));
        assertEquals("198.51.100.7", out.getStringWithoutLengthAscii(0, 12));
        assertTrue(v4.sameHost(ProxyFixtures.buffer("198.51.100.7"), 0, 12));
        assertFalse(v4.sameHost(ProxyFixtures.buffer("pc33.example.com"), 0, 16));
        assertEquals(5060, v6.port());
    }
}
