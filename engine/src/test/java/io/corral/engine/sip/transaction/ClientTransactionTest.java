package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipRequestBuilder;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INVITE (RFC 3261 figure 5 with RFC 6026's Accepted) and non-INVITE (figure 6) client transactions.
 */
class ClientTransactionTest
{
    private final TransactionHarness h = new TransactionHarness();

    @Test
    void shouldRetransmitOnTimerADoublingWithoutCapAndTimeOutOnTimerBWhenNoResponse()
    {
        final long tx = h.startClient("client-invite.sip", TransportProtocol.UDP);
        assertTrue(tx >= 0);
        assertEquals(TransactionState.CALLING, h.layer.state(tx));
        h.runUntil(40_000);
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L), h.sendIntervals());
        for (final byte[] resent : h.sent)
        {
            assertArrayEquals(h.sent.get(0), resent);
        }
        assertEquals(List.of("clientTimeout:" + tx + "@32000", "terminated:" + tx + "@32000"), h.events);
        assertEquals(1, h.layer.clientTimeoutCount());
    }

    @Test
    void shouldStopRetransmittingAndNotTimeOutWhenProvisionalArrives()
    {
        final long tx = h.startClient("client-invite.sip", TransportProtocol.UDP);
        h.runUntil(600);
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-100.sip"));
        assertEquals(tx, h.layer.transactionId());
        assertEquals(TransactionState.PROCEEDING, h.layer.state(tx));
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-180.sip"));
        h.runUntil(100_000);
        assertEquals(2, h.sent.size());
        assertTrue(h.events.isEmpty(), "timer C is the proxy's: no timeout in Proceeding");
    }

    @Test
    void shouldAckNon2xxAndAbsorbItsRetransmissionsThenTerminateOnTimerD()
    {
        final long tx = h.startClient("client-invite.sip", TransportProtocol.UDP);
        h.response("client-180.sip");
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-486.sip"));
        assertEquals(TransactionState.COMPLETED, h.layer.state(tx));
        assertEquals(486, h.layer.lastStatus(tx));
        final String ack = h.lastSent();
        assertTrue(ack.startsWith("ACK sip:bob@192.0.2.20 SIP/2.0\r\n"), ack);
        assertTrue(ack.contains("To: Bob <sip:bob@example.com>;tag=b1\r\n"), ack);
        assertTrue(ack.contains("CSeq: 1 ACK\r\n"), ack);
        assertTrue(ack.contains("branch=z9hG4bKc1.out"), ack);
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-486.sip"));
        assertArrayEquals(h.sent.get(1), h.sent.get(2));
        h.runUntil(1);
        assertEquals(List.of("terminated:" + tx + "@1"), h.events, "the record leaves the table at the next poll");
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-486.sip"));
        assertArrayEquals(h.sent.get(1), h.sent.get(3), "the lingering entry re-ACKs with the same bytes");
        h.runUntil(31_999);
        assertEquals(4, h.sent.size());
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-486.sip"));
        h.runUntil(32_000);
        assertEquals(TransactionResult.NO_MATCH, h.response("client-486.sip"), "timer D ended it");
        assertEquals(5, h.sent.size());
    }

    @Test
    void shouldPassEvery2xxOnInAcceptedThenLingerUntilTimerM()
    {
        final long tx = h.startClient("client-invite.sip", TransportProtocol.UDP);
        h.runUntil(100);
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-200.sip"));
        assertEquals(TransactionState.ACCEPTED, h.layer.state(tx));
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-200.sip"));
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-180.sip"));
        h.runUntil(101);
        assertEquals(List.of("terminated:" + tx + "@101"), h.events, "the record leaves the table at the next poll");
        assertEquals(TransactionResult.FORWARD_STATELESSLY, h.response("client-200.sip"), "RFC 6026 §7.2");
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-180.sip"));
        h.runUntil(32_099);
        assertEquals(TransactionResult.FORWARD_STATELESSLY, h.response("client-200.sip"));
        assertEquals(1, h.sent.size(), "no ACK for 2xx, no retransmission");
        h.runUntil(32_100);
        assertEquals(TransactionResult.NO_MATCH, h.response("client-200.sip"), "timer M ended it");
    }

    @Test
    void shouldNotRetransmitAndTerminateAtOnceAfterNon2xxWhenReliable()
    {
        final long tx = h.startClient("client-invite.sip", TransportProtocol.TCP);
        h.runUntil(10_000);
        assertEquals(1, h.sent.size());
        h.response("client-486.sip");
        assertEquals(2, h.sent.size());
        h.runUntil(10_001);
        assertEquals(List.of("terminated:" + tx + "@10001"), h.events);
    }

    @Test
    void shouldTimeOutOnTimerBOverReliableTransportWithoutRetransmitting()
    {
        final long tx = h.startClient("client-invite.sip", TransportProtocol.TCP);
        h.runUntil(32_000);
        assertEquals(1, h.sent.size());
        assertEquals(List.of("clientTimeout:" + tx + "@32000", "terminated:" + tx + "@32000"), h.events);
    }

    @Test
    void shouldFailAtOnceWhenTheConnectionItWasSentOnCannotBeOpened()
    {
        final long invite = h.startClient("client-invite.sip", TransportProtocol.TCP);
        final long options = h.startClient("client-options.sip", TransportProtocol.TCP);
        h.runUntil(20);

        assertEquals(0, h.layer.onConnectFailed(
            TransactionHarness.REMOTE + 1, TransportProtocol.TCP, TransactionHarness.CONNECTION, 0));
        assertEquals(0, h.layer.onConnectFailed(
            TransactionHarness.REMOTE, TransportProtocol.TCP, TransactionHarness.CONNECTION + 1, 0));
        assertTrue(h.events.isEmpty());
        assertEquals(2, h.layer.onConnectFailed(
            TransactionHarness.REMOTE, TransportProtocol.TCP, 0, TransactionHarness.CONNECTION));

        assertEquals(List.of("transportError:" + invite, "terminated:" + invite + "@20",
            "transportError:" + options, "terminated:" + options + "@20"), h.events);
    }

    @Test
    void shouldNotFailATransactionThatHadAResponseWhenItsConnectionCannotBeOpened()
    {
        final long tx = h.startClient("client-invite.sip", TransportProtocol.TCP);
        h.response("client-180.sip");

        assertEquals(0, h.layer.onConnectFailed(
            TransactionHarness.REMOTE, TransportProtocol.TCP, TransactionHarness.CONNECTION, 0));

        assertEquals(TransactionState.PROCEEDING, h.layer.state(tx));
        assertTrue(h.events.isEmpty());
    }

    @Test
    void shouldRetransmitOnTimerECappedAtT2AndTimeOutOnTimerFWhenNonInvite()
    {
        final long tx = h.startClient("client-options.sip", TransportProtocol.UDP);
        assertEquals(TransactionState.TRYING, h.layer.state(tx));
        h.runUntil(40_000);
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 4000L, 4000L, 4000L, 4000L, 4000L, 4000L),
            h.sendIntervals());
        assertEquals(List.of("clientTimeout:" + tx + "@32000", "terminated:" + tx + "@32000"), h.events);
    }

    @Test
    void shouldKeepRetransmittingAtT2InProceedingWhenNonInvite()
    {
        final long tx = h.startClient("client-options.sip", TransportProtocol.UDP);
        h.runUntil(100);
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-options-180.sip"));
        assertEquals(TransactionState.PROCEEDING, h.layer.state(tx));
        h.runUntil(13_000);
        assertEquals(List.of(500L, 4000L, 4000L, 4000L), h.sendIntervals());
    }

    @Test
    void shouldCompleteAndAbsorbRetransmittedFinalThenTerminateOnTimerKWhenNonInvite()
    {
        final long tx = h.startClient("client-options.sip", TransportProtocol.UDP);
        h.runUntil(100);
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-options-200.sip"));
        assertEquals(TransactionState.COMPLETED, h.layer.state(tx));
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-options-200.sip"));
        h.runUntil(101);
        assertEquals(List.of("terminated:" + tx + "@101"), h.events, "the record leaves the table at the next poll");
        h.runUntil(5_099);
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-options-200.sip"));
        assertEquals(1, h.sent.size());
        h.runUntil(5_100);
        assertEquals(TransactionResult.NO_MATCH, h.response("client-options-200.sip"), "timer K ended it");
    }

    @Test
    void shouldTerminateAtOnceOnFinalWhenNonInviteIsReliable()
    {
        final long tx = h.startClient("client-options.sip", TransportProtocol.TCP);
        h.response("client-options-200.sip");
        h.runUntil(1);
        assertEquals(List.of("terminated:" + tx + "@1"), h.events);
    }

    @Test
    void shouldReturnNoMatchWhenBranchOrCSeqMethodDiffers()
    {
        h.startClient("client-invite.sip", TransportProtocol.UDP);
        assertEquals(TransactionResult.NO_MATCH, h.response("client-486-other-branch.sip"));
        assertEquals(TransactionResult.NO_MATCH, h.response("client-486-cancel-method.sip"));
        assertEquals(TransactionLayer.NULL_ID, h.layer.transactionId());
    }

    @Test
    void shouldKeepCancelAndInviteClientTransactionsApartWhenTheyShareABranch()
    {
        final long invite = h.startClient("client-invite.sip", TransportProtocol.UDP);
        final UnsafeBuffer cancel = new UnsafeBuffer(new byte[2048]);
        final int length =
            new SipRequestBuilder().buildCancel(TransactionHarness.decode("client-invite.sip"), cancel, 0);
        final long cancelTx = h.layer.startClient(cancel, 0, length, TransactionHarness.REMOTE, TransportProtocol.UDP,
            TransactionHarness.CONNECTION, 0);
        assertTrue(cancelTx >= 0);
        assertNotEquals(invite, cancelTx);
        assertEquals(TransactionState.NON_INVITE_CLIENT, h.layer.kind(cancelTx));
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-486-cancel-method.sip"));
        assertEquals(cancelTx, h.layer.transactionId());
        assertEquals(TransactionState.COMPLETED, h.layer.state(cancelTx));
        assertEquals(TransactionState.CALLING, h.layer.state(invite));
    }

    @Test
    void shouldRefuseDuplicateBranchAndAckWhenStartingClient()
    {
        assertTrue(h.startClient("client-invite.sip", TransportProtocol.UDP) >= 0);
        assertEquals(TransactionLayer.START_DUPLICATE, h.startClient("client-invite.sip", TransportProtocol.UDP));
        assertEquals(TransactionLayer.START_INVALID, h.startClient("ack-non2xx.sip", TransportProtocol.UDP));
    }

    @Test
    void shouldKeyAClientStartedWithAKnownMethodAndBranchAsIfItHadBeenDecoded()
    {
        final UnsafeBuffer invite = TransactionHarness.fixture("client-invite.sip");
        final UnsafeBuffer method = ascii("INVITE");
        final UnsafeBuffer branch = ascii("z9hG4bKc1.out");
        final long tx = h.layer.startClient(invite, 0, invite.capacity(), SipMethod.INVITE, method, 0, 6, branch, 0,
            branch.capacity(), TransactionHarness.REMOTE, TransportProtocol.UDP, TransactionHarness.CONNECTION, 0);
        assertTrue(tx >= 0);
        assertEquals(TransactionState.INVITE_CLIENT, h.layer.kind(tx));
        assertArrayEquals(invite.byteArray(), h.sent.get(0), "sent as given");
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-180.sip"));
        assertEquals(tx, h.layer.transactionId());
        assertEquals(TransactionLayer.START_DUPLICATE, h.startClient("client-invite.sip", TransportProtocol.UDP),
            "the decoding overload finds the same key");
        final UnsafeBuffer other = ascii("z9hG4bKc2.out");
        assertEquals(TransactionLayer.START_INVALID, h.layer.startClient(invite, 0, invite.capacity(), SipMethod.ACK,
            ascii("ACK"), 0, 3, other, 0, other.capacity(), TransactionHarness.REMOTE, TransportProtocol.UDP,
            TransactionHarness.CONNECTION, 0), "an ACK is never a transaction");
        assertEquals(TransactionLayer.START_INVALID, h.layer.startClient(invite, 0, invite.capacity(),
            SipMethod.INVITE, method, 0, 6, other, 0, 0, TransactionHarness.REMOTE, TransportProtocol.UDP,
            TransactionHarness.CONNECTION, 0), "no branch");
        assertEquals(1, h.sent.size());
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRetransmitExactBytesFromLargeSlotWhenMessageExceedsItsSlot()
    {
        final TransactionHarness small = new TransactionHarness(
            new TransactionSettings().capacity(16).slotBytes(512).largeSlots(1), KeyHasher.DEFAULT);
        final String pad = "X-Pad: " + "a".repeat(700) + "\r\n";
        final String text = new String(TransactionHarness.fixture("client-options.sip").byteArray(),
            StandardCharsets.US_ASCII).replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n" + pad);
        final UnsafeBuffer big = new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
        final long tx = small.layer.startClient(big, 0, big.capacity(), TransactionHarness.REMOTE,
            TransportProtocol.UDP, TransactionHarness.CONNECTION, 0);
        assertTrue(tx >= 0);
        final UnsafeBuffer other = new UnsafeBuffer(text.replace("z9hG4bKo1.out", "z9hG4bKo2.out")
            .getBytes(StandardCharsets.US_ASCII));
        assertEquals(TransactionLayer.START_TOO_LARGE, small.layer.startClient(other, 0, other.capacity(),
            TransactionHarness.REMOTE, TransportProtocol.UDP, TransactionHarness.CONNECTION, 0));
        small.runUntil(600);
        assertEquals(2, small.sent.size());
        assertArrayEquals(big.byteArray(), small.sent.get(1));
    }
}
