package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Size-classed message storage: the long-lived states keep no slot (Accepted) or a small one (a Completed
 * transaction's final response or ACK), so they never hold the slots in-progress INVITEs need, and retransmissions
 * are still answered with the exact bytes.
 */
class TransactionStorageTest
{
    @Test
    void shouldMoveAckToSmallSlotAndFreeStandardSlotWhenInviteClientCompletes()
    {
        final TransactionHarness h = new TransactionHarness(new TransactionSettings()
            .capacity(16).smallSlotBytes(300).smallSlots(16).slotBytes(512).slots(1).largeSlots(0),
            KeyHasher.DEFAULT);
        final long first = h.startClient("client-invite.sip", TransportProtocol.UDP);
        assertTrue(first >= 0);
        assertEquals(TransactionLayer.START_TOO_LARGE, startInvite(h, "z9hG4bKc2.out"),
            "the only standard slot holds the first INVITE");

        h.response("client-486.sip");
        assertEquals(TransactionState.COMPLETED, h.layer.state(first));
        final byte[] ack = h.sent.get(h.sent.size() - 1);
        assertTrue(ack.length <= 300, "the ACK fits a small slot: " + ack.length);
        assertTrue(startInvite(h, "z9hG4bKc2.out") >= 0, "the Completed INVITE gave its standard slot back");

        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.response("client-486.sip"));
        assertArrayEquals(ack, h.sent.get(h.sent.size() - 1), "the ACK is resent from the small slot");
    }

    @Test
    void shouldKeepNoMessageWhenInviteServerIsAcceptedAndAnswerFromSmallSlotWhenNonInviteCompletes()
    {
        final TransactionHarness h = new TransactionHarness(new TransactionSettings()
            .capacity(16).smallSlots(1).slots(0).largeSlots(0), KeyHasher.DEFAULT);
        assertEquals(TransactionResult.NEW, h.request("invite.sip"));
        final long invite = h.layer.transactionId();
        assertEquals(1, h.sent.size(), "100 Trying from the only small slot");
        assertEquals(TransactionResult.NEW, h.request("options.sip"));
        final long options = h.layer.transactionId();
        assertTrue(h.respond(options, "options.sip", 200, "b2"));
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("options.sip"));
        assertEquals(2, h.sent.size(), "no slot was free for the 200: it went out once, unkept");

        assertTrue(h.respond(invite, "invite.sip", 200, "b1"));
        assertEquals(TransactionState.ACCEPTED, h.layer.state(invite));
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite.sip"));
        assertEquals(3, h.sent.size(), "Accepted keeps nothing to resend");

        assertEquals(TransactionResult.NEW, request(h, "options.sip", "z9hG4bKopt1", "z9hG4bKopt2"));
        final long second = h.layer.transactionId();
        assertTrue(h.respond(second, "options.sip", 200, "b3"));
        final byte[] ok = h.sent.get(h.sent.size() - 1);
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED,
            request(h, "options.sip", "z9hG4bKopt1", "z9hG4bKopt2"));
        assertArrayEquals(ok, h.sent.get(h.sent.size() - 1), "the Completed non-INVITE answers from the freed slot");
    }

    @Test
    void shouldHoldAcceptedAndCompletedTransactionsOfManyCallsWithFewStandardSlots()
    {
        final int calls = 1000;
        final TransactionHarness h = new TransactionHarness(new TransactionSettings()
            .capacity(4096).smallSlots(2048).slots(4).largeSlots(0), KeyHasher.DEFAULT);
        byte[] seventh = null;
        for (int i = 0; i < calls; i++)
        {
            assertEquals(TransactionResult.NEW, request(h, "invite.sip", "z9hG4bKup1", "z9hG4bKi" + i));
            assertTrue(h.respond(h.layer.transactionId(), "invite.sip", 200, "b1"));
            assertEquals(TransactionResult.NEW, request(h, "options.sip", "z9hG4bKopt1", "z9hG4bKo" + i));
            assertTrue(h.respond(h.layer.transactionId(), "options.sip", 200, "b" + i));
            if (i == 7)
            {
                seventh = h.sent.get(h.sent.size() - 1);
            }
        }
        assertEquals(2 * calls, h.layer.activeCount());
        final long[] states = new long[TransactionState.ACCEPTED + 1];
        h.layer.countByState(states);
        assertEquals(calls, states[TransactionState.ACCEPTED]);
        assertEquals(calls, states[TransactionState.COMPLETED]);
        assertEquals(0, states[TransactionState.PROCEEDING] + states[TransactionState.TRYING]);
        assertEquals(0, h.layer.storeFailureCount(), "every kept message found a small slot");
        final int sent = h.sent.size();
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED,
            request(h, "options.sip", "z9hG4bKopt1", "z9hG4bKo7"));
        assertEquals(sent + 1, h.sent.size());
        assertArrayEquals(seventh, h.sent.get(sent), "the retransmission is answered with its own response");
        h.runUntil(32_000);
        assertEquals(0, h.layer.activeCount());
        h.layer.countByState(states);
        assertEquals(0, Arrays.stream(states).sum(), "state counts follow every record to its end");
    }

    private static long startInvite(final TransactionHarness h, final String branch)
    {
        final UnsafeBuffer buffer = replaced("client-invite.sip", "z9hG4bKc1.out", branch);
        return h.layer.startClient(buffer, 0, buffer.capacity(), TransactionHarness.REMOTE, TransportProtocol.UDP,
            TransactionHarness.CONNECTION, h.nowMs);
    }

    private static int request(final TransactionHarness h, final String fixture, final String from, final String to)
    {
        return h.layer.onRequest(TransactionHarness.decode(replaced(fixture, from, to)), TransactionHarness.REMOTE,
            TransportProtocol.UDP, TransactionHarness.CONNECTION, h.nowMs);
    }

    private static UnsafeBuffer replaced(final String fixture, final String from, final String to)
    {
        final String text = new String(TransactionHarness.fixture(fixture).byteArray(), StandardCharsets.US_ASCII);
        return new UnsafeBuffer(text.replace(from, to).getBytes(StandardCharsets.US_ASCII));
    }
}
