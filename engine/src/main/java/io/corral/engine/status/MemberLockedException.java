package io.corral.engine.status;

import java.nio.file.Path;

/**
 * Another member holds the data dir's lock.
 */
public class MemberLockedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param pid     the other member's process id, or -1 if unknown.
     * @param dataDir the data dir both members were given.
     */
    public MemberLockedException(final long pid, final Path dataDir)
    {
        super("another member (pid " + (pid < 0 ? "unknown" : Long.toString(pid)) + ") is running with data dir " +
            dataDir, null, false, false);
    }
}
