package io.corral.engine.sip.transaction;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SlotPoolTest
{
    private final SlotPool pool = new SlotPool(new int[]{64, 256, 1024}, new int[]{2, 1, 1});

    @Test
    void shouldTakeTheSmallestClassThatFitsWhenItHasAFreeSlot()
    {
        final int small = pool.allocate(64);
        assertEquals(0, SlotPool.sizeClass(small));
        assertEquals(64, pool.slotBytes(small));
        assertEquals(1, SlotPool.sizeClass(pool.allocate(65)));
        assertEquals(2, SlotPool.sizeClass(pool.allocate(1024)));
        assertEquals(SlotPool.NONE, pool.allocate(1025));
        assertEquals(0, pool.classFor(1));
        assertEquals(2, pool.classFor(300));
        assertEquals(SlotPool.NONE, pool.classFor(1025));
    }

    @Test
    void shouldFallBackToALargerClassThenRefuseWhenEveryFittingClassIsFull()
    {
        final int a = pool.allocate(10);
        final int b = pool.allocate(10);
        assertEquals(0, pool.freeCount(0));
        final int c = pool.allocate(10);
        assertEquals(1, SlotPool.sizeClass(c));
        final int d = pool.allocate(10);
        assertEquals(2, SlotPool.sizeClass(d));
        assertEquals(SlotPool.NONE, pool.allocate(10));

        pool.free(b);
        assertEquals(b, pool.allocate(10), "a freed slot is taken again");
        pool.free(d);
        pool.free(c);
        assertEquals(1, pool.freeCount(1));
        assertNotEquals(pool.offset(a), pool.offset(b));
    }

    @Test
    void shouldKeepBytesOfEverySlotApartWhenSlotsAreWritten()
    {
        final int a = pool.allocate(64);
        final int b = pool.allocate(64);
        pool.buffer(a).setMemory(pool.offset(a), 64, (byte)'a');
        pool.buffer(b).setMemory(pool.offset(b), 64, (byte)'b');
        for (int i = 0; i < 64; i++)
        {
            assertEquals('a', pool.buffer(a).getByte(pool.offset(a) + i));
            assertEquals('b', pool.buffer(b).getByte(pool.offset(b) + i));
        }
    }

    @Test
    void shouldRejectClassesOutOfOrderOrMismatched()
    {
        assertThrows(IllegalArgumentException.class, () -> new SlotPool(new int[]{256, 64}, new int[]{1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new SlotPool(new int[]{64}, new int[]{1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new SlotPool(new int[]{64}, new int[]{-1}));
    }
}
