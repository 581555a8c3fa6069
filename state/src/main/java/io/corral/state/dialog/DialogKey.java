package io.corral.state.dialog;

import net.openhft.chronicle.algo.hashing.LongHashFunction;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

/**
 * Identity of a dialog, reusable and allocation-free: Call-ID plus the two tags (RFC 3261 §12), matched
 * irrespective of direction.
 *
 * <p>Key choice: the Chronicle Map key is a fixed 16-byte, 128-bit hash of the canonical form
 * (Call-ID, lower tag, higher tag), where the tags are ordered bytewise so a request from the caller (From-tag =
 * caller tag) and one from the callee (tags swapped) give the same key. A fixed-size key keeps the map's lookup a
 * single 16-byte compare with no marshalling and no objects; the hash is two independent seeded 64-bit xxHash
 * (r39) values over the exact bytes, each part hashed separately so no boundary ambiguity exists. Because a hash can
 * collide, the full Call-ID and tags are stored in the value and {@link #matches(DialogFlyweight)} verifies them on
 * every lookup: a colliding different dialog is reported as not found (lookups) or
 * {@link DialogStore#RESULT_KEY_COLLISION} (creates), never confused with ours. Call-IDs and tags longer than their
 * stored capacity are verified on their full wire length and stored prefix, the rest by the 128-bit hash.
 *
 * <p>Call-ID and tags compare case-sensitively, byte for byte (RFC 3261 §19.3, §20.8).
 */
public final class DialogKey
{
    /** Computes one 64-bit half of the key from the three parts, tags already in canonical order. */
    interface Hasher
    {
        /**
         * @param buffer      holding the parts.
         * @param callIdOff   offset of the Call-ID.
         * @param callIdLen   length of the Call-ID.
         * @param lowTagOff   offset of the bytewise lower tag.
         * @param lowTagLen   length of the lower tag.
         * @param highTagOff  offset of the higher tag.
         * @param highTagLen  length of the higher tag.
         * @param seedIndex   0 for the high half, 1 for the low half.
         * @return the hash.
         */
        long hash(
            DirectBuffer buffer,
            int callIdOff,
            int callIdLen,
            int lowTagOff,
            int lowTagLen,
            int highTagOff,
            int highTagLen,
            int seedIndex);
    }

    static final Hasher XX_HASHER = new XxHasher();

    private final Hasher hasher;
    private DirectBuffer buffer;
    private int callIdOffset;
    private int callIdLength;
    private int tagAOffset;
    private int tagALength;
    private int tagBOffset;
    private int tagBLength;
    private long high;
    private long low;

    /**
     * A key using the standard hash.
     */
    public DialogKey()
    {
        this(XX_HASHER);
    }

    DialogKey(final Hasher hasher)
    {
        this.hasher = hasher;
    }

    /**
     * Point the key at a dialog's identity in a buffer (typically the decoded SIP message) and compute its hash.
     * The tags may be given in either order (From/To of a request in either direction). The buffer is referenced,
     * not copied: keep it unchanged while the key is used.
     *
     * @param buffer       holding the three ranges.
     * @param callIdOffset offset of the Call-ID.
     * @param callIdLength length of the Call-ID.
     * @param tagAOffset   offset of one tag (e.g. the From-tag).
     * @param tagALength   length of that tag (0 if absent).
     * @param tagBOffset   offset of the other tag (e.g. the To-tag).
     * @param tagBLength   length of that tag (0 if absent).
     * @return this for fluent use.
     */
    public DialogKey set(
        final DirectBuffer buffer,
        final int callIdOffset,
        final int callIdLength,
        final int tagAOffset,
        final int tagALength,
        final int tagBOffset,
        final int tagBLength)
    {
        this.buffer = buffer;
        this.callIdOffset = callIdOffset;
        this.callIdLength = callIdLength;
        this.tagAOffset = tagAOffset;
        this.tagALength = tagALength;
        this.tagBOffset = tagBOffset;
        this.tagBLength = tagBLength;

        final boolean aFirst = compare(buffer, tagAOffset, tagALength, tagBOffset, tagBLength) <= 0;
        final int lowOff = aFirst ? tagAOffset : tagBOffset;
        final int lowLen = aFirst ? tagALength : tagBLength;
        final int highOff = aFirst ? tagBOffset : tagAOffset;
        final int highLen = aFirst ? tagBLength : tagALength;
        high = hasher.hash(buffer, callIdOffset, callIdLength, lowOff, lowLen, highOff, highLen, 0);
        low = hasher.hash(buffer, callIdOffset, callIdLength, lowOff, lowLen, highOff, highLen, 1);
        return this;
    }

