package io.corral.engine.sip.transaction;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The preallocated pool of transaction records of one {@link TransactionLayer}: parallel primitive arrays indexed
 * by record number (no object per transaction), a free list, a key slot per record and the matching index, and
 * a message slot per record that keeps one: the exact bytes a retransmission resends.
 * <pre>
 *  key slot (KEY_SLOT_BYTES, or one of the fewer KEY_BYTES ones):  | key bytes | RFC 2543 only: request To tag |
 *                                                                   | response To tag |
 *  message slot (small, standard or large, the smallest that fits): | last message sent |
 * </pre>
 * Keys and messages live in {@link SlotPool}s apart from the records, so a record costs a few hundred bytes and
 * the long-lived states that keep no message (Accepted, Confirmed, a Completed non-INVITE client) or a short one (a
 * Completed non-INVITE server's final response, a Completed INVITE client's ACK) hold no slot sized for an INVITE.
 * The index maps a 64-bit hash of the key bytes to the first record of a chain ({@link #next}); {@link #find}
 * compares the stored key bytes of every candidate, so a hash collision never mis-matches.
 * A record's id is {@code generation << 32 | record}, so ids kept after the record was reused are refused.
 * Single-threaded, package-private: the state machines in {@link TransactionLayer} own it.
 */
final class TransactionTable
{
    /** Longest key with its RFC 2543 To tags: the size of a long key slot. */
    static final int KEY_BYTES = 512;
    /** Bytes of a record's own key slot: an RFC 3261 key (branch, sent-by, method) fits. */
    static final int KEY_SLOT_BYTES = 128;
    /** One record in this many can hold a key longer than {@link #KEY_SLOT_BYTES} (RFC 2543 keys, long branches). */
    static final int LONG_KEY_SHARE = 16;
    /** Size of a shared large message slot. */
    static final int LARGE_SLOT_BYTES = 65536;
    /** Longest To tag kept for RFC 2543 matching. */
    static final int MAX_TAG_BYTES = 128;
    /** Missing value of the maps and of a record's timer ids. */
    static final long MISSING = -1;

    final int capacity;
    final int[] state;
    /** Live records by state, kept as states change so that counting them costs nothing. */
    final long[] stateCounts = new long[TransactionState.ACCEPTED + 1];
    final int[] kind;
    final int[] generation;
    final int[] transport;
    final int[] next;
    final int[] keyLength;
    final int[] requestTagLength;
    final int[] responseTagLength;
    final int[] messageLength;
    final int[] keySlot;
    final int[] messageSlot;
    final int[] lastStatus;
    final long[] remoteId;
    final long[] connectionId;
    final long[] keyHash;
    final long[] retransmitTimerId;
    final long[] lifetimeTimerId;
    final long[] intervalMs;
    /** The lifetime timer a record entering a linger state waits for, and when it is due (see TransactionLayer). */
    final int[] lingerTimer;
    final long[] lingerUntilMs;
    int activeCount;

    private final KeyHasher hasher;
    private final int[] free;
    private int freeCount;
    private final SlotPool keys;
    private final SlotPool messages;
    private final UnsafeBuffer keyScratch = new UnsafeBuffer(new byte[KEY_BYTES]);
    private int keyScratchLength;
    private boolean keyOverflow;
    private final Long2LongHashMap index;

    /**
     * @param settings the record capacity and the message slot classes; no class has more slots than records.
     * @param hasher   of the key bytes.
     */
    TransactionTable(final TransactionSettings settings, final KeyHasher hasher)
    {
        capacity = settings.capacity();
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
        keySlot = new int[capacity];
        messageSlot = new int[capacity];
        lastStatus = new int[capacity];
        remoteId = new long[capacity];
        connectionId = new long[capacity];
        keyHash = new long[capacity];
        retransmitTimerId = new long[capacity];
        lifetimeTimerId = new long[capacity];
        intervalMs = new long[capacity];
        lingerTimer = new int[capacity];
        lingerUntilMs = new long[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[i] = capacity - 1 - i;
            keySlot[i] = SlotPool.NONE;
            messageSlot[i] = SlotPool.NONE;
            retransmitTimerId[i] = MISSING;
            lifetimeTimerId[i] = MISSING;
        }
        freeCount = capacity;
        keys = new SlotPool(
            new int[]{KEY_SLOT_BYTES, KEY_BYTES},
            new int[]{capacity, Math.max(1, capacity / LONG_KEY_SHARE)});
        messages = new SlotPool(
            new int[]{settings.smallSlotBytes(), settings.slotBytes(), LARGE_SLOT_BYTES},
            new int[]{Math.min(capacity, settings.smallSlots()), Math.min(capacity, settings.slots()),
                Math.min(capacity, settings.largeSlots())});
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

    UnsafeBuffer keyScratch()
    {
        return keyScratch;
    }

    long scratchKeyHash()
    {
        return hasher.hash(keyScratch, 0, keyScratchLength);
    }

    void putRequestTag(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = keySlot[rec];
        keys.buffer(slot).putBytes(keys.offset(slot) + keyLength[rec], buffer, offset, length);
        requestTagLength[rec] = length;
    }

    /**
     * An RFC 2543 record's key slot has room for a tag of {@link #MAX_TAG_BYTES} (see {@link #link}).
     */
    void putResponseTag(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = keySlot[rec];
        keys.buffer(slot).putBytes(keys.offset(slot) + keyLength[rec] + requestTagLength[rec], buffer, offset, length);
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
            final int slot = keySlot[rec];
            if (keyHash[rec] == hash &&
                SipBytes.rangesEqualExact(keys.buffer(slot), keys.offset(slot), keyLength[rec], keyScratch, 0,
                keyScratchLength) &&
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
        final int at = keys.offset(keySlot[rec]) + keyLength[rec] + (ack ? requestTagLength[rec] : 0);
        return SipBytes.rangesEqualExact(keys.buffer(keySlot[rec]), at, stored, tagBuffer, tagOffset, tagLength);
    }

    UnsafeBuffer keyBuffer(final int rec)
    {
        return keys.buffer(keySlot[rec]);
    }

    /**
     * @return where the record's key starts in {@link #keyBuffer}; an RFC 2543 record's request To tag follows it.
     */
    int keyOffset(final int rec)
    {
        return keys.offset(keySlot[rec]);
    }

    byte keyHeadByte(final int rec)
    {
        return keys.buffer(keySlot[rec]).getByte(keys.offset(keySlot[rec]));
    }

    /**
     * Keep the scratch key in a key slot with {@code tagRoom} bytes to spare and index the record under it.
     *
     * @return false when no key slot that fits is free (the record is not indexed).
     */
    boolean link(final int rec, final long hash, final int tagRoom)
    {
        final int slot = keys.allocate(keyScratchLength + tagRoom);
        if (slot == SlotPool.NONE)
        {
            return false;
        }
        keySlot[rec] = slot;
        keys.buffer(slot).putBytes(keys.offset(slot), keyScratch, 0, keyScratchLength);
        keyLength[rec] = keyScratchLength;
        keyHash[rec] = hash;
        final long head = index.get(hash);
        next[rec] = (int)head;
        index.put(hash, rec);
        return true;
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
        stateCounts[TransactionState.NONE]++;
        activeCount++;
        return rec;
    }

    /**
     * Move a live record to {@code newState}.
     */
    void state(final int rec, final int newState)
    {
        stateCounts[state[rec]]--;
        stateCounts[newState]++;
        state[rec] = newState;
    }

    void free(final int rec)
    {
        stateCounts[state[rec]]--;
        dropMessage(rec);
        if (keySlot[rec] != SlotPool.NONE)
        {
            keys.free(keySlot[rec]);
            keySlot[rec] = SlotPool.NONE;
        }
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

    /**
     * Keep a copy of the message in the smallest free slot it fits, giving back the one the record held; the
     * record's own slot is overwritten in place when it is of the smallest class that fits or nothing else is free.
     *
     * @return false when no slot holds it (the record then keeps nothing).
     */
    boolean store(final int rec, final DirectBuffer buffer, final int offset, final int length)
    {
        final int held = messageSlot[rec];
        int slot = held;
        if (held == SlotPool.NONE || SlotPool.sizeClass(held) != messages.classFor(length))
        {
            slot = messages.allocate(length);
            if (slot == SlotPool.NONE)
            {
                if (held == SlotPool.NONE || messages.slotBytes(held) < length)
                {
                    dropMessage(rec);
                    return false;
                }
                slot = held;
            }
        }
        messages.buffer(slot).putBytes(messages.offset(slot), buffer, offset, length);
        if (slot != held && held != SlotPool.NONE)
        {
            messages.free(held);
        }
        messageSlot[rec] = slot;
        messageLength[rec] = length;
        return true;
    }

    void dropMessage(final int rec)
    {
        messageLength[rec] = 0;
        if (messageSlot[rec] != SlotPool.NONE)
        {
            messages.free(messageSlot[rec]);
            messageSlot[rec] = SlotPool.NONE;
        }
    }

    UnsafeBuffer messageBuffer(final int rec)
    {
        return messages.buffer(messageSlot[rec]);
    }

    int messageOffset(final int rec)
    {
        return messages.offset(messageSlot[rec]);
    }

    /**
     * @return the message slots, for occupancy figures and tests.
     */
    SlotPool messages()
    {
        return messages;
    }

    /**
     * @return the key slots, for occupancy figures and tests.
     */
    SlotPool keys()
    {
        return keys;
    }
}
