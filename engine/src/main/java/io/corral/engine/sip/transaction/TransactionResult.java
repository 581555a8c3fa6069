package io.corral.engine.sip.transaction;

/**
 * What {@link TransactionLayer#onRequest} and {@link TransactionLayer#onResponse} did with a message.
 */
public final class TransactionResult
{
    /** A new server transaction: pass the request to the core ({@link TransactionLayer#transactionId()}). */
    public static final int NEW = 1;
    /** A retransmission: absorbed, the last response (if any) was resent by the layer. */
    public static final int RETRANSMISSION_ABSORBED = 2;
    /** The ACK of a non-2xx final response this member sent: absorbed. */
    public static final int ACK_FOR_NON2XX_ABSORBED = 3;
    /** An ACK matching an INVITE server transaction in Accepted (a 2xx ACK): the core forwards it. */
    public static final int ACK_FOR_2XX = 4;
    /**
     * A new CANCEL server transaction ({@link TransactionLayer#transactionId()}) whose INVITE server transaction is
     * {@link TransactionLayer#invitedTransactionId()}: the core answers 200 and cancels the branches. The id is
     * {@link TransactionLayer#NULL_ID} when that INVITE was answered 2xx and only lingers: the CANCEL has no effect.
     */
    public static final int CANCEL_MATCHED = 5;
    /**
     * A new CANCEL server transaction matching no INVITE: the core answers 481 through it, or forwards the CANCEL
     * statelessly and {@link TransactionLayer#release(long)}s it (RFC 3261 §16.10).
     */
    public static final int CANCEL_NO_MATCH = 6;
    /** No transaction: a stray ACK (the core forwards a 2xx ACK statelessly) or a stray response (§16.7). */
    public static final int NO_MATCH = 7;
    /** A response for a client transaction: the core processes it ({@link TransactionLayer#transactionId()}). */
    public static final int FORWARD_TO_CORE = 8;
    /** The table is full: the core answers 503 (or drops); counted. */
    public static final int TABLE_FULL = 9;
    /** The message lacks what matching needs (a decodable top Via, a To or From) or is not decoded OK. */
    public static final int INVALID = 10;
    /**
     * A 2xx retransmission for an INVITE client transaction in Accepted whose record was compacted: the core forwards
     * it upstream statelessly (RFC 6026 §7.2, RFC 3261 §16.7 item 5).
     */
    public static final int FORWARD_STATELESSLY = 11;

    private TransactionResult()
    {
    }
}
