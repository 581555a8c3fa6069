package io.corral.perf.target;

import io.corral.engine.auth.DigestAlgorithm;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A Corral member started from the built distribution ({@code bin/corral}) with a properties profile the lab writes:
 * loopback, UDP only, sized for load (transaction table, registration map); a registrar run with auth also gets a
 * users file of {@code u0..uN} (MD5 HA1 of {@link #PASSWORD}). Extra properties from {@code --corral-profile} are
 * appended and win.
 */
public final class CorralTarget extends ProcessTarget
{
    /** The realm of the users the lab creates. */
    public static final String REALM = "corral-lab";

    /**
     * The member's heap, fixed and touched at start as a production member's would be. With the JVM's default (a
     * 388 MB initial heap on this 24 GB machine) ~200–330 MB of live tables left G1 little room: the heap was resized
     * under load and young pauses reached 133 ms (2026-12-03), long enough to back the socket up.
     */
    private static final String MEMBER_HEAP = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch";

    private Path extraProfile;
    private int socketBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
    private Path dataDir;
    private Path workDir;
    private String description = "corral";

    CorralTarget(final Path root)
    {
        super(root);
    }

    /**
     * @param profile a properties file appended to the lab's settings (null: none).
     * @return this.
     */
    public CorralTarget extraProfile(final Path profile)
    {
        this.extraProfile = profile;
        return this;
    }

    /**
     * @param bytes the UDP receive buffer to ask for, as Kamailio's {@code -b} in the same run.
     * @return this.
     */
    public CorralTarget socketBufferBytes(final int bytes)
    {
        this.socketBufferBytes = bytes;
        return this;
    }

    @Override
    public String name()
    {
        return "corral";
    }

    @Override
    List<String> command(final Role role, final boolean auth, final long users, final int port, final Path workDir)
        throws IOException
    {
        this.workDir = workDir;
        dataDir = workDir.resolve("corral-data");
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        final int agents = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        final List<String> lines = new ArrayList<>(List.of(
            "corral.member.id=1",
            "corral.sip.address=127.0.0.1",
            "corral.sip.port=" + port,
            "corral.data.dir=" + dataDir,
            "corral.sip.tcp.enabled=false",
            // The transaction table keeps its default (sized for ~5,000 proxied calls/s per agent at steady state,
            // docs/operations.md): the lab measures the member as shipped; --corral-profile may change it.
            // Dedicated threads: docs/proxy-performance.md measured shared threading failing calls from 1,000
            // calls/s. Idle SIP agents block in epoll_wait like Kamailio's workers in recvfrom (the conductor backs
            // off): less CPU per call than backoff, which spins and parks, in same-run A/B runs (2026-12-02).
            "corral.threading.mode=dedicated",
            "corral.idle.strategy=epoll-wait",
            // One SIP agent per core but one: the generator runs on the same cores and needs about one at these
            // rates. On 2 cores a second agent competed with it and woke up more often (3.1 against 2.3 voluntary
            // switches per call): 81 against 67 µs per call at 10,000 calls/s, for a ceiling only ~10 % higher.
            // One agent met 15,000 calls/s at 55 µs per call (docs/performance.md, 2026-12-03, third session).
            "corral.sip.agents=" + agents,
            "corral.sip.socket.rcvbuf.bytes=" + socketBufferBytes));
        if (role == Role.REGISTRAR)
        {
            // ~11.5 KB of map file per entry: sized for the users of the run, not more (the file is sparse but
            // large; it is deleted when the target stops).
            lines.add("corral.state.registration.max.entries=" + Math.max(100_000, users + users / 8));
        }
        if (auth)
        {
            final Path usersFile = dataDir.resolve("users");
            writeUsers(usersFile, users);
            lines.add("corral.auth.required=true");
            lines.add("corral.auth.realm=" + REALM);
            lines.add("corral.auth.algorithms=MD5");
            lines.add("corral.auth.users.file=" + usersFile);
            lines.add("corral.auth.failure.limit=1000000");
            lines.add("corral.auth.nonce.table.size=1048576");
        }
        if (extraProfile != null)
        {
            lines.addAll(Files.readAllLines(extraProfile));
        }
        final Path properties = workDir.resolve("corral.properties");
        Files.write(properties, lines);
        description = "corral " + gitRevision() + " (bin/corral, " + properties.getFileName() +
            ": dedicated threads, " + agents + " SIP agents, epoll-wait idle, rcvbuf " + socketBufferBytes +
            (auth ? ", MD5 digest" : "") + (extraProfile != null ? ", + " + extraProfile : "") + ")";
        return List.of(root.resolve("bin/corral").toString(), "--config", properties.toString());
    }

    /**
     * Stop the member and delete its data directory (its state maps are files of gigabytes).
     */
    @Override
    public void close()
    {
        super.close();
        if (dataDir != null)
        {
            try
            {
                deleteTree(dataDir);
            }
            catch (final IOException ex)
            {
                System.err.println("perf-lab: cannot delete " + dataDir + ": " + ex);
            }
            dataDir = null;
        }
    }

    /**
     * The member's JVM gets a fixed, pre-touched heap ({@link #MEMBER_HEAP}), a GC and safepoint log in the work
     * directory ({@code corral-gc-PID.log}, wall-clock times: a step that sheds or stalls can then be matched with the
     * member's pauses, or shown not to be one) and then {@code CORRAL_MEMBER_JAVA_OPTS} (e.g. a JFR recording, or
     * other heap options, which win), not the lab's own options.
     */
    @Override
    void environment(final java.util.Map<String, String> environment)
    {
        environment.put("CORRAL_JAVA_OPTS", (MEMBER_HEAP + gcLog() + " " +
            System.getenv().getOrDefault("CORRAL_MEMBER_JAVA_OPTS", "")).trim());
    }

    private String gcLog()
    {
        // bin/corral splits CORRAL_JAVA_OPTS on white space: a path holding some gets no log rather than a bad option.
        final String path = workDir.resolve("corral-gc-%p.log").toString();
        return path.chars().anyMatch(Character::isWhitespace) ? "" :
            " -Xlog:gc,safepoint:file=" + path + ":time,uptime";
    }

    @Override
    public String description()
    {
        return description;
    }

    private String gitRevision()
    {
        try
        {
            final Process git = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD")
                .redirectErrorStream(true).start();
            final String revision = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor() == 0 ? revision : "unknown";
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static void writeUsers(final Path file, final long users) throws IOException
    {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (BufferedWriter writer = Files.newBufferedWriter(file))
        {
            for (long i = 0; i < users; i++)
            {
                final String user = "u" + i;
                writer.write(user + ":" + REALM + ":MD5:" +
                    DigestAlgorithm.ha1Hex(DigestAlgorithm.MD5, user, REALM, PASSWORD.toCharArray()));
                writer.newLine();
            }
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (var paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(java.util.Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}
