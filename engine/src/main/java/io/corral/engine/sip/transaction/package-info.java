/**
 * The RFC 3261 §17 transaction layer of a SIP agent, with RFC 6026's Accepted states.
 * <p>
 * One {@link io.corral.engine.sip.transaction.TransactionLayer} per SIP agent owns the transactions of the Call-IDs
 * that {@link io.corral.engine.sip.transaction.TransactionOwnership} gives that agent; a packet read by another agent
 * goes through the owner's {@link io.corral.engine.sip.transaction.HandoverQueue}. The agent's duty cycle drains its
 * queue, feeds decoded requests to {@code onRequest} and responses to {@code onResponse}, and calls {@code poll} with
 * its clock; the proxy core answers through {@code respond}, forwards through {@code startClient}, and hears back
 * through a {@link io.corral.engine.sip.transaction.TransactionListener}. Transactions in progress are records of a
 * {@link io.corral.engine.sip.transaction.TransactionTable}; once one only absorbs or answers retransmissions until
 * its timer (Accepted; a Completed non-INVITE, or INVITE client), {@code poll} moves it to the
 * {@link io.corral.engine.sip.transaction.LingerCache} ring.
 */
package io.corral.engine.sip.transaction;
