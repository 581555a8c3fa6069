package io.corral.engine.dispatch;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.sipp.Sipp;
import io.corral.engine.sipp.SippProcess;
import io.corral.engine.sipp.SippResult;
import io.corral.engine.status.MemberErrorLog;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Backends in the request path with real SIPp user agents on 127.0.0.1: calls for numbers no user registered go to
 * the {@code pstn} set of SIPp UAS backends ({@code uas-backend.xml}, which also answers the OPTIONS probes). Load
 * spread by the OpenSIPS load_balancer rules, serial failover on timeout and 503, probing marking a killed backend
 * down and a restarted one up, 503 with Retry-After when none is left, reload, and forking to two contacts of one
 * user. Every test ends with the member's error log empty.
 */
@Timeout(120)
class DispatchSippSystemTest
{
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Duration BIND = Duration.ofSeconds(5);
    private static final String NUMBER = "5551000";

    private final List<SippProcess> started = new ArrayList<>();

    @TempDir
    Path dataDir;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    private Path backendsFile;
    private Member member;
    private String proxy;

    @BeforeEach
    void requireSipp()
    {
        assumeTrue(Sipp.isInstalled(), "sipp is not installed");
        backendsFile = dataDir.resolve("backends.conf");
    }

    @AfterEach
    void stop()
    {
        try
        {
            for (final SippProcess process : started)
            {
                process.destroy();
            }
            if (member != null)
            {
                MemberErrorLog.assertEmpty(member);
            }
        }
        finally
        {
            if (member != null)
            {
                member.close();
            }
        }
    }

    @Test
    void shouldSpreadHeldCallsByRelativeLoadAsOpenSipsDoes()
    {
        assertSpread("least-loaded-relative", 16, 8, 4);
    }

    @Test
    void shouldSpreadHeldCallsByAbsoluteLoadAsOpenSipsDoes()
    {
        assertSpread("least-loaded-absolute", 22, 6, 0);
    }

    @Test
    void shouldKeepExactCountsWhenTwoSipAgentsShareTheDispatcher()
    {
        // Calls and their BYEs land on either agent by Call-ID; both count on the one dispatcher.
        assertSpread("least-loaded-relative", 16, 8, 4, "corral.sip.agents", "2");
    }

    @Test
    void shouldFailOverToTheNextBackendOnTimeoutAnd503()
    {
        final int dead = Sipp.freeUdpPort();
        final Sipp busy = Sipp.scenario("uas-status.xml").replace("486 Busy Here", "503 Service Unavailable")
            .workDir(workDir).timeout(RUN);
        final SippProcess busyServer = start(busy);
        final Sipp good = backend(Sipp.freeUdpPort());
        final SippProcess goodServer = start(good);
        writeBackends(
            "set=pstn algorithm=round-robin",
            "set=pstn uri=sip:127.0.0.1:" + dead,
            "set=pstn uri=sip:127.0.0.1:" + busy.localPort(),
            "set=pstn uri=sip:127.0.0.1:" + good.localPort(),
            "route method=INVITE user=numeric action=local fallback=set:pstn");
        launch();

        final SippResult client = calls(3, 0);
        final SippResult served = goodServer.stop();
        final SippResult refused = busyServer.stop();

        assertEquals(3, client.successfulCalls(), client::toString);
        assertEquals(0, client.failedCalls(), client::toString);
        assertEquals(3, served.count("INVITE "), served::toString);
        assertTrue(refused.count("INVITE ") >= 1, refused::toString);
        // Round-robin starts each call at the next backend: the dead one (timeout) and the busy one (503) are each
        // skipped over once per call that met them.
        assertEquals(3, sum("dispatch: requests sent to backends") - sum("dispatch: failovers to the next backend"));
        assertTrue(sum("dispatch: failovers to the next backend") >= 2);
        assertEquals(0, sum("dispatch: no backend available (503)"));
        awaitUsedZero();
    }

