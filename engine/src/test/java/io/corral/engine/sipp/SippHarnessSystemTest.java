package io.corral.engine.sipp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves the sipp harness and its scenarios by running sipp against sipp on 127.0.0.1 (no Corral member).
 */
@Timeout(30)
class SippHarnessSystemTest
{
    private static final Duration BIND = Duration.ofSeconds(5);
    private static final Duration RUN = Duration.ofSeconds(25);

    private final List<SippProcess> started = new ArrayList<>();

    @TempDir
    Path workDir;

    @BeforeEach
    void requireSipp()
    {
        assumeTrue(Sipp.isInstalled(), "sipp is not installed");
    }

    @AfterEach
    void stopAll()
    {
        for (final SippProcess process : started)
        {
            process.destroy();
        }
    }

    @Test
    void shouldCompleteFiftyCallsWhenBuiltInUacCallsBuiltInUas()
    {
        final Sipp uas = Sipp.uas().calls(50).workDir(workDir);
        final SippProcess server = start(uas);

        final SippResult client = Sipp.uac().remote(uas.hostPort()).calls(50).rate(50).workDir(workDir).run(RUN);
        final SippResult served = server.await(RUN);

        assertEquals(0, client.exitCode(), client::toString);
        assertEquals(50, client.successfulCalls(), client::toString);
        assertEquals(0, client.failedCalls(), client::toString);
        assertEquals(0, served.exitCode(), served::toString);
        assertEquals(50, served.successfulCalls(), served::toString);
        assertEquals(50, served.count("INVITE "), served::toString);
        assertEquals(50, served.count("BYE "), served::toString);
        assertEquals(0, served.count("SIP/2.0 "), "a UAS receives no responses here");
    }

    @Test
    void shouldCompleteRecordRouteCallsWhenOverUdp()
    {
        assertRecordRouteCalls(false, 0);
    }

    @Test
    void shouldCompleteRecordRouteCallsWhenOverTcp()
    {
        assertRecordRouteCalls(true, 0);
    }

    @Test
    void shouldCompleteRecordRouteCallsWithRetransmissionsWhenTenPercentLostOnBothEnds()
    {
        assertRecordRouteCalls(false, 10);
    }

    @Test
    void shouldCancelRingingCallsWhenUacCancelsAfterRinging()
    {
        final Sipp uas = Sipp.scenario("uas-ring-cancel.xml").calls(10).workDir(workDir);
        final SippProcess server = start(uas);

        final SippResult client = Sipp.scenario("uac-cancel.xml").remote(uas.hostPort()).calls(10).rate(20)
            .workDir(workDir).run(RUN);
        final SippResult served = server.await(RUN);

        assertEquals(0, client.exitCode(), client::toString);
        assertEquals(10, client.successfulCalls(), client::toString);
        assertEquals(10, client.count("SIP/2.0 487 "), client::toString);
        assertEquals(0, served.exitCode(), served::toString);
        assertEquals(10, served.successfulCalls(), served::toString);
        assertEquals(10, served.count("CANCEL "), served::toString);
        assertEquals(10, served.count("ACK "), served::toString);
    }

    @Test
    void shouldPassWhenSingleRequestGetsExpectedStatus()
    {
        final Sipp uas = Sipp.scenario("uas-status.xml").replace("486 Busy Here", "483 Too Many Hops")
            .calls(1).workDir(workDir);
        final SippProcess server = start(uas);

        final SippResult client = Sipp.single("sip:service@" + uas.hostPort(), 483)
            .set("max_forwards", "0")
            .set("hdr", "Subject: single\r\nProxy-Require: x-unknown")
            .remote(uas.hostPort()).workDir(workDir).run(RUN);
        final SippResult served = server.await(RUN);

        assertEquals(0, client.exitCode(), client::toString);
        assertEquals(1, client.successfulCalls(), client::toString);
        assertEquals(0, client.failedCalls(), client::toString);
        assertEquals(1, served.count("INVITE "), served::toString);
        assertEquals(1, served.count("ACK "), served::toString);
        final String invite = served.messageLogText();
        assertTrue(invite.contains("Max-Forwards: 0\r\nSubject: single\r\nProxy-Require: x-unknown\r\n"), invite);
    }

    @Test
    void shouldFailWhenSingleRequestGetsAnotherStatus()
    {
        final Sipp uas = Sipp.scenario("uas-status.xml").calls(1).workDir(workDir);
        final SippProcess server = start(uas);

        final SippResult client = Sipp.single("sip:service@" + uas.hostPort(), 483)
            .remote(uas.hostPort()).workDir(workDir).run(RUN);
        server.destroy();

        assertNotEquals(0, client.exitCode(), client::toString);
        assertEquals(0, client.successfulCalls(), client::toString);
        assertEquals(1, client.failedCalls(), client::toString);
        assertEquals(1, client.stat("FailedStrcmpDoesntMatch(C)"), client::toString);
        assertEquals(1, client.count("SIP/2.0 486 "), client::toString);
    }

    @Test
    void shouldWriteFinalStatisticsWhenUasIsDestroyed()
    {
        final SippProcess server = start(Sipp.uas().workDir(workDir));

        final SippResult stopped = server.stop();

        assertFalse(server.isAlive());
        assertEquals(0, stopped.successfulCalls(), stopped::toString);
        assertEquals(0, stopped.failedCalls(), stopped::toString);
    }

    private void assertRecordRouteCalls(final boolean tcp, final int lostPercent)
    {
        final Sipp uas = Sipp.scenario("uas-rr.xml").calls(20).lost(lostPercent).workDir(workDir);
        final Sipp uac = Sipp.scenario("uac-rr.xml").calls(20).rate(50).lost(lostPercent).workDir(workDir);
        if (tcp)
        {
            uas.tcp();
            uac.tcp();
        }
        final SippProcess server = start(uas);

        final SippResult client = uac.remote(uas.hostPort()).run(RUN);
        final SippResult served = server.await(RUN);

        assertEquals(0, client.exitCode(), client::toString);
        assertEquals(20, client.successfulCalls(), client::toString);
        assertEquals(0, client.failedCalls(), client::toString);
        assertEquals(0, served.exitCode(), served::toString);
        assertEquals(20, served.successfulCalls(), served::toString);
        assertEquals(0, served.failedCalls(), served::toString);
        if (lostPercent > 0)
        {
            assertTrue(client.retransmissions() + served.retransmissions() > 0, client + "\n" + served);
        }
        else
        {
            assertEquals(20, served.count("INVITE "), served::toString);
            assertEquals(20, served.count("ACK "), served::toString);
            assertEquals(20, served.count("BYE "), served::toString);
            assertEquals(0, client.retransmissions(), client::toString);
        }
    }

    private SippProcess start(final Sipp sipp)
    {
        final SippProcess process = sipp.start();
        started.add(process);
        return process.awaitBound(BIND);
    }
}
