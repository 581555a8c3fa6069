package io.corral.state.registration;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.corral.state.StateChangeListener;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corral.state.registration.RegistrationFixture.addContact;
import static io.corral.state.registration.RegistrationFixture.aor;
import static io.corral.state.registration.RegistrationFixture.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistrationStoreTest
{
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dataDir;

    private final List<String> changes = new ArrayList<>();
    private final StateChangeListener recorder = new StateChangeListener()
    {
        @Override
        public void onDialogChanged(final io.corral.state.dialog.DialogFlyweight dialog, final int changeType)
        {
        }

        @Override
        public void onRegistrationChanged(final RegistrationFlyweight registration, final int changeType)
        {
            changes.add(StateChangeListener.changeTypeName(changeType) + " " + registration.aorAsString() + " " +
                registration.contactCount());
        }
    };
    private RegistrationStore store;

    private RegistrationStoreContext context()
    {
        return new RegistrationStoreContext().dataDir(dataDir).memberId(7).maxEntries(1_000).maxContacts(3)
            .listener(recorder);
    }

    @AfterEach
    void close()
    {
        if (store != null)
        {
            store.close();
        }
    }

    @Test
    void shouldStoreAndFindBindingsWhenPut()
    {
        store = RegistrationStore.open(context());
        final RegistrationFlyweight record = store.newRecord();
        addContact(record, "sip:alice@192.0.2.1:5060", 800, NOW + 60_000, "call-1", 7);
        record.path(0, ascii("<sip:edge.example.com;lr>"), 0, 25);
        assertEquals(RegistrationStore.RESULT_OK, store.put(aor("alice@example.com"), record, 0, NOW));

        final RegistrationFlyweight found = store.newRecord();
        final long version = store.find(aor("alice@example.com"), found);
        assertTrue(version > 0);
        assertEquals(version, found.version());
        assertEquals("alice@example.com", found.aorAsString());
        assertEquals(7, found.ownerMemberId());
        assertEquals(1, found.contactCount());
        assertEquals("sip:alice@192.0.2.1:5060", found.uriAsString(0));
        assertEquals("call-1", found.callIdAsString(0));
        assertEquals("<sip:edge.example.com;lr>", found.pathAsString(0));
        assertEquals(800, found.q(0));
        assertEquals(7, found.cseq(0));
        assertEquals(0xC0000201, found.ipv4(0));
        assertEquals(5060, found.port(0));
        assertEquals(NOW + 60_000, found.nextExpiryMs());
        assertEquals(NOW, found.createdMs());
        assertEquals(List.of("REGISTRATION_ADDED alice@example.com 1"), changes);
        assertEquals(0, store.find(aor("bob@example.com"), found));
    }

    @Test
    void shouldFindByKeyAndVisitEveryRecordOnceWhenWalkingSegments()
    {
        store = RegistrationStore.open(context());
        final RegistrationFlyweight record = store.newRecord();
        for (int i = 0; i < 50; i++)
        {
            record.clear();
            addContact(record, "sip:u" + i + "@192.0.2.1", 1000, NOW + 60_000, "c" + i, 1);
            assertEquals(RegistrationStore.RESULT_OK, store.put(aor("u" + i + "@example.com"), record, 0, NOW));
        }
        final List<String> seen = new ArrayList<>();
        int visited = 0;
        for (int segment = 0; segment < store.segments(); segment++)
        {
            visited += store.forEachInSegment(segment, (registration) -> seen.add(registration.aorAsString()));
        }
        assertEquals(50, visited);
        assertEquals(50, new java.util.HashSet<>(seen).size());
        assertTrue(seen.contains("u7@example.com"));
        assertEquals(1, store.forEachInSegment(0, (registration) -> false), "stops when the visitor says so");

        final AddressOfRecord u7 = aor("u7@example.com");
        final RegistrationFlyweight found = store.newRecord();
        final long version = store.find(u7.high(), u7.low(), found);
        assertEquals(store.find(u7, record), version);
        assertEquals("sip:u7@192.0.2.1", found.uriAsString(0));
        assertEquals(0, store.find(u7.high(), u7.low() + 1, found));
    }

    @Test
    void shouldRefuseWhenVersionIsStale()
    {
        store = RegistrationStore.open(context());
        final RegistrationFlyweight record = store.newRecord();
        addContact(record, "sip:alice@192.0.2.1", 1000, NOW + 60_000, "c", 1);
        assertEquals(RegistrationStore.RESULT_OK, store.put(aor("alice@example.com"), record, 0, NOW));
        assertEquals(RegistrationStore.RESULT_STALE_VERSION, store.put(aor("alice@example.com"), record, 0, NOW));

        final RegistrationFlyweight a = store.newRecord();
        final RegistrationFlyweight b = store.newRecord();
        final long va = store.find(aor("alice@example.com"), a);
        final long vb = store.find(aor("alice@example.com"), b);
        a.cseq(0, 2);
        assertEquals(RegistrationStore.RESULT_OK, store.put(aor("alice@example.com"), a, va, NOW + 1));
        b.cseq(0, 3);
        assertEquals(RegistrationStore.RESULT_STALE_VERSION, store.put(aor("alice@example.com"), b, vb, NOW + 1));
        assertTrue(store.find(aor("alice@example.com"), b) > va);
        assertEquals(2, b.cseq(0));
    }

    @Test
    void shouldReportAddRefreshAndRemoveWhenContactsChange()
    {
        store = RegistrationStore.open(context());
        final AddressOfRecord alice = aor("alice@example.com");
        final RegistrationFlyweight record = store.newRecord();
        addContact(record, "sip:a@192.0.2.1", 1000, NOW + 60_000, "c", 1);
        store.put(alice, record, 0, NOW);
        long version = store.find(alice, record);
        addContact(record, "sip:b@192.0.2.2", 1000, NOW + 60_000, "c", 2);
        store.put(alice, record, version, NOW);
        version = store.find(alice, record);
        record.expiresMs(0, NOW + 120_000);
        store.put(alice, record, version, NOW);
        version = store.find(alice, record);
        record.removeContact(0);
        store.put(alice, record, version, NOW);
        version = store.find(alice, record);
        assertEquals("sip:b@192.0.2.2", record.uriAsString(0));
        record.removeAllContacts();
        store.put(alice, record, version, NOW);

        assertEquals(List.of(
            "REGISTRATION_ADDED alice@example.com 1",
            "REGISTRATION_ADDED alice@example.com 2",
            "REGISTRATION_REFRESHED alice@example.com 2",
            "REGISTRATION_REMOVED alice@example.com 1",
            "REGISTRATION_REMOVED alice@example.com 0"), changes);
        assertEquals(0, store.size());
        assertEquals(0, store.find(alice, record));
    }

    @Test
    void shouldRefuseWhenContactUriIsTruncated()
    {
        store = RegistrationStore.open(context());
        final RegistrationFlyweight record = store.newRecord();
        final int i = record.addContact();
        final String longUri = "sip:" + "x".repeat(RegistrationDescriptor.URI_CAPACITY) + "@192.0.2.1";
        final UnsafeBuffer uri = ascii(longUri);
        assertFalse(record.uri(i, uri, 0, uri.capacity()));
        record.expiresMs(i, NOW + 1000);
        assertEquals(RegistrationStore.RESULT_TRUNCATED, store.put(aor("alice@example.com"), record, 0, NOW));
        assertEquals(0, store.size());
        assertTrue(changes.isEmpty());

        assertTrue(record.uri(i, uri, 0, 20));
        final UnsafeBuffer path = ascii("<sip:p;lr>,".repeat(60));
        assertFalse(record.path(i, path, 0, path.capacity()));
        assertEquals(RegistrationStore.RESULT_TRUNCATED, store.put(aor("alice@example.com"), record, 0, NOW));
    }

    @Test
    void shouldHoldAtMostCapacityContactsWhenAdding()
    {
        store = RegistrationStore.open(context());
        final RegistrationFlyweight record = store.newRecord();
        assertEquals(3, store.contactCapacity());
        for (int i = 0; i < 3; i++)
        {
            assertEquals(i, addContact(record, "sip:u" + i + "@h", 1000, NOW + 1000, "c", 1));
        }
        assertEquals(-1, record.addContact());
        assertEquals(RegistrationStore.RESULT_OK, store.put(aor("u@h"), record, 0, NOW));
    }

    @Test
    void shouldRemoveExpiredContactsThenRecordWhenSwept()
    {
        store = RegistrationStore.open(context());
        final RegistrationFlyweight record = store.newRecord();
        addContact(record, "sip:a@h", 1000, NOW + 10_000, "c", 1);
        addContact(record, "sip:b@h", 1000, NOW + 20_000, "c", 1);
        store.put(aor("alice@example.com"), record, 0, NOW);
        record.clear();
        addContact(record, "sip:c@h", 1000, NOW + 30_000, "c", 1);
        store.put(aor("bob@example.com"), record, 0, NOW);
        changes.clear();

        assertEquals(0, store.sweepExpired(NOW + 9_999, 100));
        assertEquals(1, store.sweepExpired(NOW + 10_000, 100));
        assertTrue(store.find(aor("alice@example.com"), record) > 0);
        assertEquals(1, record.contactCount());
        assertEquals("sip:b@h", record.uriAsString(0));
        assertEquals(NOW + 20_000, record.nextExpiryMs());
        assertEquals(1, store.sweepExpired(NOW + 25_000, 100));
        assertEquals(0, store.find(aor("alice@example.com"), record));
        assertEquals(1, store.size());
        assertEquals(List.of(
            "REGISTRATION_EXPIRED alice@example.com 1",
            "REGISTRATION_EXPIRED alice@example.com 0"), changes);
    }

    @Test
    void shouldKeepBindingsAndLayoutWhenReopened()
    {
        store = RegistrationStore.open(context());
        final RegistrationFlyweight record = store.newRecord();
        addContact(record, "sip:a@h", 1000, NOW + 10_000, "c", 1);
        store.put(aor("alice@example.com"), record, 0, NOW);
        final long version = store.find(aor("alice@example.com"), record);
        store.close();

        store = RegistrationStore.open(context().maxContacts(5));
        assertFalse(store.wasRecovered());
        assertEquals(3, store.contactCapacity());
        final RegistrationFlyweight found = store.newRecord();
        assertEquals(version, store.find(aor("alice@example.com"), found));
        found.cseq(0, 2);
        assertEquals(RegistrationStore.RESULT_OK, store.put(aor("alice@example.com"), found, version, NOW - 5_000));
        assertTrue(found.version() > version, "versions stay monotonic after a restart and a clock step back");
    }

    @Test
    void shouldRefuseSecondWriterAndWritesWhenReadOnly()
    {
        store = RegistrationStore.open(context());
        assertThrows(java.io.UncheckedIOException.class, () -> RegistrationStore.open(context()));
        try (RegistrationStore reader = RegistrationStore.open(context().readOnly(true)))
        {
            final RegistrationFlyweight record = reader.newRecord();
            addContact(record, "sip:a@h", 1000, NOW + 10_000, "c", 1);
            assertEquals(RegistrationStore.RESULT_READ_ONLY, reader.put(aor("a@h"), record, 0, NOW));
        }
    }

    @Test
    void shouldNotAllocateWhenFindingAndPuttingInSteadyState()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        store = RegistrationStore.open(context().listener(StateChangeListener.NO_OP));
        final AddressOfRecord alice = aor("alice@example.com");
        final RegistrationFlyweight record = store.newRecord();
        addContact(record, "sip:a@h", 1000, NOW + 10_000, "c", 1);
        store.put(alice, record, 0, NOW);
        final long threadId = Thread.currentThread().getId();
        final int warmUp = 300_000;
        final int operations = 100_000;
        long before = 0;
        long startNs = 0;
        for (int i = 0; i < warmUp + operations; i++)
        {
            if (i == warmUp)
            {
                before = threads.getThreadAllocatedBytes(threadId);
                startNs = System.nanoTime();
            }
            final long version = store.find(alice, record);
            record.cseq(0, i + 2);
            store.put(alice, record, version, NOW + i);
        }
        final long elapsedNs = System.nanoTime() - startNs;
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        System.out.printf("registration store steady state: %d x (find + put), %d B allocated, %.0f ns each%n",
            operations, allocated, (double)elapsedNs / operations);
        assertTrue(allocated < 1024, "allocated " + allocated);
    }
}
