package io.corral.engine.auth;

import io.corral.engine.Context;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.proxy.ProxyConfiguration;
import io.corral.engine.transport.TransportConfiguration;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The typed values of {@link AuthConfiguration}'s keys, with the defaults that depend on other keys resolved.
 *
 * @param required           {@code corral.auth.required}.
 * @param allowInsecure      {@code corral.auth.allow.insecure}.
 * @param realm              {@code corral.auth.realm}, else the advertised address, else the SIP address.
 * @param usersFile          {@code corral.auth.users.file}, else {@code <data dir>/users}.
 * @param secretFile         {@code corral.auth.secret.file}, else {@code <data dir>/member.secret}.
 * @param nonceLifetimeMs    {@code corral.auth.nonce.lifetime.ms}.
 * @param nonceTableSize     {@code corral.auth.nonce.table.size}.
 * @param algorithms         {@code corral.auth.algorithms} as {@link DigestAlgorithm} codes, in offer order.
 * @param failureLimit       {@code corral.auth.failure.limit}.
 * @param failureWindowMs    {@code corral.auth.failure.window.ms}.
 * @param dropWhenLimited    {@code corral.auth.failure.action} is {@code drop} (else answer 403).
 */
public record AuthSettings(
    boolean required,
    boolean allowInsecure,
    String realm,
    Path usersFile,
    Path secretFile,
    long nonceLifetimeMs,
    int nonceTableSize,
    int[] algorithms,
    int failureLimit,
    long failureWindowMs,
    boolean dropWhenLimited)
{
    /** File name of the users file in the data dir when {@code corral.auth.users.file} is empty. */
    public static final String DEFAULT_USERS_FILE = "users";
    /** File name of the member secret in the data dir when {@code corral.auth.secret.file} is empty. */
    public static final String DEFAULT_SECRET_FILE = "member.secret";

    /**
     * @param context a concluded context.
     * @return the settings.
     */
    public static AuthSettings from(final Context context)
    {
        final ConfigValues config = context.config();
        final String configuredRealm = config.string(AuthConfiguration.REALM);
        final String advertised = config.string(TransportConfiguration.ADVERTISED_ADDRESS);
        final String realm = !configuredRealm.isEmpty() ? configuredRealm :
            !advertised.isEmpty() ? advertised : context.sipAddress();
        final List<String> names = ProxyConfiguration.split(config.string(AuthConfiguration.ALGORITHMS));
        final int[] algorithms = new int[names.size()];
        for (int i = 0; i < algorithms.length; i++)
        {
            algorithms[i] = DigestAlgorithm.parse(names.get(i));
        }
        return new AuthSettings(
            Boolean.parseBoolean(config.string(AuthConfiguration.REQUIRED)),
            Boolean.parseBoolean(config.string(AuthConfiguration.ALLOW_INSECURE)),
            realm,
            pathOr(config.string(AuthConfiguration.USERS_FILE), context.dataDir(), DEFAULT_USERS_FILE),
            pathOr(config.string(AuthConfiguration.SECRET_FILE), context.dataDir(), DEFAULT_SECRET_FILE),
            config.longValue(AuthConfiguration.NONCE_LIFETIME_MS),
            config.intValue(AuthConfiguration.NONCE_TABLE_SIZE),
            algorithms,
            config.intValue(AuthConfiguration.FAILURE_LIMIT),
            config.longValue(AuthConfiguration.FAILURE_WINDOW_MS),
            AuthConfiguration.ACTION_DROP.equals(config.string(AuthConfiguration.FAILURE_ACTION)));
    }

    /**
     * @return a copy of {@link #algorithms()}, in offer order.
     */
    public int[] algorithms()
    {
        return algorithms.clone();
    }

    private static Path pathOr(final String value, final Path dataDir, final String defaultName)
    {
        return value.isEmpty() ? dataDir.resolve(defaultName) : Paths.get(value);
    }
}
