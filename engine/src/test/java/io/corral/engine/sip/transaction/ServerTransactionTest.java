package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INVITE (RFC 3261 figure 7 with RFC 6026's Accepted) and non-INVITE (figure 8) server transactions, and CANCEL.
 */
class ServerTransactionTest
{
    private final TransactionHarness h = new TransactionHarness();

    @Test
    void shouldSend100TryingAndPassToCoreWhenInviteIsNew()
    {
        assertEquals(TransactionResult.NEW, h.request("invite.sip"));
        final long tx = h.layer.transactionId();
        assertEquals(TransactionState.INVITE_SERVER, h.layer.kind(tx));
        assertEquals(TransactionState.PROCEEDING, h.layer.state(tx));
        assertEquals(1, h.sent.size());
        assertTrue(h.lastSent().startsWith("SIP/2.0 100 Trying\r\n"));
        assertTrue(h.lastSent().contains("To: Bob <sip:bob@example.com>\r\n"));
        assertEquals(100, h.layer.lastStatus(tx));
    }

    @Test
    void shouldSendTheGivenTopViaIn100TryingOnlyForTheNextInvite()
    {
        final UnsafeBuffer via = new UnsafeBuffer(
            "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKup1;received=203.0.113.9".getBytes(StandardCharsets.US_ASCII));
        h.layer.tryingTopVia(via, via.capacity());
        h.request("invite.sip");
        assertTrue(h.layer.release(h.layer.transactionId()));
        h.request("invite.sip");

        assertEquals(2, h.sent.size());
        final String first = new String(h.sent.get(0), StandardCharsets.US_ASCII);
        assertTrue(first.contains("\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKup1;received=203.0.113.9\r\n"),
            first);
        assertTrue(h.lastSent().contains("\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKup1\r\n"), h.lastSent());
    }

    @Test
    void shouldResend100AndNotPassToCoreWhenInviteIsRetransmitted()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        assertEquals(tx, h.layer.transactionId());
        assertEquals(2, h.sent.size());
        assertArrayEquals(h.sent.get(0), h.sent.get(1));
    }

    @Test
    void shouldResendLatestProvisionalWhenInviteIsRetransmittedAfterRinging()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        assertTrue(h.respond(tx, "invite.sip", 180, "b1"));
        h.request("invite.sip");
        assertEquals(3, h.sent.size());
        assertTrue(h.lastSent().startsWith("SIP/2.0 180 Ringing"));
        assertArrayEquals(h.sent.get(1), h.sent.get(2));
        assertEquals(TransactionState.PROCEEDING, h.layer.state(tx));
    }

    @Test
    void shouldRetransmitFinalResponseOnTimerGDoublingUpToT2AndTimeOutOnTimerHWhenNoAck()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        h.sent.clear();
        h.sentAtMs.clear();
        assertTrue(h.respond(tx, "invite.sip", 486, "b1"));
        assertEquals(TransactionState.COMPLETED, h.layer.state(tx));
        h.runUntil(40_000);
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 4000L, 4000L, 4000L, 4000L, 4000L, 4000L),
            h.sendIntervals());
        for (final byte[] resent : h.sent)
        {
            assertArrayEquals(h.sent.get(0), resent);
        }
        assertEquals(List.of("serverTimeout:" + tx + "@32000", "terminated:" + tx + "@32000"), h.events);
        assertEquals(TransactionState.NONE, h.layer.state(tx));
        assertEquals(0, h.layer.activeCount());
    }

    @Test
    void shouldStopRetransmittingAndAbsorbAckThenTerminateOnTimerIWhenAckArrives()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        h.respond(tx, "invite.sip", 486, "b1");
        h.runUntil(600);
        final int sentBeforeAck = h.sent.size();
        assertEquals(TransactionResult.ACK_FOR_NON2XX_ABSORBED, h.request("ack-non2xx.sip"));
        assertEquals(tx, h.layer.transactionId());
        assertEquals(TransactionState.CONFIRMED, h.layer.state(tx));
        assertEquals(TransactionResult.ACK_FOR_NON2XX_ABSORBED, h.request("ack-non2xx.sip"));
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        h.runUntil(5_599);
        assertEquals(TransactionState.CONFIRMED, h.layer.state(tx));
        h.runUntil(5_600);
        assertEquals(sentBeforeAck, h.sent.size());
        assertEquals(List.of("terminated:" + tx + "@5600"), h.events);
    }

    @Test
    void shouldResendFinalResponseWhenInviteIsRetransmittedInCompleted()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        h.respond(tx, "invite.sip", 486, "b1");
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        assertTrue(h.lastSent().startsWith("SIP/2.0 486 Busy Here"));
        assertArrayEquals(h.sent.get(1), h.sent.get(2));
    }

    @Test
    void shouldEnterAcceptedThenLingerAbsorbingRetransmissionsUntilTimerLWhen2xxIsSent()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        assertTrue(h.respond(tx, "invite.sip", 200, "b1"));
        assertEquals(TransactionState.ACCEPTED, h.layer.state(tx));
        assertTrue(h.respond(tx, "invite.sip", 200, "b1"), "2xx retransmissions from the core pass in Accepted");
        assertFalse(h.respond(tx, "invite.sip", 486, "b1"));
        final int sent = h.sent.size();
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        assertEquals(TransactionResult.ACK_FOR_2XX, h.request("ack-non2xx.sip"));
        assertEquals(TransactionResult.NO_MATCH, h.request("ack-2xx.sip"));
        h.runUntil(1);
        assertEquals(List.of("terminated:" + tx + "@1"), h.events, "the record leaves the table at the next poll");
        assertEquals(0, h.layer.activeCount());
        assertEquals(1, h.layer.lingeringCount());
        assertFalse(h.respond(tx, "invite.sip", 200, "b1"), "the core sends later 2xx statelessly");
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        assertEquals(TransactionResult.ACK_FOR_2XX, h.request("ack-non2xx.sip"));
        assertEquals(TransactionResult.NO_MATCH, h.request("ack-2xx.sip"));
        h.runUntil(31_999);
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        assertEquals(sent, h.sent.size(), "the layer never retransmits a 2xx");
        h.runUntil(32_000);
        assertEquals(0, h.layer.lingeringCount());
        assertEquals(TransactionResult.NEW, h.request("invite.sip"), "after timer L the INVITE is new again");
    }

    @Test
    void shouldNotRetransmitAndTerminateAtOnceOnAckWhenTransportIsReliable()
    {
        h.request("invite.sip", TransportProtocol.TCP);
        final long tx = h.layer.transactionId();
        h.respond(tx, "invite.sip", 486, "b1");
        h.runUntil(10_000);
        assertEquals(2, h.sent.size());
        assertEquals(TransactionResult.ACK_FOR_NON2XX_ABSORBED, h.request("ack-non2xx.sip", TransportProtocol.TCP));
        h.runUntil(10_001);
        assertEquals(List.of("terminated:" + tx + "@10001"), h.events);
    }

    @Test
    void shouldAbsorbRetransmissionsAndResendFinalThenTerminateOnTimerJWhenNonInvite()
    {
        assertEquals(TransactionResult.NEW, h.request("options.sip"));
        final long tx = h.layer.transactionId();
        assertEquals(TransactionState.NON_INVITE_SERVER, h.layer.kind(tx));
        assertEquals(TransactionState.TRYING, h.layer.state(tx));
        assertEquals(0, h.sent.size());
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("options.sip"));
        assertEquals(0, h.sent.size(), "nothing to resend in Trying");
        assertTrue(h.respond(tx, "options.sip", 100, null));
        assertEquals(TransactionState.PROCEEDING, h.layer.state(tx));
        h.request("options.sip");
        assertEquals(2, h.sent.size());
        assertTrue(h.respond(tx, "options.sip", 200, "b2"));
        assertEquals(TransactionState.COMPLETED, h.layer.state(tx));
        assertFalse(h.respond(tx, "options.sip", 200, "b2"));
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("options.sip"));
        assertTrue(h.lastSent().startsWith("SIP/2.0 200 OK"));
        assertArrayEquals(h.sent.get(2), h.sent.get(3));
        h.runUntil(1);
        assertEquals(List.of("terminated:" + tx + "@1"), h.events, "the record leaves the table at the next poll");
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("options.sip"));
        assertArrayEquals(h.sent.get(2), h.sent.get(4), "the lingering entry answers with the same bytes");
        h.runUntil(31_999);
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("options.sip"));
        assertEquals(6, h.sent.size(), "non-INVITE responses are never retransmitted by timer");
        h.runUntil(32_000);
        assertEquals(0, h.layer.lingeringCount());
        assertEquals(TransactionResult.NEW, h.request("options.sip"), "after timer J the request is new again");
    }

    @Test
    void shouldTerminateAtOnceWhenNonInviteCompletesOverReliableTransport()
    {
        h.request("options.sip", TransportProtocol.TCP);
        final long tx = h.layer.transactionId();
        h.respond(tx, "options.sip", 200, "b2");
        h.runUntil(1);
        assertEquals(List.of("terminated:" + tx + "@1"), h.events);
        assertFalse(h.respond(tx, "options.sip", 200, "b2"), "a stale id is refused");
    }

    @Test
    void shouldMatchCancelToItsInviteAsASeparateTransactionWhenBranchesAreEqual()
    {
        h.request("invite.sip");
        final long invite = h.layer.transactionId();
        assertEquals(TransactionResult.CANCEL_MATCHED, h.request("cancel.sip"));
        final long cancel = h.layer.transactionId();
        assertNotEquals(invite, cancel);
        assertEquals(invite, h.layer.invitedTransactionId());
        assertEquals(TransactionState.NON_INVITE_SERVER, h.layer.kind(cancel));
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("cancel.sip"));
        assertEquals(cancel, h.layer.transactionId());
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        assertEquals(invite, h.layer.transactionId());
    }

    @Test
    void shouldCreateCancelTransactionWithoutInviteWhenNoInviteMatches()
    {
        assertEquals(TransactionResult.CANCEL_NO_MATCH, h.request("cancel-unknown.sip"));
        final long cancel = h.layer.transactionId();
        assertEquals(TransactionLayer.NULL_ID, h.layer.invitedTransactionId());
        assertTrue(h.layer.release(cancel));
        assertEquals(List.of("terminated:" + cancel + "@0"), h.events);
        assertEquals(0, h.layer.activeCount());
    }

    @Test
    void shouldReturnNoMatchWhenAckMatchesNoTransaction()
    {
        assertEquals(TransactionResult.NO_MATCH, h.request("ack-2xx.sip"));
        assertEquals(TransactionLayer.NULL_ID, h.layer.transactionId());
    }

    @Test
    void shouldReportTransportErrorAndTerminateWhenSendFails()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        h.failSends = true;
        h.respond(tx, "invite.sip", 486, "b1");
        assertEquals(List.of("transportError:" + tx, "terminated:" + tx + "@0"), h.events);
        assertEquals(TransactionState.NONE, h.layer.state(tx));
        assertEquals(1, h.layer.transportErrorCount());
    }
}
