package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Matching (RFC 3261 §17.1.3, §17.2.3, RFC 2543 fallback), hash collisions, a full table and timers for the core.
 */
class TransactionMatchingTest
{
    @Test
    void shouldStartSeparateTransactionWhenSentByDiffersWithSameBranch()
    {
        final TransactionHarness h = new TransactionHarness();
        h.request("invite.sip");
        final long first = h.layer.transactionId();
        assertEquals(TransactionResult.NEW, h.request("invite-other-sent-by.sip"));
        assertNotEquals(first, h.layer.transactionId());
        assertEquals(2, h.layer.activeCount());
    }

    @Test
    void shouldMatchRfc2543RequestsAndAckByFieldsAndResponseToTag()
    {
        final TransactionHarness h = new TransactionHarness();
        assertEquals(TransactionResult.NEW, h.request("invite-2543.sip"));
        final long tx = h.layer.transactionId();
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite-2543.sip"));
        assertEquals(tx, h.layer.transactionId());
        assertEquals(TransactionResult.NEW, h.request("invite-2543-other-cseq.sip"));
        assertNotEquals(tx, h.layer.transactionId());
        h.respond(tx, "invite-2543.sip", 486, "b9");
        assertEquals(TransactionResult.NO_MATCH, h.request("ack-2543-wrong-tag.sip"));
        assertEquals(TransactionResult.ACK_FOR_NON2XX_ABSORBED, h.request("ack-2543.sip"));
        assertEquals(tx, h.layer.transactionId());
        assertEquals(TransactionState.CONFIRMED, h.layer.state(tx));
    }

    @Test
    void shouldTellRetransmissionsFromNewRequestsWithoutChangingAnythingWhenAskedBeforeShedding()
    {
        final TransactionHarness h = new TransactionHarness();
        assertFalse(h.layer.matchesServer(TransactionHarness.decode("invite.sip")));
        assertEquals(0, h.layer.activeCount());
        assertEquals(0, h.sent.size());

        h.request("invite.sip");
        h.request("invite-2543.sip");
        assertTrue(h.layer.matchesServer(TransactionHarness.decode("invite.sip")));
        assertTrue(h.layer.matchesServer(TransactionHarness.decode("invite-2543.sip")));
        assertFalse(h.layer.matchesServer(TransactionHarness.decode("invite-other-sent-by.sip")));
        assertFalse(h.layer.matchesServer(TransactionHarness.decode("invite-2543-other-cseq.sip")));
        assertFalse(h.layer.matchesServer(TransactionHarness.decode("options.sip")));
        assertEquals(2, h.layer.activeCount());
        assertEquals(2, h.sent.size(), "only the two 100 Trying: asking resends nothing");
        assertEquals(0, h.layer.absorbedCount());
    }

    @Test
    void shouldNeverMisMatchWhenEveryKeyHashesTheSame()
    {
        final TransactionHarness h = new TransactionHarness(new TransactionSettings().capacity(64), (b, o, l) -> 42L);
        final List<String> requests = List.of(
            "invite.sip", "invite-other-sent-by.sip", "options.sip", "invite-2543.sip", "invite-2543-other-cseq.sip");
        final long[] ids = new long[requests.size()];
        for (int i = 0; i < ids.length; i++)
        {
            assertEquals(TransactionResult.NEW, h.request(requests.get(i)), requests.get(i));
            ids[i] = h.layer.transactionId();
        }
        assertEquals(TransactionResult.CANCEL_MATCHED, h.request("cancel.sip"));
        assertEquals(ids[0], h.layer.invitedTransactionId());
        final long client = h.startClient("client-invite.sip", TransportProtocol.UDP);
        assertTrue(client >= 0);
        assertTrue(h.layer.release(ids[2]));
        for (int i = 0; i < ids.length; i++)
        {
            final int expected = i == 2 ? TransactionResult.NEW : TransactionResult.RETRANSMISSION_ABSORBED;
            assertEquals(expected, h.request(requests.get(i)), requests.get(i));
            if (i != 2)
            {
                assertEquals(ids[i], h.layer.transactionId(), requests.get(i));
            }
        }
        assertEquals(TransactionResult.FORWARD_TO_CORE, h.response("client-180.sip"));
        assertEquals(client, h.layer.transactionId());
        assertEquals(TransactionResult.NO_MATCH, h.response("client-486-other-branch.sip"));
    }

    @Test
    void shouldReturnTableFullAndCountWhenCapacityIsReached()
    {
        final TransactionHarness h = new TransactionHarness(new TransactionSettings().capacity(16), KeyHasher.DEFAULT);
        final String options = new String(TransactionHarness.fixture("options.sip").byteArray(),
            StandardCharsets.US_ASCII);
        for (int i = 0; i < 16; i++)
        {
            assertEquals(TransactionResult.NEW, h.layer.onRequest(withBranch(options, i), TransactionHarness.REMOTE,
                TransportProtocol.UDP, TransactionHarness.CONNECTION, 0));
        }
        final SipMessageDecoder extra = withBranch(options, 16);
        assertEquals(TransactionResult.TABLE_FULL, h.layer.onRequest(extra, TransactionHarness.REMOTE,
            TransportProtocol.UDP, TransactionHarness.CONNECTION, 0));
        assertEquals(1, h.layer.tableFullCount());
        assertEquals(TransactionLayer.START_TABLE_FULL, h.startClient("client-invite.sip", TransportProtocol.UDP));
        assertEquals(2, h.layer.tableFullCount());
    }

    @Test
    void shouldFireCoreTimerWithItsCookieAndNotFireCancelledOne()
    {
        final TransactionHarness h = new TransactionHarness();
        h.layer.scheduleTimer(1000, 77);
        final long cancelled = h.layer.scheduleTimer(900, 78);
        assertTrue(h.layer.cancelTimer(cancelled));
        h.runUntil(999);
        assertTrue(h.events.isEmpty());
        h.runUntil(2000);
        assertEquals(List.of("timer:77@1000"), h.events);
    }

    @Test
    void shouldFireEveryDueTimerWhenPolledAfterALongGap()
    {
        final TransactionHarness h = new TransactionHarness();
        final long tx = h.startClient("client-options.sip", TransportProtocol.UDP);
        h.nowMs = 40_000;
        h.layer.poll(h.nowMs);
        assertEquals(List.of("clientTimeout:" + tx + "@40000", "terminated:" + tx + "@40000"), h.events);
    }

    @Test
    void shouldFireAtMostTheLimitAndTheRestOnNextPollWhenExpiryIsBounded()
    {
        final TransactionHarness h = new TransactionHarness();
        for (int i = 0; i < 5; i++)
        {
            h.layer.scheduleTimer(100 + i, i);
        }
        h.nowMs = 200;
        assertEquals(2, h.layer.poll(200, 2));
        assertEquals(2, h.events.size());
        assertEquals(3, h.layer.poll(200, 10));
        assertEquals(List.of("timer:0@200", "timer:1@200", "timer:2@200", "timer:3@200", "timer:4@200"), h.events);
    }

    private static SipMessageDecoder withBranch(final String options, final int i)
    {
        final String branch = String.format("z9hG4bK%04d", i);
        return TransactionHarness.decode(new UnsafeBuffer(
            options.replace("z9hG4bKopt1", branch).getBytes(StandardCharsets.US_ASCII)));
    }
}
