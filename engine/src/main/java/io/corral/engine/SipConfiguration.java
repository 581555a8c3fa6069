package io.corral.engine;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueTypes;

import java.util.List;

/**
 * Keys of the SIP listening socket.
 */
public final class SipConfiguration
{
    /** Local address the SIP transport listens on. */
    public static final ConfigKey SIP_ADDRESS = ConfigKey.of(
        "corral.sip.address", "127.0.0.1", ValueTypes.ipAddress(),
        "Local address the SIP transport listens on (the VIP behind a balancer).");

    /** UDP and TCP port of the SIP transport. */
    public static final ConfigKey SIP_PORT = ConfigKey.of(
        "corral.sip.port", "5060", ValueTypes.integer(1, 65535),
        "UDP and TCP port the SIP transport listens on.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(SIP_ADDRESS, SIP_PORT);

    private SipConfiguration()
    {
    }
}
