package io.corral.state.dialog;

import java.nio.file.Path;
import java.nio.file.Paths;

import io.corral.state.HybridLogicalClock;
import io.corral.state.StateChangeListener;

/**
 * Typed configuration of a {@link DialogStore}, filled by the engine: plain values, defaults from
 * {@link DialogStoreConfiguration}. {@link #conclude()} validates it.
 */
public final class DialogStoreContext
{
    private Path dataDir = Paths.get(DialogStoreConfiguration.DATA_DIR_DEFAULT);
    private int memberId;
    private long maxEntries = DialogStoreConfiguration.MAX_ENTRIES_DEFAULT;
    private long maxCallDurationMs = DialogStoreConfiguration.MAX_CALL_DURATION_MS_DEFAULT;
    private long silenceTimeoutMs = DialogStoreConfiguration.SILENCE_TIMEOUT_MS_DEFAULT;
    private long earlyTimeoutMs = DialogStoreConfiguration.EARLY_TIMEOUT_MS_DEFAULT;
    private long terminatedLingerMs = DialogStoreConfiguration.TERMINATED_LINGER_MS_DEFAULT;
    private boolean readOnly;
    private StateChangeListener listener = StateChangeListener.NO_OP;
    private HybridLogicalClock clock;

    /**
     * Validate and fill in what was left unset.
     *
     * @return this for fluent use.
     * @throws IllegalArgumentException naming the property and the bad value.
     */
    public DialogStoreContext conclude()
    {
        if (dataDir == null)
        {
            throw new IllegalArgumentException(DialogStoreConfiguration.DATA_DIR_PROP_NAME + " must be set");
        }
        if (!readOnly && (memberId < 1 || memberId > 63))
        {
            throw new IllegalArgumentException("member id=" + memberId + ": allowed 1..63");
        }
        positive(DialogStoreConfiguration.MAX_ENTRIES_PROP_NAME, maxEntries);
        positive(DialogStoreConfiguration.MAX_CALL_DURATION_MS_PROP_NAME, maxCallDurationMs);
        positive(DialogStoreConfiguration.SILENCE_TIMEOUT_MS_PROP_NAME, silenceTimeoutMs);
        positive(DialogStoreConfiguration.EARLY_TIMEOUT_MS_PROP_NAME, earlyTimeoutMs);
        if (terminatedLingerMs < 0)
        {
            throw new IllegalArgumentException(DialogStoreConfiguration.TERMINATED_LINGER_MS_PROP_NAME + "=" +
                terminatedLingerMs + ": allowed 0 or more");
        }
        if (listener == null)
        {
            listener = StateChangeListener.NO_OP;
        }
        if (clock == null)
        {
            clock = new HybridLogicalClock();
        }
        return this;
    }

    private static void positive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + "=" + value + ": allowed 1 or more");
        }
    }

    /**
     * @param dataDir root data directory; the map goes to {@code <dataDir>/state/dialogs.dat}.
     * @return this for fluent use.
     */
    public DialogStoreContext dataDir(final Path dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    /**
     * @return root data directory.
     */
    public Path dataDir()
    {
        return dataDir;
    }

    /**
     * @return the directory of the state maps, {@code <dataDir>/state}.
     */
    public Path stateDir()
    {
        return dataDir.resolve(DialogStoreConfiguration.STATE_DIR_NAME);
    }

    /**
     * @param memberId this member's id, 1..63: the owner stamped on dialogs it creates.
     * @return this for fluent use.
     */
    public DialogStoreContext memberId(final int memberId)
    {
        this.memberId = memberId;
        return this;
    }

    /**
     * @return this member's id.
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * @param maxEntries most dialogs the map holds (used when the file is created).
     * @return this for fluent use.
     */
    public DialogStoreContext maxEntries(final long maxEntries)
    {
        this.maxEntries = maxEntries;
        return this;
    }

    /**
     * @return most dialogs the map holds.
     */
    public long maxEntries()
    {
        return maxEntries;
    }

    /**
     * @param maxCallDurationMs maximum call duration.
     * @return this for fluent use.
     */
    public DialogStoreContext maxCallDurationMs(final long maxCallDurationMs)
    {
        this.maxCallDurationMs = maxCallDurationMs;
        return this;
    }

    /**
     * @return maximum call duration.
     */
    public long maxCallDurationMs()
    {
        return maxCallDurationMs;
    }

    /**
     * @param silenceTimeoutMs in-dialog silence timeout of a confirmed dialog.
     * @return this for fluent use.
     */
    public DialogStoreContext silenceTimeoutMs(final long silenceTimeoutMs)
    {
        this.silenceTimeoutMs = silenceTimeoutMs;
        return this;
    }

    /**
     * @return in-dialog silence timeout.
     */
    public long silenceTimeoutMs()
    {
        return silenceTimeoutMs;
    }

    /**
     * @param earlyTimeoutMs time an early dialog may wait for its 2xx.
     * @return this for fluent use.
     */
    public DialogStoreContext earlyTimeoutMs(final long earlyTimeoutMs)
    {
        this.earlyTimeoutMs = earlyTimeoutMs;
        return this;
    }

    /**
     * @return time an early dialog may wait for its 2xx.
     */
    public long earlyTimeoutMs()
    {
        return earlyTimeoutMs;
    }

    /**
     * @param terminatedLingerMs time a terminated dialog stays in the map; 0 removes it at once.
     * @return this for fluent use.
     */
    public DialogStoreContext terminatedLingerMs(final long terminatedLingerMs)
    {
        this.terminatedLingerMs = terminatedLingerMs;
        return this;
    }

    /**
     * @return time a terminated dialog stays in the map.
     */
    public long terminatedLingerMs()
    {
        return terminatedLingerMs;
    }

    /**
     * @param readOnly true for a reader (tools, another process): opens an existing map without taking ownership
     *                 or recovering it; every change is refused.
     * @return this for fluent use.
     */
    public DialogStoreContext readOnly(final boolean readOnly)
    {
        this.readOnly = readOnly;
        return this;
    }

    /**
     * @return true for a reader.
     */
    public boolean readOnly()
    {
        return readOnly;
    }

    /**
     * @param listener told of every change (the change log).
     * @return this for fluent use.
     */
    public DialogStoreContext listener(final StateChangeListener listener)
    {
        this.listener = listener;
        return this;
    }

    /**
     * @return told of every change.
     */
    public StateChangeListener listener()
    {
        return listener;
    }

    /**
     * @param clock issues versions; shared with the other stores and replication of the same writer thread.
     * @return this for fluent use.
     */
    public DialogStoreContext clock(final HybridLogicalClock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * @return issues versions.
     */
    public HybridLogicalClock clock()
    {
        return clock;
    }
}
