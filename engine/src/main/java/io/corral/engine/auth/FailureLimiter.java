package io.corral.engine.auth;

import io.corral.engine.transport.RemoteAddressTable;

import java.util.Arrays;

/**
 * Counts failed authentication attempts per source address in fixed windows: once a source has {@code limit}
 * failures within {@code windowMs} of its first, it is limited until that window ends. Requests refused while limited
 * are not failures, so the window does not slide forward under a flood; a scanner that keeps going is limited again as
 * soon as its next window fills.
 * <p>
 * A bounded open-addressing table of {@link #DEFAULT_CAPACITY} sources, probed over {@link #PROBES} slots; when every
 * probed slot is live, the one whose window started first is reused, so a flood of spoofed sources costs memory
 * bounded by the table and can at worst make an attacker forget old failures early. Nothing is allocated after
 * construction. One instance per SIP agent; not thread-safe.
 */
public final class FailureLimiter
{
    /** Default number of sources tracked. */
    public static final int DEFAULT_CAPACITY = 16384;

    private static final int PROBES = 8;
    private static final long EMPTY = 0;

    private final int limit;
    private final long windowMs;
    private final int mask;
    private final long[] keys;
    private final long[] windowStartMs;
    private final int[] failures;

    /**
     * @param limit    failures allowed per window.
     * @param windowMs window length.
     * @param capacity sources tracked, a power of two.
     */
    public FailureLimiter(final int limit, final long windowMs, final int capacity)
    {
        if (capacity < PROBES || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two of at least " + PROBES);
        }
        this.limit = limit;
        this.windowMs = windowMs;
        mask = capacity - 1;
        keys = new long[capacity];
        windowStartMs = new long[capacity];
        failures = new int[capacity];
        Arrays.fill(keys, EMPTY);
    }

    /**
     * @param remoteId a source as a {@link RemoteAddressTable} id.
     * @return the key the limiter counts under: an IPv4 id without its port (a scanner cannot escape by changing
     *     ports); other ids as they are.
     */
    public static long sourceKey(final long remoteId)
    {
        return RemoteAddressTable.isIpv4(remoteId) ? remoteId & ~0xFFFFL : remoteId;
    }

    /**
     * @param key   from {@link #sourceKey(long)}.
     * @param nowMs wall clock.
     * @return true if the source has reached the limit in its current window.
     */
    public boolean isLimited(final long key, final long nowMs)
    {
        final int slot = key == EMPTY ? -1 : find(key);
        return slot >= 0 && failures[slot] >= limit && nowMs - windowStartMs[slot] < windowMs;
    }

    /**
     * Count a failure of the source.
     *
     * @param key   from {@link #sourceKey(long)}.
     * @param nowMs wall clock.
     */
    public void onFailure(final long key, final long nowMs)
    {
        if (key == EMPTY)
        {
            return;
        }
        int slot = find(key);
        if (slot < 0)
        {
            slot = claim(key, nowMs);
            keys[slot] = key;
            windowStartMs[slot] = nowMs;
            failures[slot] = 0;
        }
        else if (nowMs - windowStartMs[slot] >= windowMs)
        {
            windowStartMs[slot] = nowMs;
            failures[slot] = 0;
        }
        failures[slot]++;
    }

    /**
     * @param key from {@link #sourceKey(long)}.
     * @return failures counted in the source's current or last window, 0 if unknown.
     */
    public int failures(final long key)
    {
        final int slot = key == EMPTY ? -1 : find(key);
        return slot < 0 ? 0 : failures[slot];
    }

    private int find(final long key)
    {
        final int home = home(key);
        for (int i = 0; i < PROBES; i++)
        {
            final int slot = (home + i) & mask;
            if (keys[slot] == key)
            {
                return slot;
            }
        }
        return -1;
    }

    private int claim(final long key, final long nowMs)
    {
        final int home = home(key);
        int oldest = home;
        for (int i = 0; i < PROBES; i++)
        {
            final int slot = (home + i) & mask;
            if (keys[slot] == EMPTY || nowMs - windowStartMs[slot] >= windowMs)
            {
                return slot;
            }
            if (windowStartMs[slot] < windowStartMs[oldest])
            {
                oldest = slot;
            }
        }
        return oldest;
    }

    private int home(final long key)
    {
        final long x = key * 0x9E3779B97F4A7C15L;
        return (int)(x ^ (x >>> 32)) & mask;
    }
}
