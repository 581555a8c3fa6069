package io.corral.state.dialog;

/**
 * Property names and defaults of the dialog store. The engine's {@code Context} reads the properties and hands the
 * values to a {@link DialogStoreContext}; this module reads no properties itself.
 */
public final class DialogStoreConfiguration
{
    /** Root data directory; the store lives in {@code <data dir>/state/dialogs.dat}. */
    public static final String DATA_DIR_PROP_NAME = "corral.data.dir";
    /** Default root data directory. */
    public static final String DATA_DIR_DEFAULT = "./data";

    /** Sub-directory of the data directory holding the state maps. */
    public static final String STATE_DIR_NAME = "state";
    /** File name of the dialog map. */
    public static final String DIALOGS_FILE_NAME = "dialogs.dat";
    /** File name of the owner marker: held locked while a writer has the map open; says whether it closed cleanly. */
    public static final String DIALOGS_OWNER_FILE_NAME = "dialogs.owner";

    /** Most dialogs the map holds (fixed at creation of the file: a later change applies to a new file only). */
    public static final String MAX_ENTRIES_PROP_NAME = "corral.state.dialog.max.entries";
    /** Default most dialogs: 100,000 (about 200 MB of map, touched pages only). */
    public static final long MAX_ENTRIES_DEFAULT = 100_000;

    /** Maximum call duration: a dialog older than this is terminated by the sweep. */
    public static final String MAX_CALL_DURATION_MS_PROP_NAME = "corral.state.dialog.max.call.duration.ms";
    /** Default maximum call duration: 12 hours (Kamailio's dialog default). */
    public static final long MAX_CALL_DURATION_MS_DEFAULT = 12L * 60 * 60 * 1000;

    /** In-dialog silence timeout: a confirmed dialog with no in-dialog activity for this long is terminated. */
    public static final String SILENCE_TIMEOUT_MS_PROP_NAME = "corral.state.dialog.silence.timeout.ms";
    /**
     * Default silence timeout: 2 hours, four times RFC 4028's recommended 1800 s session interval, so calls with
     * session timers are refreshed well within it; the engine also refreshes dialogs on media activity.
     */
    public static final long SILENCE_TIMEOUT_MS_DEFAULT = 2L * 60 * 60 * 1000;

    /** Early dialog timeout: an early dialog not confirmed in this time is terminated. */
    public static final String EARLY_TIMEOUT_MS_PROP_NAME = "corral.state.dialog.early.timeout.ms";
    /** Default early timeout: 180 s, RFC 3261 Timer C (which proxies must set above 3 minutes) plus slack. */
    public static final long EARLY_TIMEOUT_MS_DEFAULT = 200_000;

    /** How long a terminated dialog stays in the map (to answer late in-dialog requests); 0 removes it at once. */
    public static final String TERMINATED_LINGER_MS_PROP_NAME = "corral.state.dialog.terminated.linger.ms";
    /** Default linger: 0, a dialog is gone from the map as soon as it terminates. */
    public static final long TERMINATED_LINGER_MS_DEFAULT = 0;

    private DialogStoreConfiguration()
    {
    }
}
