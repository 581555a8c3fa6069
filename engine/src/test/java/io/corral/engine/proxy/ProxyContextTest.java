package io.corral.engine.proxy;

import io.corral.engine.Context;
import io.corral.engine.config.ConfigurationException;
import io.corral.engine.sip.codec.SipUriDecoder;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyContextTest
{
    private static Properties props(final String... pairs)
    {
        final Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2)
        {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    private static boolean isOwn(final ProxyContext context, final String uri)
    {
        final SipUriDecoder decoder = new SipUriDecoder();
        assertTrue(decoder.wrap(ProxyFixtures.buffer(uri), 0, uri.length()), uri);
        return context.isOwnUri(decoder);
    }

    @Test
    void shouldUseDefaultsWhenNothingConfigured()
    {
        final ProxyContext context = ProxyContext.from(Context.load(null, new Properties()).conclude());
        assertEquals(185_000, context.timerCMs());
        assertTrue(context.timerCMs() > 180_000, "RFC 3261 §16.6 item 11: timer C must exceed 3 minutes");
        assertTrue(context.recordRoute());
        assertEquals(2, context.trustedNetworks().size());
        assertArrayEquals("127.0.0.1".getBytes(), context.advertisedHost());
        assertEquals(0, context.supportedHeaderValue().length);
    }

    @Test
    void shouldReadProxyKeysWhenConfigured()
    {
        final ProxyContext context = ProxyContext.from(Context.load(null, props(
            "corral.member.id", "9",
            "corral.sip.port", "5070",
            "corral.sip.advertised.address", "edge.example.com",
            "corral.proxy.aliases", "Example.COM, 203.0.113.5",
            "corral.proxy.supported.options", "sec-agree",
            "corral.proxy.record.route", "false",
            "corral.proxy.timer.c.ms", "200000")).conclude());
        assertEquals(9, context.memberId());
        assertEquals(200_000, context.timerCMs());
        assertFalse(context.recordRoute());
        assertArrayEquals("edge.example.com".getBytes(), context.advertisedHost());
        assertTrue(isOwn(context, "sip:bob@example.com"));
        assertTrue(isOwn(context, "sip:EDGE.example.com:5070;lr"));
        assertTrue(isOwn(context, "sip:127.0.0.1:5070"));
        assertTrue(isOwn(context, "sips:203.0.113.5"));
        assertFalse(isOwn(context, "sip:203.0.113.5:5060"));
        assertFalse(isOwn(context, "sip:other.example.com"));
        assertFalse(isOwn(context, "tel:+15551234"));
        assertTrue(context.isSupportedOption(ProxyFixtures.buffer("Sec-Agree"), 0, 9));
        assertEquals("sec-agree", new String(context.supportedHeaderValue()));
    }

    @Test
    void shouldWriteTheAdvertisedPortAndOwnBothPortsWhenAdvertisedPortSet()
    {
        final ProxyContext context = ProxyContext.from(Context.load(null, props(
            "corral.sip.port", "5070",
            "corral.sip.advertised.address", "203.0.113.9",
            "corral.sip.advertised.port", "15060")).conclude());
        assertEquals(15060, context.port());
        assertTrue(isOwn(context, "sip:203.0.113.9:15060;lr"));
        assertTrue(isOwn(context, "sip:127.0.0.1:5070;lr"));
        assertFalse(isOwn(context, "sip:203.0.113.9:5080;lr"));
    }

    @Test
    void shouldOwnEveryAgentsPortWhenAgentsHaveTheirOwn()
    {
        final ProxyContext context = ProxyContext.from(Context.load(null, props(
            "corral.sip.port", "5060",
            "corral.sip.agents", "3",
            "corral.sip.agent.port.base", "5100")).conclude());
        assertEquals(5060, context.port());
        assertEquals(5100, context.agentPort(0));
        assertEquals(5102, context.agentPort(2));
        assertTrue(isOwn(context, "sip:127.0.0.1:5100;lr"));
        assertTrue(isOwn(context, "sip:127.0.0.1:5102;lr"));
        assertTrue(isOwn(context, "sip:127.0.0.1:5060;lr"));
        assertFalse(isOwn(context, "sip:127.0.0.1:5103;lr"), "one past the last agent");
        assertFalse(isOwn(context, "sip:127.0.0.1:5099;lr"));
        final byte[] host = "127.0.0.1".getBytes();
        assertTrue(context.isOwnSentBy(ProxyFixtures.buffer("127.0.0.1"), 0, host.length, 5101),
            "a Via an agent wrote with its own port is ours (loop detection)");
        assertFalse(context.isOwnSentBy(ProxyFixtures.buffer("127.0.0.1"), 0, host.length, 5103));
        assertEquals(5101, context.boundTo(5060).agentPort(1), "binding keeps the agent ports");

        final ProxyContext without = ProxyContext.from(Context.load(null, new Properties()).conclude());
        assertEquals(0, without.agentPort(0));
        assertFalse(isOwn(without, "sip:127.0.0.1:5100;lr"));
    }

    @Test
    void shouldRejectAgentPortsBeyondTheLastPortOrOverTheSipPort()
    {
        final String beyond = assertThrows(ConfigurationException.class, () -> Context.load(null, props(
            "corral.sip.agents", "4", "corral.sip.agent.port.base", "65534")).conclude()).getMessage();
        assertTrue(beyond.contains("corral.sip.agent.port.base=65534") && beyond.contains("65537"), beyond);
        final String overlap = assertThrows(ConfigurationException.class, () -> Context.load(null, props(
            "corral.sip.port", "5062", "corral.sip.agents", "4", "corral.sip.agent.port.base", "5060")).conclude())
            .getMessage();
        assertTrue(overlap.contains("corral.sip.agent.port.base=5060") && overlap.contains("SIP port 5062"), overlap);
        final String advertised = assertThrows(ConfigurationException.class, () -> Context.load(null, props(
            "corral.sip.advertised.port", "6001", "corral.sip.agents", "2", "corral.sip.agent.port.base", "6000"))
            .conclude()).getMessage();
        assertTrue(advertised.contains("SIP port 6001"), advertised);
    }

    @Test
    void shouldRequireAdvertisedAddressWhenListeningOnWildcard()
    {
        final Context wildcard = Context.load(null, props("corral.sip.address", "0.0.0.0")).conclude();
        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> ProxyContext.from(wildcard));
        assertTrue(ex.getMessage().contains("corral.sip.advertised.address"), ex.getMessage());
        final ProxyContext context = ProxyContext.from(Context.load(null, props(
            "corral.sip.address", "0.0.0.0", "corral.sip.advertised.address", "203.0.113.5")).conclude());
        assertArrayEquals("203.0.113.5".getBytes(), context.advertisedHost());
    }

    @Test
    void shouldFailStartWhenProxyValueInvalid()
    {
        for (final String[] bad : new String[][]{
            {"corral.proxy.timer.c.ms", "180000"},
            {"corral.proxy.trusted.networks", "10.0.0.0/40"},
            {"corral.proxy.record.route", "yes"},
            {"corral.sip.advertised.address", "a.example.com,b.example.com"}})
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class,
                () -> Context.load(null, props(bad[0], bad[1])).conclude(), bad[0]);
            assertTrue(ex.getMessage().contains(bad[0]), ex.getMessage());
        }
    }
}
