package io.corral.tools;

import io.corral.engine.status.StatusCounters;
import io.corral.engine.status.StatusFileDescriptor;
import io.corral.engine.status.StatusFileException;
import io.corral.engine.status.StatusFileReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the real distribution: {@code bin/corral}, {@code bin/corral-stat} and {@code bin/corral-errors} from the
 * repository root, each in a child process, as an operator would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemberDistributionSystemTest
{
    private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
    private static final long START_TIMEOUT_MS = 60_000;

    @TempDir
    Path tmp;

    private final List<Process> members = new ArrayList<>();

    @AfterEach
    void killLeftovers()
    {
        members.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldStartShowCountersRefuseSecondMemberAndExitZeroOnSigterm() throws Exception
    {
        final Path dataDir = tmp.resolve("data");
        final String dataDirArg = "-Dcorral.data.dir=" + dataDir;
        final Process member = start(dataDir, "bin/corral", dataDirArg, "-Dcorral.sip.port=0");
        awaitRunning(member, dataDir);

        final Result stat = run("bin/corral-stat", "--once", dataDirArg);
        assertEquals(0, stat.exitCode, stat.toString());
        assertTrue(stat.out.startsWith("member 1, pid " + member.pid() + ", started "), stat.toString());
        assertTrue(stat.out.contains("  0:                    1 - Member state: 0 starting, 1 running"), stat.out);
        assertTrue(stat.out.contains(" - Conductor duty cycles\n"), stat.out);
        assertTrue(stat.out.contains(" - Conductor heartbeat (epoch ms)\n"), stat.out);

        final Result second = run("bin/corral", dataDirArg);
        assertEquals(2, second.exitCode, second.toString());
        assertEquals("corral: another member (pid " + member.pid() + ") is running with data dir " + dataDir + "\n",
            second.err);

        final Result errors = run("bin/corral-errors", dataDirArg);
        assertEquals(0, errors.exitCode, errors.toString());
        assertEquals("", errors.out);

        member.destroy();
        awaitStopped(member, dataDir, "SIGTERM");
        assertEquals(0, member.exitValue(), output(dataDir));
        final String printed = Files.readString(dataDir.resolveSibling("out"));
        assertTrue(printed.matches("corral: member 1 started, sip 127\\.0\\.0\\.1:[1-9][0-9]*, data " +
            Pattern.quote(dataDir.toString()) + ", threading shared\ncorral: member 1 stopping\n" +
            "corral: member 1 stopped\n"), printed);

        final Result afterStop = run("bin/corral-stat", "--once", dataDirArg);
        assertEquals(1, afterStop.exitCode, afterStop.toString());
        assertTrue(afterStop.err.startsWith("corral: no live member with data dir " + dataDir), afterStop.err);
    }

    @Test
    void shouldRecoverAfterKillAndStopWithExitZeroOnSigintWhenDedicatedAndUnpinnable() throws Exception
    {
        final Path dataDir = tmp.resolve("data");
        final Process killed = start(dataDir, "bin/corral", "-Dcorral.data.dir=" + dataDir, "-Dcorral.sip.port=0");
        awaitRunning(killed, dataDir);
        killed.destroyForcibly();
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));

        // A job started with & by a non-interactive shell inherits SIGINT ignored, and a JVM keeps it ignored: reset
        // it, so that the test checks the member, not how the build was launched.
        final Process member = start(dataDir, "env", "--default-signal=INT", "bin/corral", "--config",
            "config/corral.properties",
            "-Dcorral.data.dir=" + dataDir, "-Dcorral.sip.port=0", "-Dcorral.member.id=2",
            "-Dcorral.threading.mode=dedicated",
            "-Dcorral.conductor.cpu=1023");
        awaitRunning(member, dataDir);
        final Result stat = run("bin/corral-stat", "-Dcorral.data.dir=" + dataDir, "--once");
        assertTrue(stat.out.startsWith("member 2, pid " + member.pid() + ","), stat.toString());

        assertEquals(0, run("kill", "-INT", Long.toString(member.pid())).exitCode);
        awaitStopped(member, dataDir, "SIGINT");
        assertEquals(0, member.exitValue(), output(dataDir));
        assertTrue(Files.readString(dataDir.resolveSibling("out")).endsWith("corral: member 2 stopped\n"));
        assertTrue(Files.readString(dataDir.resolveSibling("err"))
            .contains("WARN io.corral.engine.agent.PinnedAgent - agent role conductor not pinned"), output(dataDir));
    }

    @Test
    void shouldPrintEffectiveConfigWithSourcesWhenAsked() throws IOException
    {
        final Result printed = run("bin/corral", "-Dcorral.sip.port=5070", "--print-config",
            "--config", "config/low-latency.properties", "-Dcorral.data.dir=" + tmp);

        assertEquals(0, printed.exitCode, printed.toString());
        final String file = ROOT.resolve("config/low-latency.properties").toString();
        assertTrue(printed.out.contains("corral.sip.port=5070 (system property)\n"), printed.out);
        assertTrue(printed.out.contains("corral.data.dir=" + tmp + " (system property)\n"), printed.out);
        assertTrue(printed.out.contains("corral.threading.mode=dedicated (file " + file + ")\n"), printed.out);
        assertTrue(printed.out.contains("corral.status.error.log.length=1048576 (default)\n"), printed.out);
        assertEquals("", printed.err);
    }

    @Test
    void shouldReloadBackendsOnCorralCtlAndSighupAndKeepThemWhenTheFileIsBad() throws Exception
    {
        final Path dataDir = tmp.resolve("data");
        final String dataDirArg = "-Dcorral.data.dir=" + dataDir;
        final Path backends = tmp.resolve("backends.conf");
        Files.write(backends, List.of("set=pstn uri=sip:127.0.0.1:5090"));
        final Process member = start(dataDir, "bin/corral", dataDirArg, "-Dcorral.sip.port=0",
            "-Dcorral.dispatch.backends.file=" + backends);
        awaitRunning(member, dataDir);

        Files.write(backends, List.of("set=pstn uri=sip:127.0.0.1:5090", "set=pstn uri=sip:127.0.0.1:5091"));
        final Result loaded = run("bin/corral-ctl", "reload", dataDirArg);
        assertEquals(0, loaded.exitCode, loaded.toString());
        assertEquals("backends loaded: version 2, 2 backends, 1 sets, 0 routes\n", loaded.out);

        Files.write(backends, List.of("set=pstn uri=sip:127.0.0.1:5090 weight=abc"));
        final Result rejected = run("bin/corral-ctl", "reload", dataDirArg);
        assertEquals(CorralCtl.EXIT_REJECTED, rejected.exitCode, rejected.toString());
        assertEquals("backends reload failed, keeping version 2: " + backends + ":1: bad token 'weight=abc': " +
            "weight must be an integer 1..100\n", rejected.err);

        Files.write(backends, List.of("set=pstn uri=sip:127.0.0.1:5092"));
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(member.pid())).start().waitFor());
        final long deadlineMs = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!Files.readString(dataDir.resolve("status/backends-reload")).startsWith("backends loaded: version 3"))
        {
            assertTrue(member.isAlive() && System.currentTimeMillis() < deadlineMs, output(dataDir));
            Thread.sleep(20);
        }

        member.destroy();
        assertEquals(0, member.waitFor(), output(dataDir));
        assertTrue(Files.readString(dataDir.resolveSibling("err")).contains(
            "[SIGHUP handler] INFO io.corral.engine.Member - backends loaded: version 3, 1 backends"), output(dataDir));
    }

    @Test
    void shouldStopWithOneLineAndExitTwoWhenConfigurationIsBad() throws IOException
    {
        assertFailure(run("bin/corral", "-Dcorral.sip.port=abc"),
            "corral: invalid configuration: corral.sip.port=abc (from system property): expected an integer " +
            "0..65535 (0 = any free port)");
        assertFailure(run("bin/corral", "-Dcorral.sip.prot=5060"),
            "corral: unknown configuration key corral.sip.prot (from system property): did you mean corral.sip.port?");
        assertFailure(run("bin/corral", "--config", "/no/such/corral.properties"),
            "corral: config file not found: /no/such/corral.properties (--config)");
        assertFailure(run("bin/corral-stat", "--once", "--config", "/no/such/corral.properties"),
            "corral: config file not found: /no/such/corral.properties (--config)");
    }

    private static void assertFailure(final Result result, final String line)
    {
        assertEquals(2, result.exitCode, result.toString());
        assertEquals(line + "\n", result.err);
        assertEquals("", result.out);
    }

    private Process start(final Path dataDir, final String... command) throws IOException
    {
        Files.createDirectories(dataDir.getParent());
        final Process process = new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(dataDir.resolveSibling("out").toFile())
            .redirectError(dataDir.resolveSibling("err").toFile())
            .start();
        members.add(process);
        return process;
    }

    private void awaitStopped(final Process member, final Path dataDir, final String signal) throws Exception
    {
        if (!member.waitFor(30, TimeUnit.SECONDS))
        {
            // Where it hangs: its threads, while it still runs.
            fail("member did not stop on " + signal + ": " + output(dataDir) + "threads: " +
                run("jcmd", Long.toString(member.pid()), "Thread.print"));
        }
    }

    private static String output(final Path dataDir) throws IOException
    {
        return "stdout: " + Files.readString(dataDir.resolveSibling("out")) +
            "stderr: " + Files.readString(dataDir.resolveSibling("err"));
    }

    /**
     * Poll the member's status file until it says running, or fail if the process ends or time runs out.
     */
    private static void awaitRunning(final Process member, final Path dataDir) throws Exception
    {
        final long deadlineMs = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true)
        {
            if (Files.exists(StatusFileDescriptor.file(dataDir)))
            {
                try (StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
                {
                    if (reader.isReady() && reader.pid() == member.pid() &&
                        reader.memberState() == StatusCounters.STATE_RUNNING)
                    {
                        return;
                    }
                }
                catch (final StatusFileException ignore)
                {
                    // The member is re-creating the file: poll again.
                }
            }
            if (!member.isAlive())
            {
                fail("member exited " + member.exitValue() + ": " + output(dataDir));
            }
            if (System.currentTimeMillis() > deadlineMs)
            {
                fail("member not running after " + START_TIMEOUT_MS + " ms: " + output(dataDir));
            }
            Thread.sleep(20);
        }
    }

    private Result run(final String... command) throws IOException
    {
        final Path out = Files.createTempFile(tmp, "out", ".txt");
        final Path err = Files.createTempFile(tmp, "err", ".txt");
        final Process process = new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        try
        {
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish");
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            throw new IllegalStateException(ex);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String out, String err)
    {
    }
}
