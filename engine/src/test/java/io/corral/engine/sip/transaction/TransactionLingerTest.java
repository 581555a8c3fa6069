package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions that only absorb or answer retransmissions leave the table for the linger ring: what they still do
 * from there, when they stay in full, and what a ring too small does.
 */
class TransactionLingerTest
{
    private final TransactionHarness h = new TransactionHarness();

    @AfterEach
    void close()
    {
        h.layer.close();
    }

    @Test
    void shouldFreeTheRecordButKeepAbsorbingWhenEveryLingeringKindLeavesTheTable()
    {
        h.request("invite.sip");
        final long server = h.layer.transactionId();
        h.respond(server, "invite.sip", 200, "b1");
        h.request("options.sip");
        h.respond(h.layer.transactionId(), "options.sip", 200, "b2");
        h.startClient("client-invite.sip", TransportProtocol.UDP);
        h.response("client-200.sip");
        h.startClient("client-options.sip", TransportProtocol.UDP);
        h.response("client-options-200.sip");
        assertEquals(4, h.layer.activeCount());

        h.runUntil(1);
        assertEquals(0, h.layer.activeCount(), "the table keeps only work in progress");
        assertEquals(4, h.layer.lingeringCount());
        assertEquals(4, h.events.size());
        assertTrue(h.layer.lingerUsedBytes() > 0);
        assertTrue(h.layer.matchesServer(TransactionHarness.decode("invite.sip")), "overload control lets it pass");
        assertTrue(h.layer.matchesServer(TransactionHarness.decode("options.sip")));
        assertFalse(h.layer.matchesServer(TransactionHarness.decode("invite-other-sent-by.sip")));
    }

    @Test
    void shouldAnswerCancelWithoutTargetWhenItsInviteLingersAccepted()
    {
        h.request("invite.sip");
        h.respond(h.layer.transactionId(), "invite.sip", 200, "b1");
        h.runUntil(1);
        assertEquals(TransactionResult.CANCEL_MATCHED, h.request("cancel.sip"), "§9.2: 200, no effect");
        assertEquals(TransactionLayer.NULL_ID, h.layer.invitedTransactionId());
        assertEquals(TransactionState.NON_INVITE_SERVER, h.layer.kind(h.layer.transactionId()));
    }

    @Test
    void shouldAbsorbRetransmittedRfc2543InviteAfter2xxFromTheRing()
    {
        assertEquals(TransactionResult.NEW, h.request("invite-2543.sip"));
        h.respond(h.layer.transactionId(), "invite-2543.sip", 200, "b9");
        h.runUntil(1);
        assertEquals(0, h.layer.activeCount());
        final int sent = h.sent.size();
        assertEquals(TransactionResult.RETRANSMISSION_ABSORBED, h.request("invite-2543.sip"));
        assertEquals(sent, h.sent.size());
        assertEquals(TransactionResult.NEW, h.request("invite-2543-other-cseq.sip"), "another CSeq, another key");
    }

    @Test
    void shouldLingerInFullUntilItsTimerWhenTheCoreHoldsIt()
    {
        h.request("invite.sip");
        final long tx = h.layer.transactionId();
        h.held.add(tx);
        h.respond(tx, "invite.sip", 200, "b1");
        h.runUntil(1);
        assertEquals(TransactionState.ACCEPTED, h.layer.state(tx));
        assertEquals(0, h.layer.lingeringCount());
        assertTrue(h.respond(tx, "invite.sip", 200, "b1"), "the core can still send a 2xx through it");
        h.runUntil(32_000);
        assertEquals(List.of("terminated:" + tx + "@32000"), h.events, "timer L");
    }

    @Test
    void shouldNotResurrectATransactionReleasedBeforeThePoll()
    {
        h.request("options.sip");
        final long tx = h.layer.transactionId();
        h.respond(tx, "options.sip", 200, "b2");
        assertTrue(h.layer.release(tx));
        h.runUntil(1);
        assertEquals(0, h.layer.lingeringCount());
        assertEquals(TransactionResult.NEW, h.request("options.sip"));
    }

    @Test
    void shouldTreatARetransmissionAsNewWhenTheRingDroppedItsEntryEarly()
    {
        final TransactionHarness small = new TransactionHarness(
            new TransactionSettings().capacity(64).lingerBytes(4096).lingerEntries(16), KeyHasher.DEFAULT);
        try
        {
            small.request("options.sip");
            small.respond(small.layer.transactionId(), "options.sip", 200, "b2");
            small.runUntil(1);
            final String options = TransactionHarness.fixture("options.sip").getStringWithoutLengthAscii(
                0, TransactionHarness.fixture("options.sip").capacity());
            for (int i = 0; i < 40; i++)
            {
                final SipMessageDecoder request = TransactionHarness.decode(new UnsafeBuffer(
                    options.replace("branch=", "branch=z9hG4bKother" + i + ".").getBytes(StandardCharsets.US_ASCII)));
                assertEquals(TransactionResult.NEW, small.layer.onRequest(request, TransactionHarness.REMOTE,
                    TransportProtocol.UDP, TransactionHarness.CONNECTION, small.nowMs));
                final UnsafeBuffer response = new UnsafeBuffer(new byte[4096]);
                final int length = small.responseBuilder.buildResponse(request, 200, null, null, 0, -1, response, 0);
                small.layer.respond(small.layer.transactionId(), response, 0, length, 200, small.nowMs);
                small.runUntil(small.nowMs + 1);
            }
            assertTrue(small.layer.lingerDroppedCount() > 0);
            final int sent = small.sent.size();
            assertEquals(TransactionResult.NEW, small.request("options.sip"), "the core sees it as a new request");
            assertEquals(sent, small.sent.size(), "the layer did not answer it");
        }
        finally
        {
            small.layer.close();
        }
    }
}
