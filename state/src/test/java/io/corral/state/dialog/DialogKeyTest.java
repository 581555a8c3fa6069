package io.corral.state.dialog;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialogKeyTest
{
    private final DialogFixture fixture = new DialogFixture();

    @Test
    void shouldGiveSameKeyWhenTagsAreSwapped()
    {
        fixture.set("a84b4c76e66710@pc33.example.com", "1928301774", "a6c85cf");
        final DialogKey caller = fixture.fromCaller(new DialogKey());
        final DialogKey callee = fixture.fromCallee(new DialogKey());
        assertEquals(caller.high(), callee.high());
        assertEquals(caller.low(), callee.low());
        assertNotEquals(caller.high(), caller.low());
    }

    @Test
    void shouldGiveDifferentKeysWhenAnyPartDiffers()
    {
        final DialogKey base = new DialogFixture().set("c@h", "ab", "cd").fromCaller(new DialogKey());
        final DialogKey[] others =
        {
            new DialogFixture().set("c@H", "ab", "cd").fromCaller(new DialogKey()),
            new DialogFixture().set("c@h", "ab", "ce").fromCaller(new DialogKey()),
            new DialogFixture().set("c@ha", "b", "cd").fromCaller(new DialogKey()),
            new DialogFixture().set("c@h", "abc", "d").fromCaller(new DialogKey()),
            new DialogFixture().set("c@h", "", "abcd").fromCaller(new DialogKey()),
        };
        for (final DialogKey other : others)
        {
            assertNotEquals(base.high(), other.high());
            assertNotEquals(base.low(), other.low());
        }
    }

    @Test
    void shouldGiveSameKeyWhenBufferIsHeapOrDirect()
    {
        fixture.set("call@host", "from", "to");
        final DialogKey direct = fixture.fromCaller(new DialogKey());
        final byte[] bytes = new byte[64];
        final UnsafeBuffer heap = new UnsafeBuffer(bytes, 3, 40);
        heap.putBytes(0, fixture.message, fixture.callIdOffset, 9);
        heap.putBytes(9, fixture.message, fixture.fromTagOffset, 4);
        heap.putBytes(13, fixture.message, fixture.toTagOffset, 2);
        final DialogKey fromHeap = new DialogKey().set(heap, 0, 9, 13, 2, 9, 4);
        assertEquals(direct.high(), fromHeap.high());
        assertEquals(direct.low(), fromHeap.low());
    }

    @Test
    void shouldMatchRecordWhenTagsAreInEitherOrder()
    {
        fixture.set("call@host", "from", "to");
        final DialogFlyweight record = fixture.fill(DialogFixture.newRecord(), DialogState.EARLY);
        assertTrue(fixture.fromCaller(new DialogKey()).matches(record));
        assertTrue(fixture.fromCallee(new DialogKey()).matches(record));
        assertFalse(new DialogFixture().set("call@host", "from", "t0").fromCaller(new DialogKey()).matches(record));
        assertFalse(new DialogFixture().set("call@hos", "from", "to").fromCaller(new DialogKey()).matches(record));
    }

    @Test
    void shouldGiveSameKeyWhenBuiltFromStoredRecord()
    {
        fixture.set("call@host", "from", "to");
        final DialogKey key = fixture.fromCallee(new DialogKey());
        final DialogFlyweight record = fixture.fill(DialogFixture.newRecord(), DialogState.EARLY);
        final DialogKey fromRecord = new DialogKey().set(record);
        assertEquals(key.high(), fromRecord.high());
        assertEquals(key.low(), fromRecord.low());
        assertTrue(fromRecord.matches(record));
    }
}
