package io.corral.state.registration;

import java.nio.file.Path;
import java.nio.file.Paths;

import io.corral.state.HybridLogicalClock;
import io.corral.state.StateChangeListener;

/**
 * Typed configuration of a {@link RegistrationStore}, filled by the engine: plain values, defaults from
 * {@link RegistrationStoreConfiguration}. {@link #conclude()} validates it.
 */
public final class RegistrationStoreContext
{
    private Path dataDir = Paths.get("./data");
    private int memberId;
    private long maxEntries = RegistrationStoreConfiguration.MAX_ENTRIES_DEFAULT;
    private int maxContacts = RegistrationStoreConfiguration.MAX_CONTACTS_DEFAULT;
    private boolean readOnly;
    private StateChangeListener listener = StateChangeListener.NO_OP;
    private HybridLogicalClock clock;

    /**
     * Validate and fill in what was left unset.
     *
     * @return this for fluent use.
     * @throws IllegalArgumentException naming the property and the bad value.
     */
    public RegistrationStoreContext conclude()
    {
        if (dataDir == null)
        {
            throw new IllegalArgumentException("data dir must be set");
        }
        if (!readOnly && (memberId < 1 || memberId > 63))
        {
            throw new IllegalArgumentException("member id=" + memberId + ": allowed 1..63");
        }
        if (maxEntries <= 0)
        {
            throw new IllegalArgumentException(RegistrationStoreConfiguration.MAX_ENTRIES_PROP_NAME + "=" +
                maxEntries + ": allowed 1 or more");
        }
        if (maxContacts < 1 || maxContacts > RegistrationStoreConfiguration.MAX_CONTACTS_LIMIT)
        {
            throw new IllegalArgumentException(RegistrationStoreConfiguration.MAX_CONTACTS_PROP_NAME + "=" +
                maxContacts + ": allowed 1.." + RegistrationStoreConfiguration.MAX_CONTACTS_LIMIT);
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

    /**
     * @param dataDir root data directory; the map goes to {@code <dataDir>/state/registrations.dat}.
     * @return this for fluent use.
     */
    public RegistrationStoreContext dataDir(final Path dataDir)
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
        return dataDir.resolve(RegistrationStoreConfiguration.STATE_DIR_NAME);
    }

    /**
     * @param memberId this member's id, 1..63: the owner stamped on registrations it stores.
     * @return this for fluent use.
     */
    public RegistrationStoreContext memberId(final int memberId)
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
     * @param maxEntries most addresses-of-record the map holds (used when the file is created).
     * @return this for fluent use.
     */
    public RegistrationStoreContext maxEntries(final long maxEntries)
    {
        this.maxEntries = maxEntries;
        return this;
    }

    /**
     * @return most addresses-of-record the map holds.
     */
    public long maxEntries()
    {
        return maxEntries;
    }

    /**
     * @param maxContacts contact slots per record, K (used when the file is created; an existing file keeps its K).
     * @return this for fluent use.
     */
    public RegistrationStoreContext maxContacts(final int maxContacts)
    {
        this.maxContacts = maxContacts;
        return this;
    }

    /**
     * @return contact slots per record for a new file.
     */
    public int maxContacts()
    {
        return maxContacts;
    }

    /**
     * @param readOnly true for a reader (tools, another process): opens an existing map without taking ownership
     *                 or recovering it; every change is refused.
     * @return this for fluent use.
     */
    public RegistrationStoreContext readOnly(final boolean readOnly)
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
    public RegistrationStoreContext listener(final StateChangeListener listener)
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
     * @param clock issues versions; shared with the other stores of the same writer thread.
     * @return this for fluent use.
     */
    public RegistrationStoreContext clock(final HybridLogicalClock clock)
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
