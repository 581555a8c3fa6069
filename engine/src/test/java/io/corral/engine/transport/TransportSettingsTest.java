package io.corral.engine.transport;

import io.corral.engine.Context;
import io.corral.engine.config.ConfigurationException;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportSettingsTest
{
    @Test
    void shouldUseTheDocumentedDefaultsWhenNothingIsConfigured()
    {
        final TransportSettings settings =
            TransportSettings.from(Context.load(null, new Properties()).conclude().config());

        assertEquals(TransportConfiguration.KIND_AUTO, settings.kind());
        assertEquals("127.0.0.1", settings.address());
        assertEquals(5060, settings.port());
        assertEquals(4 << 20, settings.rcvbufBytes());
        assertEquals(16, settings.recvmmsgBatch());
        assertFalse(settings.freebind());
        assertEquals("127.0.0.1", settings.advertisedAddress());
        assertEquals(0, settings.advertisedPort());
        assertTrue(settings.tcpEnabled());
        assertEquals(600_000, settings.tcpIdleTimeoutMs());
    }

    @Test
    void shouldTakeConfiguredValuesWhenSetAsSystemProperties()
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.sip.address", "192.0.2.10");
        properties.setProperty("corral.sip.freebind", "true");
        properties.setProperty("corral.sip.advertised.address", "198.51.100.7");
        properties.setProperty("corral.sip.advertised.port", "5080");
        properties.setProperty("corral.sip.transport.kind", "nio");
        properties.setProperty("corral.sip.tcp.idle.timeout.ms", "30000");

        final TransportSettings settings = TransportSettings.from(Context.load(null, properties).conclude().config());

        assertEquals("192.0.2.10", settings.address());
        assertTrue(settings.freebind());
        assertEquals("198.51.100.7", settings.advertisedAddress());
        assertEquals(5080, settings.advertisedPort());
        assertEquals(TransportConfiguration.KIND_NIO, settings.kind());
        assertEquals(30_000, settings.tcpIdleTimeoutMs());
    }

    @Test
    void shouldAcceptAHostNameAndRejectStartWhenTheAdvertisedAddressIsMalformed()
    {
        final Properties valid = new Properties();
        valid.setProperty("corral.sip.advertised.address", "sip.example.com");
        assertEquals("sip.example.com", TransportSettings.from(Context.load(null, valid).conclude().config())
            .advertisedAddress());

        final Properties properties = new Properties();
        properties.setProperty("corral.sip.advertised.address", "sip example.com");

        final ConfigurationException ex = assertThrows(
            ConfigurationException.class, () -> Context.load(null, properties).conclude());
        assertTrue(ex.getMessage().contains("corral.sip.advertised.address=sip example.com"), ex.getMessage());
    }

    @Test
    void shouldChooseEpollWhenAutoAndAvailableElseNio()
    {
        assertEquals(Epoll.isAvailable() ? TransportConfiguration.KIND_EPOLL : TransportConfiguration.KIND_NIO,
            SipTransports.resolveKind(new TransportSettings().kind(TransportConfiguration.KIND_AUTO)));
        assertEquals(TransportConfiguration.KIND_NIO,
            SipTransports.resolveKind(new TransportSettings().kind(TransportConfiguration.KIND_NIO)));
    }
}
