package io.corral.engine;

import io.corral.engine.status.MemberLockedException;
import io.corral.engine.status.StatusCounters;
import io.corral.engine.status.StatusFileReader;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemberTest
{
    @TempDir
    Path dataDir;

    private final CountDownLatch started = new CountDownLatch(1);
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream()
    {
        public synchronized void write(final byte[] bytes, final int offset, final int length)
        {
            super.write(bytes, offset, length);
            if (toString(StandardCharsets.UTF_8).contains(" started"))
            {
                started.countDown();
            }
        }
    };
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @AfterEach
    void clearSystemProperties()
    {
        System.getProperties().stringPropertyNames().stream()
            .filter((name) -> name.startsWith("corral."))
            .forEach(System::clearProperty);
    }

    private Context invokerContext(final CachedEpochClock clock)
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.threading.mode", "invoker");
        properties.setProperty("corral.member.id", "3");
        properties.setProperty("corral.sip.port", "0");
        return Context.load(null, properties).epochClock(clock);
    }

    private int run(final String... args)
    {
        return Member.run(args, out, err, new CountDownLatch(0));
    }

    @Test
    void shouldRunConductorAndPublishCountersWhenDrivenByHand()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(10_000);
        try (Member member = Member.launch(invokerContext(clock));
            StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            final AgentInvoker invoker = member.agents().invoker();
            assertEquals(StatusCounters.STATE_RUNNING, reader.memberState());
            assertEquals(3, reader.memberId());

            invoker.invoke();
            clock.update(10_250);
            invoker.invoke();

            assertEquals(10_250, reader.heartbeatMs());
            assertEquals(250, reader.countersReader().getCounterValue(StatusCounters.UPTIME_ID));
            assertEquals(2, reader.countersReader().getCounterValue(StatusCounters.CONDUCTOR_DUTY_CYCLES_ID));
            assertEquals(10_250, member.cachedClock().time());
            assertTrue(reader.isMemberAlive());
        }
        try (StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            assertEquals(StatusCounters.STATE_CLOSED, reader.memberState());
            assertFalse(reader.isMemberAlive());
        }
    }

    @Test
    void shouldCountAndLogErrorsWhenReported()
    {
        try (Member member = Member.launch(invokerContext(new CachedEpochClock()));
            StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            member.errorHandler().onError(new IllegalStateException("reported"));

            assertEquals(1, reader.countersReader().getCounterValue(StatusCounters.ERRORS_ID));
            assertTrue(reader.errorsText().contains("java.lang.IllegalStateException: reported"));
        }
    }

    @Test
    void shouldRefuseSecondMemberWhenDataDirIsInUse()
    {
        try (Member first = Member.launch(invokerContext(new CachedEpochClock())))
        {
            assertEquals(3, first.context().memberId());
            assertThrows(MemberLockedException.class, () -> Member.launch(invokerContext(new CachedEpochClock())));

            System.setProperty("corral.data.dir", dataDir.toString());
            assertEquals(2, run());
            assertEquals("corral: another member (pid " + ProcessHandle.current().pid() +
                ") is running with data dir " + dataDir + "\n", errBytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldStartAndStopWithExitZeroWhenShutdownIsSignalled() throws InterruptedException
    {
        System.setProperty("corral.data.dir", dataDir.toString());
        System.setProperty("corral.sip.port", "0");
        final CountDownLatch shutdown = new CountDownLatch(1);
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final Thread main = new Thread(() -> exitCode.set(Member.run(new String[0], out, err, shutdown)));
        main.start();
        started.await();

        shutdown.countDown();
        main.join();

        assertEquals(0, exitCode.get());
        final String printed = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.matches("corral: member 1 started, sip 127\\.0\\.0\\.1:[1-9][0-9]*, data " +
            Pattern.quote(dataDir.toString()) + ", threading shared\ncorral: member 1 stopping\n" +
            "corral: member 1 stopped\n"), printed);
    }

    @Test
    void shouldPrintEffectiveConfigWithSourcesAndExitZeroWhenAsked()
    {
        System.setProperty("corral.sip.port", "5070");

        assertEquals(0, run("--print-config"));

        final String printed = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("corral.sip.port=5070 (system property)\n"), printed);
        assertTrue(printed.contains("corral.member.id=1 (default)\n"), printed);
    }

    @Test
    void shouldRefuseToServeANonLoopbackAddressWithoutAuthenticationUnlessAllowedExplicitly()
    {
        System.setProperty("corral.data.dir", dataDir.toString());
        System.setProperty("corral.sip.address", "0.0.0.0");
        System.setProperty("corral.sip.advertised.address", "192.0.2.1");

        assertEquals(2, run());
        final String refused = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(refused.startsWith("corral: refusing to start without authentication on a non-loopback address: " +
            "corral.sip.address=0.0.0.0"), refused);
        assertTrue(refused.contains("corral.auth.required") && refused.contains("corral.auth.allow.insecure"),
            refused);
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8), "nothing may start");
    }

    @Test
    void shouldExitTwoWithOneLineWhenConfigurationIsBad()
    {
        System.setProperty("corral.sip.port", "abc");
        assertEquals(2, run());
        System.clearProperty("corral.sip.port");
        System.setProperty("corral.sip.prot", "5060");
        assertEquals(2, run("--print-config"));
        System.clearProperty("corral.sip.prot");
        assertEquals(2, run("--config", dataDir.resolve("missing.properties").toString()));
        assertEquals(2, run("--verbose"));

        assertEquals(String.join("\n",
            "corral: invalid configuration: corral.sip.port=abc (from system property): " +
                "expected an integer 0..65535 (0 = any free port)",
            "corral: unknown configuration key corral.sip.prot (from system property): did you mean corral.sip.port?",
            "corral: config file not found: " + dataDir.resolve("missing.properties") + " (--config)",
            "corral: unknown argument --verbose (try --help)", ""), errBytes.toString(StandardCharsets.UTF_8));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintUsageWhenAskedForHelp()
    {
        assertEquals(0, run("--help"));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).startsWith("usage: bin/corral [--config FILE]"));
    }
}
