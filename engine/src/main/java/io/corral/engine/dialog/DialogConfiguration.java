package io.corral.engine.dialog;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ValueTypes;
import io.corral.state.dialog.DialogStoreConfiguration;
import io.corral.state.dialog.DialogStoreContext;

import java.nio.file.Path;
import java.util.List;

/**
 * Keys of the dialog store ({@code <corral.data.dir>/state/dialogs.dat}); names and defaults are the state module's
 * {@link DialogStoreConfiguration}, which reads no properties itself.
 */
public final class DialogConfiguration
{
    /** Most dialogs the map holds. */
    public static final ConfigKey MAX_ENTRIES = ConfigKey.of(
        DialogStoreConfiguration.MAX_ENTRIES_PROP_NAME, Long.toString(DialogStoreConfiguration.MAX_ENTRIES_DEFAULT),
        ValueTypes.integer(1, 100_000_000),
        "Most dialogs the dialog map holds; fixed when the file is created (a change applies to a new file only).");

    /** Maximum call duration. */
    public static final ConfigKey MAX_CALL_DURATION_MS = ConfigKey.of(
        DialogStoreConfiguration.MAX_CALL_DURATION_MS_PROP_NAME,
        Long.toString(DialogStoreConfiguration.MAX_CALL_DURATION_MS_DEFAULT), ValueTypes.integer(1, Long.MAX_VALUE),
        "Maximum call duration in ms: a dialog older than this is terminated by the expiry sweep.");

    /** In-dialog silence timeout. */
    public static final ConfigKey SILENCE_TIMEOUT_MS = ConfigKey.of(
        DialogStoreConfiguration.SILENCE_TIMEOUT_MS_PROP_NAME,
        Long.toString(DialogStoreConfiguration.SILENCE_TIMEOUT_MS_DEFAULT), ValueTypes.integer(1, Long.MAX_VALUE),
        "In-dialog silence timeout in ms: a confirmed dialog with no in-dialog request for this long is terminated.");

    /** Early dialog timeout. */
    public static final ConfigKey EARLY_TIMEOUT_MS = ConfigKey.of(
        DialogStoreConfiguration.EARLY_TIMEOUT_MS_PROP_NAME,
        Long.toString(DialogStoreConfiguration.EARLY_TIMEOUT_MS_DEFAULT), ValueTypes.integer(1, Long.MAX_VALUE),
        "Early dialog timeout in ms: an early dialog not confirmed by a 2xx in this time is terminated.");

    /** Linger of terminated dialogs. */
    public static final ConfigKey TERMINATED_LINGER_MS = ConfigKey.of(
        DialogStoreConfiguration.TERMINATED_LINGER_MS_PROP_NAME,
        Long.toString(DialogStoreConfiguration.TERMINATED_LINGER_MS_DEFAULT), ValueTypes.integer(0, Long.MAX_VALUE),
        "How long a terminated dialog stays in the map in ms (late in-dialog requests still find it); 0: removed " +
        "at once.");

    /** Period of the expiry sweep. */
    public static final ConfigKey SWEEP_INTERVAL_MS = ConfigKey.of(
        "corral.state.dialog.sweep.interval.ms", "1000", ValueTypes.integer(10, 3_600_000),
        "How often the dialog map is swept for expired dialogs, in ms.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        MAX_ENTRIES, MAX_CALL_DURATION_MS, SILENCE_TIMEOUT_MS, EARLY_TIMEOUT_MS, TERMINATED_LINGER_MS,
        SWEEP_INTERVAL_MS);

    private DialogConfiguration()
    {
    }

    /**
     * @param config   the member's configuration.
     * @param dataDir  the member's data dir.
     * @param memberId the member's id.
     * @return a dialog store context with these values, not yet concluded.
     */
    public static DialogStoreContext storeContext(final ConfigValues config, final Path dataDir, final int memberId)
    {
        return new DialogStoreContext()
            .dataDir(dataDir)
            .memberId(memberId)
            .maxEntries(config.longValue(MAX_ENTRIES))
            .maxCallDurationMs(config.longValue(MAX_CALL_DURATION_MS))
            .silenceTimeoutMs(config.longValue(SILENCE_TIMEOUT_MS))
            .earlyTimeoutMs(config.longValue(EARLY_TIMEOUT_MS))
            .terminatedLingerMs(config.longValue(TERMINATED_LINGER_MS));
    }
}
