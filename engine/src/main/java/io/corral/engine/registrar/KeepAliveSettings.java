package io.corral.engine.registrar;

import io.corral.engine.config.ConfigValues;

/**
 * The typed values of the NAT keep-alive keys of {@link RegistrarConfiguration}.
 *
 * @param intervalMs  {@code corral.nat.keepalive.interval.ms}; 0: keep-alives off.
 * @param timeoutMs   {@code corral.nat.keepalive.timeout.ms}, capped at the interval.
 * @param maxFailures {@code corral.nat.keepalive.max.failures}.
 */
public record KeepAliveSettings(long intervalMs, long timeoutMs, int maxFailures)
{
    /**
     * @param config the member's configuration.
     * @return the settings.
     */
    public static KeepAliveSettings from(final ConfigValues config)
    {
        final long intervalMs = config.longValue(RegistrarConfiguration.KEEPALIVE_INTERVAL_MS);
        final long timeoutMs = config.longValue(RegistrarConfiguration.KEEPALIVE_TIMEOUT_MS);
        return new KeepAliveSettings(intervalMs, intervalMs > 0 ? Math.min(timeoutMs, intervalMs) : timeoutMs,
            config.intValue(RegistrarConfiguration.KEEPALIVE_MAX_FAILURES));
    }

    /**
     * @return true if keep-alives are sent.
     */
    public boolean isEnabled()
    {
        return intervalMs > 0;
    }
}
