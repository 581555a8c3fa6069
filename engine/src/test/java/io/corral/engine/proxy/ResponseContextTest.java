package io.corral.engine.proxy;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMessageEditor;
import io.corral.engine.sip.codec.SipStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.corral.engine.proxy.ResponseContext.ABSORB;
import static io.corral.engine.proxy.ResponseContext.CANCEL_PENDING;
import static io.corral.engine.proxy.ResponseContext.CANCEL_THIS;
import static io.corral.engine.proxy.ResponseContext.FORWARD_BEST;
import static io.corral.engine.proxy.ResponseContext.FORWARD_THIS;
import static io.corral.engine.proxy.ResponseContext.NEXT_TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseContextTest
{
    private static final long TIMER_C_MS = 185_000;

    private final ResponseContext context = new ResponseContext(TIMER_C_MS, 1024);

    private static UnsafeBuffer response(final int status)
    {
        return ProxyFixtures.buffer("SIP/2.0 " + status + " X\r\n");
    }

    private int onResponse(final int branch, final int status)
    {
        final UnsafeBuffer bytes = response(status);
        return context.onResponse(branch, status, bytes, 0, bytes.capacity(), 0);
    }

    /**
     * Each row: branches, then "branch:status" events in order; expected best status, its branch, whether it is
     * built locally, and the actions of the last event.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 | 0:486                 | 486 | 0 | false | " + FORWARD_BEST,
        "2 | 0:486 1:404           | 486 | 0 | false | " + FORWARD_BEST,
        "2 | 0:404 1:302           | 302 | 1 | false | " + FORWARD_BEST,
        "3 | 0:500 1:404 2:480     | 404 | 1 | false | " + FORWARD_BEST,
        "2 | 0:404 1:407           | 407 | 1 | false | " + FORWARD_BEST,
        "3 | 0:401 1:407 2:404     | 401 | 0 | false | " + FORWARD_BEST,
        "2 | 0:503 1:504           | 500 | 0 | true  | " + FORWARD_BEST,
        "1 | 0:503                 | 500 | 0 | true  | " + FORWARD_BEST,
        "2 | 0:180 1:603           | 603 | 1 | false | " + CANCEL_PENDING,
        "2 | 0:603 1:486           | 603 | 0 | false | " + FORWARD_BEST,
        "2 | 0:486 1:600           | 600 | 1 | false | " + FORWARD_BEST,
        "3 | 0:180 1:180 2:404     | 404 | 2 | false | " + ABSORB,
    })
    void shouldChooseBestResponseWhenBranchesComplete(
        final int branches, final String events, final int bestStatus, final int bestBranch, final boolean local,
        final int lastAction)
    {
        context.reset(true);
        for (int i = 0; i < branches; i++)
        {
            assertEquals(i, context.addBranch(0));
        }
        int action = ABSORB;
        for (final String event : events.trim().split(" +"))
        {
            final String[] parts = event.split(":");
            action = onResponse(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        assertEquals(lastAction, action);
        assertEquals(bestStatus, context.bestStatus());
        assertEquals(bestBranch, context.bestBranch());
        assertEquals(local, context.bestIsLocal());
        if (!local)
        {
            assertEquals("SIP/2.0 " + context.bestStatus() + " X\r\n", ProxyFixtures.range(
                context.bestResponse(), 0, context.bestResponseLength()));
        }
    }

    @Test
    void shouldForwardProvisionalAndTwoHundredsAtOnceAndCancelOthers()
    {
        context.reset(true);
        context.addBranch(0);
        context.addBranch(0);
        assertEquals(ABSORB, onResponse(0, 100));
        assertEquals(FORWARD_THIS, onResponse(0, 180));
        assertEquals(FORWARD_THIS, onResponse(1, 183));
        assertEquals(FORWARD_THIS | CANCEL_PENDING, onResponse(0, 200));
        assertTrue(context.shouldCancel(1));
        assertFalse(context.shouldCancel(1));
        assertFalse(context.shouldCancel(0));
        assertEquals(ABSORB, onResponse(1, 180));
        // A 2xx from another branch after the first is still forwarded to the caller (§16.7 item 5).
        assertEquals(FORWARD_THIS, onResponse(1, 200));
        assertEquals(FORWARD_THIS, onResponse(0, 200));
        assertEquals(-1, context.addBranch(0));
    }

    @Test
    void shouldForwardFirstFinalOnlyWhenNotInvite()
    {
        context.reset(false);
        context.addBranch(0);
        context.addBranch(0);
        assertEquals(FORWARD_THIS, onResponse(0, 200));
        assertEquals(ABSORB, onResponse(1, 200));
        assertEquals(Long.MAX_VALUE, context.nextDeadlineMs());
    }

    @Test
    void shouldCancelBranchWhenTimerCFiresAfterProvisional()
    {
        context.reset(true);
        context.addBranch(1_000);
        assertEquals(1_000 + TIMER_C_MS, context.nextDeadlineMs());
        assertEquals(-1, context.pollExpired(1_000 + TIMER_C_MS - 1));
        context.onResponse(0, 180, response(180), 0, 10, 50_000);
        assertEquals(50_000 + TIMER_C_MS, context.nextDeadlineMs());
        assertEquals(0, context.pollExpired(50_000 + TIMER_C_MS));
        assertEquals(CANCEL_THIS, context.onTimerC(0, 50_000 + TIMER_C_MS));
        assertEquals(FORWARD_BEST, onResponse(0, 487));
        assertEquals(SipStatus.REQUEST_TERMINATED, context.bestStatus());
    }

    @Test
    void shouldAnswer408WhenTimerCFiresWithoutResponse()
    {
        context.reset(true);
        context.addBranch(0);
        context.addBranch(0);
        onResponse(1, 404);
        assertEquals(0, context.pollExpired(TIMER_C_MS));
        assertEquals(FORWARD_BEST, context.onTimerC(0, TIMER_C_MS));
        assertEquals(404, context.bestStatus());
        context.reset(true);
        context.addBranch(0);
        assertEquals(FORWARD_BEST, context.onTimerC(0, TIMER_C_MS));
        assertEquals(SipStatus.REQUEST_TIMEOUT, context.bestStatus());
        assertTrue(context.bestIsLocal());
    }

    @Test
    void shouldAnswer408WhenCancelledBranchNeverAnswers()
    {
        context.reset(true);
        context.addBranch(0);
        onResponse(0, 180);
        assertEquals(CANCEL_THIS, context.onTimerC(0, TIMER_C_MS));
        assertEquals(TIMER_C_MS + ResponseContext.CANCEL_TIMEOUT_MS, context.nextDeadlineMs());
        assertEquals(FORWARD_BEST, context.onTimerC(0, TIMER_C_MS + ResponseContext.CANCEL_TIMEOUT_MS));
        assertEquals(SipStatus.REQUEST_TIMEOUT, context.bestStatus());
    }

    @Test
    void shouldCancelBranchOnFirstProvisionalWhenCancelArrivedBefore()
    {
        context.reset(true);
        context.addBranch(0);
        context.addBranch(0);
        onResponse(0, 180);
        assertEquals(CANCEL_PENDING, context.cancel());
        assertTrue(context.shouldCancel(0));
        assertFalse(context.shouldCancel(1));
        assertEquals(FORWARD_THIS | CANCEL_THIS, onResponse(1, 180));
        assertEquals(ABSORB, onResponse(0, 487));
        assertEquals(FORWARD_BEST, onResponse(1, 487));
        assertEquals(SipStatus.REQUEST_TERMINATED, context.bestStatus());
        assertEquals(-1, context.addBranch(0));
    }

    @Test
    void shouldAggregateChallengesWhenBestIsUnauthorized()
    {
        final String tail = "Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK776asdhds\r\n" +
            "To: <sip:bob@192.0.2.20>;tag=1\r\nFrom: <sip:alice@192.0.2.10>;tag=2\r\nCall-ID: c1\r\n" +
            "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        final SipMessageDecoder first = ProxyFixtures.decodeText("SIP/2.0 401 Unauthorized\r\n" +
            "WWW-Authenticate: Digest realm=\"a.example.com\", nonce=\"n1\"\r\n" + tail);
        final SipMessageDecoder second = ProxyFixtures.decodeText("SIP/2.0 407 Proxy Authentication Required\r\n" +
            "Proxy-Authenticate: Digest realm=\"b.example.com\", nonce=\"n2\"\r\n" + tail);
        context.reset(true);
        context.addBranch(0);
        context.addBranch(0);
        final UnsafeBuffer firstBytes = (UnsafeBuffer)first.buffer();
        context.onResponse(0, 401, firstBytes, 0, firstBytes.capacity(), 0);
        context.collectChallenges(0, first);
        final UnsafeBuffer secondBytes = (UnsafeBuffer)second.buffer();
        assertEquals(FORWARD_BEST, context.onResponse(1, 407, secondBytes, 0, secondBytes.capacity(), 0));
        context.collectChallenges(1, second);
        assertEquals(401, context.bestStatus());

        final SipMessageDecoder best = ProxyFixtures.decodeBytes(
            (UnsafeBuffer)context.bestResponse(), context.bestResponseLength());
        final SipMessageEditor editor = new SipMessageEditor();
        editor.wrap(best);
        assertEquals(1, context.addChallenges(editor));
        final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
        final SipMessageDecoder aggregated = ProxyFixtures.decodeBytes(out, editor.encode(out, 0));
        assertEquals("Digest realm=\"a.example.com\", nonce=\"n1\"",
            ProxyFixtures.header(aggregated, HeaderName.WWW_AUTHENTICATE));
        assertEquals("Digest realm=\"b.example.com\", nonce=\"n2\"",
            ProxyFixtures.header(aggregated, HeaderName.PROXY_AUTHENTICATE));
    }

    @Test
    void shouldRefuseBranchesBeyondMaximum()
    {
        context.reset(true);
        for (int i = 0; i < ResponseContext.MAX_BRANCHES; i++)
        {
            assertEquals(i, context.addBranch(0));
        }
        assertEquals(-1, context.addBranch(0));
    }

    @Test
    void shouldAskForNextTargetInsteadOfBestWhenSerialTargetsRemain()
    {
        context.reset(true);
        context.addBranch(0);
        context.moreTargets(true);
        assertEquals(NEXT_TARGET, onResponse(0, 503));
        assertFalse(context.isFinalSent());
        assertEquals(1, context.addBranch(0));
        context.moreTargets(true);
        assertEquals(NEXT_TARGET, context.onBranchFailure(1, SipStatus.SERVICE_UNAVAILABLE));
        assertEquals(2, context.addBranch(0));
        context.moreTargets(false);
        assertEquals(FORWARD_BEST, onResponse(2, 486));
        assertEquals(486, context.bestStatus());
        assertTrue(context.isComplete());
    }

    @Test
    void shouldAnswerBestWhenNoFurtherTargetCanStart()
    {
        context.reset(true);
        context.addBranch(0);
        context.moreTargets(true);
        assertEquals(NEXT_TARGET, onResponse(0, 500));
        assertEquals(FORWARD_BEST, context.noMoreTargets());
        assertEquals(SipStatus.SERVER_INTERNAL_ERROR, context.bestStatus());
    }

    @Test
    void shouldNotTryNextTargetAfterCancel()
    {
        context.reset(true);
        context.addBranch(0);
        context.moreTargets(true);
        onResponse(0, 180);
        context.cancel();
        assertEquals(FORWARD_BEST, onResponse(0, 487));
    }

    @Test
    void shouldLetParallelBranchesOfOneQGroupFinishBeforeNextGroup()
    {
        context.reset(true);
        context.addBranch(0);
        context.addBranch(0);
        context.moreTargets(true);
        assertEquals(ABSORB, onResponse(0, 486));
        assertEquals(NEXT_TARGET, onResponse(1, 480));
        assertEquals(2, context.addBranch(0));
        context.moreTargets(false);
        assertEquals(FORWARD_THIS, onResponse(2, 200));
    }
}
