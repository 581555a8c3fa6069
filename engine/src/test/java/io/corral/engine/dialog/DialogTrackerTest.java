package io.corral.engine.dialog;

import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.transport.RemoteAddressTable;
import io.corral.state.StateChangeListener;
import io.corral.state.dialog.DialogStore;
import io.corral.state.dialog.DialogStoreContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DialogTrackerTest
{
    private static final int ENGINE_FLAGS = 0x0300;
    private static final long MAX_CALL_MS = 60_000;
    private static final String HEADERS =
        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1\r\n" +
        "From: <sip:alice@example.com>;tag=from1\r\n" +
        "To: <sip:5551000@example.com>;tag=to1\r\n" +
        "Call-ID: call-1@example.com\r\n";

    @TempDir
    Path dataDir;

    private final List<Integer> endedFlags = new ArrayList<>();
    private AtomicCounter early;
    private AtomicCounter confirmed;
    private AtomicCounter terminated;
    private DialogTracker tracker;
    private DialogStore store;

    @BeforeEach
    void open()
    {
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
        early = counters.newCounter("early");
        confirmed = counters.newCounter("confirmed");
        terminated = counters.newCounter("terminated");
        tracker = new DialogTracker(StateChangeListener.NO_OP, early, confirmed, counters.newCounter("created"),
            terminated, counters.newCounter("expired"), counters.newCounter("failures"));
        store = DialogStore.open(new DialogStoreContext().dataDir(dataDir).memberId(1).maxEntries(1000)
            .maxCallDurationMs(MAX_CALL_MS).silenceTimeoutMs(MAX_CALL_MS).earlyTimeoutMs(MAX_CALL_MS)
            .terminatedLingerMs(0).listener(tracker).conclude());
        tracker.store(store);
        tracker.callEndListener((dialog) -> endedFlags.add(dialog.flags()));
    }

    @AfterEach
    void close()
    {
        store.close();
    }

    @Test
    void shouldMoveTheStateGaugesWhenACallRingsAnswersAndHangsUp()
    {
        response(180, 0, 1_000);
        assertGauges(1, 0, 0);
        response(180, 0, 1_100);
        assertGauges(1, 0, 0);
        response(200, 0, 1_200);
        assertGauges(0, 1, 0);
        response(200, 0, 1_300);
        assertGauges(0, 1, 0);
        assertEquals(DialogTracker.FOUND, request("BYE", 2_000));
        assertGauges(0, 0, 1);
        assertEquals(DialogTracker.NOT_FOUND, request("BYE", 2_100));
        assertGauges(0, 0, 1);
    }

    @Test
    void shouldCountTheDialogsAlreadyInTheMapWhenItIsOpenedAgain()
    {
        response(200, 0, 1_000);
        store.close();
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
        final AtomicCounter earlyAgain = counters.newCounter("early");
        final AtomicCounter confirmedAgain = counters.newCounter("confirmed");
        final DialogTracker again = new DialogTracker(StateChangeListener.NO_OP, earlyAgain, confirmedAgain,
            counters.newCounter("created"), counters.newCounter("terminated"), counters.newCounter("expired"),
            counters.newCounter("failures"));
        store = DialogStore.open(new DialogStoreContext().dataDir(dataDir).memberId(1).maxEntries(1000)
            .maxCallDurationMs(MAX_CALL_MS).silenceTimeoutMs(MAX_CALL_MS).earlyTimeoutMs(MAX_CALL_MS)
            .terminatedLingerMs(0).listener(again).conclude());
        again.store(store);

        assertEquals(1, again.countExisting());
        assertEquals(1, confirmedAgain.get());
        assertEquals(0, earlyAgain.get());
    }

    @Test
    void shouldLowerTheEarlyGaugeWhenAnEarlyDialogIsHungUp()
    {
        response(183, 0, 1_000);
        assertEquals(DialogTracker.FOUND, request("BYE", 2_000));
        assertGauges(0, 0, 1);
    }

    @Test
    void shouldReportAFlaggedCallOnceWhenItsByeArrives()
    {
        response(200, ENGINE_FLAGS, 1_000);
        request("BYE", 2_000);
        tracker.sweep(3_000, 100);

        assertEquals(List.of(ENGINE_FLAGS), endedFlags);
    }

    @Test
    void shouldWriteTheFlagsWhenAnEarlyDialogIsConfirmed()
    {
        response(180, ENGINE_FLAGS, 1_000);
        response(200, ENGINE_FLAGS, 1_500);
        request("BYE", 2_000);

        assertEquals(List.of(ENGINE_FLAGS), endedFlags);
    }

    @Test
    void shouldNotReportAnEarlyDialogThatFails()
    {
        response(180, ENGINE_FLAGS, 1_000);
        response(486, ENGINE_FLAGS, 1_500);

        assertEquals(List.of(), endedFlags);
    }

    @Test
    void shouldKeepAConfirmedDialogWhenAReInviteFails()
    {
        response(200, ENGINE_FLAGS, 1_000);
        response(491, 2, ENGINE_FLAGS, 1_500);
        response(488, 3, ENGINE_FLAGS, 1_600);

        assertEquals(List.of(), endedFlags);
        request("BYE", 2_000);
        assertEquals(List.of(ENGINE_FLAGS), endedFlags);
    }

    @Test
    void shouldEndAConfirmedDialogWhenAReInviteGets481()
    {
        response(200, ENGINE_FLAGS, 1_000);
        response(481, 2, ENGINE_FLAGS, 1_500);

        assertEquals(List.of(ENGINE_FLAGS), endedFlags);
    }

    @Test
    void shouldReportAFlaggedCallThatExpires()
    {
        response(200, ENGINE_FLAGS, 1_000);
        tracker.sweep(1_000 + MAX_CALL_MS + 1, 100);

        assertEquals(List.of(ENGINE_FLAGS), endedFlags);
    }

    @Test
    void shouldNotReportACallWithoutEngineFlags()
    {
        response(200, 0, 1_000);
        request("BYE", 2_000);

        assertEquals(List.of(), endedFlags);
    }

    private void response(final int status, final int engineFlags, final long nowMs)
    {
        response(status, 1, engineFlags, nowMs);
    }

    private void response(final int status, final int cseq, final int engineFlags, final long nowMs)
    {
        final SipMessageDecoder response = decode("SIP/2.0 " + status + " X\r\n" + HEADERS +
            "CSeq: " + cseq + " INVITE\r\nContact: <sip:127.0.0.1:5090>\r\nContent-Length: 0\r\n\r\n");
        tracker.onInviteResponse(response, null, 0, 0, RemoteAddressTable.ipv4Id(0x7F00_0001, 5060),
            TransportProtocol.UDP,
            RemoteAddressTable.ipv4Id(0x7F00_0001, 5090), TransportProtocol.UDP, engineFlags, nowMs);
    }

    private void assertGauges(final long earlyCount, final long confirmedCount, final long terminatedCount)
    {
        assertEquals(List.of(earlyCount, confirmedCount, terminatedCount),
            List.of(early.get(), confirmed.get(), terminated.get()));
    }

    private int request(final String method, final long nowMs)
    {
        return tracker.onInDialogRequest(decode(method + " sip:127.0.0.1:5090 SIP/2.0\r\n" + HEADERS + "CSeq: 2 " +
            method + "\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"), nowMs);
    }

    private static SipMessageDecoder decode(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final SipMessageDecoder decoder = new SipMessageDecoder();
        assertEquals(SipMessageDecoder.OK, decoder.wrap(new UnsafeBuffer(bytes), 0, bytes.length));
        return decoder;
    }
}
