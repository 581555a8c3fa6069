package io.corral.state.registration;

/**
 * Property names and defaults of the registration store. The engine's {@code Context} reads the properties and hands
 * the values to a {@link RegistrationStoreContext}; this module reads no properties itself.
 */
public final class RegistrationStoreConfiguration
{
    /** Sub-directory of the data directory holding the state maps. */
    public static final String STATE_DIR_NAME = "state";
    /** File name of the registration map. */
    public static final String REGISTRATIONS_FILE_NAME = "registrations.dat";
    /** File name of the owner marker: held locked while a writer has the map open; says whether it closed cleanly. */
    public static final String REGISTRATIONS_OWNER_FILE_NAME = "registrations.owner";
    /** File name of the layout marker: the contacts per record the map file was created with. */
    public static final String REGISTRATIONS_LAYOUT_FILE_NAME = "registrations.layout";

    /** Most addresses-of-record the map holds (fixed at creation of the file). */
    public static final String MAX_ENTRIES_PROP_NAME = "corral.state.registration.max.entries";
    /**
     * Default most addresses-of-record: 100,000 (about 1.1 GB of map with 10 contacts each, sparse: touched pages
     * only).
     */
    public static final long MAX_ENTRIES_DEFAULT = 100_000;

    /** Most contacts one address-of-record may bind (fixed at creation of the file: the record layout). */
    public static final String MAX_CONTACTS_PROP_NAME = "corral.state.registration.max.contacts";
    /** Default most contacts per address-of-record. */
    public static final int MAX_CONTACTS_DEFAULT = 10;
    /** Upper bound of the contacts per address-of-record (the count is a byte in the record). */
    public static final int MAX_CONTACTS_LIMIT = 64;

    private RegistrationStoreConfiguration()
    {
    }
}
