package io.corral.engine.registrar;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.transport.RemoteAddressTable;
import io.corral.state.StateChangeListener;
import io.corral.state.dialog.DialogFlyweight;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationFlyweight;
import io.corral.state.registration.RegistrationStore;
import io.corral.state.registration.RegistrationStoreContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatKeepAliveTest
{
    private static final long NOW = 1_700_000_000_000L;
    private static final int MEMBER_ID = 1;
    private static final int NAT_IP = 0xC6336401;

    @TempDir
    Path dataDir;

    private final FakeOutput output = new FakeOutput();
    private final List<Integer> changes = new ArrayList<>();
    private final CountersManager countersManager = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(512 * 64)), new UnsafeBuffer(ByteBuffer.allocateDirect(128 * 64)));
    private RegistrationStore store;
    private NatKeepAlive keepAlive;

    private void open(final long intervalMs, final long timeoutMs, final int maxFailures)
    {
        store = RegistrationStore.open(new RegistrationStoreContext().dataDir(dataDir).memberId(MEMBER_ID)
            .maxEntries(1000).maxContacts(4).listener(new StateChangeListener()
            {
                public void onDialogChanged(final DialogFlyweight dialog, final int changeType)
                {
                }

                public void onRegistrationChanged(final RegistrationFlyweight registration, final int changeType)
                {
                    changes.add(changeType);
                }
            }));
        keepAlive = new NatKeepAlive(new KeepAliveSettings(intervalMs, timeoutMs, maxFailures), store, output,
            countersManager, 0, 1, MEMBER_ID, 42);
    }

    @AfterEach
    void close()
    {
        if (store != null)
        {
            store.close();
        }
    }

    @Test
    void shouldPingEveryNatedContactOnceSpreadOverTheInterval()
    {
        open(1000, 500, 3);
        for (int i = 0; i < 200; i++)
        {
            register("u" + i, TransportProtocol.UDP, 10_000 + i, true, 0);
        }
        register("direct", TransportProtocol.UDP, 5060, false, 0);
        register("other-agent", TransportProtocol.UDP, 5061, true, 1);

        runUntil(NOW + 999);

        assertEquals(200, output.sent.size());
        final boolean[] seen = new boolean[200];
        final int[] perTenth = new int[10];
        for (final Sent sent : output.sent)
        {
            assertEquals(TransportProtocol.UDP, sent.transport);
            assertEquals(NAT_IP, RemoteAddressTable.ipv4Address(sent.remoteId));
            final int port = RemoteAddressTable.ipv4Port(sent.remoteId);
            assertTrue(port >= 10_000 && port < 10_200, "pinged " + port);
            assertFalse(seen[port - 10_000], "pinged twice: " + port);
            seen[port - 10_000] = true;
            perTenth[(int)((sent.timeMs - NOW) / 100)]++;
            assertTrue(sent.text().startsWith("OPTIONS sip:u" + (port - 10_000) + "@10.0.0.1:5060 SIP/2.0\r\n"),
                sent.text());
        }
        for (final int count : perTenth)
        {
            assertTrue(count >= 5 && count <= 50, "pings per 100 ms: " + java.util.Arrays.toString(perTenth));
        }
        assertEquals(200, keepAlive.pingsSent());

        runUntil(NOW + 1999);
        assertEquals(400, output.sent.size());
    }

    @Test
    void shouldConsumeAnswerToPingAndLeaveOtherResponses()
    {
        open(1000, 500, 3);
        register("alice", TransportProtocol.UDP, 40_000, true, 0);
        runUntil(NOW + 999);
        assertEquals(1, output.sent.size());

        final SipMessageDecoder response = answer(output.sent.get(0));
        assertTrue(keepAlive.onResponse(response, NOW + 1000));
        assertEquals(1, keepAlive.pingsAnswered());
        assertTrue(keepAlive.onResponse(response, NOW + 1001), "a repeated answer is still a keep-alive's");
        assertEquals(1, keepAlive.pingsAnswered());

        final UnsafeBuffer other = ascii("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKother\r\n" +
            "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        final SipMessageDecoder decoder = new SipMessageDecoder();
        assertEquals(SipMessageDecoder.OK, decoder.wrap(other, 0, other.capacity()));
        assertFalse(keepAlive.onResponse(decoder, NOW + 1002));

        runUntil(NOW + 1999);
        assertEquals(0, keepAlive.pingsMissed());
        assertEquals(0, contact("alice").keepAliveFailures(0));
    }

    @Test
    void shouldMarkThenRemoveContactWhenPingsGoUnanswered()
    {
        open(1000, 300, 2);
        register("alice", TransportProtocol.UDP, 40_000, true, 0);
        register("bob", TransportProtocol.UDP, 40_001, true, 0);
        output.answerer = keepAlive;
        output.answerPort = 40_001;
        changes.clear();

        runUntil(NOW + 1300);
        assertEquals(1, contact("alice").keepAliveFailures(0), "marked after one miss");
        assertEquals(0, contact("bob").keepAliveFailures(0));
        assertEquals(List.of(StateChangeListener.REGISTRATION_REFRESHED), changes);

        runUntil(NOW + 2300);
        assertEquals(0, findContacts("alice"), "removed after the second miss");
        assertEquals(1, findContacts("bob"));
        assertEquals(1, keepAlive.contactsRemoved());
        assertEquals(2, keepAlive.pingsMissed());
        assertEquals(2, keepAlive.pingsAnswered());
        assertEquals(StateChangeListener.REGISTRATION_REMOVED, changes.get(changes.size() - 1));
    }

    @Test
    void shouldClearMissesWhenAnsweredAgain()
    {
        open(1000, 300, 3);
        register("alice", TransportProtocol.UDP, 40_000, true, 0);
        runUntil(NOW + 1300);
        assertEquals(1, contact("alice").keepAliveFailures(0));

        output.answerer = keepAlive;
        runUntil(NOW + 2300);
        assertEquals(1, keepAlive.pingsAnswered());
        assertEquals(0, contact("alice").keepAliveFailures(0));
    }

    @Test
    void shouldSendCrlfOnTcpConnectionAndRemoveContactWhenConnectionIsGone()
    {
        open(1000, 300, 2);
        register("alice", TransportProtocol.TCP, 40_000, true, 0);
        runUntil(NOW + 999);
        assertEquals(1, output.sent.size());
        assertEquals("\r\n\r\n", output.sent.get(0).text());
        assertEquals(TransportProtocol.TCP, output.sent.get(0).transport);
        assertEquals(77, output.sent.get(0).connectionId);

        output.accept = false;
        runUntil(NOW + 2999);
        assertEquals(0, findContacts("alice"));
        assertEquals(1, keepAlive.contactsRemoved());
    }

    @Test
    void shouldLeaveContactAloneWhenReRegisteredSinceThePing()
    {
        open(1000, 300, 1);
        register("alice", TransportProtocol.UDP, 40_000, true, 0);
        while (output.sent.isEmpty())
        {
            runUntil(output.lastPollMs);
        }
        final long pingMs = output.sent.get(0).timeMs;
        final RegistrationFlyweight record = store.newRecord();
        final AddressOfRecord aor = aor("alice");
        final long version = store.find(aor, record);
        record.registeredMs(0, pingMs + 1);
        assertEquals(RegistrationStore.RESULT_OK, store.put(aor, record, version, pingMs + 1));

        runUntil(pingMs + 400);
        assertEquals(1, keepAlive.pingsMissed());
        assertEquals(1, findContacts("alice"));
        assertEquals(0, keepAlive.contactsRemoved());
    }

    @Test
    void shouldNotAllocateWhenPingingAndSettlingInSteadyState()
    {
        open(100, 50, 3);
        for (int i = 0; i < 50; i++)
        {
            register("u" + i, TransportProtocol.UDP, 10_000 + i, true, 0);
        }
        output.keep = false;
        output.answerer = keepAlive;
        long nowMs = NOW;
        for (; nowMs < NOW + 20_000; nowMs++)
        {
            keepAlive.poll(nowMs);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final long sentBefore = keepAlive.pingsSent();
        final long answeredBefore = keepAlive.pingsAnswered();
        for (; nowMs < NOW + 22_000; nowMs++)
        {
            keepAlive.poll(nowMs);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(1000, keepAlive.pingsSent() - sentBefore);
        assertEquals(1000, keepAlive.pingsAnswered() - answeredBefore);
        assertEquals(0, keepAlive.pingsMissed());
        // The map's segment iteration allocates a little per segment visited (40 here), nothing per ping.
        assertTrue(allocated < 1024, "allocated " + allocated + " B for 1000 pings and answers");
    }

    private void runUntil(final long endMs)
    {
        for (long nowMs = output.lastPollMs; nowMs <= endMs; nowMs++)
        {
            output.nowMs = nowMs;
            keepAlive.poll(nowMs);
        }
        output.lastPollMs = endMs + 1;
    }

    private void register(
        final String user, final int transport, final int port, final boolean nat, final long agentIndex)
    {
        final AddressOfRecord aor = aor(user);
        final RegistrationFlyweight record = store.newRecord();
        final int contact = record.addContact();
        final UnsafeBuffer uri = ascii("sip:" + user + "@10.0.0.1:5060");
        final UnsafeBuffer callId = ascii("call-" + user);
        record.uri(contact, uri, 0, uri.capacity());
        record.callId(contact, callId, 0, callId.capacity());
        record.cseq(contact, 1).expiresMs(contact, NOW + 3_600_000).registeredMs(contact, NOW)
            .sourceIpv4(contact, transport, NAT_IP, port).nat(contact, nat)
            .localSocket(contact, agentIndex, transport == TransportProtocol.UDP ? 0 : 77);
        assertEquals(RegistrationStore.RESULT_OK, store.put(aor, record, 0, NOW));
    }

    private RegistrationFlyweight contact(final String user)
    {
        final RegistrationFlyweight record = store.newRecord();
        assertTrue(store.find(aor(user), record) > 0);
        return record;
    }

    private int findContacts(final String user)
    {
        final RegistrationFlyweight record = store.newRecord();
        return store.find(aor(user), record) > 0 ? record.contactCount() : 0;
    }

    private static AddressOfRecord aor(final String user)
    {
        final AddressOfRecord aor = new AddressOfRecord();
        aor.set(user + "@example.com");
        return aor;
    }

    private static SipMessageDecoder answer(final Sent ping)
    {
        final SipMessageDecoder request = new SipMessageDecoder();
        final UnsafeBuffer buffer = ascii(ping.text());
        assertEquals(SipMessageDecoder.OK, request.wrap(buffer, 0, buffer.capacity()), request.reason());
        final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final int length = new SipResponseBuilder().buildResponse(request, SipStatus.OK, null, null, 0, -1, out, 0);
        final SipMessageDecoder response = new SipMessageDecoder();
        assertEquals(SipMessageDecoder.OK, response.wrap(out, 0, length));
        return response;
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private record Sent(long remoteId, int transport, long connectionId, byte[] bytes, long timeMs)
    {
        String text()
        {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }

    private static final class FakeOutput implements NatKeepAlive.Output
    {
        final List<Sent> sent = new ArrayList<>();
        final UnsafeBuffer sentBy = ascii("192.0.2.1:5060");
        boolean accept = true;
        boolean keep = true;
        NatKeepAlive answerer;
        int answerPort;
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final SipMessageDecoder requestDecoder = new SipMessageDecoder();
        final SipMessageDecoder responseDecoder = new SipMessageDecoder();
        final SipResponseBuilder builder = new SipResponseBuilder();
        long nowMs = NOW;
        long lastPollMs = NOW;

        public boolean ownsKeepAliveFlow(final int transport, final long agentIndex, final long connectionId)
        {
            return agentIndex == 0;
        }

        public boolean sendKeepAlive(
            final long remoteId,
            final int transport,
            final long connectionId,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            if (accept && keep)
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                sent.add(new Sent(remoteId, transport, connectionId, bytes, nowMs));
            }
            if (answerer != null && (answerPort == 0 || RemoteAddressTable.ipv4Port(remoteId) == answerPort))
            {
                request.putBytes(0, buffer, offset, length);
                requestDecoder.wrap(request, 0, length);
                final int responseLength =
                    builder.buildResponse(requestDecoder, SipStatus.OK, null, null, 0, -1, response, 0);
                responseDecoder.wrap(response, 0, responseLength);
                answerer.onResponse(responseDecoder, nowMs);
            }
            return accept;
        }

        public DirectBuffer keepAliveSentBy(final int transport, final long connectionId)
        {
            return sentBy;
        }
    }
}
