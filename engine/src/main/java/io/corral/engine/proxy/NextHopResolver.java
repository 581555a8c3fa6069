package io.corral.engine.proxy;

import org.agrona.DirectBuffer;

/**
 * Turns the host of a next hop into an address. An IP literal needs no lookup ({@link #IP_LITERALS}); a host name
 * goes to an implementation backed by A/AAAA records (RFC 3263 NAPTR/SRV selection is out of scope), which must not
 * block the calling agent: it answers from a cache and returns false on a miss after starting the lookup elsewhere.
 */
@FunctionalInterface
public interface NextHopResolver
{
    /** Resolves IP literals only; every host name is unresolved. */
    NextHopResolver IP_LITERALS =
        (buffer, offset, length, port, address) -> address.parse(buffer, offset, length, port);

    /**
     * @param buffer  holding the host (IPv6 in brackets).
     * @param offset  of the host.
     * @param length  of the host.
     * @param port    the port to set on the address.
     * @param address set to the resolved address and {@code port}.
     * @return false if the host cannot be resolved now.
     */
    boolean resolve(DirectBuffer buffer, int offset, int length, int port, PeerAddress address);
}
