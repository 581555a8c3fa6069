package io.corral.perf.gen;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Fixed-size byte records off the heap with a free stack: messages kept for retransmission (a BYE built when its
 * dialog was established, a REGISTER with credentials, a 200 OK resent until its ACK). Record {@code i} holds its
 * length in its first 4 bytes and the message after it.
 */
final class RecordPool
{
    static final int NONE = -1;
    private static final int HEADER_BYTES = 4;

    private final UnsafeBuffer buffer;
    private final int recordBytes;
    private final int[] free;
    private int freeCount;

    /**
     * @param records     records in the pool.
     * @param recordBytes bytes per record, the length word included.
     */
    RecordPool(final int records, final int recordBytes)
    {
        this.recordBytes = recordBytes;
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(records * recordBytes));
        free = new int[records];
        for (int i = 0; i < records; i++)
        {
            free[i] = records - 1 - i;
        }
        freeCount = records;
    }

    /**
     * @return a record, or {@link #NONE} when all are in use.
     */
    int allocate()
    {
        return freeCount == 0 ? NONE : free[--freeCount];
    }

    /**
     * @param record a record from {@link #allocate()}.
     */
    void release(final int record)
    {
        free[freeCount++] = record;
    }

    /**
     * @return records in use.
     */
    int inUse()
    {
        return free.length - freeCount;
    }

    /**
     * @return the buffer all records live in.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @param record a record.
     * @return offset of its message in {@link #buffer()}.
     */
    int messageOffset(final int record)
    {
        return record * recordBytes + HEADER_BYTES;
    }

    /**
     * @return the longest message a record holds.
     */
    int maxMessageBytes()
    {
        return recordBytes - HEADER_BYTES;
    }

    /**
     * @param record a record.
     * @param length length of the message written at {@link #messageOffset(int)}.
     */
    void length(final int record, final int length)
    {
        buffer.putInt(record * recordBytes, length);
    }

    /**
     * @param record a record.
     * @return length of its message.
     */
    int length(final int record)
    {
        return buffer.getInt(record * recordBytes);
    }
}
