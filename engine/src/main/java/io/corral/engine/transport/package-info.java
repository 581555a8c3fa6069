/**
 * SIP transport: each SIP agent owns a {@link io.corral.engine.transport.SipTransport} (a UDP socket and a TCP
 * listener on the SIP address and port, shared between agents with SO_REUSEPORT, plus its TCP connections) and polls
 * it from its duty cycle; no other thread touches it.
 * <ul>
 *     <li>{@link io.corral.engine.transport.SipTransports#open} picks epoll (Netty's native transport driven through a
 *     {@code ManualIoEventLoop}) or plain NIO; {@link io.corral.engine.transport.SipTransports#warmUp} takes the
 *     first-use cost before traffic.</li>
 *     <li>Remotes are {@code long} ids ({@link io.corral.engine.transport.RemoteAddressTable}): IPv4 packed, IPv6
 *     interned.</li>
 *     <li>TCP streams are framed by the codec's {@code SipStreamFramer}; connections are reused for responses and
 *     requests to the same remote, or to an RFC 5923 alias; idle ones are closed.</li>
 *     <li>Keys: {@link io.corral.engine.transport.TransportConfiguration}; counters:
 *     {@link io.corral.engine.transport.TransportCounters}.</li>
 * </ul>
 * Allocation: receiving a datagram allocates nothing of ours; Netty epoll allocates its packet and sender address
 * objects (about 170-220 bytes per datagram, 180 with recvmmsg), the JDK's NIO channel a sender address when the
 * sender changes (120 bytes). Sends copy into a pooled buffer; an epoll UDP send allocates about 100-170 bytes on a
 * plain thread and 44 on a Netty {@code FastThreadLocalThread}, whose recycler and buffer caches Netty 4.2 keeps for
 * such threads only: run SIP agents on one.
 */
package io.corral.engine.transport;
