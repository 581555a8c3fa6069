package io.corral.engine.auth;

import io.corral.engine.Context;
import io.corral.engine.SipConfiguration;
import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ConfigurationException;
import io.corral.engine.config.ValueType;
import io.corral.engine.config.ValueTypes;
import io.corral.engine.proxy.ProxyConfiguration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keys of digest authentication (RFC 3261 §22, RFC 7616, RFC 8760), and the start-up rule "secure by default": a
 * member reachable from the network does not serve unauthenticated requests unless the operator says so.
 */
public final class AuthConfiguration
{
    /** {@link #FAILURE_ACTION}: a rate-limited source gets no answer at all. */
    public static final String ACTION_DROP = "drop";
    /** {@link #FAILURE_ACTION}: a rate-limited source gets 403 Forbidden, its credentials unchecked. */
    public static final String ACTION_FORBIDDEN = "403";

    /** Longest realm: the challenges of every offered algorithm must fit one response's optional headers. */
    public static final int MAX_REALM_LENGTH = 255;

    /** Whether requests must carry valid digest credentials. */
    public static final ConfigKey REQUIRED = ConfigKey.of(
        "corral.auth.required", "false", ValueTypes.oneOf("true", "false"),
        "Challenge REGISTER (401) and calls from local users (407) for digest credentials; off is only allowed " +
        "on a loopback corral.sip.address unless corral.auth.allow.insecure=true.");

    /** Explicit consent to run without authentication on a non-loopback address. */
    public static final ConfigKey ALLOW_INSECURE = ConfigKey.of(
        "corral.auth.allow.insecure", "false", ValueTypes.oneOf("true", "false"),
        "Allow corral.auth.required=false on a non-loopback corral.sip.address (a warning at every start); " +
        "otherwise such a member refuses to start.");

    /** Realm of the challenges; empty means the advertised address. */
    public static final ConfigKey REALM = ConfigKey.of(
        "corral.auth.realm", "", realm(),
        "Digest realm of challenges and of users-file lines; empty = corral.sip.advertised.address, else " +
        "corral.sip.address (set it explicitly: HA1 hashes depend on it, farm members must share it).");

    /** Users file; empty means {@code <data dir>/users}. */
    public static final ConfigKey USERS_FILE = ConfigKey.of(
        "corral.auth.users.file", "", anyValue(),
        "File of user:realm:algorithm:HA1 lines written by bin/corral-user (mode 0600, never passwords); " +
        "empty = <corral.data.dir>/users.");

    /** Member secret file; empty means {@code <data dir>/member.secret}. */
    public static final ConfigKey SECRET_FILE = ConfigKey.of(
        "corral.auth.secret.file", "", anyValue(),
        "Secret that signs nonces, generated (mode 0600) at first start when absent; copy the same file to every " +
        "farm member so any member verifies any member's nonces; empty = <corral.data.dir>/member.secret.");

    /** Lifetime of a nonce. */
    public static final ConfigKey NONCE_LIFETIME_MS = ConfigKey.of(
        "corral.auth.nonce.lifetime.ms", "300000", ValueTypes.integer(1000, 86_400_000),
        "A nonce older than this is answered with a new challenge carrying stale=true (the UA retries silently).");

    /** Nonces remembered for nonce-count replay protection, per SIP agent. */
    public static final ConfigKey NONCE_TABLE_SIZE = ConfigKey.of(
        "corral.auth.nonce.table.size", "65536", ValueTypes.powerOfTwo(1024, 1 << 24),
        "Nonces each SIP agent remembers (highest nc seen); a nonce pushed out by newer ones is answered " +
        "stale=true, so size it above challenges per agent per nonce lifetime.");

    /** Digest algorithms offered, one challenge header each, in order. */
    public static final ConfigKey ALGORITHMS = ConfigKey.of(
        "corral.auth.algorithms", "SHA-256,MD5", algorithms(),
        "Digest algorithms offered, one challenge header each in this order (RFC 8760: SHA-256 first); " +
        "bin/corral-user writes an HA1 per algorithm.");

    /** Quality of protection required. */
    public static final ConfigKey QOP = ConfigKey.of(
        "corral.auth.qop", "auth", ValueTypes.oneOf("auth"),
        "Quality of protection offered and required (auth: nc/cnonce replay protection; auth-int and the " +
        "RFC 2069 form without qop are refused).");

    /** Failed attempts allowed per source address and window. */
    public static final ConfigKey FAILURE_LIMIT = ConfigKey.of(
        "corral.auth.failure.limit", "10", ValueTypes.integer(1, 1_000_000),
        "Failed digest attempts (bad response, unknown user, bad nonce, replay) allowed per source IP address " +
        "and window and SIP agent; further requests get corral.auth.failure.action until the window ends.");

