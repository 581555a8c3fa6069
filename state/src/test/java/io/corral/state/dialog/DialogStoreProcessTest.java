package io.corral.state.dialog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store across processes: a writer killed with SIGKILL while the map is open, and a live reader.
 */
class DialogStoreProcessTest
{
    private static final int DIALOGS = 500;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void shouldKeepDialogsAndRouteByeWhenWriterWasKilled() throws Exception
    {
        final Process child = start("write", dataDir.toString(), Integer.toString(DIALOGS));
        final BufferedReader out = reader(child);
        assertEquals("READY", out.readLine());
        assertEquals("TOUCHING", out.readLine());
        child.destroyForcibly();
        assertEquals(137, child.waitFor());

        final DialogFixture fixture = new DialogFixture();
        final DialogKey key = new DialogKey();
        final DialogFlyweight found = DialogFixture.newRecord();
        final long now = System.currentTimeMillis();
        try (DialogStore store = DialogStore.open(new DialogStoreContext().dataDir(dataDir).memberId(3)))
        {
            assertTrue(store.wasRecovered());
            System.out.println("recovery after SIGKILL repaired " + store.recoveryCorruptions() + " corruptions");
            assertEquals(DIALOGS, store.size());
            for (int i = 0; i < DIALOGS; i++)
            {
                assertTrue(store.find(fixture.set("crash-" + i, "f-" + i, "t-" + i).fromCallee(key), found), "" + i);
                assertEquals((i & 1) == 0 ? DialogState.CONFIRMED : DialogState.EARLY, found.state());
                assertEquals(3, found.ownerMemberId());
            }
            for (int i = 0; i < DIALOGS; i++)
            {
                fixture.set("crash-" + i, "f-" + i, "t-" + i);
                assertEquals(DialogStore.RESULT_OK, store.terminate(fixture.fromCallee(key), DialogState.REASON_BYE,
                    now + 1));
            }
            assertEquals(0, store.size());
            fixture.set("after", "f", "t");
            assertEquals(DialogStore.RESULT_OK,
                store.create(fixture.fromCaller(key), fixture.fill(found, DialogState.EARLY), now));
        }
        try (DialogStore store = DialogStore.open(new DialogStoreContext().dataDir(dataDir).memberId(3)))
        {
            assertFalse(store.wasRecovered());
            assertTrue(store.find(key, found));
        }
    }

    @Test
    @Timeout(180)
    void shouldSeeDialogFromAnotherProcessWhenWriterHasItOpen() throws Exception
    {
        final DialogFixture fixture = new DialogFixture().set("live@host", "ft", "tt");
        final DialogKey key = fixture.fromCaller(new DialogKey());
        try (DialogStore store = DialogStore.open(new DialogStoreContext().dataDir(dataDir).memberId(5)))
        {
            assertEquals(DialogStore.RESULT_OK, store.create(key,
                fixture.fill(DialogFixture.newRecord(), DialogState.EARLY), System.currentTimeMillis()));
            assertEquals(List.of("FOUND EARLY"), runReader("live@host", "tt", "ft"));
            assertEquals(List.of("NOT_FOUND"), runReader("live@host", "tt", "xx"));

            assertEquals(DialogStore.RESULT_OK, store.confirm(key, System.currentTimeMillis()));
            assertEquals(List.of("FOUND CONFIRMED"), runReader("live@host", "ft", "tt"));
        }
    }

    private List<String> runReader(final String callId, final String tagA, final String tagB) throws Exception
    {
        final Process child = start("read", dataDir.toString(), callId, tagA, tagB);
        final List<String> lines = new ArrayList<>();
        try (BufferedReader out = reader(child))
        {
            for (String line = out.readLine(); line != null; line = out.readLine())
            {
                lines.add(line);
            }
        }
        assertEquals(0, child.waitFor());
        return lines;
    }

    private static BufferedReader reader(final Process child)
    {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static Process start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(DialogStoreChild.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