    /**
     * Point the key at the identity stored in a dialog record. For a record whose Call-ID or tags were truncated
     * the hash cannot be recomputed: the stored key is used instead.
     *
     * @param dialog the record.
     * @return this for fluent use.
     */
    public DialogKey set(final DialogFlyweight dialog)
    {
        set(
            dialog.buffer(),
            dialog.callIdOffset(),
            dialog.callIdStoredLength(),
            dialog.tagOffset(DialogFlyweight.CALLER),
            dialog.tagStoredLength(DialogFlyweight.CALLER),
            dialog.tagOffset(DialogFlyweight.CALLEE),
            dialog.tagStoredLength(DialogFlyweight.CALLEE));
        if (isTruncated(dialog))
        {
            high = dialog.keyHigh();
            low = dialog.keyLow();
            callIdLength = dialog.callIdLength();
            tagALength = dialog.tagLength(DialogFlyweight.CALLER);
            tagBLength = dialog.tagLength(DialogFlyweight.CALLEE);
        }
        return this;
    }

    /**
     * @return high 64 bits of the key.
     */
    public long high()
    {
        return high;
    }

    /**
     * @return low 64 bits of the key.
     */
    public long low()
    {
        return low;
    }

    /**
     * Verify that a stored record is this dialog and not a hash collision: Call-ID and both tags (in either order)
     * equal on their wire length and stored bytes.
     *
     * @param dialog the stored record.
     * @return true if the record is this dialog.
     */
    public boolean matches(final DialogFlyweight dialog)
    {
        if (!textEquals(dialog.buffer(), dialog.callIdOffset(), dialog.callIdLength(),
            DialogDescriptor.CALL_ID_CAPACITY, callIdOffset, callIdLength))
        {
            return false;
        }
        return matchesTags(dialog, DialogFlyweight.CALLER, DialogFlyweight.CALLEE) ||
            matchesTags(dialog, DialogFlyweight.CALLEE, DialogFlyweight.CALLER);
    }

    /**
     * @param dialog a record.
     * @return true if the tag A of this key (e.g. the From-tag of the request) is the dialog's caller tag; for a
     * request that tells the direction: true means it comes from the caller.
     */
    public boolean isTagACaller(final DialogFlyweight dialog)
    {
        return textEquals(dialog.buffer(), dialog.tagOffset(DialogFlyweight.CALLER),
            dialog.tagLength(DialogFlyweight.CALLER), DialogDescriptor.TAG_CAPACITY, tagAOffset, tagALength);
    }

    private boolean matchesTags(final DialogFlyweight dialog, final int legA, final int legB)
    {
        return textEquals(dialog.buffer(), dialog.tagOffset(legA), dialog.tagLength(legA),
            DialogDescriptor.TAG_CAPACITY, tagAOffset, tagALength) &&
            textEquals(dialog.buffer(), dialog.tagOffset(legB), dialog.tagLength(legB),
            DialogDescriptor.TAG_CAPACITY, tagBOffset, tagBLength);
    }

    private boolean textEquals(
        final DirectBuffer stored,
        final int storedOffset,
        final int wireLength,
        final int capacity,
        final int keyOffset,
        final int keyLength)
    {
        if (wireLength != keyLength)
        {
            return false;
        }
        final int length = Math.min(keyLength, capacity);
        for (int i = 0; i < length; i++)
        {
            if (stored.getByte(storedOffset + i) != buffer.getByte(keyOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isTruncated(final DialogFlyweight dialog)
    {
        return (dialog.flags() & (DialogDescriptor.FLAG_CALL_ID_TRUNCATED | DialogDescriptor.FLAG_CALLER_TAG_TRUNCATED |
            DialogDescriptor.FLAG_CALLEE_TAG_TRUNCATED)) != 0;
    }

    private static int compare(
        final DirectBuffer buffer, final int aOffset, final int aLength, final int bOffset, final int bLength)
    {
        final int length = Math.min(aLength, bLength);
        for (int i = 0; i < length; i++)
        {
            final int diff = (buffer.getByte(aOffset + i) & 0xFF) - (buffer.getByte(bOffset + i) & 0xFF);
            if (diff != 0)
            {
                return diff;
            }
        }
        return aLength - bLength;
    }

    private static final class XxHasher implements Hasher
    {
        private static final long MIX = 0x9E37_79B9_7F4A_7C15L;
        private static final LongHashFunction[] FUNCTIONS =
        {
            LongHashFunction.xx_r39(0x636F_7272_616C_2D31L),
            LongHashFunction.xx_r39(0x6469_616C_6F67_2D32L),
        };

        @Override
        public long hash(
            final DirectBuffer buffer,
            final int callIdOff,
            final int callIdLen,
            final int lowTagOff,
            final int lowTagLen,
            final int highTagOff,
            final int highTagLen,
            final int seedIndex)
        {
            final LongHashFunction f = FUNCTIONS[seedIndex];
            long h = range(f, buffer, callIdOff, callIdLen);
            h = h * MIX + range(f, buffer, lowTagOff, lowTagLen);
            h = h * MIX + range(f, buffer, highTagOff, highTagLen);
            return f.hashLong(h);
        }

        private static long range(final LongHashFunction f, final DirectBuffer buffer, final int off, final int len)
        {
            final byte[] array = buffer.byteArray();
            if (array != null)
            {
                return f.hashBytes(array, (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + off,
                    len);
            }
            return f.hashMemory(buffer.addressOffset() + off, len);
        }
    }
}