    /** Window of {@link #FAILURE_LIMIT}. */
    public static final ConfigKey FAILURE_WINDOW_MS = ConfigKey.of(
        "corral.auth.failure.window.ms", "60000", ValueTypes.integer(1000, 86_400_000),
        "Window of corral.auth.failure.limit, from a source's first failure; requests refused by the limit do " +
        "not extend it.");

    /** What a rate-limited source gets. */
    public static final ConfigKey FAILURE_ACTION = ConfigKey.of(
        "corral.auth.failure.action", ACTION_DROP, ValueTypes.oneOf(ACTION_DROP, ACTION_FORBIDDEN),
        "Answer to a rate-limited source: drop (no response, scanners time out, no reflection) or 403 " +
        "(credentials not checked).");

    /** How often the users file is checked for changes. */
    public static final ConfigKey USERS_CHECK_INTERVAL_MS = ConfigKey.of(
        "corral.auth.users.check.interval.ms", "2000", ValueTypes.integer(0, 3_600_000),
        "How often the running member checks the users file for a change (time, size or a new file, as " +
        "bin/corral-user add/remove make) and reads it again, in ms; a bad file keeps the previous users and is " +
        "reported in the error log with its line. 0: read only at start.");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        REQUIRED, ALLOW_INSECURE, REALM, USERS_FILE, USERS_CHECK_INTERVAL_MS, SECRET_FILE, NONCE_LIFETIME_MS,
        NONCE_TABLE_SIZE, ALGORITHMS, QOP, FAILURE_LIMIT, FAILURE_WINDOW_MS, FAILURE_ACTION);

    private AuthConfiguration()
    {
    }

    /**
     * The "secure by default" start-up rule: a member whose SIP address is not loopback (a wildcard address counts
     * as not loopback) must authenticate, unless {@link #ALLOW_INSECURE} is true.
     *
     * @param context a concluded context.
     * @return a warning line to print at every start when the member runs insecure by consent, else null.
     * @throws ConfigurationException naming the keys when the member must not start.
     */
    public static String checkSecureDefaults(final Context context)
    {
        final ConfigValues config = context.config();
        if (Boolean.parseBoolean(config.string(REQUIRED)))
        {
            return null;
        }
        final String address = context.sipAddress();
        if (isLoopback(address))
        {
            return null;
        }
        if (!Boolean.parseBoolean(config.string(ALLOW_INSECURE)))
        {
            throw new ConfigurationException("refusing to start without authentication on a non-loopback address: " +
                SipConfiguration.SIP_ADDRESS.name() + "=" + address + " with " + REQUIRED.name() + "=false; set " +
                REQUIRED.name() + "=true, or " + ALLOW_INSECURE.name() + "=true to serve unauthenticated requests");
        }
        return "WARNING: authentication is off (" + REQUIRED.name() + "=false) on non-loopback " +
            SipConfiguration.SIP_ADDRESS.name() + "=" + address + " because " + ALLOW_INSECURE.name() +
            "=true: anyone who reaches this address can register and call";
    }

    /**
     * @param address an IP literal.
     * @return true if it is a loopback address (127.0.0.0/8, ::1); false for wildcards and everything else.
     */
    static boolean isLoopback(final String address)
    {
        try
        {
            // A validated literal: no name lookup happens.
            return InetAddress.getByName(address).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    private static ValueType realm()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                if (value.length() > MAX_REALM_LENGTH)
                {
                    return false;
                }
                for (int i = 0; i < value.length(); i++)
                {
                    final char c = value.charAt(i);
                    if (c < 0x21 || c > 0x7E || c == '"' || c == '\\')
                    {
                        return false;
                    }
                }
                return true;
            }

            public String expected()
            {
                return "at most " + MAX_REALM_LENGTH + " printable ASCII characters without spaces, quotes or " +
                    "backslashes, or empty for the advertised address";
            }
        };
    }

    private static ValueType anyValue()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                return true;
            }

            public String expected()
            {
                return "a path, or empty for the default";
            }
        };
    }

    private static ValueType algorithms()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                final List<String> items = ProxyConfiguration.split(value);
                final Set<Integer> seen = new HashSet<>();
                for (final String item : items)
                {
                    final int code = DigestAlgorithm.parse(item);
                    if (code == DigestAlgorithm.NONE || !seen.add(code))
                    {
                        return false;
                    }
                }
                return !items.isEmpty() && value.equals(value.trim());
            }

            public String expected()
            {
                return "a comma-separated list of SHA-256 and MD5, each at most once";
            }
        };
    }
}
