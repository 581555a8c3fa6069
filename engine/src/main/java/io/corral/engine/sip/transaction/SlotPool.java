package io.corral.engine.sip.transaction;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Size-classed storage of preallocated byte slots: each class is one direct slab cut into slots of one size, with a
 * free stack of slot numbers. A transaction takes the smallest slot its bytes fit, so a long-lived record (an
 * Accepted INVITE holds nothing, a Completed non-INVITE its short final response) does not pin a slot sized for
 * an INVITE with SDP.
 * <pre>
 *  handle: | class (8 bits) | slot number (24 bits) |      class c slab: | slot 0 | slot 1 | ... | slot n-1 |
 * </pre>
 * Single-threaded; nothing is allocated after construction.
 */
final class SlotPool
{
    /** No slot. */
    static final int NONE = -1;

    private static final int SLOT_BITS = 24;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

    private final int[] slotBytes;
    private final int[] slotCounts;
    private final UnsafeBuffer[] slabs;
    private final int[][] free;
    private final int[] freeCounts;

    /**
     * @param slotBytes  bytes of a slot in each class, ascending.
     * @param slotCounts slots in each class (0 for an empty class), below 2^24.
     */
    SlotPool(final int[] slotBytes, final int[] slotCounts)
    {
        if (slotBytes.length != slotCounts.length || slotBytes.length == 0 || slotBytes.length > 127)
        {
            throw new IllegalArgumentException("need 1 to 127 classes, as many sizes as counts");
        }
        final int classes = slotBytes.length;
        this.slotBytes = slotBytes.clone();
        this.slotCounts = slotCounts.clone();
        slabs = new UnsafeBuffer[classes];
        free = new int[classes][];
        freeCounts = new int[classes];
        for (int c = 0; c < classes; c++)
        {
            if (slotBytes[c] <= 0 || (c > 0 && slotBytes[c] < slotBytes[c - 1]) || slotCounts[c] < 0 ||
                slotCounts[c] > SLOT_MASK || (long)slotBytes[c] * slotCounts[c] > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("class " + c + ": " + slotCounts[c] + " slots of " +
                    slotBytes[c] + " bytes (sizes ascending, at most " + Integer.MAX_VALUE + " bytes a class)");
            }
            slabs[c] = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, slotBytes[c] * slotCounts[c])));
            free[c] = new int[slotCounts[c]];
            for (int i = 0; i < slotCounts[c]; i++)
            {
                free[c][i] = slotCounts[c] - 1 - i;
            }
            freeCounts[c] = slotCounts[c];
        }
    }

    /**
     * @param length bytes to hold.
     * @return the smallest class whose slots hold {@code length} bytes, free or not, or {@link #NONE}.
     */
    int classFor(final int length)
    {
        for (int c = 0; c < slotBytes.length; c++)
        {
            if (slotBytes[c] >= length && slotCounts[c] > 0)
            {
                return c;
            }
        }
        return NONE;
    }

    /**
     * Take a free slot of the smallest class that holds {@code length} bytes and has one, else of a larger class.
     *
     * @param length bytes to hold.
     * @return the slot's handle, or {@link #NONE} when no class that fits has a free slot.
     */
    int allocate(final int length)
    {
        for (int c = 0; c < slotBytes.length; c++)
        {
            if (slotBytes[c] >= length && freeCounts[c] > 0)
            {
                return (c << SLOT_BITS) | free[c][--freeCounts[c]];
            }
        }
        return NONE;
    }

    /**
     * @param handle from {@link #allocate(int)}, given back once.
     */
    void free(final int handle)
    {
        final int c = handle >>> SLOT_BITS;
        free[c][freeCounts[c]++] = handle & SLOT_MASK;
    }

    /**
     * @param handle a slot.
     * @return its class.
     */
    static int sizeClass(final int handle)
    {
        return handle >>> SLOT_BITS;
    }

    /**
     * @param handle a slot.
     * @return its size in bytes.
     */
    int slotBytes(final int handle)
    {
        return slotBytes[handle >>> SLOT_BITS];
    }

    /**
     * @param handle a slot.
     * @return the slab holding it.
     */
    UnsafeBuffer buffer(final int handle)
    {
        return slabs[handle >>> SLOT_BITS];
    }

    /**
     * @param handle a slot.
     * @return its first byte in {@link #buffer(int)}.
     */
    int offset(final int handle)
    {
        return (handle & SLOT_MASK) * slotBytes[handle >>> SLOT_BITS];
    }

    /**
     * @param sizeClass a class.
     * @return its free slots.
     */
    int freeCount(final int sizeClass)
    {
        return freeCounts[sizeClass];
    }

    /**
     * @param sizeClass a class.
     * @return its slots.
     */
    int slotCount(final int sizeClass)
    {
        return slotCounts[sizeClass];
    }
}
