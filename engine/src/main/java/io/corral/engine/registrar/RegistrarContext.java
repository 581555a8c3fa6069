package io.corral.engine.registrar;

import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ConfigurationException;
import io.corral.engine.proxy.ProxyConfiguration;
import io.corral.engine.proxy.ProxyContext;
import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The registrar's live configuration: served domains, expiry bounds and sweep period. Immutable; shared by the
 * SIP loops.
 */
public final class RegistrarContext
{
    private final byte[][] domains;
    private final ProxyContext ownHosts;
    private final long minExpiresSeconds;
    private final long maxExpiresSeconds;
    private final long defaultExpiresSeconds;
    private final long sweepIntervalMs;

    /**
     * @param domains               served domains; empty: the member's own hosts.
     * @param ownHosts              the member's own hosts (addresses, advertised host, aliases).
     * @param minExpiresSeconds     shortest non-zero expiry accepted.
     * @param maxExpiresSeconds     longest expiry granted.
     * @param defaultExpiresSeconds expiry when the REGISTER gives none.
     * @param sweepIntervalMs       period of the expiry sweep.
     * @throws ConfigurationException if the bounds do not hold together.
     */
    public RegistrarContext(
        final List<String> domains,
        final ProxyContext ownHosts,
        final long minExpiresSeconds,
        final long maxExpiresSeconds,
        final long defaultExpiresSeconds,
        final long sweepIntervalMs)
    {
        if (minExpiresSeconds > maxExpiresSeconds)
        {
            throw new ConfigurationException(RegistrarConfiguration.MIN_EXPIRES.name() + "=" + minExpiresSeconds +
                " is invalid: expected at most " + RegistrarConfiguration.MAX_EXPIRES.name() + " (" +
                maxExpiresSeconds + ")");
        }
        if (defaultExpiresSeconds < minExpiresSeconds)
        {
            throw new ConfigurationException(RegistrarConfiguration.DEFAULT_EXPIRES.name() + "=" +
                defaultExpiresSeconds + " is invalid: expected at least " + RegistrarConfiguration.MIN_EXPIRES.name() +
                " (" + minExpiresSeconds + ")");
        }
        this.domains = new byte[domains.size()][];
        for (int i = 0; i < this.domains.length; i++)
        {
            // Lower case: SipBytes.equalsIgnoreCase compares against lower-case constants.
            this.domains[i] = domains.get(i).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        this.ownHosts = ownHosts;
        this.minExpiresSeconds = minExpiresSeconds;
        this.maxExpiresSeconds = maxExpiresSeconds;
        this.defaultExpiresSeconds = Math.min(defaultExpiresSeconds, maxExpiresSeconds);
        this.sweepIntervalMs = sweepIntervalMs;
    }

    /**
     * @param config   the member's configuration.
     * @param ownHosts the member's proxy context (its own hosts serve as domains when none is configured).
     * @return the registrar context.
     */
    public static RegistrarContext from(final ConfigValues config, final ProxyContext ownHosts)
    {
        return new RegistrarContext(
            ProxyConfiguration.split(config.string(RegistrarConfiguration.DOMAINS)),
            ownHosts,
            config.longValue(RegistrarConfiguration.MIN_EXPIRES),
            config.longValue(RegistrarConfiguration.MAX_EXPIRES),
            config.longValue(RegistrarConfiguration.DEFAULT_EXPIRES),
            config.longValue(RegistrarConfiguration.SWEEP_INTERVAL_MS));
    }

    /**
     * @param buffer holding a host (the To URI's).
     * @param offset of the host.
     * @param length of the host.
     * @return true if registrations for this domain are accepted here (compared ignoring case).
     */
    public boolean isServedDomain(final DirectBuffer buffer, final int offset, final int length)
    {
        if (domains.length == 0)
        {
            return ownHosts != null && ownHosts.isOwnHost(buffer, offset, length);
        }
        for (final byte[] domain : domains)
        {
            if (SipBytes.equalsIgnoreCase(buffer, offset, length, domain))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return shortest non-zero expiry accepted, seconds.
     */
    public long minExpiresSeconds()
    {
        return minExpiresSeconds;
    }

    /**
     * @return longest expiry granted, seconds.
     */
    public long maxExpiresSeconds()
    {
        return maxExpiresSeconds;
    }

    /**
     * @return expiry when the REGISTER gives none, seconds.
     */
    public long defaultExpiresSeconds()
    {
        return defaultExpiresSeconds;
    }

    /**
     * @return period of the expiry sweep, ms.
     */
    public long sweepIntervalMs()
    {
        return sweepIntervalMs;
    }
}
