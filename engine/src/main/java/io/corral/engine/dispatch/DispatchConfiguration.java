package io.corral.engine.dispatch;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ValueType;
import io.corral.engine.config.ValueTypes;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Keys of the backend dispatcher: the backends file ({@code docs/backends.md}) and OPTIONS probing.
 */
public final class DispatchConfiguration
{
    /** The backends file. */
    public static final ConfigKey BACKENDS_FILE = ConfigKey.of(
        "corral.dispatch.backends.file", "", anyText(),
        "Backend sets and routing rules (docs/backends.md), re-read on reload; empty: no backends, default routing.");

    /** Probe interval. */
    public static final ConfigKey PROBE_INTERVAL_MS = ConfigKey.of(
        "corral.dispatch.probe.interval.ms", "10000", ValueTypes.integer(100, 3_600_000),
        "Time between two OPTIONS probes of one backend (probe=true), in ms (Kamailio ds_ping_interval).");

    /** Probe timeout. */
    public static final ConfigKey PROBE_TIMEOUT_MS = ConfigKey.of(
        "corral.dispatch.probe.timeout.ms", "5000", ValueTypes.integer(50, 600_000),
        "How long a probe waits for a final response before it counts as failed, in ms; the next probe of that " +
        "backend waits for the outcome, so a long timeout never stacks probes.");

    /** Failures that mark a backend down. */
    public static final ConfigKey PROBE_FAILURE_THRESHOLD = ConfigKey.of(
        "corral.dispatch.probe.failure.threshold", "3", ValueTypes.integer(1, 100),
        "Consecutive failed probes that mark a backend down (Kamailio ds_probing_threshold).");

    /** Successes that mark a backend up. */
    public static final ConfigKey PROBE_SUCCESS_THRESHOLD = ConfigKey.of(
        "corral.dispatch.probe.success.threshold", "1", ValueTypes.integer(1, 100),
        "Consecutive answered probes that bring a down backend back up (Kamailio ds_inactive_threshold).");

    /** Reply codes that mean alive. */
    public static final ConfigKey PROBE_REPLY_CODES = ConfigKey.of(
        "corral.dispatch.probe.reply.codes", "", replyCodes(),
        "Final statuses to OPTIONS that mean alive besides 200, e.g. 2xx,403,404,488 (Kamailio " +
        "ds_ping_reply_codes); a probe timeout always fails.");

    /** From URI of probes. */
    public static final ConfigKey PROBE_FROM = ConfigKey.of(
        "corral.dispatch.probe.from", "sip:corral@localhost", ValueTypes.nonEmpty(),
        "From URI of OPTIONS probes (Kamailio ds_ping_from).");

    /** Retry-After of the 503 when a set has no backend available. */
    public static final ConfigKey RETRY_AFTER_SECONDS = ConfigKey.of(
        "corral.dispatch.retry.after.seconds", "30", ValueTypes.integer(0, 86_400),
        "Retry-After seconds of the 503 answered when no backend of the chosen set is up and below its maximum " +
        "(0: no Retry-After).");

    /** How a call for a local user reaches its contacts. */
    public static final ConfigKey FORK_MODE = ConfigKey.of(
        "corral.dispatch.fork.mode", "parallel", ValueTypes.oneOf("parallel", "serial"),
        "How a request for a registered user reaches its contacts (at most 8): parallel, all at once; serial, by " +
        "descending q, contacts of equal q together, the next group after a failure (RFC 3261 §16.6).");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        BACKENDS_FILE, PROBE_INTERVAL_MS, PROBE_TIMEOUT_MS, PROBE_FAILURE_THRESHOLD, PROBE_SUCCESS_THRESHOLD,
        PROBE_REPLY_CODES, PROBE_FROM, RETRY_AFTER_SECONDS, FORK_MODE);

    private DispatchConfiguration()
    {
    }

    /**
     * @param config the member's configuration, validated.
     * @return the backends file, or null when none is configured.
     */
    public static Path backendsFile(final ConfigValues config)
    {
        final String value = config.string(BACKENDS_FILE);
        return value.isEmpty() ? null : Paths.get(value);
    }

    /**
     * @param config the member's configuration, validated.
     * @return true for serial forking by q.
     */
    public static boolean isSerialForking(final ConfigValues config)
    {
        return "serial".equals(config.string(FORK_MODE));
    }

    /**
     * @param config   the member's configuration, validated.
     * @param memberId this member's id.
     * @param sentBy   this member's Via sent-by, {@code host:port}.
     * @return the probe settings.
     */
    public static ProbeSettings probeSettings(final ConfigValues config, final int memberId, final String sentBy)
    {
        return new ProbeSettings()
            .intervalMs(config.longValue(PROBE_INTERVAL_MS))
            .timeoutMs(config.longValue(PROBE_TIMEOUT_MS))
            .failureThreshold(config.intValue(PROBE_FAILURE_THRESHOLD))
            .successThreshold(config.intValue(PROBE_SUCCESS_THRESHOLD))
            .aliveCodes(config.string(PROBE_REPLY_CODES))
            .fromUri(config.string(PROBE_FROM))
            .memberId(memberId)
            .sentBy(sentBy);
    }

    private static ValueType anyText()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                return value.indexOf('\n') < 0;
            }

            public String expected()
            {
                return "a file path (empty: none)";
            }
        };
    }

    private static ValueType replyCodes()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                try
                {
                    ProbeSettings.parseAliveCodes(value);
                    return true;
                }
                catch (final IllegalArgumentException ex)
                {
                    return false;
                }
            }

            public String expected()
            {
                return "comma-separated statuses NNN or classes Nxx, 200..699 (empty: 200 only)";
            }
        };
    }
}
