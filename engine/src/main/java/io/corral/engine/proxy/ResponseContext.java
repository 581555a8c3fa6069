package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.SipStatus;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The response context of one proxied request (RFC 3261 §16.7) over preallocated state for up to
 * {@link #MAX_BRANCHES} client branches (forked or serial): which responses are forwarded at once, which are kept
 * as the best so far, when the best final response is sent, which branches to cancel, and timer C (§16.6 item 11,
 * §16.8) for INVITE branches.
 * <p>
 * Actions are bit flags returned by {@link #onResponse} and {@link #onTimerC}:
 * <ul>
 *     <li>{@link #FORWARD_THIS}: provisional responses other than 100 while no final response was sent, the first
 *     2xx, and every 2xx to an INVITE even after a final response (§16.7 item 5);</li>
 *     <li>{@link #FORWARD_BEST}: every branch is complete: send the best final response, kept in
 *     {@link #bestResponse()} ({@link #bestIsLocal()} says to build it locally instead: a 503 becomes 500, §16.7
 *     item 6; no response at all becomes 408);</li>
 *     <li>{@link #CANCEL_PENDING}: cancel every branch for which {@link #shouldCancel(int)} is true (after a 2xx or
 *     6xx, §16.7 items 5 and 10, or a CANCEL from upstream, §16.10);</li>
 *     <li>{@link #CANCEL_THIS}: cancel the branch just reported (its first provisional arrived after a cancel was
 *     asked for, RFC 3261 §9.1; or timer C fired after a provisional);</li>
 *     <li>{@link #NEXT_TARGET}: every branch is complete without a 2xx or 6xx but serial targets remain
 *     ({@link #moreTargets(boolean)}: the next contact by q, RFC 3261 §16.6, or the next backend on failover):
 *     start them with {@link #addBranch}, or call {@link #noMoreTargets()} if none can start.</li>
 * </ul>
 * Best response: 6xx, then 2xx, 3xx, the 4xx that a client can act on (401, 407, 415, 420, 484), other 4xx, 5xx;
 * the first received wins a tie. When the best is a 401 or 407, the WWW-Authenticate and Proxy-Authenticate values
 * of the other branches' 401/407 are added to it (§16.7 item 7): report them with {@link #collectChallenges} and
 * apply them with {@link #addChallenges}.
 * <p>
 * Reusable (call {@link #reset}); allocation-free; owned by the agent that owns the transaction.
 */
public final class ResponseContext
{
    /** Largest number of branches of one request. */
    public static final int MAX_BRANCHES = 8;

    /** Nothing to send. */
    public static final int ABSORB = 0;
    /** Forward the response just reported. */
    public static final int FORWARD_THIS = 1;
    /** Send the best final response. */
    public static final int FORWARD_BEST = 2;
    /** Cancel every branch for which {@link #shouldCancel(int)} is true. */
    public static final int CANCEL_PENDING = 4;
    /** Cancel the branch just reported. */
    public static final int CANCEL_THIS = 8;
    /** Every branch is complete and serial targets remain: start the next ones instead of answering. */
    public static final int NEXT_TARGET = 16;

    /** Timer for a final response after a CANCEL was sent on a branch (64*T1, RFC 3261 §9.1). */
    public static final long CANCEL_TIMEOUT_MS = 32_000;

    private static final int CALLING = 1;
    private static final int PROCEEDING = 2;
    private static final int COMPLETED = 3;
    private static final int RANK_NONE = Integer.MAX_VALUE;
    private static final int CHALLENGES_CAPACITY = 4096;
    private static final int CHALLENGE_ENTRY_HEADER = 4;

    private final int[] states = new int[MAX_BRANCHES];
    private final int[] statuses = new int[MAX_BRANCHES];
    private final long[] deadlinesMs = new long[MAX_BRANCHES];
    private final boolean[] cancelSent = new boolean[MAX_BRANCHES];
    private final MutableDirectBuffer best;
    private final UnsafeBuffer challenges = new UnsafeBuffer(new byte[CHALLENGES_CAPACITY]);
    private int challengesLength;
    private final long timerCMs;
    private int branchCount;
    private boolean invite;
    private boolean finalSent;
    private boolean cancelRequested;
    private boolean moreTargets;
    private int bestBranch;
    private int bestStatus;
    private int bestRank;
    private int bestLength;

    /**
     * @param timerCMs             timer C (from {@link ProxyContext#timerCMs()}).
     * @param bestResponseCapacity bytes kept for the best response so far (a larger one is answered 500 locally).
     */
    public ResponseContext(final long timerCMs, final int bestResponseCapacity)
    {
        this.timerCMs = timerCMs;
        best = new UnsafeBuffer(new byte[bestResponseCapacity]);
        reset(false);
    }

    /**
     * Start a new request.
     *
     * @param invite true for an INVITE: timer C runs and 2xx responses after a final one are still forwarded.
     */
    public void reset(final boolean invite)
    {
        this.invite = invite;
        branchCount = 0;
        finalSent = false;
        cancelRequested = false;
        moreTargets = false;
        bestBranch = -1;
        bestStatus = 0;
        bestRank = RANK_NONE;
        bestLength = 0;
        challengesLength = 0;
        Arrays.fill(states, 0);
        Arrays.fill(statuses, 0);
        Arrays.fill(deadlinesMs, Long.MAX_VALUE);
        Arrays.fill(cancelSent, false);
    }

    /**
     * @return true if {@link #addBranch} would add one now: check before starting the branch's client transaction.
     */
    public boolean canAddBranch()
    {
        return branchCount < MAX_BRANCHES && !finalSent && !cancelRequested;
    }

    /**
     * Add a client branch (one forwarded copy).
     *
     * @param nowMs the clock, for timer C.
     * @return the branch index, or -1 when full, after a final response or after a cancel (§16.7 item 5: no new
     * branches after a 6xx or CANCEL).
     */
    public int addBranch(final long nowMs)
    {
        if (!canAddBranch())
        {
            return -1;
        }
        final int branch = branchCount++;
        states[branch] = CALLING;
        deadlinesMs[branch] = invite ? nowMs + timerCMs : Long.MAX_VALUE;
        return branch;
    }

    /**
     * Whether serial targets remain after the branches started so far: while true, the completion of every branch
     * gives {@link #NEXT_TARGET} rather than {@link #FORWARD_BEST} (unless a 2xx, 6xx or CANCEL ended the search).
     * Set it before reporting a final response or failure whenever the answer depends on it (failover happens only
     * on 408 and 5xx).
     *
     * @param moreTargets true if another target can be tried.
     */
    public void moreTargets(final boolean moreTargets)
    {
        this.moreTargets = moreTargets;
    }

    /**
     * No further target could be started after {@link #NEXT_TARGET} (none left, or every send failed).
     *
     * @return {@link #FORWARD_BEST} if every branch is complete, else {@link #ABSORB}.
     */
    public int noMoreTargets()
    {
        moreTargets = false;
        return completeIfDone();
    }

    /**
     * Report a response received on a branch.
     *
     * @param branch the branch index.
     * @param status 100–699.
     * @param buffer holding the response as it will be forwarded (our Via popped), kept if it becomes the best.
     * @param offset of the response.
     * @param length of the response.
     * @param nowMs  the clock, for timer C.
     * @return the action flags.
     */
    public int onResponse(final int branch, final int status, final DirectBuffer buffer, final int offset,
        final int length, final long nowMs)
    {
        if (branch < 0 || branch >= branchCount || states[branch] == COMPLETED)
        {
            // A 2xx retransmission or a late 2xx from a completed branch is still forwarded (§16.7 item 5).
            return invite && status >= 200 && status < 300 ? FORWARD_THIS : ABSORB;
        }
        if (status < 200)
        {
            return onProvisional(branch, status, nowMs);
        }
        states[branch] = COMPLETED;
        statuses[branch] = status;
        deadlinesMs[branch] = Long.MAX_VALUE;
        if (status < 300)
        {
            final boolean first = !finalSent;
            finalSent = true;
            int action = first || invite ? FORWARD_THIS : ABSORB;
            if (invite && hasPending())
            {
                cancelRequested = true;
                action |= CANCEL_PENDING;
            }
            return action;
        }
        int action = ABSORB;
        if (status >= 600 && !cancelRequested)
        {
            cancelRequested = true;
            action |= hasPending() ? CANCEL_PENDING : 0;
        }
        keepIfBest(branch, status, buffer, offset, length);
        return action | completeIfDone();
    }

    /**
     * Timer C, or the wait for a final response after a CANCEL, fired on a branch ({@link #pollExpired}).
     *
     * @param branch the branch index.
     * @param nowMs  the clock.
     * @return {@link #CANCEL_THIS} after a provisional (§16.8), else the actions of a 408 from the branch.
     */
    public int onTimerC(final int branch, final long nowMs)
    {
        if (branch < 0 || branch >= branchCount || states[branch] == COMPLETED)
        {
            return ABSORB;
        }
        if (states[branch] == PROCEEDING && !cancelSent[branch])
        {
            cancelSent[branch] = true;
            deadlinesMs[branch] = nowMs + CANCEL_TIMEOUT_MS;
            return CANCEL_THIS;
        }
        states[branch] = COMPLETED;
        statuses[branch] = SipStatus.REQUEST_TIMEOUT;
        deadlinesMs[branch] = Long.MAX_VALUE;
        keepIfBest(branch, SipStatus.REQUEST_TIMEOUT, null, 0, 0);
        return completeIfDone();
    }

    /**
     * A branch failed without a response: its client transaction timed out (timer B or F, reported as 408) or a
     * send failed (reported as 503, RFC 3261 §16.7 item 6 then answers 500 upstream). Unlike {@link #onTimerC} no
     * CANCEL is asked for: the transaction is over.
     *
     * @param branch the branch index.
     * @param status 408 or 503.
     * @return the actions of that status from the branch.
     */
    public int onBranchFailure(final int branch, final int status)
    {
        if (branch < 0 || branch >= branchCount || states[branch] == COMPLETED)
        {
            return ABSORB;
        }
        states[branch] = COMPLETED;
        statuses[branch] = status;
        deadlinesMs[branch] = Long.MAX_VALUE;
        keepIfBest(branch, status, null, 0, 0);
        return completeIfDone();
    }

    /**
     * @param nowMs the clock.
     * @return a branch whose timer expired (report it with {@link #onTimerC}), or -1.
     */
    public int pollExpired(final long nowMs)
    {
        for (int i = 0; i < branchCount; i++)
        {
            if (deadlinesMs[i] <= nowMs)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the earliest timer deadline, {@link Long#MAX_VALUE} if none: for the transaction layer's timer wheel.
     */
    public long nextDeadlineMs()
    {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < branchCount; i++)
        {
            earliest = Math.min(earliest, deadlinesMs[i]);
        }
        return earliest;
    }

    /**
     * A CANCEL for the request arrived from upstream (§16.10): no new branches; pending ones are to be cancelled.
     *
     * @return {@link #CANCEL_PENDING} if some branch can be cancelled now, else {@link #ABSORB}.
     */
    public int cancel()
    {
        cancelRequested = true;
        return hasCancellable() ? CANCEL_PENDING : ABSORB;
    }

    /**
     * Whether to send a CANCEL on a branch now; true marks it as sent, so ask once per branch.
     *
     * @param branch the branch index.
     * @return true for a branch with a provisional response, not completed, not yet cancelled, after a cancel.
     */
    public boolean shouldCancel(final int branch)
    {
        if (!cancelRequested || branch < 0 || branch >= branchCount || states[branch] != PROCEEDING ||
            cancelSent[branch])
        {
            return false;
        }
        cancelSent[branch] = true;
        return true;
    }

    /**
     * @return number of branches.
     */
    public int branchCount()
    {
        return branchCount;
    }

    /**
     * @return true once a final response was sent upstream (or is to be sent after {@link #FORWARD_BEST}).
     */
    public boolean isFinalSent()
    {
        return finalSent;
    }

    /**
     * @return true after a 2xx, 6xx or CANCEL asked the pending branches to be cancelled.
     */
    public boolean isCancelRequested()
    {
        return cancelRequested;
    }

    /**
     * @return the status to send after {@link #FORWARD_BEST}: the best response's, 500 for a 503 (§16.7 item 6),
     * 408 when no branch answered.
     */
    public int bestStatus()
    {
        if (bestStatus == SipStatus.SERVICE_UNAVAILABLE)
        {
            return SipStatus.SERVER_INTERNAL_ERROR;
        }
        return bestStatus == 0 ? SipStatus.REQUEST_TIMEOUT : bestStatus;
    }

    /**
     * @return true once the final response was sent and every branch completed: nothing more to do for the request.
     */
    public boolean isComplete()
    {
        return finalSent && !hasPending();
    }

    /**
     * @return true if the best response is to be built locally with {@link #bestStatus()} rather than forwarded
     * from {@link #bestResponse()}: a 503, a timeout, or a response larger than the capacity.
     */
    public boolean bestIsLocal()
    {
        return bestLength <= 0 || bestStatus == SipStatus.SERVICE_UNAVAILABLE;
    }

    /**
     * @return the branch of the best response, or -1.
     */
    public int bestBranch()
    {
        return bestBranch;
    }

    /**
     * @return the best response's bytes from offset 0, {@link #bestResponseLength()} long.
     */
    public DirectBuffer bestResponse()
    {
        return best;
    }

    /**
     * @return length of the kept best response, 0 when it is to be built locally.
     */
    public int bestResponseLength()
    {
        return bestLength;
    }

    /**
     * Keep the challenges of a 401 or 407 for aggregation; call for every 401/407 final response of a branch.
     * Values that do not fit the fixed space are left out.
     *
     * @param branch   the branch index.
     * @param response the decoded 401 or 407.
     */
    public void collectChallenges(final int branch, final SipMessageDecoder response)
    {
        collect(branch, response, HeaderName.WWW_AUTHENTICATE);
        collect(branch, response, HeaderName.PROXY_AUTHENTICATE);
    }

    /**
     * Add the challenges collected from the branches other than the best one to the best response.
     *
     * @param editor wrapped over the decoded best response.
     * @return number of challenge values added, or -1 if the editor refused one.
     */
    public int addChallenges(final SipMessageEditor editor)
    {
        int added = 0;
        int position = 0;
        while (position < challengesLength)
        {
            final int branch = challenges.getByte(position);
            final int headerId = challenges.getByte(position + 1);
            final int length = challenges.getShort(position + 2);
            if (branch != bestBranch)
            {
                if (!editor.addHeader(headerId, challenges, position + CHALLENGE_ENTRY_HEADER, length))
                {
                    return -1;
                }
                added++;
            }
            position += CHALLENGE_ENTRY_HEADER + length;
        }
        return added;
    }

    private void collect(final int branch, final SipMessageDecoder response, final int headerId)
    {
        for (int i = response.firstIndexOf(headerId); i >= 0; i = response.nextIndexOf(headerId, i))
        {
            final int length = response.valueLength(i);
            if (challengesLength + CHALLENGE_ENTRY_HEADER + length > CHALLENGES_CAPACITY)
            {
                return;
            }
            challenges.putByte(challengesLength, (byte)branch);
            challenges.putByte(challengesLength + 1, (byte)headerId);
            challenges.putShort(challengesLength + 2, (short)length);
            challenges.putBytes(challengesLength + CHALLENGE_ENTRY_HEADER, response.buffer(), response.valueOffset(i),
                length);
            challengesLength += CHALLENGE_ENTRY_HEADER + length;
        }
    }

    private int onProvisional(final int branch, final int status, final long nowMs)
    {
        final boolean first = states[branch] == CALLING;
        states[branch] = PROCEEDING;
        if (invite && !cancelSent[branch])
        {
            // §16.6 item 11: timer C restarts on every provisional response.
            deadlinesMs[branch] = nowMs + timerCMs;
        }
        int action = status > 100 && !finalSent ? FORWARD_THIS : ABSORB;
        if (first && cancelRequested && !cancelSent[branch])
        {
            cancelSent[branch] = true;
            deadlinesMs[branch] = nowMs + CANCEL_TIMEOUT_MS;
            action |= CANCEL_THIS;
        }
        return action;
    }

    private void keepIfBest(final int branch, final int status, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final int rank = rank(status);
        if (rank >= bestRank)
        {
            return;
        }
        bestRank = rank;
        bestBranch = branch;
        bestStatus = status;
        if (buffer != null && length > 0 && length <= best.capacity())
        {
            best.putBytes(0, buffer, offset, length);
            bestLength = length;
        }
        else
        {
            bestLength = 0;
        }
    }

    private int completeIfDone()
    {
        if (finalSent)
        {
            return ABSORB;
        }
        for (int i = 0; i < branchCount; i++)
        {
            if (states[i] != COMPLETED)
            {
                return ABSORB;
            }
        }
        if (moreTargets && !cancelRequested)
        {
            return NEXT_TARGET;
        }
        finalSent = true;
        return FORWARD_BEST;
    }

    private boolean hasPending()
    {
        for (int i = 0; i < branchCount; i++)
        {
            if (states[i] != COMPLETED)
            {
                return true;
            }
        }
        return false;
    }

    private boolean hasCancellable()
    {
        for (int i = 0; i < branchCount; i++)
        {
            if (states[i] == PROCEEDING && !cancelSent[i])
            {
                return true;
            }
        }
        return false;
    }

    private static int rank(final int status)
    {
        if (status >= 600)
        {
            return 0;
        }
        if (status < 300)
        {
            return 1;
        }
        if (status < 400)
        {
            return 2;
        }
        if (status < 500)
        {
            final boolean actionable = status == SipStatus.UNAUTHORIZED ||
                status == SipStatus.PROXY_AUTHENTICATION_REQUIRED || status == SipStatus.UNSUPPORTED_MEDIA_TYPE ||
                status == SipStatus.BAD_EXTENSION || status == 484;
            return actionable ? 3 : 4;
        }
        return 5;
    }
}
