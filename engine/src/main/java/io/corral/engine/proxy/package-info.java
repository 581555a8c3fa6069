/**
 * The RFC 3261 §16 proxy core: pure logic over decoded messages, no sockets, no transactions of its own, nothing
 * allocated per message. How a SIP agent wires it to the transport and the transaction layer:
 * <ul>
 *     <li><b>Request in</b> (not a retransmission, not matched to a server transaction; CANCEL first through
 *     {@link io.corral.engine.proxy.CancelHandler#onCancel}): {@link io.corral.engine.proxy.ProxyCore#onRequest}
 *     with {@code STATEFUL} (a new server transaction) or {@code STATELESS} (ACK to a 2xx, unmatched CANCEL).
 *     {@code RESPOND}: send the output to the source; {@code FORWARD}: create the client transaction keyed by
 *     {@link io.corral.engine.proxy.ProxyCore#branch()}, send the output to
 *     {@link io.corral.engine.proxy.ProxyCore#nextHop()}, add a branch to the server transaction's
 *     {@link io.corral.engine.proxy.ResponseContext}; {@code LOCAL}: registrar / location service.</li>
 *     <li><b>Response in</b>: {@link io.corral.engine.proxy.ResponseRouter#route}; {@code RELAY_TO_MEMBER} goes to
 *     the farm router, otherwise the client transaction reports it to the
 *     {@link io.corral.engine.proxy.ResponseContext} and sends what the returned actions say, to the
 *     {@link io.corral.engine.proxy.ResponseRouter#target()} or on the request's connection.</li>
 *     <li><b>Timers</b>: {@link io.corral.engine.proxy.ResponseContext#nextDeadlineMs()} /
 *     {@link io.corral.engine.proxy.ResponseContext#pollExpired} /
 *     {@link io.corral.engine.proxy.ResponseContext#onTimerC} drive timer C; {@code CANCEL_THIS} goes through
 *     {@link io.corral.engine.proxy.CancelHandler#cancelBranch}.</li>
 * </ul>
 * Every Via branch and Record-Route URI written here carries the member id
 * ({@link io.corral.engine.proxy.MemberIdCodec}).
 */
package io.corral.engine.proxy;
