package io.corral.engine.proxy;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueType;
import io.corral.engine.config.ValueTypes;

import java.util.ArrayList;
import java.util.List;

/**
 * Keys of the RFC 3261 §16 proxy core.
 */
public final class ProxyConfiguration
{
    /** Networks whose requests may be forwarded to destinations that are not ours (no open relay). */
    public static final ConfigKey TRUSTED_NETWORKS = ConfigKey.of(
        "corral.proxy.trusted.networks", "127.0.0.0/8,::1/128", cidrList(),
        "Comma-separated CIDR blocks whose requests may be relayed to foreign destinations; others get 403.");

    /** Timer C of INVITE client transactions (RFC 3261 §16.6 item 11: more than 3 minutes). */
    public static final ConfigKey TIMER_C_MS = ConfigKey.of(
        "corral.proxy.timer.c.ms", "185000", ValueTypes.integer(180_001, 3_600_000),
        "Timer C in ms for a proxied INVITE branch: CANCEL it (after a provisional) or answer 408 on expiry.");

    /** Option tags this proxy supports in Proxy-Require. */
    public static final ConfigKey SUPPORTED_OPTIONS = ConfigKey.of(
        "corral.proxy.supported.options", "", tokenList(),
        "Comma-separated option tags accepted in Proxy-Require; any other is answered 420 (empty: none).");

    /** Host names and addresses that also mean this member in a Request-URI or Route. */
    public static final ConfigKey ALIASES = ConfigKey.of(
        "corral.proxy.aliases", "", tokenList(),
        "Comma-separated host names/IPs that count as this member besides corral.sip.address and the advertised one.");

    /** Whether requests are record-routed. */
    public static final ConfigKey RECORD_ROUTE = ConfigKey.of(
        "corral.proxy.record.route", "true", ValueTypes.oneOf("true", "false"),
        "Add Record-Route (doubled on a transport or interface change) so in-dialog requests come back here.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        TRUSTED_NETWORKS, TIMER_C_MS, SUPPORTED_OPTIONS, ALIASES, RECORD_ROUTE);

    private ProxyConfiguration()
    {
    }

    /**
     * @param value a comma-separated list.
     * @return its trimmed, non-empty items.
     */
    public static List<String> split(final String value)
    {
        final List<String> items = new ArrayList<>();
        for (final String item : value.split(","))
        {
            final String trimmed = item.trim();
            if (!trimmed.isEmpty())
            {
                items.add(trimmed);
            }
        }
        return items;
    }

    private static ValueType cidrList()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                try
                {
                    TrustedNetworks.parse(value);
                    return true;
                }
                catch (final IllegalArgumentException ex)
                {
                    return false;
                }
            }

            public String expected()
            {
                return "comma-separated CIDR blocks, e.g. 10.0.0.0/8,2001:db8::/32 (empty: none)";
            }
        };
    }

    private static ValueType tokenList()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                for (final String item : split(value))
                {
                    for (int i = 0; i < item.length(); i++)
                    {
                        final char c = item.charAt(i);
                        if (c <= ' ' || c >= 0x7F || c == ';' || c == '"')
                        {
                            return false;
                        }
                    }
                }
                return true;
            }

            public String expected()
            {
                return "comma-separated tokens (empty: none)";
            }
        };
    }
}