    @Test
    void shouldMarkAKilledBackendDownAnswer503WhenNoneIsLeftAndUseARestartedOne()
    {
        final int portA = Sipp.freeUdpPort();
        final int portB = Sipp.freeUdpPort();
        SippProcess serverA = start(backend(portA));
        SippProcess serverB = start(backend(portB));
        writeBackends(
            "set=pstn algorithm=least-loaded-relative resource=pstn",
            "set=pstn uri=sip:127.0.0.1:" + portA + " resources=pstn=10 probe=true",
            "set=pstn uri=sip:127.0.0.1:" + portB + " resources=pstn=10 probe=true",
            "route method=INVITE user=numeric action=local fallback=set:pstn");
        launch();
        awaitSum("dispatch: probes sent", 4);
        assertEquals(0, sum("dispatch: backends down"));

        final SippResult b = serverB.stop();
        awaitSum("dispatch: backends marked down", 1);
        assertEquals(1, sum("dispatch: backends down"));
        final SippResult toA = calls(4, 0);
        assertEquals(4, toA.successfulCalls(), toA::toString);
        final SippResult a = serverA.stop();
        assertEquals(4, a.count("INVITE "), a::toString);
        assertEquals(0, b.count("INVITE "), b::toString);

        awaitSum("dispatch: backends marked down", 2);
        final SippResult refused = Sipp.single("sip:" + NUMBER + "@" + proxy, 503).remote(proxy).workDir(workDir)
            .timeout(RUN).run(RUN);
        assertEquals(0, refused.exitCode(), refused::toString);
        assertTrue(refused.messageLogText().contains("Retry-After: 30"), refused::messageLogText);
        assertEquals(1, sum("dispatch: no backend available (503)"));

        serverB = start(backend(portB));
        awaitSum("dispatch: backends marked up", 1);
        final SippResult toB = calls(3, 0);
        assertEquals(3, toB.successfulCalls(), toB::toString);
        assertEquals(3, serverB.stop().count("INVITE "));
        awaitUsedZero();
    }

    @Test
    void shouldRouteByTheReloadedFileWithoutDroppingCallsAndKeepItWhenTheNewOneIsBad() throws IOException
    {
        final Sipp a = backend(Sipp.freeUdpPort());
        final Sipp b = backend(Sipp.freeUdpPort());
        final SippProcess serverA = start(a);
        final SippProcess serverB = start(b);
        final String set = "set=pstn algorithm=least-loaded-relative resource=pstn";
        final String route = "route method=INVITE user=numeric action=local fallback=set:pstn";
        writeBackends(set, "set=pstn uri=sip:127.0.0.1:" + a.localPort() + " resources=pstn=10", route);
        launch();
        final SippProcess held = Sipp.scenario("uac-rr.xml").service(NUMBER).remote(proxy).calls(2).rate(50)
            .arg("-d", "3000").workDir(workDir).timeout(RUN).start();
        started.add(held);
        awaitUsed(2);

        // A leaves the file while its two calls are up: they go on, and their channels drain when they end.
        writeBackends(set, "set=pstn uri=sip:127.0.0.1:" + b.localPort() + " resources=pstn=10", route);
        assertTrue(member.reloadBackends().isOk());
        final SippResult heldCalls = held.await(RUN);
        assertEquals(2, heldCalls.successfulCalls(), heldCalls::toString);
        awaitUsed(0);
        assertEquals(2, calls(2, 0).successfulCalls());

        writeBackends(set, "set=pstn uri=sip:127.0.0.1:" + a.localPort() + " weight=abc", route);
        final ReloadResult bad = member.reloadBackends();
        assertFalse(bad.isOk());
        assertTrue(bad.error().contains("backends.conf:2: bad token 'weight=abc'"), bad.error());
        final Path result = dataDir.resolve("member").resolve(Member.RELOAD_RESULT_FILE);
        assertTrue(Files.readString(result).contains("weight=abc"));
        assertEquals(2, calls(2, 0).successfulCalls());

        final SippResult servedA = serverA.stop();
        assertEquals(2, servedA.count("INVITE "), servedA::toString);
        assertEquals(2, servedA.count("BYE "), servedA::toString);
        assertEquals(4, serverB.stop().count("INVITE "));
        assertEquals(2, sum("dispatch: backends file loads"));
        assertEquals(1, sum("dispatch: backends file loads rejected"));
        awaitUsed(0);
    }

