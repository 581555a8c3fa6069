package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipRequestBuilder;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * CANCEL processing of RFC 3261 §16.10. A CANCEL matching an INVITE server transaction (the transaction layer does
 * the matching, §9.2) is answered 200, and a CANCEL is built for every pending client branch with
 * {@link SipRequestBuilder#buildCancel} from the INVITE as it was sent on that branch; branches without a
 * provisional response yet are cancelled when their first one arrives ({@link ResponseContext#CANCEL_THIS}). The
 * INVITE itself gets the 487 the callee answers, forwarded as the best response (or 408 if timer C runs out).
 * A CANCEL matching no transaction is forwarded statelessly ({@link #NO_MATCH}).
 * <p>
 * Reusable and allocation-free; one instance per agent.
 */
public final class CancelHandler
{
    /** No INVITE server transaction matches: forward the CANCEL statelessly (§16.10). */
    public static final int NO_MATCH = -1;

    /**
     * The client branches of the matched INVITE, as the transaction layer keeps them.
     */
    public interface Branches
    {
        /**
         * @param branch a branch index of the {@link ResponseContext}.
         * @return the INVITE as sent on that branch, decoded.
         */
        SipMessageDecoder sentInvite(int branch);

        /**
         * Send a CANCEL on a branch (a new client transaction to the branch's destination).
         *
         * @param branch the branch index.
         * @param buffer holding the CANCEL.
         * @param offset of the CANCEL.
         * @param length of the CANCEL.
         */
        void sendCancel(int branch, DirectBuffer buffer, int offset, int length);
    }

    private final SipRequestBuilder requestBuilder = new SipRequestBuilder();
    private final UnsafeBuffer cancelBuffer;
    private int cancelsSent;

    /**
     * @param maxRequestLength largest CANCEL built, in bytes.
     */
    public CancelHandler(final int maxRequestLength)
    {
        cancelBuffer = new UnsafeBuffer(new byte[maxRequestLength]);
    }

    /**
     * Handle a CANCEL from upstream.
     *
     * @param cancel          the decoded, validated CANCEL.
     * @param invite          the response context of the matched INVITE, or null when nothing matches.
     * @param branches        the matched INVITE's branches.
     * @param responseBuilder builds the 200.
     * @param dst             receives the 200 for the CANCEL.
     * @param dstOffset       of the first byte.
     * @return length of the 200 to send upstream, {@link #NO_MATCH}, or -2 if it does not fit.
     */
    public int onCancel(
        final SipMessageDecoder cancel,
        final ResponseContext invite,
        final Branches branches,
        final SipResponseBuilder responseBuilder,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        cancelsSent = 0;
        if (invite == null)
        {
            return NO_MATCH;
        }
        if ((invite.cancel() & ResponseContext.CANCEL_PENDING) != 0)
        {
            for (int branch = 0; branch < invite.branchCount(); branch++)
            {
                if (invite.shouldCancel(branch))
                {
                    sendCancel(branch, branches);
                }
            }
        }
        final int length = responseBuilder.buildResponse(cancel, SipStatus.OK, null, null, 0, -1, dst, dstOffset);
        return length < 0 ? -2 : length;
    }

    /**
     * Cancel one branch, after {@link ResponseContext#CANCEL_THIS} (first provisional after a cancel, or timer C).
     *
     * @param branch   the branch index.
     * @param branches the INVITE's branches.
     * @return true if the CANCEL was built and handed over.
     */
    public boolean cancelBranch(final int branch, final Branches branches)
    {
        cancelsSent = 0;
        return sendCancel(branch, branches);
    }

    /**
     * @return CANCELs handed over by the last call.
     */
    public int cancelsSent()
    {
        return cancelsSent;
    }

    private boolean sendCancel(final int branch, final Branches branches)
    {
        final int length = requestBuilder.buildCancel(branches.sentInvite(branch), cancelBuffer, 0);
        if (length < 0)
        {
            return false;
        }
        branches.sendCancel(branch, cancelBuffer, 0, length);
        cancelsSent++;
        return true;
    }
}
