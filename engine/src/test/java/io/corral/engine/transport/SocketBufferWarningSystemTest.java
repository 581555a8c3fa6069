package io.corral.engine.transport;

import io.corral.engine.sipp.Sipp;
import io.corral.engine.status.MemberProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A member asking for a larger receive buffer than {@code net.core.rmem_max} allows says so when it starts, naming
 * what it got, what it asked for and the sysctl to raise: the operator must not believe it has a buffer it lacks.
 */
@Timeout(60)
class SocketBufferWarningSystemTest
{
    private static final int ASKED = 1 << 30;

    @TempDir
    Path dataDir;

    @TempDir
    Path logs;

    @Test
    void shouldWarnAtStartWhenTheKernelGrantsLessThanAsked() throws Exception
    {
        final Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        assumeTrue(Files.isReadable(rmemMax), "not Linux");
        try (BufferedReader reader = Files.newBufferedReader(rmemMax))
        {
            // The kernel grants twice min(asked, rmem_max): below ASKED only while rmem_max is under half of it.
            assumeTrue(Long.parseLong(reader.readLine().trim()) < ASKED / 2, "rmem_max allows the size asked");
        }
        final Path output = logs.resolve("member.log");
        final Process member = MemberProcess.start(
            dataDir, Sipp.freePort(), output, List.of("corral.sip.socket.rcvbuf.bytes=" + ASKED));
        try
        {
            final String log = Files.readString(output);
            assertTrue(log.contains("SIP socket SO_RCVBUF is ") &&
                log.contains("less than the " + ASKED + " requested: raise the sysctl net.core.rmem_max"), log);
        }
        finally
        {
            member.destroyForcibly().waitFor();
        }
    }
}
