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
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CorralToolsTest
{
    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void pointToolsAtDataDir()
    {
        System.setProperty("corral.data.dir", dataDir.toString());
    }

    @AfterEach
    void clearSystemProperties()
    {
        System.clearProperty("corral.data.dir");
    }

    private Member launch()
    {
        final Properties properties = new Properties();
        properties.setProperty("corral.data.dir", dataDir.toString());
        properties.setProperty("corral.threading.mode", "invoker");
        properties.setProperty("corral.member.id", "4");
        // Any free port: the default 5060 may be held by another SIP process on the machine.
        properties.setProperty("corral.sip.port", "0");
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(System.currentTimeMillis());
        return Member.launch(Context.load(null, properties).epochClock(clock));
    }

    private int stat(final String... args)
    {
        return new CommandLine(new CorralStat(out, err)).execute(args);
    }

    private int errors(final String... args)
    {
        return new CommandLine(new CorralErrors(out, err)).execute(args);
    }

    @Test
    void shouldPrintHeaderAndEveryCounterOnceWhenMemberIsLive()
    {
        try (Member member = launch())
        {
            member.agents().invoker().invoke();

            assertEquals(0, stat("--once"));
        }
        final String printed = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("member 4, pid " + ProcessHandle.current().pid() + ", started "), printed);
        assertTrue(printed.contains("  0:                    1 - Member state: 0 starting, 1 running"), printed);
        assertTrue(printed.contains("  3:                    1 - Conductor duty cycles\n"), printed);
        assertTrue(printed.contains("  5:                    0 - Errors (bin/corral-errors lists them)\n"), printed);
    }

    @Test
    void shouldExitOneWithMessageWhenNoMemberIsLive()
    {
        assertEquals(1, stat("--once"));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).startsWith("corral: no status file "));

        launch().close();
        errBytes.reset();
        assertEquals(1, stat("--once"));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).startsWith(
            "corral: no live member with data dir " + dataDir + " (the last one, pid "));
    }

    @Test
    void shouldExitTwoWhenToolConfigurationIsBad() throws IOException
    {
        System.setProperty("corral.data.dri", "x");
        try
        {
            assertEquals(2, stat("--once"));
        }
        finally
        {
            System.clearProperty("corral.data.dri");
        }
        assertEquals(2, errors("--config", dataDir.resolve("missing.properties").toString()));
        assertEquals("corral: unknown configuration key corral.data.dri (from system property): " +
            "did you mean corral.data.dir?\n" +
            "corral: config file not found: " + dataDir.resolve("missing.properties") + " (--config)\n",
            errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldFindDataDirInConfigFileWhenGivenOne() throws IOException
    {
        System.clearProperty("corral.data.dir");
        final Path config = Files.writeString(dataDir.resolve("member.properties"), "corral.data.dir=" + dataDir);
        try (Member member = launch())
        {
            assertEquals(4, member.context().memberId());
            assertEquals(0, stat("--config", config.toString(), "--once"));
        }
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).startsWith("member 4,"));
    }

    @Test
    void shouldPrintNothingAndExitZeroWhenThereAreNoErrors()
    {
        try (Member member = launch())
        {
            member.agents().invoker().invoke();
            assertEquals(0, errors());
        }
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintEachDistinctErrorWithCountWhenErrorsWereRecorded()
    {
        try (Member member = launch())
        {
            final IllegalStateException error = new IllegalStateException("tools test");
            member.errorHandler().onError(error);
            member.errorHandler().onError(error);
        }

        assertEquals(0, errors());

        final String printed = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("2 observations from "), printed);
        assertTrue(printed.contains(" for:\n java.lang.IllegalStateException: tools test"), printed);
        assertTrue(printed.endsWith("1 distinct error observed.\n"), printed);
    }
}
