package io.corral.engine.status;

import io.corral.engine.Member;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member in a process of its own, for system tests that kill it ({@code kill -9}) and start it again: the test
 * JVM's command line, flags and class path, with the data dir and SIP port given.
 */
public final class MemberProcess
{
    private MemberProcess()
    {
    }

    /**
     * Start a member and wait until its status file says it runs.
     *
     * @param dataDir the member's data dir.
     * @param port    its SIP port.
     * @param output  file for its standard output and error.
     * @return the running process.
     * @throws IOException if the process cannot be started.
     */
    public static Process start(final Path dataDir, final int port, final Path output) throws IOException
    {
        return start(dataDir, port, output, List.of());
    }

    /**
     * Start a member with more settings and wait until its status file says it runs.
     *
     * @param dataDir    the member's data dir.
     * @param port       its SIP port.
     * @param output     file for its standard output and error.
     * @param properties more {@code key=value} settings, as system properties.
     * @return the running process.
     * @throws IOException if the process cannot be started.
     */
    public static Process start(final Path dataDir, final int port, final Path output, final List<String> properties)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-Dcorral.data.dir=" + dataDir);
        command.add("-Dcorral.sip.port=" + port);
        properties.forEach(property -> command.add("-D" + property));
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(Member.class.getName());
        final Process process = new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectErrorStream(true)
            .start();
        awaitRunning(process, dataDir);
        return process;
    }

    private static void awaitRunning(final Process process, final Path dataDir)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            assertTrue(process.isAlive(), "the member exited");
            try (StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
            {
                if (reader.isMemberAlive() && reader.pid() == process.pid() &&
                    reader.memberState() == StatusCounters.STATE_RUNNING)
                {
                    return;
                }
            }
            catch (final RuntimeException notYet)
            {
                // The status file is not there or not ready yet.
            }
            LockSupport.parkNanos(5_000_000);
        }
        process.destroyForcibly();
        throw new AssertionError("the member did not start");
    }
}
