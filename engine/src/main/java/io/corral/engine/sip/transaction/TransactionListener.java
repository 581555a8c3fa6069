package io.corral.engine.sip.transaction;

/**
 * What the transaction layer tells its transaction user (the proxy core), from {@link TransactionLayer#poll(long)}
 * or from the call that caused it. A transaction id is stale once {@link #onTerminated(long)} returned.
 */
public interface TransactionListener
{
    /**
     * Timer B (INVITE, still Calling) or F (non-INVITE) fired: the core answers upstream as if 408 had arrived.
     *
     * @param txId the client transaction.
     */
    void onClientTimeout(long txId);

    /**
     * Timer H fired: an INVITE server transaction's non-2xx final response was never acknowledged.
     *
     * @param txId the server transaction.
     */
    void onServerTimeout(long txId);

    /**
     * A send failed; the transaction ends (RFC 3261 §17.1.4, §17.2.4).
     *
     * @param txId the transaction.
     */
    void onTransportError(long txId);

    /**
     * The transaction ended and its record is free; called once per transaction.
     *
     * @param txId the transaction.
     */
    void onTerminated(long txId);

    /**
     * A timer scheduled with {@link TransactionLayer#scheduleTimer(long, long)} fired (e.g. the proxy's timer C).
     *
     * @param cookie the value given when scheduling.
     */
    void onTimer(long cookie);

    /**
     * Asked when a transaction has entered a state where it only absorbs or answers retransmissions (RFC 6026
     * Accepted, a Completed non-INVITE or INVITE client): unless held, its record is freed
     * ({@link #onTerminated(long)}) and a compact entry lingers in its place until its timer; a held one lingers
     * in full, as when the compact store cannot take it.
     *
     * @param txId the transaction.
     * @return true while the transaction user still needs the record (e.g. a proxied INVITE with branches pending).
     */
    default boolean isHeld(long txId)
    {
        return false;
    }
}
