package io.corral.engine.sip.transaction;

/**
 * Transaction kinds and states of RFC 3261 §17 figures 5–8 with RFC 6026's Accepted state, as int codes.
 */
public final class TransactionState
{
    /** INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §7.2). */
    public static final int INVITE_CLIENT = 1;
    /** Non-INVITE client transaction (§17.1.2). */
    public static final int NON_INVITE_CLIENT = 2;
    /** INVITE server transaction (§17.2.1, RFC 6026 §7.1). */
    public static final int INVITE_SERVER = 3;
    /** Non-INVITE server transaction (§17.2.2). */
    public static final int NON_INVITE_SERVER = 4;

    /** No transaction: a free record or a stale id. */
    public static final int NONE = 0;
    /** INVITE client: request sent, no response yet. */
    public static final int CALLING = 1;
    /** Non-INVITE client and server: request sent or received, no response yet. */
    public static final int TRYING = 2;
    /** A provisional response was received or sent. */
    public static final int PROCEEDING = 3;
    /** A non-2xx (INVITE) or any (non-INVITE) final response was received or sent. */
    public static final int COMPLETED = 4;
    /** INVITE server: the ACK for the non-2xx final response arrived. */
    public static final int CONFIRMED = 5;
    /** INVITE client or server: a 2xx was received or sent (RFC 6026). */
    public static final int ACCEPTED = 6;

    private TransactionState()
    {
    }

    /**
     * @param state a state code.
     * @return its RFC name, for tests and tools.
     */
    public static String name(final int state)
    {
        switch (state)
        {
            case CALLING:
                return "Calling";
            case TRYING:
                return "Trying";
            case PROCEEDING:
                return "Proceeding";
            case COMPLETED:
                return "Completed";
            case CONFIRMED:
                return "Confirmed";
            case ACCEPTED:
                return "Accepted";
            default:
                return "Terminated";
        }
    }
}
