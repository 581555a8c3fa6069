package io.corral.state.dialog;

/**
 * Dialog states (RFC 3261 §12) and termination reasons, as stored in {@link DialogDescriptor#STATE_OFFSET} and
 * {@link DialogDescriptor#TERMINATION_REASON_OFFSET}. Allowed transitions: EARLY to CONFIRMED, EARLY to TERMINATED,
 * CONFIRMED to TERMINATED, and EARLY or CONFIRMED to itself (a refresh: new target, CSeq, activity). TERMINATED is
 * final.
 */
public final class DialogState
{
    /** No state: an empty or unwritten record. */
    public static final int NONE = 0;
    /** Created by a 1xx with a To-tag: early dialog. */
    public static final int EARLY = 1;
    /** Confirmed by a 2xx to the INVITE. */
    public static final int CONFIRMED = 2;
    /** Ended by BYE, a failure response or a timeout. */
    public static final int TERMINATED = 3;

    /** Not terminated. */
    public static final int REASON_NONE = 0;
    /** A BYE was received. */
    public static final int REASON_BYE = 1;
    /** The maximum call duration elapsed. */
    public static final int REASON_MAX_DURATION = 2;
    /** No in-dialog activity for the silence timeout, or an early dialog never confirmed. */
    public static final int REASON_TIMEOUT = 3;
    /** Removed by an operator or the engine. */
    public static final int REASON_ADMIN = 4;
    /** Reasons 300..699 are the final response status code that ended an early dialog. */
    public static final int REASON_STATUS_MIN = 300;

    private DialogState()
    {
    }

    /**
     * @param from current state.
     * @param to   next state.
     * @return true if RFC 3261 allows the dialog to move from {@code from} to {@code to}.
     */
    public static boolean isValidTransition(final int from, final int to)
    {
        switch (from)
        {
            case EARLY:
                return to == CONFIRMED || to == TERMINATED || to == EARLY;
            case CONFIRMED:
                return to == TERMINATED || to == CONFIRMED;
            default:
                return false;
        }
    }

    /**
     * @param state a state code.
     * @return its name, for tools and logs (not for the hot path).
     */
    public static String name(final int state)
    {
        switch (state)
        {
            case NONE:
                return "NONE";
            case EARLY:
                return "EARLY";
            case CONFIRMED:
                return "CONFIRMED";
            case TERMINATED:
                return "TERMINATED";
            default:
                return "UNKNOWN(" + state + ")";
        }
    }
}