    @Test
    void shouldRingBothContactsOfAUserAndCancelTheOtherWhenOneAnswers()
    {
        launch();
        final Sipp answering = Sipp.scenario("uas-rr.xml").calls(1).workDir(workDir).timeout(RUN);
        final Sipp ringing = Sipp.scenario("uas-ring-cancel.xml").calls(1).workDir(workDir).timeout(RUN);
        final SippProcess answerer = start(answering);
        final SippProcess ringer = start(ringing);
        register("bob", answering.localPort());
        register("bob", ringing.localPort());

        final SippResult client = Sipp.scenario("uac-rr.xml").service("bob").remote(proxy).calls(1)
            .workDir(workDir).timeout(RUN).run(RUN);
        final SippResult answered = answerer.await(RUN);
        final SippResult cancelled = ringer.await(RUN);

        assertEquals(0, client.exitCode(), client::toString);
        assertEquals(1, client.successfulCalls(), client::toString);
        assertEquals(1, answered.count("INVITE sip:bob@127.0.0.1:" + answering.localPort()), answered::toString);
        assertEquals(1, answered.count("BYE "), answered::toString);
        assertEquals(1, cancelled.count("INVITE sip:bob@127.0.0.1:" + ringing.localPort()), cancelled::toString);
        assertEquals(1, cancelled.count("CANCEL "), cancelled::toString);
        assertEquals(1, cancelled.count("ACK "), cancelled::toString);
        assertEquals(0, client.count("SIP/2.0 487"), "the caller sees only the answer");
    }

    @Test
    void shouldTryContactsByDescendingQAndStopAtTheAnswerWhenSerial()
    {
        launch("corral.dispatch.fork.mode", "serial");
        final Sipp busy = Sipp.scenario("uas-status.xml").calls(1).workDir(workDir).timeout(RUN);
        final Sipp answering = Sipp.scenario("uas-rr.xml").calls(1).workDir(workDir).timeout(RUN);
        final Sipp last = Sipp.scenario("uas-ring-cancel.xml").workDir(workDir).timeout(RUN);
        final SippProcess refuser = start(busy);
        final SippProcess answerer = start(answering);
        final SippProcess neverTried = start(last);
        register("carol", last.localPort(), "0.1");
        register("carol", answering.localPort(), "0.5");
        register("carol", busy.localPort(), "1.0");

        final SippResult client = Sipp.scenario("uac-rr.xml").service("carol").remote(proxy).calls(1)
            .workDir(workDir).timeout(RUN).run(RUN);
        final SippResult refused = refuser.await(RUN);
        final SippResult answered = answerer.await(RUN);
        final SippResult untried = neverTried.stop();

        assertEquals(0, client.exitCode(), client::toString);
        assertEquals(1, client.successfulCalls(), client::toString);
        assertEquals(1, refused.count("INVITE "), refused::toString);
        assertEquals(1, answered.count("INVITE "), answered::toString);
        assertEquals(1, answered.count("BYE "), answered::toString);
        assertEquals(0, untried.count("INVITE "), "serial forking stops at the first answer");
        assertEquals(0, client.count("SIP/2.0 486"), "the 486 of the first contact is not the answer");
    }

    private void assertSpread(
        final String algorithm, final int first, final int second, final int third, final String... properties)
    {
        final Sipp a = backend(Sipp.freeUdpPort());
        final Sipp b = backend(Sipp.freeUdpPort());
        final Sipp c = backend(Sipp.freeUdpPort());
        final SippProcess serverA = start(a);
        final SippProcess serverB = start(b);
        final SippProcess serverC = start(c);
        writeBackends(
            "set=pstn algorithm=" + algorithm + " resource=pstn",
            "set=pstn uri=sip:127.0.0.1:" + a.localPort() + " resources=pstn=32",
            "set=pstn uri=sip:127.0.0.1:" + b.localPort() + " resources=pstn=16",
            "set=pstn uri=sip:127.0.0.1:" + c.localPort() + " resources=pstn=8",
            "route method=INVITE user=numeric action=local fallback=set:pstn");
        launch(properties);

        // 28 calls held 4 s: all are up together, so each choice sees every call before it.
        final SippResult client = calls(28, 4000);
        assertEquals(28, client.successfulCalls(), client::toString);
        assertEquals(first, serverA.stop().count("INVITE "));
        assertEquals(second, serverB.stop().count("INVITE "));
        assertEquals(third, serverC.stop().count("INVITE "));
        awaitUsedZero();
    }

