package io.corral.engine.dispatch;

import io.corral.engine.proxy.MemberIdCodec;

/**
 * How the {@link BackendProber} probes: cadence, thresholds, which answers mean alive, and who it says it is.
 */
public final class ProbeSettings
{
    private long intervalMs = 10_000;
    private long timeoutMs = 5_000;
    private int failureThreshold = 3;
    private int successThreshold = 1;
    private final boolean[] alive = parseAliveCodes("");
    private String fromUri = "sip:corral@localhost";
    private String sentBy = "127.0.0.1:5060";
    private int memberId = 1;

    /**
     * @param intervalMs time between two probes of one backend, from the send of the first.
     * @return this.
     */
    public ProbeSettings intervalMs(final long intervalMs)
    {
        this.intervalMs = intervalMs;
        return this;
    }

    /**
     * @return time between two probes of one backend.
     */
    public long intervalMs()
    {
        return intervalMs;
    }

    /**
     * @param timeoutMs how long a probe waits for a final response before it counts as failed.
     * @return this.
     */
    public ProbeSettings timeoutMs(final long timeoutMs)
    {
        this.timeoutMs = timeoutMs;
        return this;
    }

    /**
     * @return how long a probe waits for a final response.
     */
    public long timeoutMs()
    {
        return timeoutMs;
    }

    /**
     * @param failureThreshold consecutive failed probes that mark an up backend down (Kamailio
     *                         {@code ds_probing_threshold}).
     * @return this.
     */
    public ProbeSettings failureThreshold(final int failureThreshold)
    {
        this.failureThreshold = failureThreshold;
        return this;
    }

    /**
     * @return consecutive failed probes that mark a backend down.
     */
    public int failureThreshold()
    {
        return failureThreshold;
    }

    /**
     * @param successThreshold consecutive answered probes that mark a down backend up (Kamailio
     *                         {@code ds_inactive_threshold}).
     * @return this.
     */
    public ProbeSettings successThreshold(final int successThreshold)
    {
        this.successThreshold = successThreshold;
        return this;
    }

    /**
     * @return consecutive answered probes that mark a backend up.
     */
    public int successThreshold()
    {
        return successThreshold;
    }

    /**
     * @param codes comma-separated final statuses that mean alive besides 200, each {@code NNN} or a class
     *              {@code Nxx} (Kamailio {@code ds_ping_reply_codes}), e.g. {@code 2xx,403,404,488}.
     * @return this.
     * @throws IllegalArgumentException if the list is malformed.
     */
    public ProbeSettings aliveCodes(final String codes)
    {
        System.arraycopy(parseAliveCodes(codes), 0, alive, 0, alive.length);
        return this;
    }

    /**
     * @param status a final status 200..699.
     * @return true if it means the backend is alive.
     */
    public boolean isAlive(final int status)
    {
        return status >= 200 && status < alive.length && alive[status];
    }

    /**
     * @param fromUri the From URI of probes (Kamailio {@code ds_ping_from}).
     * @return this.
     */
    public ProbeSettings fromUri(final String fromUri)
    {
        this.fromUri = fromUri;
        return this;
    }

    /**
     * @return the From URI of probes.
     */
    public String fromUri()
    {
        return fromUri;
    }

    /**
     * @param sentBy this member's Via sent-by, {@code host[:port]}, where responses come back.
     * @return this.
     */
    public ProbeSettings sentBy(final String sentBy)
    {
        this.sentBy = sentBy;
        return this;
    }

    /**
     * @return this member's Via sent-by.
     */
    public String sentBy()
    {
        return sentBy;
    }

    /**
     * @param memberId this member's id, carried in the probe branches so responses come back to it.
     * @return this.
     */
    public ProbeSettings memberId(final int memberId)
    {
        if (memberId < MemberIdCodec.MIN_MEMBER_ID || memberId > MemberIdCodec.MAX_MEMBER_ID)
        {
            throw new IllegalArgumentException("member id out of range: " + memberId);
        }
        this.memberId = memberId;
        return this;
    }

    /**
     * @return this member's id.
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * @param codes comma-separated {@code NNN} or {@code Nxx} items, 200..699; 200 is always alive.
     * @return alive flags indexed by status.
     * @throws IllegalArgumentException if an item is malformed.
     */
    static boolean[] parseAliveCodes(final String codes)
    {
        final boolean[] alive = new boolean[700];
        alive[200] = true;
        for (final String raw : codes.split(","))
        {
            final String item = raw.trim();
            if (item.isEmpty())
            {
                continue;
            }
            if (item.length() != 3 || item.charAt(0) < '2' || item.charAt(0) > '6')
            {
                throw new IllegalArgumentException("bad reply code '" + item + "': expected NNN or Nxx, 200..699");
            }
            final int base = (item.charAt(0) - '0') * 100;
            if (item.regionMatches(true, 1, "xx", 0, 2))
            {
                for (int status = base; status < base + 100; status++)
                {
                    alive[status] = true;
                }
            }
            else if (Character.isDigit(item.charAt(1)) && Character.isDigit(item.charAt(2)))
            {
                alive[base + (item.charAt(1) - '0') * 10 + (item.charAt(2) - '0')] = true;
            }
            else
            {
                throw new IllegalArgumentException("bad reply code '" + item + "': expected NNN or Nxx, 200..699");
            }
        }
        return alive;
    }
}
