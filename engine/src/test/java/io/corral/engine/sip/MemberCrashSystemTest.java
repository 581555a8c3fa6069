package io.corral.engine.sip;

import io.corral.engine.sipp.Sipp;
import io.corral.engine.sipp.SippProcess;
import io.corral.engine.sipp.SippResult;
import io.corral.engine.status.MemberErrorLog;
import io.corral.engine.status.MemberProcess;
import io.corral.engine.status.StatusFileReader;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A member in its own JVM is killed with SIGKILL while calls are up; the member restarted on the same data dir
 * still has every dialog in its Chronicle Map, and the in-dialog BYEs the callers send later are routed through it
 * to the callee.
 */
@Timeout(120)
class MemberCrashSystemTest
{
    private static final int CALLS = 20;
    private static final Duration RUN = Duration.ofSeconds(60);

    private final List<Process> members = new ArrayList<>();
    private final List<SippProcess> sipps = new ArrayList<>();

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    @AfterEach
    void stop()
    {
        sipps.forEach(SippProcess::destroy);
        members.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldKeepDialogsAndRouteByeWhenRestartedAfterKill() throws Exception
    {
        assumeTrue(Sipp.isInstalled(), "sipp is not installed");
        final int port = Sipp.freePort();
        final Process first = startMember(port);

        final Sipp uas = Sipp.scenario("uas-rr.xml").calls(CALLS).timeout(RUN).workDir(workDir);
        sipps.add(uas.start().awaitBound(Duration.ofSeconds(5)));
        // Calls held 8 s between ACK and BYE: the member dies and comes back while they are up.
        final SippProcess uac = Sipp.scenario("uac-rr.xml").rsa("127.0.0.1:" + port).remote(uas.hostPort())
            .calls(CALLS).rate(40).arg("-d", "8000").timeout(RUN).workDir(workDir).start();
        sipps.add(uac);

        awaitCounter("dialogs confirmed", CALLS);
        first.destroyForcibly();
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, first.exitValue(), "killed by SIGKILL");
        assertTrue(Files.exists(dataDir.resolve("state").resolve("dialogs.dat")));

        startMember(port);
        awaitCounter("dialogs confirmed", CALLS);
        assertTrue(Files.readString(workDir.resolve("member-1.out")).contains(
            CALLS + " dialogs found in the map (" + CALLS + " confirmed, 0 early), recovered after an unclean stop"),
            this::memberOutputs);

        final SippResult callers = uac.await(RUN);
        final SippResult callee = sipps.get(0).await(RUN);
        assertEquals(0, callers.exitCode(), callers::toString);
        assertEquals(CALLS, callers.successfulCalls(), callers::toString);
        assertEquals(CALLS, callee.successfulCalls(), callee::toString);
        assertEquals(CALLS, callee.count("BYE "), callee::toString);
        awaitCounter("dialogs terminated", CALLS);
        awaitCounter("dialogs confirmed", 0);
        assertEquals(0, counter("in-dialog requests for no dialog (481)"));
        MemberErrorLog.assertEmpty(dataDir);
    }

    private Process startMember(final int port) throws IOException
    {
        final Process process =
            MemberProcess.start(dataDir, port, workDir.resolve("member-" + members.size() + ".out"));
        members.add(process);
        return process;
    }

    private long counter(final String labelSuffix)
    {
        try (StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            return counterOf(reader, labelSuffix);
        }
    }

    private static long counterOf(final StatusFileReader reader, final String labelSuffix)
    {
        final CountersReader counters = reader.countersReader();
        final long[] value = {-1};
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.endsWith(labelSuffix))
            {
                value[0] = Math.max(value[0], 0) + counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private void awaitCounter(final String labelSuffix, final long expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long value = counter(labelSuffix);
        while (value != expected && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(2_000_000);
            value = counter(labelSuffix);
        }
        assertEquals(expected, value, () -> labelSuffix + "; the members said:\n" + memberOutputs());
    }

    /**
     * What the members printed (recovery warnings, errors), for a failure to show what happened across the restart.
     */
    private String memberOutputs()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < members.size(); i++)
        {
            final Path output = workDir.resolve("member-" + i + ".out");
            try
            {
                text.append("--- ").append(output.getFileName()).append('\n').append(Files.readString(output));
            }
            catch (final IOException ex)
            {
                text.append("--- ").append(output.getFileName()).append(": ").append(ex).append('\n');
            }
        }
        return text.toString();
    }
}
