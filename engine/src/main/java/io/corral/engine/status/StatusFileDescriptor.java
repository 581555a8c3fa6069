package io.corral.engine.status;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.file.Path;

/**
 * Layout of a member's status file, {@code <corral.data.dir>/status/corral.dat} (modelled on Aeron's
 * {@code CncFileDescriptor}): a header, then the counters' metadata and values (Agrona {@code CountersManager}),
 * then a distinct error log (Agrona {@code DistinctErrorLog}). The member writes the layout version last, with release
 * semantics, so a reader that sees a non-zero version sees the whole header.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |
 *  +---------------------------------------------------------------+
 *  |                           Member Id                           |
 *  +---------------------------------------------------------------+
 *  |                          Process Id                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Start Time (epoch ms)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Counters Metadata Length                      |
 *  +---------------------------------------------------------------+
 *  |                  Counters Values Length                       |
 *  +---------------------------------------------------------------+
 *  |                     Error Log Length                          |
 *  +---------------------------------------------------------------+
 *  |                  Reserved up to HEADER_LENGTH                ...
 *  +---------------------------------------------------------------+
 *  |                 Counters Metadata Buffer                     ...
 *  +---------------------------------------------------------------+
 *  |                  Counters Values Buffer                      ...
 *  +---------------------------------------------------------------+
 *  |                     Error Log Buffer                         ...
 *  +---------------------------------------------------------------+
 * </pre>
 * All integers are in the machine's native byte order.
 */
public final class StatusFileDescriptor
{
    /** Layout version this code writes and reads; bump it on any change to the layout. */
    public static final int LAYOUT_VERSION = 1;

    /** Folder under the data dir holding the status file and the member lock. */
    public static final String STATUS_DIR = "status";

    /** File name of the status file. */
    public static final String FILE_NAME = "corral.dat";

    /** Offset of the layout version (int). */
    public static final int LAYOUT_VERSION_OFFSET = 0;
    /** Offset of the member id (int). */
    public static final int MEMBER_ID_OFFSET = 4;
    /** Offset of the process id (long). */
    public static final int PID_OFFSET = 8;
    /** Offset of the start time in epoch milliseconds (long). */
    public static final int START_TIME_OFFSET = 16;
    /** Offset of the counters metadata buffer length (int). */
    public static final int COUNTERS_METADATA_LENGTH_OFFSET = 24;
    /** Offset of the counters values buffer length (int). */
    public static final int COUNTERS_VALUES_LENGTH_OFFSET = 28;
    /** Offset of the error log buffer length (int). */
    public static final int ERROR_LOG_LENGTH_OFFSET = 32;
    /** Length of the header; the buffers that follow start cache-line aligned. */
    public static final int HEADER_LENGTH = BitUtil.CACHE_LINE_LENGTH * 2;

    private StatusFileDescriptor()
    {
    }

    /**
     * @param dataDir the member's data dir.
     * @return the status file within it.
     */
    public static Path file(final Path dataDir)
    {
        return dataDir.resolve(STATUS_DIR).resolve(FILE_NAME);
    }

    /**
     * @param countersValuesLength bytes of counter values.
     * @return bytes of counter metadata for that many counters.
     */
    public static int countersMetadataLength(final int countersValuesLength)
    {
        return countersValuesLength * (CountersReader.METADATA_LENGTH / CountersReader.COUNTER_LENGTH);
    }

    /**
     * @param countersValuesLength bytes of counter values.
     * @param errorLogLength       bytes of the error log.
     * @return the length of the whole file.
     */
    public static long fileLength(final int countersValuesLength, final int errorLogLength)
    {
        return (long)HEADER_LENGTH + countersMetadataLength(countersValuesLength) + countersValuesLength +
            errorLogLength;
    }

    /**
     * @param file the mapped status file, header complete.
     * @return a view of the counters metadata buffer.
     */
    public static AtomicBuffer countersMetadataBuffer(final AtomicBuffer file)
    {
        return new UnsafeBuffer(file, HEADER_LENGTH, file.getInt(COUNTERS_METADATA_LENGTH_OFFSET));
    }

    /**
     * @param file the mapped status file, header complete.
     * @return a view of the counters values buffer.
     */
    public static AtomicBuffer countersValuesBuffer(final AtomicBuffer file)
    {
        final int offset = HEADER_LENGTH + file.getInt(COUNTERS_METADATA_LENGTH_OFFSET);
        return new UnsafeBuffer(file, offset, file.getInt(COUNTERS_VALUES_LENGTH_OFFSET));
    }

    /**
     * @param file the mapped status file, header complete.
     * @return a view of the error log buffer.
     */
    public static AtomicBuffer errorLogBuffer(final AtomicBuffer file)
    {
        final int offset = HEADER_LENGTH + file.getInt(COUNTERS_METADATA_LENGTH_OFFSET) +
            file.getInt(COUNTERS_VALUES_LENGTH_OFFSET);
        return new UnsafeBuffer(file, offset, file.getInt(ERROR_LOG_LENGTH_OFFSET));
    }
}
