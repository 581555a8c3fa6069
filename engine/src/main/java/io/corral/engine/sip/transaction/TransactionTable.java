package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The preallocated pool of transaction records of one {@link TransactionLayer}: parallel primitive arrays indexed
 * by record number (no object per transaction), a free list, a key slot per record and the matching index, and
 * the message slab holding the exact bytes a retransmission resends.
 * <pre>
 *  key slot (KEY_BYTES per record):  | key bytes | request To tag | response To tag | (RFC 2543 tags only) |
 *  message slot (slot bytes each):   | last message sent (or the large slot it borrowed)              |
 * </pre>
 * The index maps a 64-bit hash of the key bytes to the first record of a chain ({@link #next}); {@link #find}
 * compares the stored key bytes of every candidate, so a hash collision never mis-matches.
 * A record's id is {@code generation << 32 | record}, so ids kept after the record was reused are refused.
 * Single-threaded, package-private: the state machines in {@link TransactionLayer} own it.
 */
final class TransactionTable
{
    /** Bytes of a record's key slot: the matching key and the RFC 2543 To tags. */
    static final int KEY_BYTES = 512;
    /** Size of a shared large message slot. */
    static final int LARGE_SLOT_BYTES = 65536;
    /** Longest To tag kept for RFC 2543 matching. */
    static final int MAX_TAG_BYTES = 128;
    /** Missing value of the maps and of a record's timer ids. */
    static final long MISSING = -1;

    final int capacity;
    final int slotBytes;
    final int[] state;
    final int[] kind;
    final int[] generation;
    final int[] transport;
    final int[] next;
    final int[] keyLength;
    final int[] requestTagLength;
    final int[] responseTagLength;
    final int[] messageLength;
    final int[] largeSlot;
    final int[] lastStatus;
    final long[] remoteId;
    final long[] connectionId;
    final long[] keyHash;
    final long[] retransmitTimerId;
    final long[] lifetimeTimerId;
    final long[] intervalMs;
    int activeCount;

    private final KeyHasher hasher;
    private final int[] free;
    private int freeCount;
    private final int[] freeLarge;
    private int freeLargeCount;
    private final UnsafeBuffer keySlab;
    private final UnsafeBuffer messageSlab;
    private final UnsafeBuffer largeSlab;
    private final UnsafeBuffer keyScratch = new UnsafeBuffer(new byte[KEY_BYTES]);
    private int keyScratchLength;
    private boolean keyOverflow;
    private final Long2LongHashMap index;

    TransactionTable(final int capacity, final int slotBytes, final int largeSlots, final KeyHasher hasher)
    {
        this.capacity = capacity;
        this.slotBytes = slotBytes;
        this.hasher = hasher;
        state = new int[capacity];
        kind = new int[capacity];
        generation = new int[capacity];
        transport = new int[capacity];
        next = new int[capacity];
        keyLength = new int[capacity];
        requestTagLength = new int[capacity];
        responseTagLength = new int[capacity];
        messageLength = new int[capacity];
        largeSlot = new int[capacity];
        lastStatus = new int[capacity];
        remoteId = new long[capacity];
        connectionId = new long[capacity];
        keyHash = new long[capacity];
        retransmitTimerId = new long[capacity];
        lifetimeTimerId = new long[capacity];
        intervalMs = new long[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[i] = capacity - 1 - i;
            largeSlot[i] = -1;
            retransmitTimerId[i] = MISSING;
            lifetimeTimerId[i] = MISSING;
        }
        freeCount = capacity;
        freeLarge = new int[largeSlots];
        for (int i = 0; i < largeSlots; i++)
        {
            freeLarge[i] = largeSlots - 1 - i;
        }
        freeLargeCount = largeSlots;
        keySlab = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * KEY_BYTES));
        messageSlab = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * slotBytes));
        largeSlab = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, largeSlots) * LARGE_SLOT_BYTES));
        index = new Long2LongHashMap(capacity * 2, 0.65f, MISSING);
    }

    void resetKey()
    {
        keyScratchLength = 0;
        keyOverflow = false;
    }

    boolean keyOverflow()
    {
        return keyOverflow;
    }

    int keyScratchLength()
    {
        return keyScratchLength;
    }

    long scratchKeyHash()
    {
        return hasher.hash(keyScratch, 0, keyScratchLength);
    }

    void putRequestTag(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        keySlab.putBytes(rec * KEY_BYTES + keyLength[rec], buffer, offset, length);
        requestTagLength[rec] = length;
    }

    void putResponseTag(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        keySlab.putBytes(rec * KEY_BYTES + keyLength[rec] + requestTagLength[rec], buffer, offset, length);
        responseTagLength[rec] = length;
    }

    void putByte(final byte b)
    {
        if (keyScratchLength < KEY_BYTES)
        {
            keyScratch.putByte(keyScratchLength++, b);
        }
        else
        {
            keyOverflow = true;
        }
    }

    void putInt(final int value)
    {
        if (keyScratchLength + 4 <= KEY_BYTES)
        {
            keyScratch.putInt(keyScratchLength, value);
            keyScratchLength += 4;
        }
        else
        {
            keyOverflow = true;
        }
    }

    void putLong(final long value)
    {
        if (keyScratchLength + 8 <= KEY_BYTES)
        {
            keyScratch.putLong(keyScratchLength, value);
            keyScratchLength += 8;
        }
        else
        {
            keyOverflow = true;
        }
    }

    void putBytes(final DirectBuffer src, final int offset, final int length)
    {
        if (keyScratchLength + length <= KEY_BYTES)
        {
            keyScratch.putBytes(keyScratchLength, src, offset, length);
            keyScratchLength += length;
        }
        else
        {
            keyOverflow = true;
        }
    }

    void putBytes(final byte[] src)
    {
        if (keyScratchLength + src.length <= KEY_BYTES)
        {
            keyScratch.putBytes(keyScratchLength, src);
            keyScratchLength += src.length;
        }
        else
        {
            keyOverflow = true;
        }
    }

    void putLowerCase(final DirectBuffer src, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = src.getByte(offset + i);
            putByte(b >= 'A' && b <= 'Z' ? (byte)(b + ('a' - 'A')) : b);
        }
    }

    /**
     * Walk the chain of the key's hash and compare key bytes; RFC 2543 keys also compare the To tag, of the
     * request that created the transaction, or for an ACK of the response it sent.
     */
    int find(
        final long hash,
        final boolean legacy,
        final boolean ack,
        final DirectBuffer tagBuffer,
        final int tagOffset,
        final int tagLength)
    {
        int rec = (int)index.get(hash);
        while (rec >= 0)
        {
            if (keyHash[rec] == hash &&
                SipBytes.rangesEqualExact(keySlab, rec * KEY_BYTES, keyLength[rec], keyScratch, 0, keyScratchLength) &&
                (!legacy || tagMatches(rec, ack, tagBuffer, tagOffset, tagLength)))
            {
                return rec;
            }
            rec = next[rec];
        }
        return -1;
    }

    boolean tagMatches(
        final int rec, final boolean ack, final DirectBuffer tagBuffer, final int tagOffset, final int tagLength)
    {
        final int stored = ack ? responseTagLength[rec] : requestTagLength[rec];
        if (stored != tagLength)
        {
            return false;
        }
        final int at = rec * KEY_BYTES + keyLength[rec] + (ack ? requestTagLength[rec] : 0);
        return SipBytes.rangesEqualExact(keySlab, at, stored, tagBuffer, tagOffset, tagLength);
    }

    byte keyHeadByte(final int rec)
    {
        return keySlab.getByte(rec * KEY_BYTES);
    }

    void link(final int rec, final long hash)
    {
        keySlab.putBytes(rec * KEY_BYTES, keyScratch, 0, keyScratchLength);
        keyLength[rec] = keyScratchLength;
        keyHash[rec] = hash;
        final long head = index.get(hash);
        next[rec] = (int)head;
        index.put(hash, rec);
    }

    void unlink(final int rec)
    {
        final long hash = keyHash[rec];
        int current = (int)index.get(hash);
        int previous = -1;
        while (current >= 0 && current != rec)
        {
            previous = current;
            current = next[current];
        }
        if (current != rec)
        {
            return;
        }
        if (previous >= 0)
        {
            next[previous] = next[rec];
        }
        else if (next[rec] >= 0)
        {
            index.put(hash, next[rec]);
        }
        else
        {
            index.remove(hash);
        }
        next[rec] = -1;
    }

    int allocate(final int kind, final long remoteId, final int transport, final long connectionId)
    {
        if (freeCount == 0)
        {
            return -1;
        }
        final int rec = free[--freeCount];
        generation[rec] = (generation[rec] + 1) & 0x7FFF_FFFF;
        this.kind[rec] = kind;
        this.remoteId[rec] = remoteId;
        this.transport[rec] = transport;
        this.connectionId[rec] = connectionId;
        next[rec] = -1;
        keyLength[rec] = 0;
        requestTagLength[rec] = 0;
        responseTagLength[rec] = 0;
        messageLength[rec] = 0;
        lastStatus[rec] = 0;
        intervalMs[rec] = 0;
        state[rec] = TransactionState.NONE;
        activeCount++;
        return rec;
    }

    void free(final int rec)
    {
        dropMessage(rec);
        state[rec] = TransactionState.NONE;
        kind[rec] = TransactionState.NONE;
        free[freeCount++] = rec;
        activeCount--;
    }

    long id(final int rec)
    {
        return ((long)generation[rec] << 32) | rec;
    }

    int resolve(final long txId)
    {
        if (txId < 0)
        {
            return -1;
        }
        final int rec = (int)(txId & 0xFFFF_FFFFL);
        if (rec >= capacity || state[rec] == TransactionState.NONE || generation[rec] != (int)(txId >>> 32))
        {
            return -1;
        }
        return rec;
    }

    boolean store(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= slotBytes)
        {
            releaseLarge(rec);
            messageSlab.putBytes(rec * slotBytes, buffer, offset, length);
            messageLength[rec] = length;
            return true;
        }
        if (length > LARGE_SLOT_BYTES || (largeSlot[rec] < 0 && freeLargeCount == 0))
        {
            dropMessage(rec);
            return false;
        }
        if (largeSlot[rec] < 0)
        {
            largeSlot[rec] = freeLarge[--freeLargeCount];
        }
        largeSlab.putBytes(largeSlot[rec] * LARGE_SLOT_BYTES, buffer, offset, length);
        messageLength[rec] = length;
        return true;
    }

    void dropMessage(final int rec)
    {
        messageLength[rec] = 0;
        releaseLarge(rec);
    }

    void releaseLarge(final int rec)
    {
        if (largeSlot[rec] >= 0)
        {
            freeLarge[freeLargeCount++] = largeSlot[rec];
            largeSlot[rec] = -1;
        }
    }

    UnsafeBuffer messageBuffer(final int rec)
    {
        return largeSlot[rec] >= 0 ? largeSlab : messageSlab;
    }

    int messageOffset(final int rec)
    {
        return largeSlot[rec] >= 0 ? largeSlot[rec] * LARGE_SLOT_BYTES : rec * slotBytes;
    }
}
