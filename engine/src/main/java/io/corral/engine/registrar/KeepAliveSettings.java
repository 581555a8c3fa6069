package io.corral.engine.registrar;

import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ConfigurationException;

/**
 * The typed values of the NAT keep-alive keys of {@link RegistrarConfiguration}.
 *
 * @param intervalMs  {@code corral.nat.keepalive.interval.ms}; 0: keep-alives off.
 * @param timeoutMs   {@code corral.nat.keepalive.timeout.ms}.
 * @param maxFailures {@code corral.nat.keepalive.max.failures}.
 */
public record KeepAliveSettings(long intervalMs, long timeoutMs, int maxFailures)
{
    /**
     * @param intervalMs  period per contact; 0: off.
     * @param timeoutMs   answer window of an OPTIONS, at most the interval when on.
     * @param maxFailures misses in a row that remove a contact, at least 1.
     * @throws ConfigurationException if the values do not hold together.
     */
    public KeepAliveSettings
    {
        if (intervalMs > 0 && timeoutMs > intervalMs)
        {
            throw new ConfigurationException(RegistrarConfiguration.KEEPALIVE_TIMEOUT_MS.name() + "=" + timeoutMs +
                " is invalid: expected at most " + RegistrarConfiguration.KEEPALIVE_INTERVAL_MS.name() + " (" +
                intervalMs + ")");
        }
        if (maxFailures < 1)
        {
            throw new ConfigurationException(RegistrarConfiguration.KEEPALIVE_MAX_FAILURES.name() + "=" +
                maxFailures + " is invalid: expected at least 1");
        }
    }

    /**
     * @param config the member's configuration.
     * @return the settings.
     * @throws ConfigurationException if the values do not hold together.
     */
    public static KeepAliveSettings from(final ConfigValues config)
    {
        return new KeepAliveSettings(
            config.longValue(RegistrarConfiguration.KEEPALIVE_INTERVAL_MS),
            config.longValue(RegistrarConfiguration.KEEPALIVE_TIMEOUT_MS),
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
