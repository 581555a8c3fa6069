package io.corral.state.registration;

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
 * The registrations (address-of-record → contacts) of the farm, in a persisted Chronicle Map
 * ({@code <data dir>/state/registrations.dat}) that survives a restart and that tools read live from another
 * process.
 *
 * <p>Map layout: key = the 16-byte hash of the normalised {@link AddressOfRecord} (two longs, native order), value
 * = a {@link RegistrationDescriptor#length(int)}-byte record with K contact slots, K fixed when the file is created
 * and remembered in {@code registrations.layout}. Both are constant-sized {@code byte[]} accessed only through
 * query contexts over off-heap bytes: no marshalling, no objects per operation. The record stores the AOR itself,
 * checked on every access, so a key collision never mixes two users' bindings.
 *
 * <p>Writes are optimistic: {@link #find} a copy, change it, {@link #put} it with the version read. Any writer
 * thread or process may hold the same AOR (REGISTERs for one AOR come with different Call-IDs, so on different SIP
 * loops): a put whose version no longer matches returns {@link #RESULT_STALE_VERSION} and the caller reads again.
 * Every change runs under the entry's segment update lock, stamps a version from the {@link HybridLogicalClock}
 * and tells the {@link StateChangeListener} before the map changes.
 *
 * <p>Crash recovery, entry checksums and threading are as in {@code DialogStore}: an owner marker
 * ({@code registrations.owner}) held locked while a writer has the map open says whether the last writer closed it;
 * if not, the map is opened with {@code recoverPersistedTo}. One instance per thread; {@link #newWriter} for
 * another writer thread over the same map; readers in other processes open it {@link
 * RegistrationStoreContext#readOnly}.
 */
public final class RegistrationStore implements AutoCloseable
{
    /** The operation was applied. */
    public static final int RESULT_OK = 0;
    /** No registration for this AOR. */
    public static final int RESULT_NOT_FOUND = 1;
    /** Put: the record changed since it was read (or appeared, or went): read it again. */
    public static final int RESULT_STALE_VERSION = 2;
    /** Put: the record is not valid: capacity not the map's, or AOR not matching the key. */
    public static final int RESULT_INVALID_RECORD = 3;
    /** Put: a text of the record (AOR, contact URI, Call-ID, Path, instance) was truncated; nothing stored. */
    public static final int RESULT_TRUNCATED = 4;
    /** Put: another AOR has the same 128-bit key; nothing stored. */
    public static final int RESULT_KEY_COLLISION = 5;
    /** This store was opened read-only. */
    public static final int RESULT_READ_ONLY = 6;
    /** Put: the map is full. */
    public static final int RESULT_FULL = 7;

    private static final int KEY_LENGTH = 16;
    private static final String OPEN_MARKER = "OPEN";
    private static final String CLOSED_MARKER = "CLOSED";
    private static final String LAYOUT_PREFIX = "contacts=";

    private final ChronicleMap<byte[], byte[]> map;
    private final File file;
    private final FileChannel ownerChannel;
    private final FileLock ownerLock;
    private final boolean recovered;
    private final boolean readOnly;
    private final boolean ownsMap;
    private final int memberId;
    private final int contactCapacity;
    private final int recordLength;
    private final StateChangeListener listener;
    private final HybridLogicalClock clock;

    private final BytesStore<?, Void> keyStore = BytesStore.nativeStoreWithFixedCapacity(KEY_LENGTH);
    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(keyStore.addressForWrite(0), KEY_LENGTH);
    private final BytesStore<?, Void> valueStore;
    private final RegistrationFlyweight scratch;
    private final UnsafeBuffer mapView = new UnsafeBuffer(new byte[0]);
    private final RegistrationFlyweight mapRecord = new RegistrationFlyweight();
    private final AddressOfRecord scratchAor = new AddressOfRecord();
    private final SweepVisitor sweepVisitor = new SweepVisitor();
    private final SegmentVisitor segmentVisitor = new SegmentVisitor();
    private int recoveryCorruptions;
    private int sweepSegment;
    private boolean closed;

    private RegistrationStore(final RegistrationStore root, final StateChangeListener listener,
        final HybridLogicalClock clock)
    {
        this.map = root.map;
        this.file = root.file;
        this.ownerChannel = null;
        this.ownerLock = null;
        this.recovered = root.recovered;
        this.readOnly = root.readOnly;
        this.ownsMap = false;
        this.memberId = root.memberId;
        this.contactCapacity = root.contactCapacity;
        this.recordLength = root.recordLength;
        this.listener = listener;
        this.clock = clock;
        this.valueStore = BytesStore.nativeStoreWithFixedCapacity(recordLength);
        this.scratch = new RegistrationFlyweight()
            .wrap(new UnsafeBuffer(valueStore.addressForWrite(0), recordLength), 0, contactCapacity);
        mapRecord.wrap(mapView, 0, contactCapacity);
        clock.observe(root.clock.current());
    }

    private RegistrationStore(final RegistrationStoreContext ctx) throws IOException
    {
        ctx.conclude();
        this.ownsMap = true;
        this.readOnly = ctx.readOnly();
        this.memberId = ctx.memberId();
        this.listener = ctx.listener();
        this.clock = ctx.clock();

        final Path stateDir = ctx.stateDir();
        file = stateDir.resolve(RegistrationStoreConfiguration.REGISTRATIONS_FILE_NAME).toFile();
        final Path layoutPath = stateDir.resolve(RegistrationStoreConfiguration.REGISTRATIONS_LAYOUT_FILE_NAME);
        if (readOnly && !file.isFile())
        {
            throw new IOException("no registration map to read at " + file);
        }
        if (!readOnly)
        {
            Files.createDirectories(stateDir);
        }
        final Path ownerPath = stateDir.resolve(RegistrationStoreConfiguration.REGISTRATIONS_OWNER_FILE_NAME);
        ownerChannel = readOnly ? null : FileChannel.open(
            ownerPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ownerLock = readOnly ? null : tryLock(ownerChannel);
        if (!readOnly && ownerLock == null)
        {
            ownerChannel.close();
            throw new IOException("another process has the registration map open for writing: " + ownerPath);
        }
        try
        {
            contactCapacity = layoutOf(layoutPath, ctx.maxContacts(), file.isFile());
            recordLength = RegistrationDescriptor.length(contactCapacity);
            valueStore = BytesStore.nativeStoreWithFixedCapacity(recordLength);
            scratch = new RegistrationFlyweight()
                .wrap(new UnsafeBuffer(valueStore.addressForWrite(0), recordLength), 0, contactCapacity);
            mapRecord.wrap(mapView, 0, contactCapacity);
            final var builder = ChronicleMap.of(byte[].class, byte[].class)
                .name("corral-registrations")
                .entries(ctx.maxEntries())
                .constantKeySizeBySample(new byte[KEY_LENGTH])
                .constantValueSizeBySample(new byte[recordLength])
                .checksumEntries(false);
            if (readOnly)
            {
                recovered = false;
                map = builder.createPersistedTo(file);
                return;
            }
            final String marker = readMarker(ownerChannel);
            recovered = marker.startsWith(OPEN_MARKER) && file.isFile();
            writeMarker(ownerChannel, OPEN_MARKER + " pid=" + ProcessHandle.current().pid() + "\n");
            if (!Files.exists(layoutPath))
            {
                Files.write(layoutPath, (LAYOUT_PREFIX + contactCapacity + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            map = recovered ?
                builder.recoverPersistedTo(file, false, corruption -> recoveryCorruptions++) :
                builder.createPersistedTo(file);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (ownerChannel != null)
            {
                ownerChannel.close();
            }
            throw ex;
        }
        map.forEachEntry(entry ->
        {
            viewOf(entry.value());
            clock.observe(mapRecord.version());
        });
    }

    /**
     * Open (or create) the store of a data directory; recover it if the last writer died with it open.
     *
     * @param ctx configuration.
     * @return the open store.
     * @throws UncheckedIOException if the file cannot be opened, or another process owns it for writing.
     */
    public static RegistrationStore open(final RegistrationStoreContext ctx)
    {
        try
        {
            return new RegistrationStore(ctx);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A store for another writer thread of this process over the same open map: its own scratch buffers, listener
     * and clock. Close it before the store it came from.
     *
     * @param listener told of this thread's changes.
     * @param clock    this thread's clock; it starts after the versions seen by this store.
     * @return a store sharing the map.
     */
    public RegistrationStore newWriter(final StateChangeListener listener, final HybridLogicalClock clock)
    {
        return new RegistrationStore(this, listener, clock);
    }

    /**
     * @return a new record buffer of this map's layout (set-up time: allocates).
     */
    public RegistrationFlyweight newRecord()
    {
        return new RegistrationFlyweight()
            .wrap(new UnsafeBuffer(ByteBuffer.allocateDirect(recordLength)), 0, contactCapacity).clear();
    }

    /**
     * @return contact slots per record (K) of the map file: the most contacts one AOR may bind.
     */
    public int contactCapacity()
    {
        return contactCapacity;
    }

    /**
     * @return true if this open had to recover the map after an unclean stop.
     */
    public boolean wasRecovered()
    {
        return recovered;
    }

    /**
     * @return number of corruptions the recovery at open reported and repaired.
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
     * @return number of addresses-of-record in the map.
     */
    public long size()
    {
        return map.longSize();
    }

    /**
     * Find the bindings of an AOR. Contacts past their expiry but not yet swept are included: check
     * {@link RegistrationFlyweight#expiresMs(int)}.
     *
     * @param aor the address-of-record.
     * @param out filled with a copy of the record if found (same contact capacity as the map).
     * @return the version found (at least 1), or 0 if none.
     */
    public long find(final AddressOfRecord aor, final RegistrationFlyweight out)
    {
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(aor))
        {
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return 0;
            }
            viewOf(entry.value());
            if (!aor.matches(mapRecord))
            {
                return 0;
            }
            out.copyFrom(mapRecord);
            return mapRecord.version();
        }
    }

    /**
     * Find the bindings stored under a map key (the key of an AOR seen earlier, e.g. in {@link #forEachInSegment}).
     *
     * @param keyHigh {@link AddressOfRecord#high()} of the AOR.
     * @param keyLow  {@link AddressOfRecord#low()} of the AOR.
     * @param out     filled with a copy of the record if found (same contact capacity as the map).
     * @return the version found (at least 1), or 0 if none.
     */
    public long find(final long keyHigh, final long keyLow, final RegistrationFlyweight out)
    {
        keyBuffer.putLong(0, keyHigh);
        keyBuffer.putLong(8, keyLow);
        try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(keyStore, 0, KEY_LENGTH))
        {
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return 0;
            }
            viewOf(entry.value());
            if (mapRecord.keyHigh() != keyHigh || mapRecord.keyLow() != keyLow)
            {
                return 0;
            }
            out.copyFrom(mapRecord);
            return mapRecord.version();
        }
    }

    /**
     * Store a changed copy of an AOR's bindings, read with {@link #find} (or new, then {@code expectedVersion} 0).
     * The store stamps the key, AOR, version, times, owner (if 0) and next expiry, tells the listener and writes the
     * record; a record with no contact removes the AOR. The change type is derived from the contact URIs before and
     * after: a new URI → {@code REGISTRATION_ADDED}, else a URI gone → {@code REGISTRATION_REMOVED}, else
     * {@code REGISTRATION_REFRESHED}.
     *
     * @param aor             the address-of-record.
     * @param record          the new bindings; updated with the stamped fields.
     * @param expectedVersion the version {@link #find} returned, 0 if it found none.
     * @param nowMs           wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_STALE_VERSION}, {@link #RESULT_TRUNCATED},
     * {@link #RESULT_INVALID_RECORD}, {@link #RESULT_KEY_COLLISION}, {@link #RESULT_FULL} or
     * {@link #RESULT_READ_ONLY}.
     */
    public int put(
        final AddressOfRecord aor, final RegistrationFlyweight record, final long expectedVersion, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        if (record.contactCapacity() != contactCapacity || aor.length() == 0)
        {
            return RESULT_INVALID_RECORD;
        }
        if (record.isTruncated())
        {
            return RESULT_TRUNCATED;
        }
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(aor))
        {
            c.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = c.entry();
            long currentVersion = 0;
            if (entry != null)
            {
                viewOf(entry.value());
                if (!aor.matches(mapRecord))
                {
                    return RESULT_KEY_COLLISION;
                }
                currentVersion = mapRecord.version();
            }
            if (currentVersion != expectedVersion)
            {
                return RESULT_STALE_VERSION;
            }
            if (entry == null && record.contactCount() == 0)
            {
                return RESULT_OK;
            }
            record.aor(aor.buffer(), 0, aor.length());
            record.key(aor.high(), aor.low()).version(clock.tick(nowMs)).updatedMs(nowMs)
                .nextExpiryMs(record.earliestExpiryMs());
            if (entry == null)
            {
                record.createdMs(nowMs);
            }
            if (record.ownerMemberId() == 0)
            {
                record.ownerMemberId(memberId);
            }
            final int changeType = entry == null ? StateChangeListener.REGISTRATION_ADDED : changeTypeOf(record);
            listener.onRegistrationChanged(record, changeType);
            if (record.contactCount() == 0)
            {
                c.remove(entry);
                return RESULT_OK;
            }
            scratch.copyFrom(record);
            if (entry == null)
            {
                try
                {
                    c.insert(c.absentEntry(), c.wrapValueBytesAsData(valueStore, 0, recordLength));
                }
                catch (final IllegalStateException ex)
                {
                    record.removeAllContacts();
                    listener.onRegistrationChanged(record, StateChangeListener.REGISTRATION_REMOVED);
                    return RESULT_FULL;
                }
            }
            else
            {
                c.replaceValue(entry, c.wrapValueBytesAsData(valueStore, 0, recordLength));
            }
            return RESULT_OK;
        }
    }

    /**
     * Remove every binding of an AOR (administrative removal; a REGISTER uses {@link #put} with no contacts).
     *
     * @param aor   the address-of-record.
     * @param nowMs wall clock, epoch ms.
     * @return {@link #RESULT_OK}, {@link #RESULT_NOT_FOUND} or {@link #RESULT_READ_ONLY}.
     */
    public int remove(final AddressOfRecord aor, final long nowMs)
    {
        if (readOnly)
        {
            return RESULT_READ_ONLY;
        }
        try (ExternalMapQueryContext<byte[], byte[], ?> c = query(aor))
        {
            c.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = c.entry();
            if (entry == null)
            {
                return RESULT_NOT_FOUND;
            }
            viewOf(entry.value());
            if (!aor.matches(mapRecord))
            {
                return RESULT_NOT_FOUND;
            }
            scratch.copyFrom(mapRecord).removeAllContacts().version(clock.tick(nowMs)).updatedMs(nowMs);
            listener.onRegistrationChanged(scratch, StateChangeListener.REGISTRATION_REMOVED);
            c.remove(entry);
            return RESULT_OK;
        }
    }

    /**
     * Remove expired contacts, and a record when none is left ({@code REGISTRATION_EXPIRED}). Bounded work: visits
     * whole map segments, resuming where the previous call stopped, until at least {@code limit} records were
     * examined or every segment was visited once. Records whose earliest expiry is in the future cost one read.
     *
     * @param nowMs wall clock, epoch ms.
     * @param limit records to examine in this call, at least 1.
     * @return number of contacts removed.
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
     * @return number of map segments, for a caller that walks the map a segment at a time.
     */
    public int segments()
    {
        return map.segments();
    }

    /**
     * Visit the registrations of one map segment, under its read lock: bounded work for a caller that walks the map
     * a segment at a time (keep-alives). The record is a read-only view of the map entry, valid during the call; the
     * visitor must not call this store.
     *
     * @param segment 0 to {@link #segments()} - 1.
     * @param visitor returns false to stop.
     * @return number of records visited.
     */
    public int forEachInSegment(final int segment, final Predicate<RegistrationFlyweight> visitor)
    {
        final SegmentVisitor segmentVisitor = this.segmentVisitor;
        segmentVisitor.visitor = visitor;
        segmentVisitor.visited = 0;
        try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(segment))
        {
            c.forEachSegmentEntryWhile(segmentVisitor);
        }
        finally
        {
            segmentVisitor.visitor = null;
        }
        return segmentVisitor.visited;
    }

    /**
     * Visit every registration (tools, snapshots; not for the hot path). The record is a copy valid
     * during the call.
     *
     * @param visitor returns false to stop.
     */
    public void forEach(final Predicate<RegistrationFlyweight> visitor)
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
     * the close as clean; a store from {@link #newWriter} only frees its buffers.
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
     * Compare the new record's contact URIs with the stored one's ({@link #mapRecord}).
     */
    private int changeTypeOf(final RegistrationFlyweight record)
    {
        for (int i = 0, n = record.contactCount(); i < n; i++)
        {
            if (mapRecord.indexOfContact(record.buffer(), record.uriOffset(i), record.uriLength(i)) < 0)
            {
                return StateChangeListener.REGISTRATION_ADDED;
            }
        }
        for (int i = 0, n = mapRecord.contactCount(); i < n; i++)
        {
            if (record.indexOfContact(mapRecord.buffer(), mapRecord.uriOffset(i), mapRecord.uriLength(i)) < 0)
            {
                return StateChangeListener.REGISTRATION_REMOVED;
            }
        }
        return StateChangeListener.REGISTRATION_REFRESHED;
    }

    private ExternalMapQueryContext<byte[], byte[], ?> query(final AddressOfRecord aor)
    {
        keyBuffer.putLong(0, aor.high());
        keyBuffer.putLong(8, aor.low());
        return map.queryContext(keyStore, 0, KEY_LENGTH);
    }

    private void viewOf(final Data<byte[]> value)
    {
        mapView.wrap(value.bytes().addressForRead(value.offset()), recordLength);
    }

    private static int layoutOf(final Path layoutPath, final int configured, final boolean fileExists)
        throws IOException
    {
        if (!fileExists || !Files.exists(layoutPath))
        {
            return configured;
        }
        final String text = new String(Files.readAllBytes(layoutPath), StandardCharsets.US_ASCII).trim();
        if (!text.startsWith(LAYOUT_PREFIX))
        {
            throw new IOException("bad layout marker " + layoutPath + ": " + text);
        }
        final int contacts = Integer.parseInt(text.substring(LAYOUT_PREFIX.length()));
        if (contacts < 1 || contacts > RegistrationStoreConfiguration.MAX_CONTACTS_LIMIT)
        {
            throw new IOException("bad layout marker " + layoutPath + ": " + text);
        }
        return contacts;
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

    private final class SegmentVisitor implements Predicate<MapEntry<byte[], byte[]>>
    {
        Predicate<RegistrationFlyweight> visitor;
        int visited;

        @Override
        public boolean test(final MapEntry<byte[], byte[]> entry)
        {
            visited++;
            viewOf(entry.value());
            return visitor.test(mapRecord);
        }
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
            if (mapRecord.nextExpiryMs() > nowMs)
            {
                return true;
            }
            scratch.copyFrom(mapRecord);
            final int expired = scratch.removeExpired(nowMs);
            if (expired == 0)
            {
                return true;
            }
            scratch.version(clock.tick(nowMs)).updatedMs(nowMs).nextExpiryMs(scratch.earliestExpiryMs());
            removed += expired;
            listener.onRegistrationChanged(scratch, StateChangeListener.REGISTRATION_EXPIRED);
            if (scratch.contactCount() == 0)
            {
                entry.context().remove(entry);
            }
            else
            {
                entry.context().replaceValue(entry, entry.context().wrapValueBytesAsData(valueStore, 0, recordLength));
            }
            return true;
        }
    }
}
