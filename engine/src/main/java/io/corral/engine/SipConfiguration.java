package io.corral.engine;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueTypes;

import java.util.List;

/**
 * Keys of the SIP listening sockets and the agents that serve them.
 */
public final class SipConfiguration
{
    /** Local address the SIP transport listens on. */
    public static final ConfigKey SIP_ADDRESS = ConfigKey.of(
        "corral.sip.address", "127.0.0.1", ValueTypes.ipAddress(),
        "Local address the SIP transport listens on (the VIP behind a balancer).");

    /** UDP and TCP port of the SIP transport. */
    public static final ConfigKey SIP_PORT = ConfigKey.of(
        "corral.sip.port", "5060", ValueTypes.integer(0, 65535, " (0 = any free port)"),
        "UDP and TCP port the SIP transport listens on.");

    /** Further local addresses to listen on. */
    public static final ConfigKey SIP_EXTRA_ADDRESSES = ConfigKey.of(
        "corral.sip.extra.addresses", "", ValueTypes.ipAddressList(),
        "Further local addresses the SIP sockets listen on (same port, UDP and TCP); a request leaves from the " +
        "address it came in on, or the first one of the destination's family, and is record-routed twice when " +
        "the two differ.");

    /** SIP agents: each has its own socket (SO_REUSEPORT), transactions and share of the Call-IDs. */
    public static final ConfigKey SIP_AGENTS = ConfigKey.of(
        "corral.sip.agents", "1", ValueTypes.integer(1, 64),
        "SIP agents (event loops), each with its own UDP socket and TCP listener on the SIP port and the " +
        "transactions of its share of the Call-IDs; packets read by another agent are handed over.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(SIP_ADDRESS, SIP_EXTRA_ADDRESSES, SIP_PORT, SIP_AGENTS);

    private SipConfiguration()
    {
    }
}
