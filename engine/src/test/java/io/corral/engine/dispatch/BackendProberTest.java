package io.corral.engine.dispatch;

import io.corral.engine.proxy.MemberIdCodec;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipUriDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendProberTest
{
    private static final long INTERVAL_MS = 1000;
    private static final long TIMEOUT_MS = 500;

    private final Dispatcher dispatcher = new Dispatcher(null, BackendsFileTest.RESOLVER);
    private final List<Integer> sentTo = new ArrayList<>();
    private final List<byte[]> sent = new ArrayList<>();
    private boolean sendSucceeds = true;
    private final ProbeSettings settings = new ProbeSettings()
        .intervalMs(INTERVAL_MS)
        .timeoutMs(TIMEOUT_MS)
        .failureThreshold(3)
        .successThreshold(2)
        .memberId(7)
        .sentBy("192.0.2.1:5060")
        .fromUri("sip:corral@192.0.2.1");
    private BackendProber prober;
    private long lastNowMs;

    private void load(final String... lines)
    {
        assertTrue(dispatcher.apply("backends.conf", BackendsFileTest.parse(lines)).isOk());
        prober = new BackendProber(dispatcher, this::send, settings, 42);
    }

    private int poll(final long nowMs)
    {
        lastNowMs = nowMs;
        return prober.poll(nowMs);
    }

    private boolean send(final int backend, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        sentTo.add(backend);
        sent.add(bytes);
        return sendSucceeds;
    }

    @Test
    void shouldSendWellFormedOptionsOnlyToProbedBackendsWhenDue()
    {
        load("set=a uri=sip:10.0.0.1:5080;transport=tcp probe=true", "set=a uri=sip:10.0.0.2");

        assertEquals(1, poll(0));

        assertEquals(List.of(0), sentTo);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        final byte[] request = sent.get(0);
        assertEquals(SipMessageDecoder.OK, decoder.wrap(new UnsafeBuffer(request), 0, request.length),
            new String(request, StandardCharsets.US_ASCII));
        assertTrue(decoder.isRequest());
        assertEquals(SipMethod.OPTIONS, decoder.method());
        final SipUriDecoder uri = decoder.requestUri();
        assertEquals("sip:10.0.0.1:5080;transport=tcp",
            new String(request, decoder.requestUriOffset(), decoder.requestUriLength(), StandardCharsets.US_ASCII));
        assertEquals(5080, uri.port());
        assertEquals(TransportProtocol.TCP, decoder.topVia().transport());
        assertEquals(MemberIdCodec.BRANCH_LENGTH, decoder.topVia().branchLength());
        assertEquals(0, prober.probeBackendOf(decoder.buffer(), decoder.topVia().branchOffset(),
            decoder.topVia().branchLength()));
        assertEquals(1, prober.probesSent());
    }

    @Test
    void shouldSendOneProbePerIntervalAndNeverStackThemWhenPolledOften()
    {
        settings.timeoutMs(5 * INTERVAL_MS);
        load("set=a uri=sip:10.0.0.1 probe=true");

        for (long now = 0; now < 3 * INTERVAL_MS; now += 10)
        {
            poll(now);
        }

        assertEquals(1, sentTo.size(), "outstanding probe blocks the next one");
        prober.onProbeResponse(0, 200);
        poll(3 * INTERVAL_MS);
        assertEquals(2, sentTo.size());
        prober.onProbeResponse(0, 200);
        for (long now = 3 * INTERVAL_MS; now < 4 * INTERVAL_MS; now += 10)
        {
            poll(now);
        }
        assertEquals(2, sentTo.size(), "answered probe waits for the interval");
        poll(4 * INTERVAL_MS);
        assertEquals(3, sentTo.size());
    }

    @Test
    void shouldMarkDownAfterThreeFailuresAndUpAfterTwoAnswers()
    {
        load("set=a uri=sip:10.0.0.1 probe=true", "set=a uri=sip:10.0.0.2");
        final int setId = dispatcher.setId("a");
        long now = 0;
        for (int probe = 0; probe < 3; probe++)
        {
            poll(now);
            assertTrue(dispatcher.isUp(0), "up before the third timeout");
            now += TIMEOUT_MS;
            poll(now);
            now += INTERVAL_MS - TIMEOUT_MS;
        }

        assertFalse(dispatcher.isUp(0));
        assertEquals(3, prober.probesFailed());
        assertEquals(1, prober.markedDownCount());
        assertEquals(1, prober.backendsDown());
        assertEquals(1, prober.backendsUp());
        assertEquals(1, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));
        assertEquals(1, dispatcher.select(setId, Dispatcher.SET_RESOURCE, null, 0, 0));

        poll(now);
        answerLast(200);
        assertFalse(dispatcher.isUp(0), "one answer is not enough");
        now += INTERVAL_MS;
        poll(now);
        answerLast(200);

        assertTrue(dispatcher.isUp(0));
        assertEquals(1, prober.markedUpCount());
        assertEquals(2, prober.probesAnswered());
        assertEquals(2, prober.backendsUp());
    }

    @Test
    void shouldCountServiceUnavailableAsFailureUnlessConfiguredAlive()
    {
        settings.failureThreshold(1).successThreshold(1);
        load("set=a uri=sip:10.0.0.1 probe=true");

        poll(0);
        answerLast(503);
        assertFalse(dispatcher.isUp(0));

        settings.aliveCodes("5xx,404");
        poll(INTERVAL_MS);
        answerLast(503);
        assertTrue(dispatcher.isUp(0));
        poll(2 * INTERVAL_MS);
        answerLast(404);
        assertTrue(dispatcher.isUp(0));
        poll(3 * INTERVAL_MS);
        answerLast(403);
        assertFalse(dispatcher.isUp(0));
    }

    @Test
    void shouldIgnoreProvisionalLateAndForeignResponses()
    {
        settings.failureThreshold(1).successThreshold(1);
        load("set=a uri=sip:10.0.0.1 probe=true");
        poll(0);
        final DirectBuffer first = branchOfLast();

        prober.onProbeResponse(0, 100);
        poll(TIMEOUT_MS);
        assertFalse(dispatcher.isUp(0), "1xx does not stop the timeout");

        poll(INTERVAL_MS);
        assertTrue(prober.onProbeResponse(first, 0, first.capacity(), 200), "an old probe's branch is a probe's");
        final DirectBuffer foreign = new UnsafeBuffer("z9hG4bK776asdhds".getBytes(StandardCharsets.US_ASCII));
        assertFalse(prober.onProbeResponse(foreign, 0, foreign.capacity(), 200));
        assertFalse(dispatcher.isUp(0));
        assertTrue(answerLast(200));
        assertTrue(dispatcher.isUp(0));
        assertTrue(answerLast(200), "a duplicate 200 is still ours");
        assertEquals(1, prober.probesAnswered());
    }

    @Test
    void shouldCountSendFailureAsFailedProbe()
    {
        settings.failureThreshold(1);
        load("set=a uri=sip:10.0.0.1 probe=true");
        sendSucceeds = false;

        poll(0);

        assertFalse(dispatcher.isUp(0));
        assertEquals(1, prober.probesFailed());
    }

    @Test
    void shouldRestartProbingStateWhenReloadGivesSlotToAnotherBackend()
    {
        settings.failureThreshold(2);
        load("set=a uri=sip:10.0.0.1 probe=true");
        poll(0);
        poll(TIMEOUT_MS);

        assertTrue(dispatcher.apply("backends.conf", BackendsFileTest.parse("set=a uri=sip:10.0.0.2 probe=true"))
            .isOk());
        poll(INTERVAL_MS);
        poll(INTERVAL_MS + TIMEOUT_MS);

        assertTrue(dispatcher.isUp(1), "one failure of the new backend, not two of the slot");
        assertEquals(List.of(0, 1), sentTo);
    }

    @Test
    void shouldApplyResponsePostedByAnotherThreadAtNextPoll() throws InterruptedException
    {
        settings.failureThreshold(1).successThreshold(1);
        load("set=a uri=sip:10.0.0.1 probe=true");
        poll(0);
        poll(TIMEOUT_MS);
        assertFalse(dispatcher.isUp(0));
        poll(INTERVAL_MS);
        final DirectBuffer branch = branchOfLast();
        final boolean[] matched = new boolean[1];
        final Thread agent = new Thread(() -> matched[0] = prober.onProbeResponse(branch, 0, branch.capacity(), 200));
        agent.start();
        agent.join();

        assertTrue(matched[0]);
        assertFalse(dispatcher.isUp(0), "not before the prober's own poll");
        poll(INTERVAL_MS + 1);
        assertTrue(dispatcher.isUp(0));
    }

    private DirectBuffer branchOfLast()
    {
        final byte[] request = sent.get(sent.size() - 1);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        decoder.wrap(new UnsafeBuffer(request), 0, request.length);
        final byte[] branch = new byte[decoder.topVia().branchLength()];
        decoder.buffer().getBytes(decoder.topVia().branchOffset(), branch);
        return new UnsafeBuffer(branch);
    }

    private boolean answerLast(final int status)
    {
        final DirectBuffer branch = branchOfLast();
        final boolean isProbe = prober.onProbeResponse(branch, 0, branch.capacity(), status);
        prober.poll(lastNowMs);
        return isProbe;
    }
}
