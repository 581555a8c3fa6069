package io.corral.engine.overload;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.sipp.Sipp;
import io.corral.engine.sipp.SippProcess;
import io.corral.engine.sipp.SippResult;
import io.corral.engine.status.MemberCounters;
import io.corral.engine.status.MemberErrorLog;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A member with a deliberately low limit (shedding from 31 transactions in progress) and short timers (64*T1 =
 * 6.4 s), driven over it by SIPp with calls that ring for a second: new calls are answered 503 with Retry-After
 * while the calls already admitted are held and hung up (their BYEs pass and are answered), and once the load is
 * gone the member admits every new call again.
 */
@Timeout(120)
class OverloadSippSystemTest
{
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Duration BIND = Duration.ofSeconds(5);

    private final List<SippProcess> started = new ArrayList<>();

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    private Member member;
    private String proxy;

    @BeforeEach
    void start()
    {
        assumeTrue(Sipp.isInstalled(), "sipp is not installed");
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.threading.mode", "shared");
        properties.setProperty("corral.idle.strategy", "backoff");
        properties.setProperty("corral.transaction.capacity", "256");
        properties.setProperty("corral.transaction.t1.ms", "100");
        properties.setProperty("corral.transaction.t4.ms", "500");
        properties.setProperty("corral.overload.table.high.percent", "12");
        properties.setProperty("corral.overload.table.low.percent", "6");
        properties.setProperty("corral.overload.drop.below.percent", "0");
        properties.setProperty("corral.overload.retry.after.s", "7");
        member = Member.launch(Context.load(null, properties));
        proxy = "127.0.0.1:" + member.sipPort();
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
    void shouldAnswerNewCalls503WhileCallsInProgressCompleteAndStopSheddingWhenLoadDrops()
    {
        // The callee rings for a second: the calls in progress fill the table (lingering transactions do not).
        final Sipp uasSipp = Sipp.scenario("uas-ring.xml").workDir(workDir).timeout(RUN);
        final SippProcess server = start(uasSipp);
        final String uas = uasSipp.hostPort();

        final int calls = 60;
        final SippResult overloaded = Sipp.scenario("uac-shed.xml").rsa(proxy).remote(uas).calls(calls).rate(30)
            .arg("-d", "1500").workDir(workDir).timeout(RUN).run(RUN);
        assertEquals(0, overloaded.exitCode(), overloaded::toString);
        assertEquals(calls, overloaded.successfulCalls(), overloaded::toString);
        assertEquals(0, overloaded.failedCalls(), overloaded::toString);

        final int shed = overloaded.count("SIP/2.0 503");
        assertTrue(shed > 0, "no call was shed: " + overloaded);
        assertTrue(calls - shed > 0, "no call was admitted: " + overloaded);
        assertTrue(overloaded.messageLogText().contains("Retry-After: 7"), "503 without Retry-After");
        awaitSum("overload: new requests shed (503)", shed);
        awaitSum("overload: ACKs of shed 503s absorbed", shed);
        assertEquals(0, sum("overload: new requests shed (dropped)"));

        awaitSum("overload: % of new requests admitted", 100);
        final int quietCalls = 4;
        final SippResult quiet = Sipp.scenario("uac-shed.xml").rsa(proxy).remote(uas).calls(quietCalls).rate(2)
            .workDir(workDir).timeout(RUN).run(RUN);
        assertEquals(0, quiet.exitCode(), quiet::toString);
        assertEquals(quietCalls, quiet.successfulCalls(), quiet::toString);
        assertEquals(0, quiet.count("SIP/2.0 503"), "shedding must stop once the load is gone: " + quiet);
        assertEquals(shed, sum("overload: new requests shed (503)"));

        final SippResult served = server.stop();
        // Each admitted call reached the callee and was hung up there (the UAC saw its BYE answered, or it would
        // have failed); a shed one never left the member.
        assertTrue(served.count("INVITE ") >= calls - shed + quietCalls, served::toString);
        assertTrue(served.count("BYE ") >= calls - shed + quietCalls, served::toString);
        assertEquals(calls - shed + quietCalls, sum("INVITE requests out"));
    }

    private SippProcess start(final Sipp sipp)
    {
        final SippProcess process = sipp.start();
        started.add(process);
        return process.awaitBound(BIND);
    }

    private long sum(final String labelSuffix)
    {
        return MemberCounters.sum(member, labelSuffix);
    }

    private void awaitSum(final String labelSuffix, final long expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sum(labelSuffix) != expected)
        {
            if (System.nanoTime() > deadline)
            {
                assertEquals(expected, sum(labelSuffix), labelSuffix);
            }
            Thread.onSpinWait();
        }
    }
}
