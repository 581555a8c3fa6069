package io.corral.engine.proxy;

import io.corral.engine.sip.codec.TransportProtocol;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterfacesTest
{
    private final Interfaces interfaces = new Interfaces(
        new String[] {"192.0.2.1", "2001:db8::1", "198.51.100.1"}, new int[] {5060, 5060, 5070});

    @Test
    void shouldLeaveFromInboundInterfaceWhenDestinationHasItsFamily()
    {
        assertEquals(2, interfaces.outbound(2, new PeerAddress().ipv4(0x0A000001, 5060)));
        assertEquals(1, interfaces.outbound(1, new PeerAddress().ipv6(0x20010DB8_00000000L, 2, 5060)));
    }

    @Test
    void shouldLeaveFromFirstInterfaceOfDestinationFamilyWhenInboundDiffers()
    {
        assertEquals(1, interfaces.outbound(2, new PeerAddress().ipv6(0x20010DB8_00000000L, 2, 5060)));
        assertEquals(0, interfaces.outbound(1, new PeerAddress().ipv4(0x0A000001, 5060)));
    }

    @Test
    void shouldFallBackToPrimaryWhenNoInterfaceHasDestinationFamily()
    {
        final Interfaces ipv4Only = new Interfaces(new String[] {"192.0.2.1", "198.51.100.1"}, new int[] {5060, 5060});
        assertEquals(0, ipv4Only.outbound(1, new PeerAddress().ipv6(0x20010DB8_00000000L, 2, 5060)));
    }

    @Test
    void shouldBracketIpv6HostsForViaAndRecordRoute()
    {
        assertEquals("[2001:db8::1]", new String(interfaces.host(1), StandardCharsets.US_ASCII));
        assertEquals("192.0.2.1", new String(interfaces.host(0), StandardCharsets.US_ASCII));
        assertEquals(5070, interfaces.port(2));
        assertEquals(3, interfaces.count());
    }

    @Test
    void shouldWriteTheAgentsOwnPortForUdpOnThePrimaryInterfaceOnly()
    {
        final Interfaces agent =
            new Interfaces(new String[] {"192.0.2.1", "198.51.100.1"}, new int[] {5060, 5060}, 5101);
        assertEquals(5101, agent.port(0, TransportProtocol.UDP));
        assertTrue(agent.usesAgentSocket(0, TransportProtocol.UDP));
        assertEquals(5060, agent.port(0, TransportProtocol.TCP), "TCP has no per-agent port");
        assertFalse(agent.usesAgentSocket(0, TransportProtocol.TCP));
        assertEquals(5060, agent.port(1, TransportProtocol.UDP), "only the primary interface has agent sockets");
        assertFalse(agent.usesAgentSocket(1, TransportProtocol.UDP));
        assertEquals(5060, interfaces.port(0, TransportProtocol.UDP), "none configured");
        assertFalse(interfaces.usesAgentSocket(0, TransportProtocol.UDP));
    }

    @Test
    void shouldRefuseHostsWithoutPorts()
    {
        assertThrows(IllegalArgumentException.class, () -> new Interfaces(new String[] {"192.0.2.1"}, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new Interfaces(new String[0], new int[0]));
    }
}
