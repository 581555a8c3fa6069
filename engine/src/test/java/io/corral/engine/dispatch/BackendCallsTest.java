package io.corral.engine.dispatch;

import io.corral.engine.dialog.DialogTracker;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.transport.RemoteAddressTable;
import io.corral.state.StateChangeListener;
import io.corral.state.dialog.DialogDescriptor;
import io.corral.state.dialog.DialogFlyweight;
import io.corral.state.dialog.DialogState;
import io.corral.state.dialog.DialogStore;
import io.corral.state.dialog.DialogStoreContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendCallsTest
{
    private static final int LOCALHOST = 0x7F00_0001;

    private final Dispatcher dispatcher = new Dispatcher(null, BackendsFileTest.RESOLVER);
    private final BackendCalls calls = new BackendCalls(dispatcher);
    private final DialogFlyweight dialog = new DialogFlyweight().wrap(
        new UnsafeBuffer(ByteBuffer.allocateDirect(DialogDescriptor.LENGTH)), 0);

    @TempDir
    Path dataDir;

    private void load(final String... lines)
    {
        final ReloadResult result = dispatcher.apply("backends.conf", BackendsFileTest.parse(lines));
        assertTrue(result.isOk(), result.error());
    }

    private void endCall(final int port, final int resource)
    {
        dialog.clear().state(DialogState.TERMINATED).flags(BackendCalls.dialogFlags(resource))
            .remoteIpv4(DialogFlyweight.CALLEE, DialogDescriptor.TRANSPORT_UDP, LOCALHOST, port);
        calls.onCallEnded(dialog);
    }

    @Test
    void shouldMarkOnlyCountedCallsInTheEngineFlagBits()
    {
        assertEquals(0, BackendCalls.dialogFlags(Dispatcher.NONE));
        final int flags = BackendCalls.dialogFlags(31);
        assertEquals(0, flags & DialogDescriptor.STORE_FLAGS_MASK);
        assertTrue(flags <= 0xFFFF, "fits the 16-bit flags field");
    }

    @Test
    void shouldReleaseTheCallOfTheBackendTheDialogWentTo()
    {
        load("set=pstn algorithm=least-loaded-absolute resource=pstn",
            "set=pstn uri=sip:127.0.0.1:5090 resources=pstn=4",
            "set=pstn uri=sip:127.0.0.1:5091 resources=pstn=4");
        final int pstn = dispatcher.resourceId("pstn");
        final int second = dispatcher.backendId("sip:127.0.0.1:5091");
        assertTrue(dispatcher.onCallStarted(second, pstn));
        assertTrue(dispatcher.onCallStarted(second, pstn));

        endCall(5091, pstn);

        assertEquals(1, dispatcher.used(second, pstn));
        assertEquals(0, dispatcher.used(dispatcher.backendId("sip:127.0.0.1:5090"), pstn));
    }

    @Test
    void shouldDrainTheCallsOfABackendRemovedByAReload()
    {
        load("set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:127.0.0.1:5090 resources=pstn=4",
            "set=pstn uri=sip:127.0.0.1:5091 resources=pstn=4");
        final int pstn = dispatcher.resourceId("pstn");
        final int removed = dispatcher.backendId("sip:127.0.0.1:5090");
        assertTrue(dispatcher.onCallStarted(removed, pstn));
        load("set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:127.0.0.1:5091 resources=pstn=4");

        endCall(5090, pstn);

        assertEquals(0, dispatcher.used(removed, pstn));
    }

    @Test
    void shouldIgnoreADialogOfNoKnownBackend()
    {
        load("set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:127.0.0.1:5090 resources=pstn=4");
        final int pstn = dispatcher.resourceId("pstn");
        final int backend = dispatcher.backendId("sip:127.0.0.1:5090");
        assertTrue(dispatcher.onCallStarted(backend, pstn));

        endCall(5999, pstn);

        assertEquals(1, dispatcher.used(backend, pstn));
        assertEquals(Dispatcher.NONE, dispatcher.backendAt(LOCALHOST, 5999, pstn));
    }

    @Test
    void shouldCountTheConfirmedCallsOfTheDialogStoreAtStart()
    {
        load("set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:127.0.0.1:5090 resources=pstn=4");
        final int pstn = dispatcher.resourceId("pstn");
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
        final DialogTracker tracker = new DialogTracker(StateChangeListener.NO_OP, counters.newCounter("early"),
            counters.newCounter("confirmed"), counters.newCounter("created"), counters.newCounter("terminated"),
            counters.newCounter("expired"), counters.newCounter("failures"));
        try (DialogStore store = DialogStore.open(new DialogStoreContext().dataDir(dataDir).memberId(1)
            .maxEntries(1000).listener(tracker).conclude()))
        {
            tracker.store(store);
            answer(tracker, "call-1", 200, BackendCalls.dialogFlags(pstn));
            answer(tracker, "call-2", 200, 0);
            answer(tracker, "call-3", 180, BackendCalls.dialogFlags(pstn));

            assertEquals(1, calls.restore(store));
        }
        assertEquals(1, dispatcher.used(dispatcher.backendId("sip:127.0.0.1:5090"), pstn));
    }

    private static void answer(final DialogTracker tracker, final String callId, final int status, final int flags)
    {
        final byte[] bytes = ("SIP/2.0 " + status + " X\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1\r\n" +
            "From: <sip:alice@example.com>;tag=from1\r\n" +
            "To: <sip:5551000@example.com>;tag=to1\r\n" +
            "Call-ID: " + callId + "\r\n" +
            "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        final SipMessageDecoder response = new SipMessageDecoder();
        assertEquals(SipMessageDecoder.OK, response.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        tracker.onInviteResponse(response, null, 0, 0, RemoteAddressTable.ipv4Id(LOCALHOST, 5060),
            TransportProtocol.UDP,
            RemoteAddressTable.ipv4Id(LOCALHOST, 5090), TransportProtocol.UDP, flags, 1_000);
    }
}
