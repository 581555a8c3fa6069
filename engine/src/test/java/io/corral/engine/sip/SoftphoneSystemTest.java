package io.corral.engine.sip;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.baresip.Baresip;
import io.corral.engine.baresip.BaresipProcess;
import io.corral.engine.linphone.LinphoneDaemon;
import io.corral.engine.registrar.RegistrarConfiguration;
import io.corral.engine.sip.codec.TransportProtocol;
import io.corral.engine.status.MemberCounters;
import io.corral.engine.status.MemberErrorLog;
import io.corral.state.registration.AddressOfRecord;
import io.corral.state.registration.RegistrationFlyweight;
import io.corral.state.registration.RegistrationStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two real softphones (headless baresip, {@link Baresip}) register to a member on 127.0.0.1 and alice calls bob
 * through it: bob answers automatically, media flows between them, alice hangs up, and both unregister when they
 * quit. Real user agents send what SIPp scenarios do not: {@code ;rport}, {@code +sip.instance}, an empty
 * {@code Supported}, a Contact on an ephemeral TCP port, SIP outbound with a Route to the registrar, refreshes,
 * re-INVITEs to hold and resume, CANCEL and 486. Skipped when baresip is not installed ({@code .ci/run} installs it;
 * the linphone test also needs {@code linphone-cli}).
 */
@Timeout(60)
class SoftphoneSystemTest
{
    private static final Duration SIGNALLING = Duration.ofSeconds(10);
    private static final long CALL_MS = 2_000;
    private static final int REGISTER_INTERVAL_SECONDS = 10;

    private final List<BaresipProcess> started = new ArrayList<>();
    private final List<LinphoneDaemon> linphones = new ArrayList<>();
    private final AddressOfRecord aor = new AddressOfRecord();

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    private Member member;
    private RegistrationStore registrations;
    private RegistrationFlyweight record;
    private String registrar;

