package io.corral.engine.status;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueTypes;

import java.util.List;

/**
 * Keys that size the member's status file.
 */
public final class StatusConfiguration
{
    /** Bytes of counter values in the status file. */
    public static final ConfigKey COUNTERS_LENGTH = ConfigKey.of(
        "corral.status.counters.length", "65536", ValueTypes.powerOfTwo(4096, 1 << 24),
        "Bytes of counter values in the status file (128 per counter; their labels take four times as much).");

    /** Bytes of the distinct error log in the status file. */
    public static final ConfigKey ERROR_LOG_LENGTH = ConfigKey.of(
        "corral.status.error.log.length", "1048576", ValueTypes.powerOfTwo(65536, 1 << 28),
        "Bytes of the distinct error log in the status file.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(COUNTERS_LENGTH, ERROR_LOG_LENGTH);

    private StatusConfiguration()
    {
    }
}
