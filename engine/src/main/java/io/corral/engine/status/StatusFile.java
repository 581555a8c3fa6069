package io.corral.engine.status;

import org.agrona.IoUtil;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.corral.engine.status.StatusFileDescriptor.COUNTERS_METADATA_LENGTH_OFFSET;
import static io.corral.engine.status.StatusFileDescriptor.COUNTERS_VALUES_LENGTH_OFFSET;
import static io.corral.engine.status.StatusFileDescriptor.ERROR_LOG_LENGTH_OFFSET;
import static io.corral.engine.status.StatusFileDescriptor.LAYOUT_VERSION;
import static io.corral.engine.status.StatusFileDescriptor.LAYOUT_VERSION_OFFSET;
import static io.corral.engine.status.StatusFileDescriptor.MEMBER_ID_OFFSET;
import static io.corral.engine.status.StatusFileDescriptor.PID_OFFSET;
import static io.corral.engine.status.StatusFileDescriptor.START_TIME_OFFSET;

/**
 * The member's side of its status file: holds the data dir's {@link MemberLock}, creates the file fresh at start,
 * and owns the counters and the distinct error log in it. If the previous member's file holds errors (say after a
 * crash), they are first saved as text beside it in {@code errors-<start time>.log}; the new file starts empty.
 */
public final class StatusFile implements AutoCloseable
{
    private final MemberLock lock;
    private final Path file;
    private final Path savedErrorLog;
    private final MappedByteBuffer mapped;
    private final CountersManager countersManager;
    private final DistinctErrorLog errorLog;
    private final StatusCounters counters;

    private StatusFile(
        final MemberLock lock,
        final Path file,
        final Path savedErrorLog,
        final MappedByteBuffer mapped,
        final CountersManager countersManager,
        final DistinctErrorLog errorLog,
        final StatusCounters counters)
    {
        this.lock = lock;
        this.file = file;
        this.savedErrorLog = savedErrorLog;
        this.mapped = mapped;
        this.countersManager = countersManager;
        this.errorLog = errorLog;
        this.counters = counters;
    }

    /**
     * Lock the data dir and create its status file.
     *
     * @param dataDir              the member's data dir.
     * @param memberId             written to the header.
     * @param countersValuesLength bytes of counter values, a power of two.
     * @param errorLogLength       bytes of the error log, a power of two.
     * @param clock                time for the header, counters and error log.
     * @return the open status file with {@link StatusCounters} allocated and the state {@code starting}.
     * @throws MemberLockedException if another member uses the data dir.
     */
    public static StatusFile create(
        final Path dataDir,
        final int memberId,
        final int countersValuesLength,
        final int errorLogLength,
        final EpochClock clock)
    {
        final MemberLock lock = MemberLock.acquire(dataDir);
        try
        {
            final Path file = StatusFileDescriptor.file(dataDir);
            final Path saved = saveErrorLog(file);
            Files.deleteIfExists(file);
            final long length = StatusFileDescriptor.fileLength(countersValuesLength, errorLogLength);
            final MappedByteBuffer mapped = IoUtil.mapNewFile(file.toFile(), length, true);
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            buffer.putInt(MEMBER_ID_OFFSET, memberId);
            buffer.putLong(PID_OFFSET, ProcessHandle.current().pid());
            buffer.putLong(START_TIME_OFFSET, clock.time());
            buffer.putInt(COUNTERS_METADATA_LENGTH_OFFSET,
                StatusFileDescriptor.countersMetadataLength(countersValuesLength));
            buffer.putInt(COUNTERS_VALUES_LENGTH_OFFSET, countersValuesLength);
            buffer.putInt(ERROR_LOG_LENGTH_OFFSET, errorLogLength);

            final CountersManager countersManager = new CountersManager(
                StatusFileDescriptor.countersMetadataBuffer(buffer), StatusFileDescriptor.countersValuesBuffer(buffer),
                StandardCharsets.US_ASCII, clock, 0);
            final StatusCounters counters = new StatusCounters(countersManager);
            counters.get(StatusCounters.MEMBER_STATE_ID).setRelease(StatusCounters.STATE_STARTING);
            final DistinctErrorLog errorLog =
                new DistinctErrorLog(StatusFileDescriptor.errorLogBuffer(buffer), clock, StandardCharsets.UTF_8);

            buffer.putIntRelease(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            return new StatusFile(lock, file, saved, mapped, countersManager, errorLog, counters);
        }
        catch (final IOException ex)
        {
            lock.close();
            throw new UncheckedIOException(ex);
        }
        catch (final RuntimeException ex)
        {
            lock.close();
            throw ex;
        }
    }

    /**
     * @return the status file's path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return where the previous member's errors were saved at start, or null if it had none.
     */
    public Path savedErrorLog()
    {
        return savedErrorLog;
    }

    /**
     * @return the counters manager over the file, for later issues' counters.
     */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * @return the member's own counters.
     */
    public StatusCounters counters()
    {
        return counters;
    }

    /**
     * @return the distinct error log in the file.
     */
    public DistinctErrorLog errorLog()
    {
        return errorLog;
    }

    /**
     * Set the state {@code closed}, flush the file to disk, unmap it and release the data dir. The file stays, so
     * tools can still read the counters and errors of a stopped member.
     */
    public void close()
    {
        try
        {
            counters.get(StatusCounters.MEMBER_STATE_ID).setRelease(StatusCounters.STATE_CLOSED);
            mapped.force();
            IoUtil.unmap(mapped);
        }
        finally
        {
            lock.close();
        }
    }

    private static Path saveErrorLog(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            return null;
        }
        try (StatusFileReader previous = StatusFileReader.open(file))
        {
            if (!previous.isReady() || !previous.hasErrors())
            {
                return null;
            }
            final Path saved = file.resolveSibling("errors-" + previous.startTimeMs() + ".log");
            Files.writeString(saved, previous.errorsText(), StandardCharsets.UTF_8);
            return saved;
        }
        catch (final StatusFileException ex)
        {
            return null;
        }
    }
}
