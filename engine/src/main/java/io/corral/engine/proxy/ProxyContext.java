package io.corral.engine.proxy;

import io.corral.engine.Context;
import io.corral.engine.SipConfiguration;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ConfigurationException;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.engine.transport.TransportConfiguration;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The proxy core's live configuration: who this member is (member id, advertised address and port, every host name
 * or address that means "us"), the trusted networks, timer C, the supported Proxy-Require option tags and whether
 * to record-route. Immutable once built; shared by the proxy classes of one SIP agent.
 */
public final class ProxyContext
{
    private final int memberId;
    private final byte[] advertisedHost;
    private final int port;
    private final int listenPort;
    private final byte[][] ownHosts;
    private final TrustedNetworks trustedNetworks;
    private final long timerCMs;
    private final byte[][] supportedOptions;
    private final boolean recordRoute;
    private final byte[] supportedHeaderValue;
    private final int agentPortBase;
    private final int agentPortCount;

    /**
     * @param memberId         1..63.
     * @param sipAddress       the listening address.
     * @param port             the SIP port written in Via and Record-Route (the advertised one).
     * @param listenPort       the port the SIP sockets are bound to; a URI naming it is ours too.
     * @param advertisedHost   host written in Via and Record-Route; empty for {@code sipAddress}.
     * @param aliases          other hosts that mean this member.
     * @param trustedNetworks  sources allowed to relay to foreign destinations.
     * @param timerCMs         timer C.
     * @param supportedOptions option tags accepted in Proxy-Require.
     * @param recordRoute      add Record-Route when forwarding.
     */
    public ProxyContext(
        final int memberId,
        final String sipAddress,
        final int port,
        final int listenPort,
        final String advertisedHost,
        final List<String> aliases,
        final TrustedNetworks trustedNetworks,
        final long timerCMs,
        final List<String> supportedOptions,
        final boolean recordRoute)
    {
        if (memberId < MemberIdCodec.MIN_MEMBER_ID || memberId > MemberIdCodec.MAX_MEMBER_ID)
        {
            throw new IllegalArgumentException("member id out of range: " + memberId);
        }
        this.memberId = memberId;
        this.port = port;
        this.listenPort = listenPort;
        final String advertised = advertisedHost.isEmpty() ? sipAddress : advertisedHost;
        this.advertisedHost = bracketIpv6(advertised).getBytes(StandardCharsets.US_ASCII);
        final List<String> hosts = new ArrayList<>();
        hosts.add(bracketIpv6(sipAddress));
        hosts.add(bracketIpv6(advertised));
        for (final String alias : aliases)
        {
            hosts.add(bracketIpv6(alias));
        }
        ownHosts = toBytes(hosts);
        this.trustedNetworks = trustedNetworks;
        this.timerCMs = timerCMs;
        this.supportedOptions = toBytes(supportedOptions);
        this.recordRoute = recordRoute;
        supportedHeaderValue = String.join(", ", supportedOptions).getBytes(StandardCharsets.US_ASCII);
        agentPortBase = 0;
        agentPortCount = 0;
    }

    private ProxyContext(final ProxyContext bound, final int boundPort, final int agentPortBase,
        final int agentPortCount)
    {
        memberId = bound.memberId;
        advertisedHost = bound.advertisedHost;
        port = bound.port == 0 ? boundPort : bound.port;
        listenPort = boundPort;
        ownHosts = bound.ownHosts;
        trustedNetworks = bound.trustedNetworks;
        timerCMs = bound.timerCMs;
        supportedOptions = bound.supportedOptions;
        recordRoute = bound.recordRoute;
        supportedHeaderValue = bound.supportedHeaderValue;
        this.agentPortBase = agentPortBase;
        this.agentPortCount = agentPortCount;
    }

    /**
     * The context once the sockets are bound: with {@code corral.sip.port=0} the real port is known only then.
     *
     * @param boundPort the port the SIP sockets got.
     * @return this when the configured port was not 0, else a copy listening on (and, unless an advertised port is
     * set, advertising) {@code boundPort}.
     */
    public ProxyContext boundTo(final int boundPort)
    {
        return listenPort != 0 ? this : new ProxyContext(this, boundPort, agentPortBase, agentPortCount);
    }

    /**
     * The context of a member whose agents also listen on ports of their own ({@code corral.sip.agent.port.base}):
     * a URI or Via sent-by naming one of them is this member's.
     *
     * @param base  the first agent's port.
     * @param count the number of agents.
     * @return a copy that counts those ports as its own.
     */
    public ProxyContext withAgentPorts(final int base, final int count)
    {
        return new ProxyContext(this, listenPort, base, count);
    }

    /**
     * @param agentIndex a SIP agent's index.
     * @return the port of that agent's own socket, or 0 when agents have none.
     */
    public int agentPort(final int agentIndex)
    {
        return agentPortBase == 0 ? 0 : agentPortBase + agentIndex;
    }

