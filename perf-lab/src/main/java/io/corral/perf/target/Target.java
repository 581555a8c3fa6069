package io.corral.perf.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Something the lab offers load to: started for one scenario, asked for where requests go and for the CPU time its
 * processes have used, stopped at the end.
 */
public interface Target extends AutoCloseable
{
    /** Password of every user the lab creates. */
    String PASSWORD = "lab-secret";

    /**
     * UDP receive buffer a process target asks for unless told otherwise: Kamailio's {@code -b} as shared/PEERS.md
     * runs it, and Corral's own default.
     */
    int DEFAULT_SOCKET_BUFFER_BYTES = 4 << 20;

    /** What the target is configured as. */
    enum Role
    {
        /** A record-routing proxy between the UAC and the UAS (stateful, dialogs tracked where the target can). */
        PROXY,
        /** A registrar with bindings in memory. */
        REGISTRAR
    }

    /**
     * @return the name used on the command line and in reports.
     */
    String name();

    /**
     * Start (or restart) the target and wait until it answers SIP.
     *
     * @param role    what it is configured as.
     * @param auth    registrar: challenge REGISTERs with MD5 digest (users {@code u<N>}, password {@link #PASSWORD}).
     * @param users   registrar with auth: how many users {@code u0..u(users-1)} exist.
     * @param workDir where its configuration and logs go.
     * @throws IOException if it cannot be started.
     */
    void start(Role role, boolean auth, long users, Path workDir) throws IOException;

    /**
     * @return where requests go, or null when the generator's own UAS is the target.
     */
    InetSocketAddress address();

    /**
     * @return CPU time used by the target's processes so far, in ns (0 for the generator alone).
     */
    long cpuNs();

    /**
     * @return one line describing the version and settings, for reports.
     */
    String description();

    /**
     * @return true while its processes are alive (always true for the generator alone).
     */
    boolean isAlive();

    /**
     * Stop it; idempotent.
     */
    @Override
    void close();

    /**
     * @param name a target name.
     * @param root the repository root (bin/corral, perf-lab configs).
     * @return the target.
     */
    static Target of(final String name, final Path root)
    {
        switch (name)
        {
            case "self":
                return new SelfTarget();
            case "corral":
                return new CorralTarget(root);
            case "kamailio":
                return new KamailioTarget(root);
            default:
                throw new IllegalArgumentException("unknown target '" + name + "': self, corral or kamailio");
        }
    }
}
