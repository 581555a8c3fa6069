package io.corral.tools;

import io.corral.engine.Context;
import io.corral.engine.Member;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CorralCtlTest
{
    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final AtomicLong signalledPid = new AtomicLong();
    private Path backends;

    @BeforeEach
    void pointToolsAtDataDir() throws IOException
    {
        System.setProperty("corral.data.dir", dataDir.toString());
        backends = dataDir.resolve("backends.conf");
        Files.write(backends, List.of("set=pstn uri=sip:127.0.0.1:5090"));
    }

    @AfterEach
    void clearSystemProperties()
    {
        System.clearProperty("corral.data.dir");
    }

    @Test
    void shouldPrintTheNewVersionWhenTheMemberReloadsAGoodFile() throws IOException
    {
        try (Member member = launch())
        {
            Files.write(backends, List.of("set=pstn uri=sip:127.0.0.1:5090", "set=pstn uri=sip:127.0.0.1:5091"));

            assertEquals(0, ctl(member, "reload"), errBytes::toString);
            assertEquals(ProcessHandle.current().pid(), signalledPid.get());
            assertEquals(2, member.dispatch().dispatcher().current().backendCount());
        }
        assertEquals("backends loaded: version 2, 2 backends, 1 sets, 0 routes" + System.lineSeparator(),
            outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintLineAndTokenAndKeepTheSetsWhenTheFileIsBad() throws IOException
    {
        try (Member member = launch())
        {
            Files.write(backends, List.of("set=pstn uri=sip:127.0.0.1:5090", "set=pstn uri=sip:nowhere:x"));

            assertEquals(CorralCtl.EXIT_REJECTED, ctl(member, "reload"));
            assertEquals(1, member.dispatch().dispatcher().current().backendCount());
        }
        final String printed = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("backends reload failed, keeping version 1: " + backends + ":2: bad token"),
            printed);
    }

    @Test
    void shouldRefuseAnUnknownCommand()
    {
        try (Member member = launch())
        {
            assertEquals(CommandLine.ExitCode.USAGE, ctl(member, "restart"));
        }
        assertEquals(0, signalledPid.get());
    }

    private int ctl(final Member member, final String... args)
    {
        final CorralCtl.Signaller signaller = (pid) ->
        {
            signalledPid.set(pid);
            member.reloadBackends();
            return true;
        };
        return new CommandLine(new CorralCtl(out, err, signaller)).execute(args);
    }

    private Member launch()
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.threading.mode", "invoker");
        properties.setProperty("corral.sip.port", "0");
        properties.setProperty("corral.dispatch.backends.file", backends.toString());
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(System.currentTimeMillis());
        return Member.launch(Context.load(null, properties).epochClock(clock));
    }
}
