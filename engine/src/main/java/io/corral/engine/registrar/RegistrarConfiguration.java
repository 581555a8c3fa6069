package io.corral.engine.registrar;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ValueType;
import io.corral.engine.config.ValueTypes;
import io.corral.engine.proxy.ProxyConfiguration;
import io.corral.state.registration.RegistrationStoreConfiguration;
import io.corral.state.registration.RegistrationStoreContext;

import java.nio.file.Path;
import java.util.List;

/**
 * Keys of the registrar and of its store ({@code <corral.data.dir>/state/registrations.dat}); the store's names and
 * defaults are the state module's {@link RegistrationStoreConfiguration}, which reads no properties itself.
 */
public final class RegistrarConfiguration
{
    /** Domains the registrar is responsible for. */
    public static final ConfigKey DOMAINS = ConfigKey.of(
        "corral.registrar.domains", "", domainList(),
        "Comma-separated domains whose users may register here (To host); empty: this member's own addresses and " +
        "corral.proxy.aliases. Any other domain is answered 404.");

    /** Shortest registration accepted. */
    public static final ConfigKey MIN_EXPIRES = ConfigKey.of(
        "corral.registrar.min.expires", "60", ValueTypes.integer(1, 86_400),
        "Shortest registration accepted in seconds: a shorter non-zero expiry is answered 423 with Min-Expires.");

    /** Longest registration granted. */
    public static final ConfigKey MAX_EXPIRES = ConfigKey.of(
        "corral.registrar.max.expires", "3600", ValueTypes.integer(1, 31_536_000),
        "Longest registration granted in seconds: a longer requested expiry is shortened to this.");

    /** Expiry when the REGISTER gives none. */
    public static final ConfigKey DEFAULT_EXPIRES = ConfigKey.of(
        "corral.registrar.default.expires", "3600", ValueTypes.integer(1, 31_536_000),
        "Expiry in seconds of a contact whose REGISTER has neither an expires parameter nor an Expires header.");

    /** Contacts per AOR. */
    public static final ConfigKey MAX_CONTACTS = ConfigKey.of(
        RegistrationStoreConfiguration.MAX_CONTACTS_PROP_NAME,
        Integer.toString(RegistrationStoreConfiguration.MAX_CONTACTS_DEFAULT),
        ValueTypes.integer(1, RegistrationStoreConfiguration.MAX_CONTACTS_LIMIT),
        "Most contacts one address-of-record may register (more are answered 403); fixed when the registration " +
        "file is created.");

    /** Most AORs. */
    public static final ConfigKey MAX_ENTRIES = ConfigKey.of(
        RegistrationStoreConfiguration.MAX_ENTRIES_PROP_NAME,
        Long.toString(RegistrationStoreConfiguration.MAX_ENTRIES_DEFAULT), ValueTypes.integer(1, 100_000_000),
        "Most addresses-of-record the registration map holds; fixed when the file is created.");

    /** Period of the expiry sweep. */
    public static final ConfigKey SWEEP_INTERVAL_MS = ConfigKey.of(
        "corral.registrar.sweep.interval.ms", "1000", ValueTypes.integer(10, 3_600_000),
        "How often the registration map is swept for expired contacts, in ms.");

    /** Period of the NAT keep-alive of each NATed contact. */
    public static final ConfigKey KEEPALIVE_INTERVAL_MS = ConfigKey.of(
        "corral.nat.keepalive.interval.ms", "30000", ValueTypes.integer(0, 3_600_000),
        "How often each NATed contact (Contact host not the address its REGISTER came from) is pinged, in ms: " +
        "an OPTIONS over UDP to the registered source, CRLF CRLF on its TCP connection; pings are spread evenly " +
        "over the interval. 0 turns keep-alives off.");

    /** Time a keep-alive OPTIONS has to be answered. */
    public static final ConfigKey KEEPALIVE_TIMEOUT_MS = ConfigKey.of(
        "corral.nat.keepalive.timeout.ms", "5000", ValueTypes.integer(10, 3_600_000),
        "A keep-alive OPTIONS not answered (any response) within this many ms is a miss; capped at " +
        "corral.nat.keepalive.interval.ms.");

    /** Misses in a row that remove a contact. */
    public static final ConfigKey KEEPALIVE_MAX_FAILURES = ConfigKey.of(
        "corral.nat.keepalive.max.failures", "3", ValueTypes.integer(1, 100),
        "Keep-alive misses in a row (unanswered OPTIONS, or a TCP connection gone) after which a NATed contact is " +
        "removed; any answer or a new REGISTER clears the count.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        DOMAINS, MIN_EXPIRES, MAX_EXPIRES, DEFAULT_EXPIRES, MAX_CONTACTS, MAX_ENTRIES, SWEEP_INTERVAL_MS,
        KEEPALIVE_INTERVAL_MS, KEEPALIVE_TIMEOUT_MS, KEEPALIVE_MAX_FAILURES);

    private RegistrarConfiguration()
    {
    }

    /**
     * @param config   the member's configuration.
     * @param dataDir  the member's data dir.
     * @param memberId the member's id.
     * @return a registration store context with these values, not yet concluded.
     */
    public static RegistrationStoreContext storeContext(
        final ConfigValues config, final Path dataDir, final int memberId)
    {
        return new RegistrationStoreContext()
            .dataDir(dataDir)
            .memberId(memberId)
            .maxEntries(config.longValue(MAX_ENTRIES))
            .maxContacts(config.intValue(MAX_CONTACTS));
    }

    private static ValueType domainList()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                for (final String item : ProxyConfiguration.split(value))
                {
                    for (int i = 0; i < item.length(); i++)
                    {
                        final char c = item.charAt(i);
                        if (c <= ' ' || c >= 0x7F || c == ';' || c == '"' || c == '@' || c == '<' || c == '>')
                        {
                            return false;
                        }
                    }
                }
                return true;
            }

            public String expected()
            {
                return "comma-separated host names or addresses (empty: this member's own)";
            }
        };
    }
}
