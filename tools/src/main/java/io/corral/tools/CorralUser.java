package io.corral.tools;

import io.corral.engine.Context;
import io.corral.engine.auth.AuthConfiguration;
import io.corral.engine.auth.AuthSettings;
import io.corral.engine.auth.DigestAlgorithm;
import io.corral.engine.auth.UsersFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * Edits the member's users file (see {@link UsersFile}): {@code add USER} writes HA1 = H(user:realm:password) for
 * every algorithm of {@code corral.auth.algorithms}, never the password; {@code remove USER} drops every line of the
 * user in the realm; {@code list} prints users, realms and algorithms, hashes only with {@code --show-hashes}. The
 * realm and file come from the same configuration as the member ({@code --config FILE}, {@code -Dcorral.*}) unless
 * given. A running member reads the file again on reload.
 * <p>
 * Exit status: 0 done, 1 no such user (remove), 2 usage or configuration error.
 */
@Command(name = "corral-user", mixinStandardHelpOptions = true,
    description = "Add, remove or list digest users in the users file (corral.auth.users.file).",
    subcommands = {CommandLine.HelpCommand.class})
public final class CorralUser implements Callable<Integer>
{
    /** Exit status when the user to remove is not in the file. */
    public static final int EXIT_NO_USER = 1;
    /** Exit status of a usage error. */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "Properties file, as given to bin/corral.")
    private Path configFile;

    @Option(names = "--users", paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "Users file (default: corral.auth.users.file, else <corral.data.dir>/users).")
    private Path usersFile;

    @Option(names = "--realm", paramLabel = "REALM", scope = ScopeType.INHERIT,
        description = "Realm (default: corral.auth.realm, else the advertised address).")
    private String realm;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    CorralUser(final PrintStream out, final PrintStream err, final InputStream in)
    {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /**
     * @param args {@code add|remove|list ...}, see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine(new CorralUser(System.out, System.err, System.in)).execute(args));
    }

    static CommandLine commandLine(final CorralUser user)
    {
        return new CommandLine(user).setOut(new PrintWriter(user.out, true))
            .setErr(new PrintWriter(user.err, true));
    }

    /**
     * Without a subcommand: print usage and fail.
     *
     * @return {@link #EXIT_USAGE}.
     */
    public Integer call()
    {
        err.println("corral-user: expected a command: add USER, remove USER or list (see --help)");
        return EXIT_USAGE;
    }

    /**
     * @param user     user name.
     * @param password the password, or null to read it from the terminal or the first line of stdin.
     * @return the exit status.
     */
    @Command(name = "add", description = "Add a user or change its password: one HA1 line per configured algorithm.")
    int add(
        @Parameters(paramLabel = "USER", description = "User name (no spaces, colons, quotes).") final String user,
        @Option(names = "--password", paramLabel = "PASSWORD",
            description = "Password (visible to other local users in ps; default: prompt, or one line of stdin).")
        final String password)
    {
        return ToolContext.run(err, () ->
        {
            if (!UsersFile.isValidUser(user))
            {
                err.println("corral-user: invalid user name '" + user + "': no spaces, colons, quotes or backslashes");
                return EXIT_USAGE;
            }
            final Target target = target();
            if (target == null)
            {
                return EXIT_USAGE;
            }
            final char[] secret = password != null ? password.toCharArray() : readPassword(user);
            if (secret == null || secret.length == 0)
            {
                err.println("corral-user: no password given");
                return EXIT_USAGE;
            }
            final UsersFile users = new UsersFile(target.usersFile).load();
            // A password change also drops the hashes of algorithms no longer configured: none keeps the old one.
            final boolean existed = users.remove(user, target.realm) > 0;
            final StringJoiner names = new StringJoiner(", ");
            for (final int algorithm : target.algorithms)
            {
                users.put(UsersFile.entry(user, target.realm, algorithm, secret));
                names.add(DigestAlgorithm.name(algorithm));
            }
            Arrays.fill(secret, '\0');
            users.save();
            out.println("corral-user: " + (existed ? "updated " : "added ") + user + " in realm " + target.realm +
                " (" + names + ") in " + target.usersFile);
            return 0;
        });
    }

    /**
     * @param user user name.
     * @return the exit status.
     */
    @Command(name = "remove", description = "Remove every line of a user in the realm.")
    int remove(@Parameters(paramLabel = "USER", description = "User name.") final String user)
    {
        return ToolContext.run(err, () ->
        {
            final Target target = target();
            if (target == null)
            {
                return EXIT_USAGE;
            }
            final UsersFile users = new UsersFile(target.usersFile).load();
            if (users.remove(user, target.realm) == 0)
            {
                err.println("corral-user: no user " + user + " in realm " + target.realm + " in " + target.usersFile);
                return EXIT_NO_USER;
            }
            users.save();
            out.println("corral-user: removed " + user + " from realm " + target.realm + " in " + target.usersFile);
            return 0;
        });
    }

    /**
     * @param showHashes print each HA1 too.
     * @return the exit status.
     */
    @Command(name = "list", description = "List users as 'USER REALM ALGORITHM,...' (every realm unless --realm).")
    int list(@Option(names = "--show-hashes", description = "Print one line per algorithm with its HA1.")
        final boolean showHashes)
    {
        return ToolContext.run(err, () ->
        {
            final Context context = ToolContext.load(configFile);
            final Path file = usersFile != null ? usersFile : AuthSettings.from(context).usersFile();
            final UsersFile users = new UsersFile(file).load();
            final Map<String, List<String>> algorithmsByUser = new LinkedHashMap<>();
            for (final UsersFile.Entry entry : users.entries())
            {
                if (realm != null && !realm.equals(entry.realm()))
                {
                    continue;
                }
                final String name = DigestAlgorithm.name(entry.algorithm());
                if (showHashes)
                {
                    out.println(entry.user() + " " + entry.realm() + " " + name + " " + entry.ha1Hex());
                }
                else
                {
                    algorithmsByUser.computeIfAbsent(entry.user() + " " + entry.realm(), (key) -> new ArrayList<>())
                        .add(name);
                }
            }
            algorithmsByUser.forEach((userRealm, names) -> out.println(userRealm + " " + String.join(",", names)));
            return 0;
        });
    }

    private Target target()
    {
        final Context context = ToolContext.load(configFile);
        final AuthSettings settings = AuthSettings.from(context);
        final String effectiveRealm = realm != null ? realm : settings.realm();
        if (effectiveRealm.isEmpty() || !AuthConfiguration.REALM.type().isValid(effectiveRealm))
        {
            err.println("corral-user: invalid realm '" + effectiveRealm + "': expected " +
                AuthConfiguration.REALM.type().expected());
            return null;
        }
        return new Target(usersFile != null ? usersFile : settings.usersFile(), effectiveRealm, settings.algorithms());
    }

    private char[] readPassword(final String user)
    {
        final Console console = System.console();
        if (in == System.in && console != null)
        {
            final char[] first = console.readPassword("Password for %s: ", user);
            final char[] second = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, second))
            {
                err.println("corral-user: the passwords differ");
                return null;
            }
            Arrays.fill(second, '\0');
            return first;
        }
        try
        {
            final String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        }
        catch (final IOException ex)
        {
            err.println("corral-user: cannot read the password from stdin: " + ex.getMessage());
            return null;
        }
    }

    private record Target(Path usersFile, String realm, int[] algorithms)
    {
    }
}
