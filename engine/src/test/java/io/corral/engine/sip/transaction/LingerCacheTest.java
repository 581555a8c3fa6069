package io.corral.engine.sip.transaction;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LingerCacheTest
{
    private static final long REMOTE = 0x0A00_0001_13C4L;
    private static final UnsafeBuffer NO_TAG = new UnsafeBuffer(new byte[0]);

    private LingerCache cache;

    @AfterEach
    void close()
    {
        if (cache != null)
        {
            cache.close();
        }
    }

    @Test
    void shouldFindWhatWasPutWithItsStateAndMessageUntilItExpires()
    {
        cache = new LingerCache(4096, 16);
        final UnsafeBuffer key = bytes("Sz9hG4bK1\0host\0INVITE");
        final UnsafeBuffer message = bytes("SIP/2.0 200 OK\r\n\r\n");
        assertTrue(put(key, 7, TransactionState.NON_INVITE_SERVER, TransactionState.COMPLETED, message, 1_000, 0));

        final int entry = find(key, 7, 999);
        assertNotEquals(LingerCache.NONE, entry);
        assertEquals(TransactionState.NON_INVITE_SERVER, cache.kind(entry));
        assertEquals(TransactionState.COMPLETED, cache.state(entry));
        assertEquals(REMOTE, cache.remoteId(entry));
        assertEquals(1, cache.transport(entry));
        assertEquals(42, cache.connectionId(entry));
        assertEquals(1_000, cache.expiryMs(entry));
        assertEquals("SIP/2.0 200 OK\r\n\r\n", string(cache.buffer(), cache.messageOffset(entry),
            cache.messageLength(entry)));
        assertEquals(LingerCache.NONE, find(key, 7, 1_000), "expired, even before the sweep");
        assertEquals(1, cache.entryCount());
        assertEquals(0, cache.sweep(999, 10));
        assertEquals(1, cache.sweep(1_000, 10));
        assertEquals(0, cache.entryCount());
        assertEquals(0, cache.usedBytes());
        assertEquals(0, cache.droppedCount());
    }

    @Test
    void shouldConfirmKeyBytesWhenHashesCollide()
    {
        cache = new LingerCache(4096, 16);
        final UnsafeBuffer a = bytes("Sz9hG4bKa\0host\0BYE");
        final UnsafeBuffer b = bytes("Sz9hG4bKb\0host\0BYE");
        final UnsafeBuffer c = bytes("Sz9hG4bKc\0host\0BYE");
        put(a, 5, TransactionState.NON_INVITE_SERVER, TransactionState.COMPLETED, bytes("A"), 100, 0);
        put(b, 5, TransactionState.INVITE_SERVER, TransactionState.ACCEPTED, bytes("B"), 200, 0);

        assertEquals("A", messageOf(find(a, 5, 0)));
        assertEquals("B", messageOf(find(b, 5, 0)));
        assertEquals(LingerCache.NONE, find(c, 5, 0), "same hash, other key");
        assertEquals(LingerCache.NONE, find(a, 6, 0), "same key under another hash");
        assertEquals(1, cache.sweep(100, 10));
        assertEquals(LingerCache.NONE, find(a, 5, 0));
        assertEquals("B", messageOf(find(b, 5, 0)), "removal keeps the colliding entry reachable");
    }

    @Test
    void shouldCompareRequestToTagOnlyForLegacyKeys()
    {
        cache = new LingerCache(4096, 16);
        final UnsafeBuffer key = bytes("Lsip:bob@b\0f1\0call\0");
        final UnsafeBuffer tag = bytes("t1");
        cache.put(9, key, 0, key.capacity(), tag, 0, 2, TransactionState.INVITE_SERVER, TransactionState.ACCEPTED,
            REMOTE, 1, 0, null, 0, 0, 100, 0);

        assertNotEquals(LingerCache.NONE, cache.find(9, key, 0, key.capacity(), true, tag, 0, 2, 0));
        assertEquals(LingerCache.NONE, cache.find(9, key, 0, key.capacity(), true, bytes("t2"), 0, 2, 0));
        assertEquals(LingerCache.NONE, cache.find(9, key, 0, key.capacity(), true, NO_TAG, 0, 0, 0));
        assertEquals(0, cache.messageLength(cache.find(9, key, 0, key.capacity(), true, tag, 0, 2, 0)));
    }

    @Test
    void shouldWrapAroundTheRingWithPaddingAndKeepEveryLiveEntry()
    {
        cache = new LingerCache(4096, 64);
        final UnsafeBuffer message = bytes("x".repeat(150));
        for (int i = 0; i < 200; i++)
        {
            final UnsafeBuffer key = bytes("Sz9hG4bK" + i);
            assertTrue(put(key, i, TransactionState.NON_INVITE_SERVER, TransactionState.COMPLETED, message, i + 10, i));
            cache.sweep(i, 100);
            assertEquals(150, cache.messageLength(find(key, i, i)), "entry " + i);
            for (int live = Math.max(0, i - 9); live <= i; live++)
            {
                assertNotEquals(LingerCache.NONE, find(bytes("Sz9hG4bK" + live), live, i), live + " at " + i);
            }
            assertTrue(cache.usedBytes() <= 4096);
        }
        assertEquals(0, cache.droppedCount(), "10 live entries of 216 bytes fit 4 KiB");
    }

    @Test
    void shouldDropOldestEarlyAndCountWhenRingIsFull()
    {
        cache = new LingerCache(4096, 64);
        final UnsafeBuffer message = bytes("x".repeat(400));
        for (int i = 0; i < 20; i++)
        {
            put(bytes("Sz9hG4bK" + i), i, TransactionState.NON_INVITE_SERVER, TransactionState.COMPLETED, message,
                32_000, 0);
        }
        assertTrue(cache.droppedCount() > 0);
        assertEquals(20, cache.entryCount() + cache.droppedCount());
        assertEquals(LingerCache.NONE, find(bytes("Sz9hG4bK0"), 0, 0), "the oldest went first");
        assertNotEquals(LingerCache.NONE, find(bytes("Sz9hG4bK19"), 19, 0));
    }

    @Test
    void shouldDropOldestWhenIndexIsFull()
    {
        cache = new LingerCache(1 << 16, 16);
        for (int i = 0; i < 17; i++)
        {
            put(bytes("C" + i), i, TransactionState.INVITE_CLIENT, TransactionState.ACCEPTED, null, 32_000, 0);
        }
        assertEquals(16, cache.entryCount());
        assertEquals(1, cache.droppedCount());
        assertEquals(LingerCache.NONE, find(bytes("C0"), 0, 0));
        assertNotEquals(LingerCache.NONE, find(bytes("C16"), 16, 0));
    }

    @Test
    void shouldRefuseAnEntryLargerThanAQuarterOfTheRing()
    {
        cache = new LingerCache(4096, 16);
        assertFalse(put(bytes("k"), 1, TransactionState.NON_INVITE_SERVER, TransactionState.COMPLETED,
            bytes("x".repeat(1100)), 100, 0));
        assertEquals(0, cache.entryCount());
    }

    @Test
    void shouldMatchAModelUnderRandomPutsSweepsAndCollisions()
    {
        cache = new LingerCache(1 << 14, 128);
        final Random random = new Random(17);
        final Map<String, Long> expiries = new HashMap<>();
        long nowMs = 0;
        for (int i = 0; i < 20_000; i++)
        {
            nowMs += random.nextInt(3);
            final String key = "S" + random.nextInt(400);
            final long hash = key.hashCode() & 7;
            if (random.nextBoolean() && (!expiries.containsKey(key) || expiries.get(key) <= nowMs))
            {
                final long expiryMs = nowMs + 1 + random.nextInt(60);
                put(bytes(key), hash, TransactionState.NON_INVITE_CLIENT, TransactionState.COMPLETED, null, expiryMs,
                    nowMs);
                expiries.put(key, expiryMs);
            }
            cache.sweep(nowMs, random.nextInt(4));
            final boolean found = find(bytes(key), hash, nowMs) != LingerCache.NONE;
            final Long expiryMs = expiries.get(key);
            if (found)
            {
                assertTrue(expiryMs != null && expiryMs > nowMs, key);
            }
            else if (expiryMs != null && expiryMs > nowMs)
            {
                assertTrue(cache.droppedCount() > 0, key + " missing with nothing dropped");
            }
        }
        assertEquals(0, cache.droppedCount(), "short expiries leave room for all of them");
    }

    private boolean put(
        final UnsafeBuffer key,
        final long hash,
        final int kind,
        final int state,
        final UnsafeBuffer message,
        final long expiryMs,
        final long nowMs)
    {
        return cache.put(hash, key, 0, key.capacity(), NO_TAG, 0, 0, kind, state, REMOTE, 1, 42, message, 0,
            message == null ? 0 : message.capacity(), expiryMs, nowMs);
    }

    private int find(final UnsafeBuffer key, final long hash, final long nowMs)
    {
        return cache.find(hash, key, 0, key.capacity(), false, NO_TAG, 0, 0, nowMs);
    }

    private String messageOf(final int entry)
    {
        return string(cache.buffer(), cache.messageOffset(entry), cache.messageLength(entry));
    }

    private static UnsafeBuffer bytes(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String string(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
