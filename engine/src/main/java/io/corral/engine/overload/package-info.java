/**
 * Overload control of a SIP agent: {@link io.corral.engine.overload.OverloadDetector} measures the agent's duty cycle
 * (socket reads that reached the poll limit, duty-cycle time, transaction table occupancy, hand-over queue depth) and
 * sets the share of new INVITEs and REGISTERs it admits; the rest are answered 503 with Retry-After, or dropped when
 * even that costs too much, while retransmissions, ACK, CANCEL, in-dialog requests and responses always pass.
 */
package io.corral.engine.overload;
