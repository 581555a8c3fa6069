package io.corral.engine.status;

import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static io.corral.engine.status.StatusFileDescriptor.LAYOUT_VERSION;
import static io.corral.engine.status.StatusFileDescriptor.LAYOUT_VERSION_OFFSET;

/**
 * Reads a member's status file from any process, live or after the member stopped: header, counters, error log.
 * It maps the file read-only and never takes the member's lock.
 */
public final class StatusFileReader implements AutoCloseable
{
    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private CountersReader countersReader;

    private StatusFileReader(final Path file, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * @param dataDir a member's data dir.
     * @return a reader of its status file.
     * @throws StatusFileException if there is no status file or it cannot be read.
     */
    public static StatusFileReader openDataDir(final Path dataDir)
    {
        final Path file = StatusFileDescriptor.file(dataDir);
        if (!Files.exists(file))
        {
            throw new StatusFileException("no status file " + file + ": no member has run with data dir " + dataDir);
        }
        return open(file);
    }

    /**
     * @param file a status file.
     * @return a reader of it.
     * @throws StatusFileException if it cannot be read or has another layout version.
     */
    public static StatusFileReader open(final Path file)
    {
        final MappedByteBuffer mapped;
        try
        {
            if (Files.size(file) < StatusFileDescriptor.HEADER_LENGTH)
            {
                throw new StatusFileException("status file " + file + " is too short to hold a header");
            }
            mapped = IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY, "status file");
        }
        catch (final IOException | IllegalStateException ex)
        {
            throw new StatusFileException("cannot read status file " + file + ": " + ex.getMessage());
        }
        final StatusFileReader reader = new StatusFileReader(file, mapped);
        final int version = reader.layoutVersion();
        if (version != 0 && version != LAYOUT_VERSION)
        {
            reader.close();
            throw new StatusFileException(
                "status file " + file + " has layout version " + version + "; this tool reads " + LAYOUT_VERSION);
        }
        return reader;
    }

    /**
     * @return the file read.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the layout version, 0 while the member is still writing the header.
     */
    public int layoutVersion()
    {
        return buffer.getIntAcquire(LAYOUT_VERSION_OFFSET);
    }

    /**
     * @return true once the header is complete and the buffers may be read.
     */
    public boolean isReady()
    {
        return layoutVersion() == LAYOUT_VERSION;
    }

    /**
     * @return the member id.
     */
    public int memberId()
    {
        return buffer.getInt(StatusFileDescriptor.MEMBER_ID_OFFSET);
    }

    /**
     * @return the process id of the member that wrote the file.
     */
    public long pid()
    {
        return buffer.getLong(StatusFileDescriptor.PID_OFFSET);
    }

    /**
     * @return when the member started, epoch ms.
     */
    public long startTimeMs()
    {
        return buffer.getLong(StatusFileDescriptor.START_TIME_OFFSET);
    }

    /**
     * @return the counters; only once {@link #isReady()}.
     */
    public CountersReader countersReader()
    {
        if (countersReader == null)
        {
            requireReady();
            countersReader = new CountersReader(
                StatusFileDescriptor.countersMetadataBuffer(buffer), StatusFileDescriptor.countersValuesBuffer(buffer),
                StandardCharsets.US_ASCII);
        }
        return countersReader;
    }

    /**
     * @return the member state counter, one of {@code StatusCounters.STATE_*}.
     */
    public long memberState()
    {
        return countersReader().getCounterValue(StatusCounters.MEMBER_STATE_ID);
    }

    /**
     * @return the conductor's latest heartbeat, epoch ms.
     */
    public long heartbeatMs()
    {
        return countersReader().getCounterValue(StatusCounters.HEARTBEAT_ID);
    }

    /**
     * @return true if the member's process is alive and has not closed the file.
     */
    public boolean isMemberAlive()
    {
        return isReady() && memberState() != StatusCounters.STATE_CLOSED &&
            ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * @return the error log buffer; only once {@link #isReady()}.
     */
    public AtomicBuffer errorLogBuffer()
    {
        requireReady();
        return StatusFileDescriptor.errorLogBuffer(buffer);
    }

    /**
     * @return true if the error log holds at least one error.
     */
    public boolean hasErrors()
    {
        return ErrorLogReader.hasErrors(errorLogBuffer());
    }

    /**
     * @return each distinct error with its count, first and last time and stack trace, then how many distinct errors
     * there are; an empty string if there are none.
     */
    public String errorsText()
    {
        final StringBuilder out = new StringBuilder();
        final int distinctErrors = ErrorLogReader.read(errorLogBuffer(), (count, firstMs, lastMs, encoded) -> out
            .append(count).append(count == 1 ? " observation" : " observations")
            .append(" from ").append(Instant.ofEpochMilli(firstMs))
            .append(" to ").append(Instant.ofEpochMilli(lastMs)).append(" for:\n ")
            .append(encoded).append('\n'));
        if (distinctErrors > 0)
        {
            out.append(distinctErrors).append(distinctErrors == 1 ? " distinct error" : " distinct errors")
                .append(" observed.\n");
        }
        return out.toString();
    }

    /**
     * Unmap the file.
     */
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    private void requireReady()
    {
        if (!isReady())
        {
            throw new StatusFileException("status file " + file + " is not initialised yet: the member is starting");
        }
    }
}