    /**
     * @param context a concluded member context.
     * @return the proxy configuration it holds.
     * @throws ConfigurationException if the member listens on a wildcard address and no advertised address is set
     * (a wildcard in Via or Record-Route would route nothing back).
     */
    public static ProxyContext from(final Context context)
    {
        final ConfigValues config = context.config();
        final String advertised = config.string(TransportConfiguration.ADVERTISED_ADDRESS);
        final int advertisedPort = config.intValue(TransportConfiguration.ADVERTISED_PORT);
        final String address = context.sipAddress();
        if (advertised.isEmpty() && (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")))
        {
            throw new ConfigurationException(TransportConfiguration.ADVERTISED_ADDRESS.name() +
                " must be set when corral.sip.address is the wildcard " + address);
        }
        final ProxyContext proxyContext = new ProxyContext(
            context.memberId(),
            context.sipAddress(),
            advertisedPort == 0 ? context.sipPort() : advertisedPort,
            context.sipPort(),
            advertised,
            aliases(config),
            TrustedNetworks.parse(config.string(ProxyConfiguration.TRUSTED_NETWORKS)),
            config.longValue(ProxyConfiguration.TIMER_C_MS),
            ProxyConfiguration.split(config.string(ProxyConfiguration.SUPPORTED_OPTIONS)),
            Boolean.parseBoolean(config.string(ProxyConfiguration.RECORD_ROUTE)));
        final int agentPortBase = config.intValue(TransportConfiguration.AGENT_PORT_BASE);
        return agentPortBase == 0 ? proxyContext :
            proxyContext.withAgentPorts(agentPortBase, config.intValue(SipConfiguration.SIP_AGENTS));
    }

    private static List<String> aliases(final ConfigValues config)
    {
        // The extra listen addresses mean this member too.
        final List<String> aliases =
            new ArrayList<>(ProxyConfiguration.split(config.string(ProxyConfiguration.ALIASES)));
        aliases.addAll(ProxyConfiguration.split(config.string(SipConfiguration.SIP_EXTRA_ADDRESSES)));
        return aliases;
    }

    /**
     * @return this member's id, 1..63.
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * @return the host written in Via and Record-Route (IPv6 in brackets).
     */
    public byte[] advertisedHost()
    {
        return advertisedHost;
    }

    /**
     * @return the SIP port written in Via and Record-Route.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return the trusted networks.
     */
    public TrustedNetworks trustedNetworks()
    {
        return trustedNetworks;
    }

    /**
     * @return timer C in milliseconds.
     */
    public long timerCMs()
    {
        return timerCMs;
    }

    /**
     * @return true if forwarded requests are record-routed.
     */
    public boolean recordRoute()
    {
        return recordRoute;
    }

    /**
     * @return the supported option tags as a {@code Supported} header value (may be empty).
     */
    public byte[] supportedHeaderValue()
    {
        return supportedHeaderValue;
    }

    /**
     * @param buffer holding an option tag.
     * @param offset of the tag.
     * @param length of the tag.
     * @return true if it is one of the supported option tags (compared ignoring case).
     */
    public boolean isSupportedOption(final DirectBuffer buffer, final int offset, final int length)
    {
        for (final byte[] option : supportedOptions)
        {
            if (SipBytes.equalsIgnoreCase(buffer, offset, length, option))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param buffer holding a host (IPv6 in brackets).
     * @param offset of the host.
     * @param length of the host.
     * @return true if the host is one of this member's (listening, advertised or alias), ignoring case.
     */
    public boolean isOwnHost(final DirectBuffer buffer, final int offset, final int length)
    {
        for (final byte[] host : ownHosts)
        {
            if (SipBytes.equalsIgnoreCase(buffer, offset, length, host))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A URI is ours when its host is one of ours and its port, if given, is our advertised or listening port or an
     * agent's own port (RFC 3261 §16.4).
     *
     * @param uri a wrapped URI.
     * @return true if it addresses this member.
     */
    public boolean isOwnUri(final SipUriDecoder uri)
    {
        final int scheme = uri.scheme();
        if (scheme != SipUriDecoder.SIP && scheme != SipUriDecoder.SIPS)
        {
            return false;
        }
        final int uriPort = uri.port();
        return (uriPort < 0 || uriPort == port || uriPort == listenPort || isAgentPort(uriPort)) &&
            isOwnHost(uri.buffer(), uri.hostOffset(), uri.hostLength());
    }

    /**
     * @param buffer holding a Via sent-by host.
     * @param offset of the host.
     * @param length of the host.
     * @param viaPort the sent-by port, or -1 when absent.
     * @return true if the sent-by is this member's advertised address and port, or an agent's own port.
     */
    public boolean isOwnSentBy(final DirectBuffer buffer, final int offset, final int length, final int viaPort)
    {
        final int sentByPort = viaPort < 0 ? 5060 : viaPort;
        return (sentByPort == port || isAgentPort(sentByPort)) && isOwnHost(buffer, offset, length);
    }

    private boolean isAgentPort(final int port)
    {
        return port >= agentPortBase && port < agentPortBase + agentPortCount;
    }

    /**
     * @param text a host as configured.
     * @return an IPv6 literal in brackets, anything else unchanged.
     */
    static String bracketIpv6(final String text)
    {
        return text.indexOf(':') >= 0 && !text.startsWith("[") ? "[" + text + "]" : text;
    }

    private static byte[][] toBytes(final List<String> values)
    {
        final byte[][] bytes = new byte[values.size()][];
        for (int i = 0; i < bytes.length; i++)
        {
            // Lower case: SipBytes.equalsIgnoreCase compares against lower-case constants.
            bytes[i] = values.get(i).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
