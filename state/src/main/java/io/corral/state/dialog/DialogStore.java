package io.corral.state.dialog;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

import io.corral.state.HybridLogicalClock;
import io.corral.state.StateChangeListener;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The dialogs of this member and those replicated from its peers, in a persisted Chronicle Map
 * ({@code <data dir>/state/dialogs.dat}) that survives a restart and that tools read live from another process.
 *
 * <p>Map layout: key = the 16-byte {@link DialogKey} (two longs, native order), value = a
 * {@link DialogDescriptor#LENGTH}-byte record; both constant-sized, declared as {@code byte[]} so the file needs no
 * generated classes, and accessed only through Chronicle's query contexts over off-heap bytes (no marshalling, no
 * objects on the hot path). Every change runs under the entry's segment update lock: read the record into a scratch
 * copy, verify it is really this dialog ({@link DialogKey#matches}), validate the transition, stamp a new version
 * from the {@link HybridLogicalClock}, tell the {@link StateChangeListener}, then write the record back.
 *
 * <p>Entry checksums are off on purpose. A process crash ({@code kill -9}) loses no written memory (the pages are
 * the kernel's), so the only damaged record can be the one being written at that instant: with checksums,
 * recovery drops that dialog (seen in {@code DialogStoreProcessTest}: 499 of 500 left); without them the record
 * survives as a mix of its old and new bytes, still found because its identity bytes are the same in both. Power
 * loss is not covered by the file at all (no fsync on the hot path): peers' replicas are.
 *
 * <p>Crash recovery: a writer holds an OS lock on {@code dialogs.owner} while the map is open and writes
 * {@code CLOSED} into it on a clean {@link #close()}. At open, a marker still saying {@code OPEN} means the last
 * writer died with the map open (e.g. {@code kill -9}): the map is opened with
 * {@code recoverPersistedTo(file, false)}, which rebuilds segment locks and free lists from the file; otherwise with
 * {@code createPersistedTo(file)}, which opens an existing file or creates a new one. A second writer on the same
 * directory fails to open.
 *
 * <p>Threading: an instance is confined to one thread (its scratch buffers are not shared). Another writer thread
 * of the same process takes its own instance over the same map with {@link #newWriter}; readers in other processes
 * open the file with {@link DialogStoreContext#readOnly}. Recovery needs exclusive access to the file: tools must
 * not have it open while a member restarts after a crash.
 */
public final class DialogStore implements AutoCloseable
{
    /** The operation was applied. */
    public static final int RESULT_OK = 0;
    /** No dialog with this key (in-dialog requests that match none are answered 481). */
    public static final int RESULT_NOT_FOUND = 1;
    /** Create: this dialog already exists. */
    public static final int RESULT_ALREADY_EXISTS = 2;
    /** Create: another dialog has the same 128-bit key; nothing stored (vanishingly rare: counted by the caller). */
    public static final int RESULT_KEY_COLLISION = 3;
    /** The state change is not allowed (e.g. TERMINATED to CONFIRMED). */
    public static final int RESULT_INVALID_TRANSITION = 4;
    /** Update: the record changed since it was read (its version differs): read it again. */
    public static final int RESULT_STALE_VERSION = 5;
    /** The record passed in is not valid for the operation: wrong state, or identity not matching the key. */
    public static final int RESULT_INVALID_RECORD = 6;
    /** This store was opened read-only. */
    public static final int RESULT_READ_ONLY = 7;
    /** Create: the map is full. */
    public static final int RESULT_FULL = 8;

    private static final int KEY_LENGTH = 16;
    private static final String OPEN_MARKER = "OPEN";
    private static final String CLOSED_MARKER = "CLOSED";

    private final ChronicleMap<byte[], byte[]> map;
    private final File file;
    private final FileChannel ownerChannel;
    private final FileLock ownerLock;
    private final boolean recovered;
    private final boolean readOnly;
    private final int memberId;
    private final long maxCallDurationMs;
    private final long silenceTimeoutMs;
    private final long earlyTimeoutMs;
    private final long terminatedLingerMs;
    private final StateChangeListener listener;
    private final HybridLogicalClock clock;

    private final BytesStore<?, Void> keyStore = BytesStore.nativeStoreWithFixedCapacity(KEY_LENGTH);
    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(keyStore.addressForWrite(0), KEY_LENGTH);
    private final BytesStore<?, Void> valueStore = BytesStore.nativeStoreWithFixedCapacity(DialogDescriptor.LENGTH);
    private final UnsafeBuffer valueBuffer =
        new UnsafeBuffer(valueStore.addressForWrite(0), DialogDescriptor.LENGTH);
    private final DialogFlyweight scratch = new DialogFlyweight().wrap(valueBuffer, 0);
    private final UnsafeBuffer mapView = new UnsafeBuffer(new byte[0]);
    private final DialogFlyweight mapRecord = new DialogFlyweight().wrap(mapView, 0);
    private final SweepVisitor sweepVisitor = new SweepVisitor();
    private final DialogKey replicaKey = new DialogKey();
    private final boolean ownsMap;
    private int recoveryCorruptions;
    private int sweepSegment;
    private boolean closed;

    private DialogStore(final DialogStore root, final StateChangeListener listener, final HybridLogicalClock clock)
    {
        this.map = root.map;
        this.file = root.file;
        this.ownerChannel = null;
        this.ownerLock = null;
        this.recovered = root.recovered;
        this.readOnly = root.readOnly;
        this.memberId = root.memberId;
        this.maxCallDurationMs = root.maxCallDurationMs;
        this.silenceTimeoutMs = root.silenceTimeoutMs;
        this.earlyTimeoutMs = root.earlyTimeoutMs;
        this.terminatedLingerMs = root.terminatedLingerMs;
        this.listener = listener;
        this.clock = clock;
        this.ownsMap = false;
        clock.observe(root.clock.current());
    }

    private DialogStore(final DialogStoreContext ctx) throws IOException
    {
        ctx.conclude();
        this.ownsMap = true;
        this.readOnly = ctx.readOnly();
        this.memberId = ctx.memberId();
        this.maxCallDurationMs = ctx.maxCallDurationMs();
        this.silenceTimeoutMs = ctx.silenceTimeoutMs();
        this.earlyTimeoutMs = ctx.earlyTimeoutMs();
        this.terminatedLingerMs = ctx.terminatedLingerMs();
        this.listener = ctx.listener();
        this.clock = ctx.clock();

        final Path stateDir = ctx.stateDir();
        file = stateDir.resolve(DialogStoreConfiguration.DIALOGS_FILE_NAME).toFile();
        final var builder = ChronicleMap.of(byte[].class, byte[].class)
            .name("corral-dialogs")
            .entries(ctx.maxEntries())
            .constantKeySizeBySample(new byte[KEY_LENGTH])
            .constantValueSizeBySample(new byte[DialogDescriptor.LENGTH])
            .checksumEntries(false);

        if (readOnly)
        {
            if (!file.isFile())
            {
                throw new IOException("no dialog map to read at " + file);
            }
            ownerChannel = null;
            ownerLock = null;
            recovered = false;
            map = builder.createPersistedTo(file);
            return;
        }

        Files.createDirectories(stateDir);
        final Path ownerPath = stateDir.resolve(DialogStoreConfiguration.DIALOGS_OWNER_FILE_NAME);
        ownerChannel = FileChannel.open(
            ownerPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ownerLock = tryLock(ownerChannel);
        if (ownerLock == null)
        {
            ownerChannel.close();
            throw new IOException("another process has the dialog map open for writing: " + ownerPath);
        }
        try
        {
            final String marker = readMarker(ownerChannel);
            recovered = marker.startsWith(OPEN_MARKER) && file.isFile();
            writeMarker(ownerChannel, OPEN_MARKER + " pid=" + ProcessHandle.current().pid() + "\n");
            map = recovered ?
                builder.recoverPersistedTo(file, false, corruption -> recoveryCorruptions++) :
                builder.createPersistedTo(file);
        }
        catch (final IOException | RuntimeException ex)
        {
            ownerChannel.close();
            throw ex;
        }
        observeVersions();
    }

    /**
     * Open (or create) the store of a data directory; recover it if the last writer died with it open.
     *
     * @param ctx configuration.
     * @return the open store.
     * @throws UncheckedIOException if the file cannot be opened, or another process owns it for writing.
     */
    public static DialogStore open(final DialogStoreContext ctx)
    {
        try
        {
            return new DialogStore(ctx);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A store for another writer thread of this process (e.g. a second SIP loop) over the same open map: its own
     * scratch buffers, listener and clock. Each dialog must still have one writer thread (the loop owning its
     * Call-ID). Close it before the store it came from.
     *
     * @param listener told of this thread's changes.
     * @param clock    this thread's clock; it starts after the versions seen by this store.
     * @return a store sharing the map.
     */
    public DialogStore newWriter(final StateChangeListener listener, final HybridLogicalClock clock)
    {
        return new DialogStore(this, listener, clock);
    }

    /**
     * @return true if this open had to recover the map after an unclean stop.
     */
    public boolean wasRecovered()
    {
        return recovered;
    }

    /**
     * @return number of corruptions (stale locks, bad entries) the recovery at open reported and repaired.
     */
    public int recoveryCorruptions()
    {
        return recoveryCorruptions;
    }

    /**
     * @return the map file.
     */
    public File file()
    {
        return file;
    }

    /**
     * @return number of dialogs in the map.
     */
    public long size()
    {
        return map.longSize();
    }

    /**
     * Create a dialog (at the first 1xx with a To-tag: EARLY, or at the 2xx: CONFIRMED). The caller fills the record
     * (state, legs, Call-ID, route set, INVITE CSeq, owner if not this member); the store stamps the key, the
     * version, the times and the expiry into it, tells the listener ({@code DIALOG_CREATED}) and stores it.
     *
     * @param key    the dialog's key, set from the full Call-ID and tags of the message.
     * @param dialog the record to store; updated with the stamped fields.
     * @param nowMs  wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_ALREADY_EXISTS}, {@link #RESULT_KEY_COLLISION},
     * {@link #RESULT_INVALID_RECORD}, {@link #RESULT_FULL} (the listener then hears {@code DIALOG_REMOVED} after
     * {@code DIALOG_CREATED}, so the change log stays true) or {@link #RESULT_READ_ONLY}.
     */
    public int create(final DialogKey key, final DialogFlyweight dialog, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        final int state = dialog.state();
        if ((state != DialogState.EARLY && state != DialogState.CONFIRMED) || !key.matches(dialog))
        {
            return RESULT_INVALID_RECORD;
        }

        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(key))
        {
            c.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry != null)
            {
                viewOf(entry.value());
                return key.matches(mapRecord) ? RESULT_ALREADY_EXISTS : RESULT_KEY_COLLISION;
            }
            if (dialog.ownerMemberId() == 0)
            {
                dialog.ownerMemberId(memberId);
            }
            dialog.key(key.high(), key.low())
                .version(clock.tick(nowMs))
                .createdMs(nowMs)
                .updatedMs(nowMs)
                .terminationReason(DialogState.REASON_NONE);
            dialog.expiryMs(expiryOf(dialog));
            listener.onDialogChanged(dialog, StateChangeListener.DIALOG_CREATED);
            valueBuffer.putBytes(0, dialog.buffer(), dialog.offset(), DialogDescriptor.LENGTH);
            if (!insert(c))
            {
                listener.onDialogChanged(dialog, StateChangeListener.DIALOG_REMOVED);
                return RESULT_FULL;
            }
            return RESULT_OK;
        }
    }

    /**
     * Find a dialog; for an in-dialog request, the tags may be in either order.
     *
     * @param key the dialog's key.
     * @param out filled with a copy of the record if found.
     * @return true if found (and verified to be this dialog, not a colliding one).
     */
    public boolean find(final DialogKey key, final DialogFlyweight out)
    {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(key))
        {
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return false;
            }
            viewOf(entry.value());
            if (!key.matches(mapRecord))
            {
                return false;
            }
            out.copyFrom(mapRecord);
            return true;
        }
    }

    /**
     * @param key the dialog's key.
     * @return true if the dialog is in the map.
     */
    public boolean contains(final DialogKey key)
    {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(key))
        {
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return false;
            }
            viewOf(entry.value());
            return key.matches(mapRecord);
        }
    }

    /**
     * Replace a dialog with a modified copy read by {@link #find}: new targets, CSeqs, route set, state. The state
     * change is validated, the version must be the one read (optimistic concurrency against replication), the
     * store stamps a new version, the update time and the expiry. A change to TERMINATED with no linger removes
     * the dialog.
     *
     * @param key    the dialog's key.
     * @param dialog the modified record; updated with the stamped fields.
     * @param nowMs  wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND}, {@link #RESULT_STALE_VERSION},
     * {@link #RESULT_INVALID_TRANSITION}, {@link #RESULT_INVALID_RECORD} or {@link #RESULT_READ_ONLY}.
     */
    public int update(final DialogKey key, final DialogFlyweight dialog, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        if (!key.matches(dialog))
        {
            return RESULT_INVALID_RECORD;
        }
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(key))
        {
            c.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return RESULT_NOT_FOUND;
            }
            viewOf(entry.value());
            if (!key.matches(mapRecord))
            {
                return RESULT_NOT_FOUND;
            }
            if (mapRecord.version() != dialog.version())
            {
                return RESULT_STALE_VERSION;
            }
            final int from = mapRecord.state();
            final int to = dialog.state();
            if (!DialogState.isValidTransition(from, to))
            {
                return RESULT_INVALID_TRANSITION;
            }
            dialog.key(key.high(), key.low())
                .createdMs(mapRecord.createdMs())
                .version(clock.tick(nowMs))
                .updatedMs(nowMs);
            dialog.expiryMs(expiryOf(dialog));
            valueBuffer.putBytes(0, dialog.buffer(), dialog.offset(), DialogDescriptor.LENGTH);
            apply(c, entry, changeTypeOf(from, to));
            return RESULT_OK;
        }
    }

    /**
     * Confirm an early dialog (2xx received). Confirming a confirmed dialog refreshes it.
     *
     * @param key   the dialog's key.
     * @param nowMs wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND}, {@link #RESULT_INVALID_TRANSITION} or
     * {@link #RESULT_READ_ONLY}.
     */
    public int confirm(final DialogKey key, final long nowMs)
    {
        return transition(key, DialogState.NONE, DialogState.CONFIRMED, DialogState.REASON_NONE, nowMs);
    }

    /**
     * Confirm a dialog only if it is early (the first 2xx of its INVITE): one map query where a find then a
     * {@link #confirm} take two. A confirmed or terminated dialog is left as it is (a retransmitted 2xx changes
     * nothing).
     *
     * @param key   the dialog's key.
     * @param nowMs wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND}, {@link #RESULT_INVALID_TRANSITION} (not early) or
     * {@link #RESULT_READ_ONLY}.
     */
    public int confirmEarly(final DialogKey key, final long nowMs)
    {
        return transition(key, DialogState.EARLY, DialogState.CONFIRMED, DialogState.REASON_NONE, nowMs);
    }

    /**
     * The state a dialog was in before the change a listener is being told of, so that a listener keeping gauges
     * per state needs no find of its own first.
     *
     * @return the prior state; valid only during {@link StateChangeListener#onDialogChanged} for a
     * {@code DIALOG_CONFIRMED}, {@code DIALOG_UPDATED} or {@code DIALOG_TERMINATED} change of this store.
     */
    public int priorState()
    {
        return mapRecord.state();
    }

    /**
     * Record in-dialog activity: moves the silence timeout on.
     *
     * @param key   the dialog's key.
     * @param nowMs wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND}, {@link #RESULT_INVALID_TRANSITION} (terminated) or
     * {@link #RESULT_READ_ONLY}.
     */
    public int touch(final DialogKey key, final long nowMs)
    {
        return transition(key, DialogState.NONE, DialogState.NONE, DialogState.REASON_NONE, nowMs);
    }

    /**
     * Terminate a dialog (BYE, failure response). With no linger configured it is removed at once (the listener
     * hears {@code DIALOG_TERMINATED} then {@code DIALOG_REMOVED}).
     *
     * @param key    the dialog's key.
     * @param reason a {@code DialogState.REASON_*} code or the final status code.
     * @param nowMs  wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND}, {@link #RESULT_INVALID_TRANSITION} (already terminated)
     * or {@link #RESULT_READ_ONLY}.
     */
    public int terminate(final DialogKey key, final int reason, final long nowMs)
    {
        return transition(key, DialogState.NONE, DialogState.TERMINATED, reason, nowMs);
    }

    /**
     * Remove a dialog in any state.
     *
     * @param key   the dialog's key.
     * @param nowMs wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND} or {@link #RESULT_READ_ONLY}.
     */
    public int remove(final DialogKey key, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(key))
        {
            c.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return RESULT_NOT_FOUND;
            }
            viewOf(entry.value());
            if (!key.matches(mapRecord))
            {
                return RESULT_NOT_FOUND;
            }
            scratch.copyFrom(mapRecord).version(clock.tick(nowMs)).updatedMs(nowMs);
            listener.onDialogChanged(scratch, StateChangeListener.DIALOG_REMOVED);
            c.remove(entry);
            return RESULT_OK;
        }
    }

    /**
     * Apply a record replicated from a peer: last writer wins by (version, owner member id). The listener is not
     * told (replication logs peers' changes in their own inbound queue); the clock merges the remote version.
     *
     * @param incoming the peer's record, complete with its key and version.
     * @param nowMs    wall clock, epoch ms.
     * @return {@link #RESULT_OK} if stored, {@link #RESULT_STALE_VERSION} if the local record is as new or newer,
     * {@link #RESULT_KEY_COLLISION}, {@link #RESULT_FULL} or {@link #RESULT_READ_ONLY}.
     */
    public int applyReplica(final DialogFlyweight incoming, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        clock.update(incoming.version(), nowMs);
        replicaKey.set(incoming);
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(incoming.keyHigh(), incoming.keyLow()))
        {
            c.updateLock().lock();
            valueBuffer.putBytes(0, incoming.buffer(), incoming.offset(), DialogDescriptor.LENGTH);
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return insert(c) ? RESULT_OK : RESULT_FULL;
            }
            viewOf(entry.value());
            if (!replicaKey.matches(mapRecord))
            {
                return RESULT_KEY_COLLISION;
            }
            if (!isNewer(incoming, mapRecord))
            {
                return RESULT_STALE_VERSION;
            }
            c.replaceValue(entry, c.wrapValueBytesAsData(valueStore, 0, DialogDescriptor.LENGTH));
            return RESULT_OK;
        }
    }

    /**
     * Apply a removal replicated from a peer: removes the local record unless it is newer than the removal.
     *
     * @param removed the record as the peer removed it (key, version, owner).
     * @param nowMs   wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND}, {@link #RESULT_STALE_VERSION} or
     * {@link #RESULT_READ_ONLY}.
     */
    public int applyReplicaRemoval(final DialogFlyweight removed, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        clock.update(removed.version(), nowMs);
        replicaKey.set(removed);
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(removed.keyHigh(), removed.keyLow()))
        {
            c.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return RESULT_NOT_FOUND;
            }
            viewOf(entry.value());
            if (!replicaKey.matches(mapRecord))
            {
                return RESULT_NOT_FOUND;
            }
            if (isNewer(mapRecord, removed))
            {
                return RESULT_STALE_VERSION;
            }
            c.remove(entry);
            return RESULT_OK;
        }
    }

    /**
     * @param a a record.
     * @param b another version of it.
     * @return true if {@code a} wins over {@code b}: higher version, or equal version and higher owner member id.
     */
    public static boolean isNewer(final DialogFlyweight a, final DialogFlyweight b)
    {
        final long av = a.version();
        final long bv = b.version();
        return av > bv || (av == bv && a.ownerMemberId() > b.ownerMemberId());
    }

    /**
     * Remove expired dialogs: terminated ones whose linger ended ({@code DIALOG_REMOVED}) and live ones past their
     * maximum duration, silence or early timeout ({@code DIALOG_EXPIRED}, reason set). Bounded work: visits whole
     * map segments, resuming where the previous call stopped, until at least {@code limit} entries were examined
     * or every segment was visited once.
     *
     * @param nowMs wall clock, epoch ms.
     * @param limit entries to examine in this call, at least 1.
     * @return number of dialogs removed.
     */
    public int sweepExpired(final long nowMs, final int limit)
    {
        if (readOnly)
        {
            return 0;
        }
        final SweepVisitor visitor = sweepVisitor;
        visitor.nowMs = nowMs;
        visitor.examined = 0;
        visitor.removed = 0;
        final int segments = map.segments();
        for (int visited = 0; visited < segments && visitor.examined < limit; visited++)
        {
            try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(sweepSegment))
            {
                c.forEachSegmentEntryWhile(visitor);
            }
            sweepSegment = sweepSegment + 1 == segments ? 0 : sweepSegment + 1;
        }
        return visitor.removed;
    }

    /**
     * Visit every dialog (tools, snapshots; not for the hot path). The record is a copy valid during the call.
     *
     * @param visitor returns false to stop.
     */
    public void forEach(final Predicate<DialogFlyweight> visitor)
    {
        map.forEachEntryWhile(entry ->
        {
            viewOf(entry.value());
            scratch.copyFrom(mapRecord);
            return visitor.test(scratch);
        });
    }

    /**
     * Close: the store returned by {@link #open} closes the map (close the others first) and, for a writer, marks
     * the close as clean so the next open needs no recovery; a store from {@link #newWriter} only frees its
     * buffers.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (ownsMap)
        {
            map.close();
        }
        if (ownerChannel != null)
        {
            try
            {
                writeMarker(ownerChannel, CLOSED_MARKER + "\n");
                ownerLock.release();
                ownerChannel.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        valueStore.releaseLast();
        keyStore.releaseLast();
    }

    /**
     * @param fromState the state the dialog must be in, or {@link DialogState#NONE} for any.
     */
    private int transition(
        final DialogKey key, final int fromState, final int toState, final int reason, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(key))
        {
            c.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return RESULT_NOT_FOUND;
            }
            viewOf(entry.value());
            if (!key.matches(mapRecord))
            {
                return RESULT_NOT_FOUND;
            }
            final int from = mapRecord.state();
            final int to = toState == DialogState.NONE ? from : toState;
            if ((fromState != DialogState.NONE && from != fromState) || !DialogState.isValidTransition(from, to))
            {
                return RESULT_INVALID_TRANSITION;
            }
            scratch.copyFrom(mapRecord).state(to).version(clock.tick(nowMs)).updatedMs(nowMs);
            if (to == DialogState.TERMINATED)
            {
                scratch.terminationReason(reason);
            }
            scratch.expiryMs(expiryOf(scratch));
            apply(c, entry, changeTypeOf(from, to));
            return RESULT_OK;
        }
    }

    /**
     * Write the record in {@link #valueBuffer} (wrapped by {@link #scratch}) back, telling the listener first; a
     * terminated dialog with no linger is removed instead.
     */
    private void apply(
        final ExternalMapQueryContext<byte[], byte[], ?> c, final MapEntry<byte[], byte[]> entry, final int changeType)
    {
        listener.onDialogChanged(scratch, changeType);
        if (changeType == StateChangeListener.DIALOG_TERMINATED && terminatedLingerMs == 0)
        {
            listener.onDialogChanged(scratch, StateChangeListener.DIALOG_REMOVED);
            c.remove(entry);
        }
        else
        {
            c.replaceValue(entry, c.wrapValueBytesAsData(valueStore, 0, DialogDescriptor.LENGTH));
        }
    }

    private static int changeTypeOf(final int from, final int to)
    {
        if (to == DialogState.TERMINATED)
        {
            return StateChangeListener.DIALOG_TERMINATED;
        }
        if (from == DialogState.EARLY && to == DialogState.CONFIRMED)
        {
            return StateChangeListener.DIALOG_CONFIRMED;
        }
        return StateChangeListener.DIALOG_UPDATED;
    }

    private long expiryOf(final DialogFlyweight dialog)
    {
        final long updatedMs = dialog.updatedMs();
        switch (dialog.state())
        {
            case DialogState.EARLY:
                return Math.min(dialog.createdMs() + maxCallDurationMs, updatedMs + earlyTimeoutMs);
            case DialogState.CONFIRMED:
                return Math.min(dialog.createdMs() + maxCallDurationMs, updatedMs + silenceTimeoutMs);
            default:
                return updatedMs + terminatedLingerMs;
        }
    }

    private ExternalMapQueryContext<byte[], byte[], ?> query(final DialogKey key)
    {
        return query(key.high(), key.low());
    }

    private ExternalMapQueryContext<byte[], byte[], ?> query(final long high, final long low)
    {
        keyBuffer.putLong(0, high);
        keyBuffer.putLong(8, low);
        return map.queryContext(keyStore, 0, KEY_LENGTH);
    }

    /**
     * Insert the record in {@link #valueBuffer} for the context's absent key.
     *
     * @return false if the map is full.
     */
    private boolean insert(final ExternalMapQueryContext<byte[], byte[], ?> c)
    {
        try
        {
            c.insert(c.absentEntry(), c.wrapValueBytesAsData(valueStore, 0, DialogDescriptor.LENGTH));
            return true;
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }

    private void viewOf(final Data<byte[]> value)
    {
        mapView.wrap(value.bytes().addressForRead(value.offset()), DialogDescriptor.LENGTH);
    }

    private void observeVersions()
    {
        map.forEachEntry(entry ->
        {
            viewOf(entry.value());
            clock.observe(mapRecord.version());
        });
    }

    private static FileLock tryLock(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null;
        }
    }

    private static String readMarker(final FileChannel channel) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.read(buffer, 0);
        buffer.flip();
        return StandardCharsets.US_ASCII.decode(buffer).toString();
    }

    private static void writeMarker(final FileChannel channel, final String marker) throws IOException
    {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(marker.getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
    }

    private final class SweepVisitor implements Predicate<MapEntry<byte[], byte[]>>
    {
        long nowMs;
        int examined;
        int removed;

        @Override
        public boolean test(final MapEntry<byte[], byte[]> entry)
        {
            examined++;
            viewOf(entry.value());
            if (mapRecord.expiryMs() > nowMs)
            {
                return true;
            }
            scratch.copyFrom(mapRecord).version(clock.tick(nowMs)).updatedMs(nowMs);
            if (scratch.state() == DialogState.TERMINATED)
            {
                listener.onDialogChanged(scratch, StateChangeListener.DIALOG_REMOVED);
            }
            else
            {
                final boolean tooLong = scratch.createdMs() + maxCallDurationMs <= nowMs;
                scratch.state(DialogState.TERMINATED)
                    .terminationReason(tooLong ? DialogState.REASON_MAX_DURATION : DialogState.REASON_TIMEOUT);
                listener.onDialogChanged(scratch, StateChangeListener.DIALOG_EXPIRED);
            }
            entry.context().remove(entry);
            removed++;
            return true;
        }
    }
}
