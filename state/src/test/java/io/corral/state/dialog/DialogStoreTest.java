package io.corral.state.dialog;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.corral.state.HybridLogicalClock;
import io.corral.state.StateChangeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialogStoreTest
{
    private static final long T0 = 1_763_780_000_000L;

    @TempDir
    Path dataDir;

    private final List<String> changes = new ArrayList<>();
    private final StateChangeListener recorder = (dialog, changeType) -> changes.add(
        StateChangeListener.changeTypeName(changeType) + " " + dialog.callIdAsString() + " " +
        DialogState.name(dialog.state()));
    private final DialogFixture fixture = new DialogFixture();
    private final DialogKey key = new DialogKey();
    private final DialogFlyweight record = DialogFixture.newRecord();
    private final DialogFlyweight found = DialogFixture.newRecord();
    private DialogStore store;

    @AfterEach
    void close()
    {
        if (store != null)
        {
            store.close();
        }
    }

    private DialogStoreContext context()
    {
        return new DialogStoreContext().dataDir(dataDir).memberId(7).maxEntries(10_000).listener(recorder);
    }

    private int create(final String callId, final String fromTag, final String toTag, final int state, final long now)
    {
        fixture.set(callId, fromTag, toTag);
        return store.create(fixture.fromCaller(key), fixture.fill(record, state), now);
    }

    @Test
    void shouldFindDialogWhenTagsGivenInEitherOrder()
    {
        store = DialogStore.open(context());
        assertEquals(DialogStore.RESULT_OK, create("a84b4c76e66710@pc33.example.com", "1928301774", "a6c85cf",
            DialogState.EARLY, T0));

        assertTrue(store.find(fixture.fromCaller(new DialogKey()), found));
        assertEquals("a84b4c76e66710@pc33.example.com", found.callIdAsString());
        assertEquals("1928301774", found.tagAsString(DialogFlyweight.CALLER));
        assertEquals("a6c85cf", found.tagAsString(DialogFlyweight.CALLEE));
        assertEquals(DialogState.EARLY, found.state());
        assertEquals(7, found.ownerMemberId());
        assertEquals(T0, found.createdMs());
        assertEquals(T0, HybridLogicalClock.physicalMs(found.version()));
        assertEquals("sip:bob@198.51.100.20:5080;transport=tcp", found.contactAsString(DialogFlyweight.CALLEE));
        assertEquals("<sip:10.0.0.1;lr;m=7>", found.routeAsString(0));
        assertEquals(0xC633_6414L << 16 | 5080, found.ipv4AndPort(DialogFlyweight.CALLEE));

        final DialogKey byeFromCallee = fixture.fromCallee(new DialogKey());
        assertTrue(store.find(byeFromCallee, found));
        assertFalse(byeFromCallee.isTagACaller(found));
        assertTrue(fixture.fromCaller(new DialogKey()).isTagACaller(found));
        assertEquals(1, store.size());
    }

    @Test
    void shouldNotFindDialogWhenATagOrTheCallIdDiffers()
    {
        store = DialogStore.open(context());
        create("call-1@host", "ft", "tt", DialogState.CONFIRMED, T0);

        assertFalse(store.find(fixture.set("call-1@host", "ft", "other").fromCaller(key), found));
        assertFalse(store.find(fixture.set("call-1@hosT", "ft", "tt").fromCaller(key), found));
        assertFalse(store.contains(fixture.set("call-1@host", "tt", "tt").fromCaller(key)));
        assertTrue(store.contains(fixture.set("call-1@host", "tt", "ft").fromCaller(key)));
    }

    @Test
    void shouldReportExistingDialogWhenCreatedTwice()
    {
        store = DialogStore.open(context());
        assertEquals(DialogStore.RESULT_OK, create("c", "f", "t", DialogState.EARLY, T0));
        assertEquals(DialogStore.RESULT_ALREADY_EXISTS, create("c", "f", "t", DialogState.CONFIRMED, T0 + 1));
        assertEquals(DialogStore.RESULT_ALREADY_EXISTS, create("c", "t", "f", DialogState.EARLY, T0 + 1));
    }

    @Test
    void shouldRejectCreateWhenStateIsNotEarlyOrConfirmed()
    {
        store = DialogStore.open(context());
        assertEquals(DialogStore.RESULT_INVALID_RECORD, create("c", "f", "t", DialogState.TERMINATED, T0));
        assertEquals(DialogStore.RESULT_INVALID_RECORD, create("c", "f", "t", DialogState.NONE, T0));
        assertEquals(0, store.size());
    }

    @Test
    void shouldBumpVersionWhenEarlyDialogIsConfirmed()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.EARLY, T0);
        store.find(key, found);
        final long earlyVersion = found.version();

        assertEquals(DialogStore.RESULT_OK, store.confirm(fixture.fromCallee(key), T0 + 500));
        assertTrue(store.find(key, found));
        assertEquals(DialogState.CONFIRMED, found.state());
        assertTrue(found.version() > earlyVersion);
        assertEquals(T0 + 500, found.updatedMs());
        assertEquals(T0, found.createdMs());
        assertEquals(T0 + 500 + DialogStoreConfiguration.SILENCE_TIMEOUT_MS_DEFAULT, found.expiryMs());
    }

    @Test
    void shouldConfirmOnlyAnEarlyDialogWhenConfirmEarlyIsAsked()
    {
        store = DialogStore.open(context());
        fixture.set("absent", "f", "t");
        assertEquals(DialogStore.RESULT_NOT_FOUND, store.confirmEarly(fixture.fromCallee(key), T0));
        create("c", "f", "t", DialogState.EARLY, T0);

        assertEquals(DialogStore.RESULT_OK, store.confirmEarly(fixture.fromCallee(key), T0 + 500));
        assertTrue(store.find(key, found));
        assertEquals(DialogState.CONFIRMED, found.state());
        final long confirmedVersion = found.version();

        assertEquals(DialogStore.RESULT_INVALID_TRANSITION, store.confirmEarly(fixture.fromCallee(key), T0 + 900));
        assertTrue(store.find(key, found));
        assertEquals(confirmedVersion, found.version());
        assertEquals(T0 + 500, found.updatedMs());
        assertEquals(List.of("DIALOG_CREATED c EARLY", "DIALOG_CONFIRMED c CONFIRMED"), changes);
    }

    @Test
    void shouldRemoveDialogWhenTerminatedByBye()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.CONFIRMED, T0);

        assertEquals(DialogStore.RESULT_OK, store.terminate(fixture.fromCallee(key), DialogState.REASON_BYE, T0 + 9));
        assertFalse(store.find(key, found));
        assertEquals(0, store.size());
        assertEquals(DialogStore.RESULT_NOT_FOUND, store.terminate(key, DialogState.REASON_BYE, T0 + 10));
        assertEquals(List.of("DIALOG_CREATED c CONFIRMED", "DIALOG_TERMINATED c TERMINATED",
            "DIALOG_REMOVED c TERMINATED"), changes);
    }

    @Test
    void shouldRejectInvalidTransitionsWhenTerminatedDialogLingers()
    {
        store = DialogStore.open(context().terminatedLingerMs(32_000));
        create("c", "f", "t", DialogState.EARLY, T0);
        assertEquals(DialogStore.RESULT_OK, store.terminate(key, 486, T0 + 1));

        assertTrue(store.find(key, found));
        assertEquals(DialogState.TERMINATED, found.state());
        assertEquals(486, found.terminationReason());
        assertEquals(T0 + 1 + 32_000, found.expiryMs());
        assertEquals(DialogStore.RESULT_INVALID_TRANSITION, store.confirm(key, T0 + 2));
        assertEquals(DialogStore.RESULT_INVALID_TRANSITION, store.terminate(key, DialogState.REASON_BYE, T0 + 2));
        assertEquals(DialogStore.RESULT_INVALID_TRANSITION, store.touch(key, T0 + 2));
        found.state(DialogState.EARLY);
        assertEquals(DialogStore.RESULT_INVALID_TRANSITION, store.update(key, found, T0 + 2));
    }

    @Test
    void shouldRejectUpdateWhenConfirmedGoesBackToEarly()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.CONFIRMED, T0);
        store.find(key, found);
        found.state(DialogState.EARLY);

        assertEquals(DialogStore.RESULT_INVALID_TRANSITION, store.update(key, found, T0 + 1));
        store.find(key, found);
        assertEquals(DialogState.CONFIRMED, found.state());
    }

    @Test
    void shouldRejectStaleVersionWhenRecordChangedSinceRead()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.EARLY, T0);
        store.find(key, found);
        final DialogFlyweight stale = DialogFixture.newRecord().copyFrom(found);

        final int contact = 3000;
        fixture.message.putStringWithoutLengthAscii(contact, "sip:bob@203.0.113.5");
        found.contact(DialogFlyweight.CALLEE, fixture.message, contact, 19);
        found.cseq(DialogFlyweight.CALLEE, 7);
        found.state(DialogState.CONFIRMED);
        assertEquals(DialogStore.RESULT_OK, store.update(key, found, T0 + 3));

        final DialogFlyweight after = DialogFixture.newRecord();
        assertTrue(store.find(key, after));
        assertEquals("sip:bob@203.0.113.5", after.contactAsString(DialogFlyweight.CALLEE));
        assertEquals(7, after.cseq(DialogFlyweight.CALLEE));
        assertEquals(found.version(), after.version());
        assertEquals(DialogStore.RESULT_STALE_VERSION, store.update(key, stale, T0 + 4));
        assertEquals("DIALOG_CONFIRMED c CONFIRMED", changes.get(1));
    }

    @Test
    void shouldRejectUpdateWhenRecordIsAnotherDialog()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.EARLY, T0);
        store.find(key, found);
        final int tag = 3000;
        fixture.message.putStringWithoutLengthAscii(tag, "x");
        found.tag(DialogFlyweight.CALLEE, fixture.message, tag, 1);

        assertEquals(DialogStore.RESULT_INVALID_RECORD, store.update(key, found, T0 + 1));
    }

    @Test
    void shouldReportCollisionWhenAnotherDialogHasTheSameKey()
    {
        final DialogKey.Hasher constant = (b, co, cl, lo, ll, ho, hl, seed) -> 42L;
        store = DialogStore.open(context());
        final DialogKey collidingKey = new DialogKey(constant);
        fixture.set("first", "a", "b");
        assertEquals(DialogStore.RESULT_OK,
            store.create(fixture.fromCaller(collidingKey), fixture.fill(record, DialogState.CONFIRMED), T0));

        final DialogFixture other = new DialogFixture().set("second", "a", "b");
        final DialogKey otherKey = other.fromCaller(new DialogKey(constant));
        assertEquals(collidingKey.high(), otherKey.high());
        assertEquals(collidingKey.low(), otherKey.low());
        assertEquals(DialogStore.RESULT_KEY_COLLISION,
            store.create(otherKey, other.fill(DialogFixture.newRecord(), DialogState.EARLY), T0));
        assertFalse(store.find(otherKey, found));
        assertEquals(DialogStore.RESULT_NOT_FOUND, store.terminate(otherKey, DialogState.REASON_BYE, T0));
        assertEquals(DialogStore.RESULT_NOT_FOUND, store.remove(otherKey, T0));
        assertTrue(store.find(fixture.fromCallee(collidingKey), found));
        assertEquals("first", found.callIdAsString());
    }

    @Test
    void shouldFindDialogWhenCallIdIsLongerThanItsField()
    {
        store = DialogStore.open(context());
        final String longCallId = "x".repeat(150) + "@host";
        assertEquals(DialogStore.RESULT_OK, create(longCallId, "f", "t", DialogState.EARLY, T0));

        assertTrue(store.find(fixture.fromCallee(key), found));
        assertTrue(found.hasFlag(DialogDescriptor.FLAG_CALL_ID_TRUNCATED));
        assertEquals(longCallId.length(), found.callIdLength());
        assertEquals(longCallId.substring(0, DialogDescriptor.CALL_ID_CAPACITY), found.callIdAsString());
        assertFalse(store.find(fixture.set("x".repeat(150) + "@hosT", "f", "t").fromCaller(new DialogKey()), found));

        final DialogKey fromRecord = new DialogKey().set(found);
        assertEquals(key.high(), fromRecord.high());
        assertEquals(DialogStore.RESULT_OK, store.remove(fromRecord, T0 + 1));
    }

    @Test
    void shouldKeepDialogsWhenClosedAndReopened()
    {
        store = DialogStore.open(context());
        for (int i = 0; i < 100; i++)
        {
            create("call-" + i, "f" + i, "t" + i, DialogState.CONFIRMED, T0 + i);
        }
        store.close();
        store = null;

        store = DialogStore.open(context());
        assertFalse(store.wasRecovered());
        assertEquals(100, store.size());
        assertTrue(store.find(fixture.set("call-42", "f42", "t42").fromCallee(key), found));
        assertEquals(T0 + 42, found.createdMs());
        store.find(fixture.set("call-99", "f99", "t99").fromCaller(key), found);
        assertEquals(DialogStore.RESULT_OK, store.confirm(key, T0 - 1_000));
        final DialogFlyweight after = DialogFixture.newRecord();
        store.find(key, after);
        assertTrue(after.version() > found.version(), "versions stay monotonic across a restart");
    }

    @Test
    void shouldRecoverWhenOwnerMarkerSaysLastWriterDidNotClose() throws Exception
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.CONFIRMED, T0);
        store.close();
        store = null;
        final Path marker = dataDir.resolve("state").resolve("dialogs.owner");
        assertEquals("CLOSED\n", Files.readString(marker));
        Files.writeString(marker, "OPEN pid=1\n");

        store = DialogStore.open(context());
        assertTrue(store.wasRecovered());
        assertTrue(store.find(key, found));
        assertTrue(Files.readString(marker).startsWith("OPEN pid=" + ProcessHandle.current().pid()));
        store.close();
        store = null;

        store = DialogStore.open(context());
        assertFalse(store.wasRecovered());
    }

    @Test
    void shouldRefuseSecondWriterWhenStoreIsOpen()
    {
        store = DialogStore.open(context());
        assertThrows(java.io.UncheckedIOException.class, () -> DialogStore.open(context()));
    }

    @Test
    void shouldRefuseChangesWhenReadOnly()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.CONFIRMED, T0);

        try (DialogStore reader = DialogStore.open(new DialogStoreContext().dataDir(dataDir).readOnly(true)))
        {
            assertTrue(reader.find(key, found));
            assertEquals(DialogStore.RESULT_READ_ONLY, reader.terminate(key, DialogState.REASON_BYE, T0));
            assertEquals(DialogStore.RESULT_READ_ONLY, reader.remove(key, T0));
            assertEquals(0, reader.sweepExpired(Long.MAX_VALUE, 100));
        }
        assertTrue(store.find(key, found));
    }

    @Test
    void shouldExpireDialogsWhenTimeoutsElapse()
    {
        store = DialogStore.open(context()
            .earlyTimeoutMs(1_000).silenceTimeoutMs(10_000).maxCallDurationMs(60_000).terminatedLingerMs(500));
        create("early", "f", "t", DialogState.EARLY, T0);
        create("silent", "f", "t", DialogState.CONFIRMED, T0);
        create("long", "f", "t", DialogState.CONFIRMED, T0);
        create("ended", "f", "t", DialogState.CONFIRMED, T0);
        store.terminate(key, DialogState.REASON_BYE, T0 + 100);
        changes.clear();

        assertEquals(0, store.sweepExpired(T0 + 599, 1_000));
        assertEquals(1, store.sweepExpired(T0 + 600, 1_000));
        assertEquals(List.of("DIALOG_REMOVED ended TERMINATED"), changes);
        assertEquals(1, store.sweepExpired(T0 + 1_000, 1_000));
        assertEquals("DIALOG_EXPIRED early TERMINATED", changes.get(1));

        for (long t = T0 + 5_000; t < T0 + 60_000; t += 5_000)
        {
            assertEquals(DialogStore.RESULT_OK, store.touch(fixture.set("long", "f", "t").fromCaller(key), t));
        }
        changes.clear();
        assertEquals(1, store.sweepExpired(T0 + 10_000, 1_000));
        assertEquals(List.of("DIALOG_EXPIRED silent TERMINATED"), changes);
        assertEquals(0, store.sweepExpired(T0 + 59_999, 1_000));
        assertTrue(store.find(key, found));
        assertEquals(T0 + 60_000, found.expiryMs());
        assertEquals(1, store.sweepExpired(T0 + 60_000, 1_000));
        assertEquals(0, store.size());
    }

    @Test
    void shouldSetTerminationReasonWhenExpired()
    {
        final DialogFlyweight expired = DialogFixture.newRecord();
        final AtomicInteger reason = new AtomicInteger();
        store = DialogStore.open(context().maxCallDurationMs(60_000).listener((dialog, changeType) ->
        {
            if (changeType == StateChangeListener.DIALOG_EXPIRED)
            {
                expired.copyFrom(dialog);
                reason.set(dialog.terminationReason());
            }
        }));
        create("long", "f", "t", DialogState.CONFIRMED, T0);

        assertEquals(1, store.sweepExpired(T0 + 60_000, 10));
        assertEquals(DialogState.REASON_MAX_DURATION, reason.get());
        assertEquals("long", expired.callIdAsString());
        assertEquals(T0 + 60_000, HybridLogicalClock.physicalMs(expired.version()));
    }

    @Test
    void shouldBoundSweepWorkWhenManyDialogsExpire()
    {
        store = DialogStore.open(context().earlyTimeoutMs(1_000));
        for (int i = 0; i < 2_000; i++)
        {
            create("call-" + i, "f", "t", DialogState.EARLY, T0);
        }

        final int first = store.sweepExpired(T0 + 1_000, 100);
        assertTrue(first >= 100 && first < 2_000, "removed " + first);
        int total = first;
        int calls = 1;
        while (store.size() > 0)
        {
            total += store.sweepExpired(T0 + 1_000, 100);
            calls++;
        }
        assertEquals(2_000, total);
        assertTrue(calls > 2, "calls " + calls);
    }

    @Test
    void shouldTellListenerWhenAnythingChanges()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.EARLY, T0);
        store.confirm(key, T0 + 1);
        store.touch(fixture.fromCallee(key), T0 + 2);
        store.find(key, found);
        store.update(key, found, T0 + 3);
        store.remove(key, T0 + 4);
        create("d", "f", "t", DialogState.CONFIRMED, T0);
        store.terminate(key, DialogState.REASON_BYE, T0 + 5);

        assertEquals(List.of(
            "DIALOG_CREATED c EARLY",
            "DIALOG_CONFIRMED c CONFIRMED",
            "DIALOG_UPDATED c CONFIRMED",
            "DIALOG_UPDATED c CONFIRMED",
            "DIALOG_REMOVED c CONFIRMED",
            "DIALOG_CREATED d CONFIRMED",
            "DIALOG_TERMINATED d TERMINATED",
            "DIALOG_REMOVED d TERMINATED"), changes);
    }

    @Test
    void shouldNotApplyChangeWhenListenerThrows()
    {
        store = DialogStore.open(context().listener((dialog, changeType) ->
        {
            if (changeType == StateChangeListener.DIALOG_CONFIRMED)
            {
                throw new IllegalStateException("change log full");
            }
        }));
        create("c", "f", "t", DialogState.EARLY, T0);

        assertThrows(IllegalStateException.class, () -> store.confirm(key, T0 + 1));
        assertTrue(store.find(key, found));
        assertEquals(DialogState.EARLY, found.state());
        assertEquals(DialogStore.RESULT_OK, store.terminate(key, DialogState.REASON_BYE, T0 + 2));
    }

    @Test
    void shouldNotAllocateWhenFindingAndUpdatingInSteadyState()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        store = DialogStore.open(context().listener(StateChangeListener.NO_OP));
        final int dialogs = 1_000;
        final DialogFixture[] fixtures = new DialogFixture[dialogs];
        final DialogKey[] keys = new DialogKey[dialogs];
        for (int i = 0; i < dialogs; i++)
        {
            fixtures[i] = new DialogFixture().set("call-" + i + "@10.0.0.1", "from-" + i, "to-" + i);
            keys[i] = new DialogKey();
            store.create(fixtures[i].fromCaller(keys[i]), fixtures[i].fill(record, DialogState.CONFIRMED), T0);
        }

        final int operations = 100_000;
        for (int round = 0; round < 3; round++)
        {
            steadyState(fixtures, keys, operations);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long startNs = System.nanoTime();
        final long checksum = steadyState(fixtures, keys, operations);
        final long elapsedNs = System.nanoTime() - startNs;
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        System.out.printf("dialog store steady state: %d x (set key + find + touch + update), %d B allocated, " +
            "%.0f ns per round trip, %.2f M store ops/s (checksum %d)%n", operations, allocated,
            (double)elapsedNs / operations, 3.0 * operations * 1e3 / elapsedNs, checksum);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
    }

    @Test
    void shouldNotAllocateWhenCreatingTerminatingAndSweeping()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        store = DialogStore.open(context().listener(StateChangeListener.NO_OP).earlyTimeoutMs(1_000));
        final int dialogs = 1_000;
        final DialogFixture[] fixtures = new DialogFixture[dialogs];
        final DialogKey[] keys = new DialogKey[dialogs];
        for (int i = 0; i < dialogs; i++)
        {
            fixtures[i] = new DialogFixture().set("call-" + i + "@10.0.0.1", "from-" + i, "to-" + i);
            keys[i] = new DialogKey();
        }

        final int calls = 20_000;
        for (int round = 0; round < 3; round++)
        {
            callCycle(fixtures, keys, calls);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long startNs = System.nanoTime();
        final long result = callCycle(fixtures, keys, calls);
        final long elapsedNs = System.nanoTime() - startNs;
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        System.out.printf("dialog store call cycle: %d x (create early + confirm + BYE, plus a sweep per 100 " +
            "calls), %d B allocated, %.0f ns per call%n", calls, allocated, (double)elapsedNs / calls);
        assertEquals(0, result);
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
    }

    private long callCycle(final DialogFixture[] fixtures, final DialogKey[] keys, final int calls)
    {
        long failures = 0;
        long now = T0;
        for (int i = 0; i < calls; i++)
        {
            final int d = i % fixtures.length;
            now += 10;
            final DialogKey k = fixtures[d].fromCaller(keys[d]);
            if ((i & 7) == 7)
            {
                failures += store.create(k, fixtures[d].fill(record, DialogState.EARLY), now - 5_000);
                continue;
            }
            failures += store.create(k, fixtures[d].fill(record, DialogState.EARLY), now);
            failures += store.confirm(fixtures[d].fromCallee(k), now);
            failures += store.terminate(k, DialogState.REASON_BYE, now);
            if (i % 100 == 0)
            {
                store.sweepExpired(now, 200);
            }
        }
        int removed;
        do
        {
            removed = store.sweepExpired(Long.MAX_VALUE, 1_000);
        }
        while (removed > 0);
        return failures + store.size();
    }

    private long steadyState(final DialogFixture[] fixtures, final DialogKey[] keys, final int operations)
    {
        long checksum = 0;
        long now = T0;
        for (int i = 0; i < operations; i++)
        {
            final int d = i % fixtures.length;
            final DialogKey k = (i & 1) == 0 ? fixtures[d].fromCaller(keys[d]) : fixtures[d].fromCallee(keys[d]);
            if (store.find(k, found))
            {
                checksum += found.version();
            }
            store.touch(k, ++now);
            store.find(k, found);
            checksum += store.update(k, found, ++now);
        }
        return checksum;
    }

    @Test
    void shouldTellListenerOfRemovalWhenMapIsFull()
    {
        store = DialogStore.open(context().maxEntries(100));
        int result = DialogStore.RESULT_OK;
        int created = 0;
        while (result == DialogStore.RESULT_OK && created < 100_000)
        {
            result = create("call-" + created, "f", "t", DialogState.EARLY, T0);
            created++;
        }

        assertEquals(DialogStore.RESULT_FULL, result);
        final String last = "call-" + (created - 1);
        assertEquals(List.of("DIALOG_CREATED " + last + " EARLY", "DIALOG_REMOVED " + last + " EARLY"),
            changes.subList(changes.size() - 2, changes.size()));
        assertEquals(created - 1, store.size());
        assertFalse(store.contains(key));
        assertTrue(store.contains(fixture.set("call-0", "f", "t").fromCaller(key)));
    }

    @Test
    void shouldApplyReplicaWhenNewerByVersionThenOwner()
    {
        store = DialogStore.open(context());
        create("c", "f", "t", DialogState.EARLY, T0);
        store.find(key, found);
        final DialogFlyweight replica = DialogFixture.newRecord().copyFrom(found);
        changes.clear();

        replica.state(DialogState.CONFIRMED).ownerMemberId(9);
        assertEquals(DialogStore.RESULT_OK, store.applyReplica(replica, T0));
        store.find(key, found);
        assertEquals(DialogState.CONFIRMED, found.state());
        assertEquals(9, found.ownerMemberId());

        replica.ownerMemberId(2).state(DialogState.EARLY);
        assertEquals(DialogStore.RESULT_STALE_VERSION, store.applyReplica(replica, T0));
        replica.version(found.version() - 1).ownerMemberId(63);
        assertEquals(DialogStore.RESULT_STALE_VERSION, store.applyReplica(replica, T0));
        assertTrue(changes.isEmpty(), "replicated changes are not logged again");

        final long remote = HybridLogicalClock.pack(T0 + 60_000, 5);
        replica.version(remote);
        assertEquals(DialogStore.RESULT_OK, store.applyReplica(replica, T0));
        assertEquals(DialogStore.RESULT_OK, store.touch(key, T0 + 1));
        store.find(key, found);
        assertTrue(found.version() > remote, "the clock merged the remote version");

        replica.version(found.version() - 1);
        assertEquals(DialogStore.RESULT_STALE_VERSION, store.applyReplicaRemoval(replica, T0 + 2));
        replica.version(found.version());
        assertEquals(DialogStore.RESULT_OK, store.applyReplicaRemoval(replica, T0 + 2));
        assertEquals(0, store.size());

        fixture.set("new", "a", "b").fill(replica, DialogState.CONFIRMED);
        final DialogKey newKey = fixture.fromCaller(new DialogKey());
        replica.key(newKey.high(), newKey.low()).version(remote).ownerMemberId(4);
        assertEquals(DialogStore.RESULT_OK, store.applyReplica(replica, T0));
        assertTrue(store.find(fixture.fromCallee(key), found));
        assertEquals(4, found.ownerMemberId());
    }

    @Test
    void shouldShareMapWhenTwoThreadsWriteThroughTheirOwnWriters() throws Exception
    {
        store = DialogStore.open(context().listener(StateChangeListener.NO_OP));
        final int perThread = 2_000;
        final AtomicInteger failures = new AtomicInteger();
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++)
        {
            final int id = t;
            final DialogStore writer = store.newWriter(StateChangeListener.NO_OP, new HybridLogicalClock());
            threads[t] = new Thread(() ->
            {
                final DialogFixture f = new DialogFixture();
                final DialogKey k = new DialogKey();
                final DialogFlyweight r = DialogFixture.newRecord();
                for (int i = 0; i < perThread; i++)
                {
                    f.set("t" + id + "-" + i, "f", "t");
                    if (writer.create(f.fromCaller(k), f.fill(r, DialogState.EARLY), T0) != DialogStore.RESULT_OK ||
                        writer.confirm(f.fromCallee(k), T0 + 1) != DialogStore.RESULT_OK ||
                        !writer.find(k, r) || r.state() != DialogState.CONFIRMED)
                    {
                        failures.incrementAndGet();
                    }
                }
                writer.close();
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        assertEquals(0, failures.get());
        assertEquals(2L * perThread, store.size());
        assertTrue(store.find(fixture.set("t1-1999", "t", "f").fromCaller(key), found));
    }

    @Test
    void shouldVisitEveryDialogWhenIterating()
    {
        store = DialogStore.open(context());
        create("a", "f", "t", DialogState.EARLY, T0);
        create("b", "f", "t", DialogState.CONFIRMED, T0);
        final List<String> seen = new ArrayList<>();
        store.forEach(dialog -> seen.add(dialog.callIdAsString()));
        seen.sort(String::compareTo);
        assertEquals(List.of("a", "b"), seen);
    }

    @Test
    void shouldCreateMapUnderStateDirWhenOpened()
    {
        store = DialogStore.open(context());
        assertTrue(Files.isRegularFile(dataDir.resolve("state").resolve("dialogs.dat")));
        assertEquals(dataDir.resolve("state").resolve("dialogs.dat").toFile(), store.file());
    }

    @Test
    void shouldRejectOpenWhenMemberIdIsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> DialogStore.open(context().memberId(64)));
        assertThrows(IllegalArgumentException.class, () -> DialogStore.open(context().memberId(0)));
    }
}
