package io.corral.engine.overload;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ConfigurationException;

/**
 * The typed values of {@link OverloadConfiguration}'s keys; percentages as shares of 1.
 *
 * @param enabled           {@code corral.overload.enabled}.
 * @param intervalMs        {@code corral.overload.interval.ms}.
 * @param graceMs           {@code corral.overload.grace.ms}.
 * @param sustainIntervals  {@code corral.overload.sustain.intervals}.
 * @param readHigh          {@code corral.overload.read.high.percent} / 100.
 * @param readLow           {@code corral.overload.read.low.percent} / 100.
 * @param readConfirm       {@code corral.overload.read.confirm.percent} / 100.
 * @param cycleHighNs       {@code corral.overload.cycle.high.us} in ns.
 * @param cycleLowNs        {@code corral.overload.cycle.low.us} in ns.
 * @param tableHigh         {@code corral.overload.table.high.percent} / 100.
 * @param tableLow          {@code corral.overload.table.low.percent} / 100.
 * @param queueHigh         {@code corral.overload.queue.high.percent} / 100.
 * @param queueLow          {@code corral.overload.queue.low.percent} / 100.
 * @param decrease          {@code corral.overload.decrease.percent} / 100.
 * @param increase          {@code corral.overload.increase.percent} / 100.
 * @param dropBelow         {@code corral.overload.drop.below.percent} / 100.
 * @param retryAfterSeconds {@code corral.overload.retry.after.s}.
 */
public record OverloadSettings(
    boolean enabled,
    long intervalMs,
    long graceMs,
    int sustainIntervals,
    double readHigh,
    double readLow,
    double readConfirm,
    long cycleHighNs,
    long cycleLowNs,
    double tableHigh,
    double tableLow,
    double queueHigh,
    double queueLow,
    double decrease,
    double increase,
    double dropBelow,
    long retryAfterSeconds)
{
    /** The defaults of {@link OverloadConfiguration}. */
    public static final OverloadSettings DEFAULTS = new OverloadSettings(
        true, 50, 10_000, 4, 1.0, 0.25, 0.5, 100_000_000, 20_000_000, 0.9, 0.8, 0.5, 0.1, 0.25, 0.05, 0, 5);

    /**
     * @param config validated values.
     * @return the settings.
     * @throws ConfigurationException when a low threshold is above its high one.
     */
    public static OverloadSettings from(final ConfigValues config)
    {
        requireOrdered(config, OverloadConfiguration.READ_HIGH_PERCENT, OverloadConfiguration.READ_LOW_PERCENT);
        requireOrdered(config, OverloadConfiguration.CYCLE_HIGH_US, OverloadConfiguration.CYCLE_LOW_US);
        requireOrdered(config, OverloadConfiguration.TABLE_HIGH_PERCENT, OverloadConfiguration.TABLE_LOW_PERCENT);
        requireOrdered(config, OverloadConfiguration.QUEUE_HIGH_PERCENT, OverloadConfiguration.QUEUE_LOW_PERCENT);
        return new OverloadSettings(
            Boolean.parseBoolean(config.string(OverloadConfiguration.ENABLED)),
            config.longValue(OverloadConfiguration.INTERVAL_MS),
            config.longValue(OverloadConfiguration.GRACE_MS),
            config.intValue(OverloadConfiguration.SUSTAIN_INTERVALS),
            share(config, OverloadConfiguration.READ_HIGH_PERCENT),
            share(config, OverloadConfiguration.READ_LOW_PERCENT),
            share(config, OverloadConfiguration.READ_CONFIRM_PERCENT),
            config.longValue(OverloadConfiguration.CYCLE_HIGH_US) * 1000,
            config.longValue(OverloadConfiguration.CYCLE_LOW_US) * 1000,
            share(config, OverloadConfiguration.TABLE_HIGH_PERCENT),
            share(config, OverloadConfiguration.TABLE_LOW_PERCENT),
            share(config, OverloadConfiguration.QUEUE_HIGH_PERCENT),
            share(config, OverloadConfiguration.QUEUE_LOW_PERCENT),
            share(config, OverloadConfiguration.DECREASE_PERCENT),
            share(config, OverloadConfiguration.INCREASE_PERCENT),
            share(config, OverloadConfiguration.DROP_BELOW_PERCENT),
            config.longValue(OverloadConfiguration.RETRY_AFTER_SECONDS));
    }

    private static double share(final ConfigValues config, final ConfigKey percentKey)
    {
        return config.longValue(percentKey) / 100.0;
    }

    private static void requireOrdered(final ConfigValues config, final ConfigKey high, final ConfigKey low)
    {
        if (config.longValue(low) > config.longValue(high))
        {
            throw new ConfigurationException(low.name() + "=" + config.longValue(low) + " is invalid: expected at " +
                "most " + high.name() + " (" + config.longValue(high) + ")");
        }
    }
}
