package io.corral.engine.proxy;

import io.corral.engine.sip.codec.TransportProtocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The local addresses a member's SIP sockets listen on, as written in Via and Record-Route, and which one a request
 * leaves from: the one it came in on when that has the destination's address family, else the first of that family,
 * else the first. RFC 3261 §16.6 item 4 (and RFC 5658): when the two differ the request is record-routed twice, so
 * each side of the dialog reaches this member on the address it can.
 */
public final class Interfaces
{
    private final byte[][] hosts;
    private final int[] ports;
    private final int[] families;
    private final int agentUdpPort;

    /**
     * @param hosts the hosts as written in Via/Record-Route (IPv6 in brackets), the primary first.
     * @param ports their ports.
     */
    public Interfaces(final String[] hosts, final int[] ports)
    {
        this(hosts, ports, 0);
    }

    /**
     * @param hosts        the hosts as written in Via/Record-Route (IPv6 in brackets), the primary first.
     * @param ports        their ports.
     * @param agentUdpPort the port of the agent's own UDP socket on the primary interface, written instead of the
     *                     primary's port for UDP; 0 for none.
     */
    public Interfaces(final String[] hosts, final int[] ports, final int agentUdpPort)
    {
        if (hosts.length == 0 || hosts.length != ports.length)
        {
            throw new IllegalArgumentException("need one port per host: " + Arrays.toString(hosts));
        }
        this.hosts = new byte[hosts.length][];
        this.families = new int[hosts.length];
        for (int i = 0; i < hosts.length; i++)
        {
            final String host = ProxyContext.bracketIpv6(hosts[i]);
            this.hosts[i] = host.getBytes(StandardCharsets.US_ASCII);
            families[i] = host.startsWith("[") ? PeerAddress.IPV6 : PeerAddress.IPV4;
        }
        this.ports = ports.clone();
        this.agentUdpPort = agentUdpPort;
    }

    /**
     * @param context the one address of a single-homed member.
     * @return the interfaces of the context's advertised host and port.
     */
    static Interfaces single(final ProxyContext context)
    {
        return new Interfaces(
            new String[] {new String(context.advertisedHost(), StandardCharsets.US_ASCII)},
            new int[] {context.port()});
    }

    /**
     * @param inbound     the interface the request came in on.
     * @param destination where it goes.
     * @return the interface it leaves from.
     */
    public int outbound(final int inbound, final PeerAddress destination)
    {
        final int family = destination.family();
        if (family == PeerAddress.NONE || families[inbound] == family)
        {
            return inbound;
        }
        for (int i = 0; i < families.length; i++)
        {
            if (families[i] == family)
            {
                return i;
            }
        }
        return 0;
    }

    /**
     * @return how many interfaces.
     */
    public int count()
    {
        return hosts.length;
    }

    /**
     * @param index an interface.
     * @return its host as written in Via and Record-Route.
     */
    public byte[] host(final int index)
    {
        return hosts[index];
    }

    /**
     * @param index an interface.
     * @return its port as written in Via and Record-Route.
     */
    public int port(final int index)
    {
        return ports[index];
    }

    /**
     * @param index     an interface.
     * @param transport a {@link io.corral.engine.sip.codec.TransportProtocol} code.
     * @return the port written in Via and Record-Route for that transport: the agent's own UDP port on the primary
     * interface when it has one, else {@link #port(int)}.
     */
    public int port(final int index, final int transport)
    {
        return usesAgentSocket(index, transport) ? agentUdpPort : ports[index];
    }

    /**
     * @param index     an interface.
     * @param transport a {@link io.corral.engine.sip.codec.TransportProtocol} code.
     * @return true if requests leaving there over that transport leave from the agent's own socket.
     */
    public boolean usesAgentSocket(final int index, final int transport)
    {
        return agentUdpPort != 0 && index == 0 && transport == TransportProtocol.UDP;
    }
}