    @BeforeEach
    void start()
    {
        assumeTrue(Baresip.isInstalled(), "baresip is not installed");
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "shared");
        properties.setProperty("corral.idle.strategy", "backoff");
        properties.setProperty("corral.registrar.min.expires", Integer.toString(REGISTER_INTERVAL_SECONDS));
        member = Member.launch(Context.load(null, properties));
        registrar = "127.0.0.1:" + member.sipPort();
        registrations = RegistrationStore.open(RegistrarConfiguration.storeContext(
            member.context().config(), member.context().dataDir(), member.context().memberId())
            .readOnly(true)
            .conclude());
        record = registrations.newRecord();
    }

    @AfterEach
    void stop()
    {
        try
        {
            for (final BaresipProcess phone : started)
            {
                phone.destroy();
            }
            for (final LinphoneDaemon phone : linphones)
            {
                phone.destroy();
            }
            if (member != null)
            {
                MemberErrorLog.assertEmpty(member);
            }
        }
        finally
        {
            if (registrations != null)
            {
                registrations.close();
            }
            if (member != null)
            {
                member.close();
            }
        }
    }

    @Test
    void shouldRegisterCallAnswerAndHangUpOverUdp()
    {
        final BaresipProcess alice = start(Baresip.user("alice", registrar));
        final BaresipProcess bob = start(Baresip.user("bob", registrar));

        assertRegistered("alice", TransportProtocol.UDP, alice.sipPort());
        assertRegistered("bob", TransportProtocol.UDP, bob.sipPort());
        callAndHangUp(alice, bob);
        quitAndAssertUnregistered(alice, bob);
    }

    @Test
    void shouldRegisterCallAnswerAndHangUpOverTcp()
    {
        final BaresipProcess alice = start(Baresip.user("alice", registrar).transport("tcp"));
        final BaresipProcess bob = start(Baresip.user("bob", registrar).transport("tcp"));

        // Over TCP the source is the softphone's connection (an ephemeral port), not its listening port.
        assertRegistered("alice", TransportProtocol.TCP, -1);
        assertRegistered("bob", TransportProtocol.TCP, -1);
        callAndHangUp(alice, bob);
        assertEquals(0, sum("UDP datagrams out"), "nothing may fall back to UDP");
        quitAndAssertUnregistered(alice, bob);
    }

    @Test
    void shouldCallBetweenSoftphonesUsingSipOutbound()
    {
        final BaresipProcess alice = start(Baresip.user("alice", registrar).transport("tcp").outbound());
        final BaresipProcess bob = start(Baresip.user("bob", registrar).transport("tcp").outbound());

        assertRegistered("alice", TransportProtocol.TCP, -1);
        assertRegistered("bob", TransportProtocol.TCP, -1);
        assertEquals(1, record.regId(0), "reg-id of bob's outbound flow");
        callAndHangUp(alice, bob);
        quitAndAssertUnregistered(alice, bob);
    }

    @Test
    void shouldKeepUdpOutboundFlowsAliveWithStunAndCallOverThem()
    {
        final BaresipProcess alice = start(Baresip.user("alice", registrar).outbound());
        final BaresipProcess bob = start(Baresip.user("bob", registrar).outbound());

        assertRegistered("alice", TransportProtocol.UDP, alice.sipPort());
        assertRegistered("bob", TransportProtocol.UDP, bob.sipPort());
        // Require: outbound in the 200 starts the flow keep-alive: a STUN Binding request at once (RFC 5626 §4.4.2).
        awaitAtLeast(() -> sum("STUN keep-alives answered"), 2, SIGNALLING);
        callAndHangUp(alice, bob);
        quitAndAssertUnregistered(alice, bob);
    }

    @Test
    void shouldHoldAndResumeACallWithReInvitesThroughTheMember()
    {
        final BaresipProcess alice = start(Baresip.user("alice", registrar));
        final BaresipProcess bob = start(Baresip.user("bob", registrar));
        assertRegistered("alice", TransportProtocol.UDP, alice.sipPort());
        assertRegistered("bob", TransportProtocol.UDP, bob.sipPort());
        alice.command("dial", "sip:bob@" + registrar, SIGNALLING);
        alice.awaitEvent("CALL_ESTABLISHED", SIGNALLING);
        bob.awaitEvent("CALL_ESTABLISHED", SIGNALLING);
        await(() -> sum("ACK requests out"), 1, SIGNALLING);

        // Each is a re-INVITE (sendonly, then sendrecv) with its 2xx and ACK, routed by the Record-Route set.
        alice.command("hold", null, SIGNALLING);
        await(() -> sum("INVITE requests out"), 2, SIGNALLING);
        await(() -> sum("ACK requests out"), 2, SIGNALLING);
        alice.command("resume", null, SIGNALLING);
        await(() -> sum("INVITE requests out"), 3, SIGNALLING);
        await(() -> sum("ACK requests out"), 3, SIGNALLING);
        assertEquals(3, sum("INVITE requests in"));
        assertEquals(1, sum("dialogs created"), "re-INVITEs stay in the call's dialog");
        assertEquals(1, sum("dialogs confirmed"));

        alice.command("hangup", null, SIGNALLING);
        alice.awaitEvent("CALL_CLOSED", SIGNALLING);
        bob.awaitEvent("CALL_CLOSED", SIGNALLING);
        await(() -> sum("dialogs terminated"), 1, SIGNALLING);
        await(() -> sum("dialogs confirmed"), 0, SIGNALLING);
        assertEquals(1, sum("BYE requests out"));
        assertEquals(0, sum("in-dialog requests for no dialog (481)"));
        assertEquals(0, sum("4xx responses in") + sum("5xx responses in"));
        quitAndAssertUnregistered(alice, bob);
    }

    @Test
    void shouldCancelARingingCallAndPassOnARejection()
    {
        final BaresipProcess alice = start(Baresip.user("alice", registrar));
        final BaresipProcess bob = start(Baresip.user("bob", registrar).answerManually());
        assertRegistered("alice", TransportProtocol.UDP, alice.sipPort());
        assertRegistered("bob", TransportProtocol.UDP, bob.sipPort());

        alice.command("dial", "sip:bob@" + registrar, SIGNALLING);
        bob.awaitEvent("CALL_INCOMING", SIGNALLING);
        alice.awaitEvent("CALL_RINGING", SIGNALLING);
        alice.command("hangup", null, SIGNALLING);
        alice.awaitEvent("CALL_CLOSED", SIGNALLING);
        bob.awaitEvent("CALL_CLOSED", SIGNALLING);
        await(() -> sum("CANCEL requests out"), 1, SIGNALLING);
        await(() -> sum("dialogs terminated"), 1, SIGNALLING);
        assertEquals(1, sum("CANCEL requests in"));

        alice.command("dial", "sip:bob@" + registrar, SIGNALLING);
        bob.awaitEvent("CALL_INCOMING", SIGNALLING);
        bob.command("hangup", null, SIGNALLING);
        final String closed = alice.awaitEvent("CALL_CLOSED", SIGNALLING);
        assertTrue(closed.contains("486"), closed);
        bob.awaitEvent("CALL_CLOSED", SIGNALLING);
        await(() -> sum("dialogs terminated"), 2, SIGNALLING);
        assertEquals(0, sum("dialogs confirmed"));
        assertEquals(0, sum("dialogs early"));
        assertEquals(0, sum("BYE requests in"), "no call was answered");
        // The 487 and the 486 were passed back to alice, who acknowledged each to the member only.
        await(() -> sum("ACK requests in"), 2, SIGNALLING);
        assertEquals(0, sum("in-dialog requests for no dialog (481)"));
        quitAndAssertUnregistered(alice, bob);
    }

    @Test
    void shouldKeepOneBindingEachWhileSoftphonesRefreshTheirRegistrations()
    {
        final BaresipProcess alice = start(Baresip.user("alice", registrar)
            .registerIntervalSeconds(REGISTER_INTERVAL_SECONDS));
        final BaresipProcess bob = start(Baresip.user("bob", registrar)
            .registerIntervalSeconds(REGISTER_INTERVAL_SECONDS));
        assertRegistered("alice", TransportProtocol.UDP, alice.sipPort());
        final long firstCseq = record.cseq(0);

        // Each refreshes before its 10 s run out: at least two REGISTERs more, all answered 200.
        awaitAtLeast(() -> sum("REGISTER requests in"), 4, Duration.ofSeconds(20));
        assertEquals(0, sum("4xx responses out"));
        assertRegistered("alice", TransportProtocol.UDP, alice.sipPort());
        assertTrue(record.cseq(0) > firstCseq, "the refresh replaced the binding, same Call-ID, higher CSeq");
        assertRegistered("bob", TransportProtocol.UDP, bob.sipPort());
        callAndHangUp(alice, bob);
        quitAndAssertUnregistered(alice, bob);
    }

    @Test
    void shouldCallBetweenLinphoneAndBaresipBothWays()
    {
        assumeTrue(LinphoneDaemon.isInstalled(), "linphone-daemon is not installed");
        final LinphoneDaemon carol = LinphoneDaemon.start("carol", registrar, workDir);
        linphones.add(carol);
        final BaresipProcess bob = start(Baresip.user("bob", registrar));
        assertRegistered("carol", TransportProtocol.UDP, carol.sipPort());
        assertRegistered("bob", TransportProtocol.UDP, bob.sipPort());

        // Signalling only: without a sound card linphone sends no RTP (see LinphoneDaemon).
        carol.command("call sip:bob@" + registrar);
        carol.awaitLine("Event: LinphoneCallStreamsRunning", SIGNALLING);
        bob.awaitEvent("CALL_ESTABLISHED", SIGNALLING);
        await(() -> sum("dialogs confirmed"), 1, SIGNALLING);
        pause(CALL_MS);
        bob.command("hangup", null, SIGNALLING);
        bob.awaitEvent("CALL_CLOSED", SIGNALLING);
        carol.awaitLine("Event: LinphoneCallEnd", SIGNALLING);
        assertCallsEnded(1);

        bob.command("dial", "sip:carol@" + registrar, SIGNALLING);
        bob.awaitEvent("CALL_ESTABLISHED", SIGNALLING);
        carol.awaitLine("Event: LinphoneCallStreamsRunning", SIGNALLING);
        await(() -> sum("dialogs confirmed"), 1, SIGNALLING);
        pause(CALL_MS);
        carol.command("terminate");
        carol.awaitLine("Event: LinphoneCallEnd", SIGNALLING);
        bob.awaitEvent("CALL_CLOSED", SIGNALLING);
        assertCallsEnded(2);

        assertTrue(carol.quit(SIGNALLING), "linphone-daemon did not exit after quit");
        assertTrue(bob.quit(SIGNALLING), "baresip did not exit after quit");
        assertEquals(0, contactCount("carol"), "carol unregistered (Expires: 0) when she quit");
        assertEquals(0, contactCount("bob"), "bob unregistered when he quit");
    }

    private void callAndHangUp(final BaresipProcess caller, final BaresipProcess callee)
    {
        caller.command("dial", "sip:bob@" + registrar, SIGNALLING);
        caller.awaitEvent("CALL_ESTABLISHED", SIGNALLING);
        callee.awaitEvent("CALL_ESTABLISHED", SIGNALLING);
        // Media goes directly between the phones (no relay yet): each receives the other's RTP.
        caller.awaitEvent("CALL_RTPESTAB", SIGNALLING);
        callee.awaitEvent("CALL_RTPESTAB", SIGNALLING);
        await(() -> sum("dialogs confirmed"), 1, SIGNALLING);
        assertEquals(1, sum("INVITE requests out"), "one INVITE, to bob's one contact");
        await(() -> sum("ACK requests out"), 1, SIGNALLING);
        pause(CALL_MS);

        caller.command("hangup", null, SIGNALLING);
        caller.awaitEvent("CALL_CLOSED", SIGNALLING);
        callee.awaitEvent("CALL_CLOSED", SIGNALLING);
        assertCallsEnded(1);
    }

    /**
     * The member saw every call through: each dialog terminated, none left, ACK and BYE followed the Record-Route
     * set through it, and nothing failed on the way.
     */
    private void assertCallsEnded(final int calls)
    {
        await(() -> sum("dialogs terminated"), calls, SIGNALLING);
        await(() -> sum("dialogs confirmed"), 0, SIGNALLING);
        assertEquals(0, sum("dialogs early"));
        assertEquals(calls, sum("dialogs created"));
        assertEquals(calls, sum("ACK requests in"));
        assertEquals(calls, sum("BYE requests in"));
        assertEquals(calls, sum("BYE requests out"));
        assertEquals(0, sum("in-dialog requests for no dialog (481)"));
        assertEquals(0, sum("CANCEL requests in"));
        assertEquals(0, sum("5xx responses out"));
        assertEquals(0, sum("6xx responses out"));
    }

    private void quitAndAssertUnregistered(final BaresipProcess... phones)
    {
        for (final BaresipProcess phone : phones)
        {
            assertTrue(phone.quit(SIGNALLING), "baresip did not exit after quit");
        }
        assertEquals(0, contactCount("alice"), "alice unregistered (Contact with expires=0) when she quit");
        assertEquals(0, contactCount("bob"), "bob unregistered when he quit");
    }

    /**
     * Waits until the user has one binding and checks where it came from.
     *
     * @param port the expected source port, or -1 for any.
     */
    private void assertRegistered(final String user, final int transport, final int port)
    {
        await(() -> contactCount(user), 1, SIGNALLING);
        assertEquals(transport, record.transport(0), user + "'s transport");
        assertEquals(0x7F000001, record.ipv4(0), user + "'s source address");
        if (port >= 0)
        {
            assertEquals(port, record.port(0), user + "'s source port");
            assertEquals(0, record.connectionId(0), user + " registered over UDP");
        }
        else
        {
            assertNotEquals(0, record.connectionId(0), user + "'s connection is kept for requests to the user");
        }
        assertTrue(record.instanceLength(0) > 0, user + "'s +sip.instance");
    }

    private long contactCount(final String user)
    {
        aor.set(user + "@127.0.0.1");
        return registrations.find(aor, record) == 0 ? 0 : record.contactCount();
    }

    private BaresipProcess start(final Baresip baresip)
    {
        final BaresipProcess phone = baresip.workDir(workDir).start();
        started.add(phone);
        return phone;
    }

    private long sum(final String labelSuffix)
    {
        return MemberCounters.sum(member, labelSuffix);
    }

    private static void await(final LongSupplier value, final long expected, final Duration limit)
    {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (value.getAsLong() != expected)
        {
            if (System.nanoTime() > deadline)
            {
                assertEquals(expected, value.getAsLong());
            }
            pause(10);
        }
    }

    private static void awaitAtLeast(final LongSupplier value, final long least, final Duration limit)
    {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (value.getAsLong() < least)
        {
            if (System.nanoTime() > deadline)
            {
                assertTrue(value.getAsLong() >= least, "at least " + least + ", was " + value.getAsLong());
            }
            pause(10);
        }
    }

    private static void pause(final long ms)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
