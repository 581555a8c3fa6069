package io.corral.engine.dispatch;

import io.corral.state.dialog.DialogDescriptor;
import io.corral.state.dialog.DialogFlyweight;
import io.corral.state.dialog.DialogState;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendCallsTest
{
    private static final int LOCALHOST = 0x7F00_0001;

    private final Dispatcher dispatcher = new Dispatcher(null, BackendsFileTest.RESOLVER);
    private final BackendCalls calls = new BackendCalls(dispatcher);
    private final DialogFlyweight dialog = new DialogFlyweight().wrap(
        new UnsafeBuffer(ByteBuffer.allocateDirect(DialogDescriptor.LENGTH)), 0);

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
}
