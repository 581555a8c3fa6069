package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The compact store of transactions whose only remaining duty is to absorb or answer retransmissions until their
 * timer fires (RFC 6026 Accepted, timers L and M; a Completed non-INVITE server, J; a Completed non-INVITE client,
 * K; a Completed INVITE client, D): an append-only ring of variable-length entries in native memory, oldest first,
 * and an open-addressing index from the key's hash to the entry's offset in the ring.
 * <pre>
 *  entry (8-byte aligned):
 *   0                   4      5       6          7           8            12              16
 *   | length (int)      | kind | state | transport| tag length| key length | message length|
 *   16 expiry ms (long) | 24 key hash (long) | 32 remote id (long) | 40 connection id (long) |
 *   48 key bytes | RFC 2543 request To tag | message to resend (final response to a non-INVITE, or an ACK) |
 *  padding to the ring's end: | -(bytes to the end) (int) |
 *
 *  index slot (long): | key hash bits 32-63 | ring offset + 1 |     0 = empty; home slot = hash bits 32-63 & mask
 * </pre>
 * Entries of one kind share one linger time, so ring order is close to expiry order: the sweep advances the tail
 * over expired entries, with no timer per transaction; an entry whose expiry passed but is not yet swept (a shorter
 * linger behind a longer one) no longer matches. When the ring or the index is full the oldest entries are dropped
 * early, and counted. A match compares the stored key bytes, so a hash collision never mis-matches; removal shifts
 * the probe sequence back (linear probing without tombstones). The ring's pages are taken from the OS as the ring
 * first fills (native memory, not zeroed), so an idle member does not pay for its full size.
 * Single-threaded; nothing is allocated after construction; {@link #close()} frees the ring.
 */
final class LingerCache implements AutoCloseable
{
    /** Bytes of an entry's header. */
    static final int HEADER_BYTES = 48;
    /** {@link #find} result when nothing matches. */
    static final int NONE = -1;

    private static final int LENGTH_OFFSET = 0;
    private static final int KIND_OFFSET = 4;
    private static final int STATE_OFFSET = 5;
    private static final int TRANSPORT_OFFSET = 6;
    private static final int TAG_LENGTH_OFFSET = 7;
    private static final int KEY_LENGTH_OFFSET = 8;
    private static final int MESSAGE_LENGTH_OFFSET = 12;
    private static final int EXPIRY_OFFSET = 16;
    private static final int HASH_OFFSET = 24;
    private static final int REMOTE_OFFSET = 32;
    private static final int CONNECTION_OFFSET = 40;
    private static final long EMPTY = 0;

    private final int capacityBytes;
    private final int maxEntries;
    private final int maxEntryBytes;
    private final long[] index;
    private final int mask;
    private final UnsafeBuffer ring;
    private long address;
    private long head;
    private long tail;
    private int entryCount;
    private long droppedCount;

    /**
     * @param capacityBytes of the ring, a power of two from 4096 to 2^30.
     * @param maxEntries    entries at most, a power of two (the index has twice as many slots).
     */
    LingerCache(final int capacityBytes, final int maxEntries)
    {
        if (!BitUtil.isPowerOfTwo(capacityBytes) || capacityBytes < 4096 || capacityBytes > (1 << 30) ||
            !BitUtil.isPowerOfTwo(maxEntries) || maxEntries > (1 << 28))
        {
            throw new IllegalArgumentException(
                "linger ring of " + capacityBytes + " bytes, " + maxEntries + " entries: need powers of two, " +
                "4096 to 2^30 bytes, at most 2^28 entries");
        }
        this.capacityBytes = capacityBytes;
        this.maxEntries = maxEntries;
        maxEntryBytes = capacityBytes / 4;
        index = new long[maxEntries * 2];
        mask = index.length - 1;
        address = UnsafeApi.allocateMemory(capacityBytes);
        ring = new UnsafeBuffer(address, capacityBytes);
    }

    /**
     * Keep a transaction, dropping the oldest entries while there is no room.
     *
     * @return false when the entry is too large for this ring (nothing kept, nothing dropped).
     */
    boolean put(
        final long hash,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer tag,
        final int tagOffset,
        final int tagLength,
        final int kind,
        final int state,
        final long remoteId,
        final int transport,
        final long connectionId,
        final DirectBuffer message,
        final int messageOffset,
        final int messageLength,
        final long expiryMs,
        final long nowMs)
    {
        final int length = HEADER_BYTES + keyLength + tagLength + messageLength;
        final int aligned = BitUtil.align(length, 8);
        if (aligned > maxEntryBytes || tagLength > 255 || transport > 127)
        {
            return false;
        }
        int offset = (int)(head & (capacityBytes - 1));
        final int toEnd = capacityBytes - offset;
        final long required = aligned + (toEnd < aligned ? toEnd : 0);
        while (capacityBytes - (head - tail) < required || entryCount >= maxEntries)
        {
            dropOldest(nowMs);
        }
        if (toEnd < aligned)
        {
            ring.putInt(offset + LENGTH_OFFSET, -toEnd);
            head += toEnd;
            offset = 0;
        }
        ring.putInt(offset + LENGTH_OFFSET, length);
        ring.putByte(offset + KIND_OFFSET, (byte)kind);
        ring.putByte(offset + STATE_OFFSET, (byte)state);
        ring.putByte(offset + TRANSPORT_OFFSET, (byte)transport);
        ring.putByte(offset + TAG_LENGTH_OFFSET, (byte)tagLength);
        ring.putInt(offset + KEY_LENGTH_OFFSET, keyLength);
        ring.putInt(offset + MESSAGE_LENGTH_OFFSET, messageLength);
        ring.putLong(offset + EXPIRY_OFFSET, expiryMs);
        ring.putLong(offset + HASH_OFFSET, hash);
        ring.putLong(offset + REMOTE_OFFSET, remoteId);
        ring.putLong(offset + CONNECTION_OFFSET, connectionId);
        int at = offset + HEADER_BYTES;
        ring.putBytes(at, key, keyOffset, keyLength);
        at += keyLength;
        if (tagLength > 0)
        {
            ring.putBytes(at, tag, tagOffset, tagLength);
            at += tagLength;
        }
        if (messageLength > 0)
        {
            ring.putBytes(at, message, messageOffset, messageLength);
        }
        head += aligned;
        entryCount++;
        int slot = home(hash);
        while (index[slot] != EMPTY)
        {
            slot = (slot + 1) & mask;
        }
        index[slot] = (hash & 0xFFFF_FFFF_0000_0000L) | (offset + 1);
        return true;
    }

    /**
     * Find the live entry of a key: same hash, same key bytes, for RFC 2543 keys ({@code legacy}) the same request
     * To tag, and not expired.
     *
     * @return the entry's offset for the accessors, or {@link #NONE}.
     */
    int find(
        final long hash,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final boolean legacy,
        final DirectBuffer tag,
        final int tagOffset,
        final int tagLength,
        final long nowMs)
    {
        final long high = hash & 0xFFFF_FFFF_0000_0000L;
        for (int slot = home(hash); index[slot] != EMPTY; slot = (slot + 1) & mask)
        {
            final long value = index[slot];
            if ((value & 0xFFFF_FFFF_0000_0000L) != high)
            {
                continue;
            }
            final int offset = (int)(value & 0xFFFF_FFFFL) - 1;
            if (ring.getLong(offset + HASH_OFFSET) == hash &&
                ring.getInt(offset + KEY_LENGTH_OFFSET) == keyLength &&
                SipBytes.rangesEqualExact(ring, offset + HEADER_BYTES, keyLength, key, keyOffset, keyLength) &&
                (!legacy || tagLength(offset) == tagLength && SipBytes.rangesEqualExact(
                ring, offset + HEADER_BYTES + keyLength, tagLength, tag, tagOffset, tagLength)) &&
                ring.getLong(offset + EXPIRY_OFFSET) > nowMs)
            {
                return offset;
            }
        }
        return NONE;
    }

    /**
     * Drop expired entries from the oldest end, stopping at the first live one.
     *
     * @param nowMs the clock.
     * @param limit most entries dropped by this call.
     * @return entries dropped.
     */
    int sweep(final long nowMs, final int limit)
    {
        int swept = 0;
        while (swept < limit && tail < head)
        {
            final int offset = (int)(tail & (capacityBytes - 1));
            final int length = ring.getInt(offset + LENGTH_OFFSET);
            if (length < 0)
            {
                tail -= length;
                continue;
            }
            if (ring.getLong(offset + EXPIRY_OFFSET) > nowMs)
            {
                break;
            }
            remove(offset, length);
            swept++;
        }
        return swept;
    }

    int kind(final int offset)
    {
        return ring.getByte(offset + KIND_OFFSET);
    }

    int state(final int offset)
    {
        return ring.getByte(offset + STATE_OFFSET);
    }

    int transport(final int offset)
    {
        return ring.getByte(offset + TRANSPORT_OFFSET);
    }

    long remoteId(final int offset)
    {
        return ring.getLong(offset + REMOTE_OFFSET);
    }

    long connectionId(final int offset)
    {
        return ring.getLong(offset + CONNECTION_OFFSET);
    }

    long expiryMs(final int offset)
    {
        return ring.getLong(offset + EXPIRY_OFFSET);
    }

    int messageLength(final int offset)
    {
        return ring.getInt(offset + MESSAGE_LENGTH_OFFSET);
    }

    /**
     * @return where the entry's message starts in {@link #buffer()}.
     */
    int messageOffset(final int offset)
    {
        return offset + HEADER_BYTES + ring.getInt(offset + KEY_LENGTH_OFFSET) + tagLength(offset);
    }

    UnsafeBuffer buffer()
    {
        return ring;
    }

    /**
     * @return entries kept (expired ones not yet swept included).
     */
    int entryCount()
    {
        return entryCount;
    }

    int maxEntries()
    {
        return maxEntries;
    }

    /**
     * @return bytes of the ring in use.
     */
    long usedBytes()
    {
        return head - tail;
    }

    int capacityBytes()
    {
        return capacityBytes;
    }

    /**
     * @return entries dropped before they expired because the ring or the index was full.
     */
    long droppedCount()
    {
        return droppedCount;
    }

    /**
     * Free the ring; nothing matches afterwards.
     */
    public void close()
    {
        if (address != 0)
        {
            Arrays.fill(index, EMPTY);
            entryCount = 0;
            tail = head;
            ring.wrap(new byte[0]);
            UnsafeApi.freeMemory(address);
            address = 0;
        }
    }

    private int home(final long hash)
    {
        return (int)(hash >>> 32) & mask;
    }

    private int tagLength(final int offset)
    {
        return ring.getByte(offset + TAG_LENGTH_OFFSET) & 0xFF;
    }

    private void dropOldest(final long nowMs)
    {
        final int offset = (int)(tail & (capacityBytes - 1));
        final int length = ring.getInt(offset + LENGTH_OFFSET);
        if (length < 0)
        {
            tail -= length;
            return;
        }
        if (ring.getLong(offset + EXPIRY_OFFSET) > nowMs)
        {
            droppedCount++;
        }
        remove(offset, length);
    }

    private void remove(final int offset, final int length)
    {
        final long hash = ring.getLong(offset + HASH_OFFSET);
        final long value = (hash & 0xFFFF_FFFF_0000_0000L) | (offset + 1);
        int hole = home(hash);
        while (index[hole] != value && index[hole] != EMPTY)
        {
            hole = (hole + 1) & mask;
        }
        entryCount--;
        tail += BitUtil.align(length, 8);
        if (index[hole] == EMPTY)
        {
            return;
        }
        for (int slot = (hole + 1) & mask; index[slot] != EMPTY; slot = (slot + 1) & mask)
        {
            final int home = (int)(index[slot] >>> 32) & mask;
            if (((slot - home) & mask) >= ((slot - hole) & mask))
            {
                index[hole] = index[slot];
                hole = slot;
            }
        }
        index[hole] = EMPTY;
    }
}