    private SippResult calls(final int count, final int holdMs)
    {
        final SippResult client = Sipp.scenario("uac-rr.xml").service(NUMBER).remote(proxy).calls(count).rate(50)
            .arg("-d", Integer.toString(holdMs)).workDir(workDir).timeout(RUN).run(RUN);
        assertEquals(0, client.exitCode(), client::toString);
        return client;
    }

    private void register(final String user, final int contactPort)
    {
        register(user, contactPort, "1");
    }

    private void register(final String user, final int contactPort, final String q)
    {
        final SippResult registered = Sipp.scenario("uac-register.xml").service(user)
            .replace("[$contact_port]>", "[$contact_port]>;q=" + q)
            .set("contact_port", Integer.toString(contactPort)).calls(1).remote(proxy).workDir(workDir)
            .timeout(RUN).run(RUN);
        assertEquals(0, registered.exitCode(), registered::toString);
    }

    private Sipp backend(final int port)
    {
        return Sipp.scenario("uas-backend.xml").localPort(port).workDir(workDir).timeout(RUN);
    }

    private void launch(final String... extraKeysAndValues)
    {
        final Properties properties = new Properties();
        for (int i = 0; i < extraKeysAndValues.length; i += 2)
        {
            properties.setProperty(extraKeysAndValues[i], extraKeysAndValues[i + 1]);
        }
        properties.setProperty("corral.data.dir", dataDir.resolve("member").toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "shared");
        properties.setProperty("corral.idle.strategy", "backoff");
        properties.setProperty("corral.transaction.t1.ms", "100");
        properties.setProperty("corral.dispatch.probe.interval.ms", "200");
        properties.setProperty("corral.dispatch.probe.timeout.ms", "300");
        properties.setProperty("corral.dispatch.probe.failure.threshold", "2");
        properties.setProperty("corral.dispatch.probe.success.threshold", "1");
        if (Files.exists(backendsFile))
        {
            properties.setProperty("corral.dispatch.backends.file", backendsFile.toString());
        }
        member = Member.launch(Context.load(null, properties));
        proxy = "127.0.0.1:" + member.sipPort();
    }

    private void writeBackends(final String... lines)
    {
        try
        {
            Files.write(backendsFile, List.of(lines));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private SippProcess start(final Sipp sipp)
    {
        final SippProcess process = sipp.start();
        started.add(process);
        return process.awaitBound(BIND);
    }

    private void awaitUsedZero()
    {
        awaitUsed(0);
    }

    private void awaitUsed(final int expected)
    {
        final Dispatcher dispatcher = member.dispatch().dispatcher();
        final int resource = dispatcher.resourceId("pstn");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int used;
        do
        {
            used = 0;
            for (int slot = 0; slot < BackendsFile.MAX_BACKENDS && resource >= 0; slot++)
            {
                used += dispatcher.used(slot, resource);
            }
            Thread.onSpinWait();
        }
        while (used != expected && System.nanoTime() < deadline);
        assertEquals(expected, used, "channels in use");
    }

    private long sum(final String label)
    {
        final CountersReader reader = member.statusFile().countersManager();
        final long[] total = {0};
        reader.forEach((counterId, typeId, keyBuffer, text) ->
        {
            if (text.equals(label))
            {
                total[0] += reader.getCounterValue(counterId);
            }
        });
        return total[0];
    }

    private void awaitSum(final String label, final long atLeast)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (sum(label) < atLeast)
        {
            if (System.nanoTime() > deadline)
            {
                assertEquals(atLeast, sum(label), label);
            }
            Thread.onSpinWait();
        }
    }
}
