package io.corral.state.registration;

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
class RegistrationStoreProcessTest
{
    private static final int AORS = 300;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void shouldKeepBindingsAndExpireThemWhenWriterWasKilled() throws Exception
    {
        final long expiresMs = System.currentTimeMillis() + 3_600_000;
        final Process child = start("write", dataDir.toString(), Integer.toString(AORS), Long.toString(expiresMs));
        final BufferedReader out = reader(child);
        assertEquals("READY", out.readLine());
        assertEquals("REFRESHING", out.readLine());
        child.destroyForcibly();
        assertEquals(137, child.waitFor());

        try (RegistrationStore store = RegistrationStore.open(
            new RegistrationStoreContext().dataDir(dataDir).memberId(3).maxEntries(AORS * 2L)))
        {
            assertTrue(store.wasRecovered());
            System.out.println("recovery after SIGKILL repaired " + store.recoveryCorruptions() + " corruptions");
            assertEquals(AORS, store.size());
            final RegistrationFlyweight found = store.newRecord();
            for (int i = 0; i < AORS; i++)
            {
                assertTrue(store.find(RegistrationFixture.aor("user-" + i + "@example.com"), found) > 0, "" + i);
                assertEquals(2, found.contactCount());
                assertEquals("sip:user-" + i + "@192.0.2.2:5060", found.uriAsString(1));
                assertEquals(3, found.ownerMemberId());
            }
            int removed = 0;
            while (store.size() > 0)
            {
                removed += store.sweepExpired(expiresMs, 1_000);
            }
            assertEquals(2 * AORS, removed);
            final RegistrationFlyweight record = store.newRecord();
            RegistrationFixture.addContact(record, "sip:after@192.0.2.9", 1000, expiresMs, "after", 1);
            assertEquals(RegistrationStore.RESULT_OK,
                store.put(RegistrationFixture.aor("after@example.com"), record, 0, expiresMs - 1000));
        }
        try (RegistrationStore store = RegistrationStore.open(
            new RegistrationStoreContext().dataDir(dataDir).memberId(3)))
        {
            assertFalse(store.wasRecovered());
            assertTrue(store.find(RegistrationFixture.aor("after@example.com"), store.newRecord()) > 0);
        }
    }

    @Test
    @Timeout(180)
    void shouldSeeBindingsFromAnotherProcessWhenWriterHasItOpen() throws Exception
    {
        try (RegistrationStore store = RegistrationStore.open(
            new RegistrationStoreContext().dataDir(dataDir).memberId(5).maxEntries(100)))
        {
            final RegistrationFlyweight record = store.newRecord();
            final long expires = System.currentTimeMillis() + 60_000;
            RegistrationFixture.addContact(record, "sip:bob@192.0.2.7", 1000, expires, "x", 1);
            assertEquals(RegistrationStore.RESULT_OK,
                store.put(RegistrationFixture.aor("bob@example.com"), record, 0, System.currentTimeMillis()));
            assertEquals(List.of("FOUND 1"), runReader("bob@example.com"));
            assertEquals(List.of("NOT_FOUND"), runReader("carol@example.com"));
        }
    }

    private List<String> runReader(final String aor) throws Exception
    {
        final Process child = start("read", dataDir.toString(), aor);
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
        command.add(RegistrationStoreChild.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
