package io.corral.state;

/**
 * Hybrid logical clock (Kulkarni et al., 2014) packed in a long: physical epoch ms in the high 48 bits, a logical
 * counter in the low 16. Versions it issues are strictly increasing, stay close to wall time, and order causally
 * after every remote version merged with {@link #update(long, long)}; replication resolves conflicts by
 * (version, member id), last writer wins. If 65,536 versions are issued within one ms the clock borrows the next ms.
 *
 * <p>Not thread-safe: one clock per writer thread (or per member when all state changes come from one thread).
 */
public final class HybridLogicalClock
{
    /** Bits of the logical counter. */
    public static final int LOGICAL_BITS = 16;
    /** Mask of the logical counter. */
    public static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private long last;

    /**
     * @param version an HLC version.
     * @return its physical part, epoch ms.
     */
    public static long physicalMs(final long version)
    {
        return version >>> LOGICAL_BITS;
    }

    /**
     * @param version an HLC version.
     * @return its logical counter.
     */
    public static int logical(final long version)
    {
        return (int)(version & LOGICAL_MASK);
    }

    /**
     * @param physicalMs epoch ms.
     * @param logical    counter, 0..65535.
     * @return the packed version.
     */
    public static long pack(final long physicalMs, final int logical)
    {
        return physicalMs << LOGICAL_BITS | (logical & LOGICAL_MASK);
    }

    /**
     * Issue a version for a local event.
     *
     * @param nowMs wall clock, epoch ms.
     * @return a version greater than every version issued or merged before.
     */
    public long tick(final long nowMs)
    {
        final long wall = pack(nowMs, 0);
        last = wall > last ? wall : last + 1;
        return last;
    }

    /**
     * Merge a version received from a peer, and issue a version for the receive event.
     *
     * @param remoteVersion the peer's version.
     * @param nowMs         wall clock, epoch ms.
     * @return a version greater than {@code remoteVersion} and than every version issued or merged before.
     */
    public long update(final long remoteVersion, final long nowMs)
    {
        final long wall = pack(nowMs, 0);
        final long max = Math.max(last, remoteVersion);
        last = wall > max ? wall : max + 1;
        return last;
    }

    /**
     * @return the last version issued or merged, 0 if none.
     */
    public long current()
    {
        return last;
    }

    /**
     * Start from a version seen before a restart (e.g. the highest version in the recovered maps), so versions
     * stay monotonic across a restart even if the wall clock stepped back.
     *
     * @param version a version already used.
     */
    public void observe(final long version)
    {
        if (version > last)
        {
            last = version;
        }
    }
}
