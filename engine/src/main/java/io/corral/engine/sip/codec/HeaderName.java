package io.corral.engine.sip.codec;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Header names as small int ids, looked up case-insensitively from their long or compact form (RFC 3261 §7.3.3,
 * and the compact forms registered since). Each known header also says whether it is a comma-separated list, so the
 * decoder knows which header lines to split into several values. Any other name is {@link #UNKNOWN} and is kept as
 * one opaque value.
 */
public final class HeaderName
{
    public static final int UNKNOWN = 0;
    public static final int VIA = 1;
    public static final int FROM = 2;
    public static final int TO = 3;
    public static final int CALL_ID = 4;
    public static final int CSEQ = 5;
    public static final int CONTACT = 6;
    public static final int MAX_FORWARDS = 7;
    public static final int CONTENT_LENGTH = 8;
    public static final int CONTENT_TYPE = 9;
    public static final int ROUTE = 10;
    public static final int RECORD_ROUTE = 11;
    public static final int PATH = 12;
    public static final int EXPIRES = 13;
    public static final int MIN_EXPIRES = 14;
    public static final int REQUIRE = 15;
    public static final int PROXY_REQUIRE = 16;
    public static final int SUPPORTED = 17;
    public static final int UNSUPPORTED = 18;
    public static final int ALLOW = 19;
    public static final int ACCEPT = 20;
    public static final int ACCEPT_ENCODING = 21;
    public static final int ACCEPT_LANGUAGE = 22;
    public static final int ALLOW_EVENTS = 23;
    public static final int EVENT = 24;
    public static final int CONTENT_ENCODING = 25;
    public static final int CONTENT_LANGUAGE = 26;
    public static final int CONTENT_DISPOSITION = 27;
    public static final int SUBJECT = 28;
    public static final int AUTHORIZATION = 29;
    public static final int PROXY_AUTHORIZATION = 30;
    public static final int WWW_AUTHENTICATE = 31;
    public static final int PROXY_AUTHENTICATE = 32;
    public static final int AUTHENTICATION_INFO = 33;
    public static final int USER_AGENT = 34;
    public static final int SERVER = 35;
    public static final int DATE = 36;
    public static final int TIMESTAMP = 37;
    public static final int REFER_TO = 38;
    public static final int REFERRED_BY = 39;
    public static final int SESSION_EXPIRES = 40;
    public static final int MIN_SE = 41;
    public static final int RSEQ = 42;
    public static final int RACK = 43;
    public static final int REPLY_TO = 44;
    public static final int IDENTITY = 45;
    public static final int ACCEPT_CONTACT = 46;
    public static final int REJECT_CONTACT = 47;
    public static final int REQUEST_DISPOSITION = 48;
    public static final int P_ASSERTED_IDENTITY = 49;
    public static final int PRIVACY = 50;
    public static final int WARNING = 51;
    public static final int ALERT_INFO = 52;
    public static final int CALL_INFO = 53;
    public static final int ERROR_INFO = 54;
    public static final int IN_REPLY_TO = 55;
    public static final int RETRY_AFTER = 56;
    public static final int MIME_VERSION = 57;
    public static final int ORGANIZATION = 58;
    public static final int PRIORITY = 59;
    public static final int SUBSCRIPTION_STATE = 60;
    public static final int REPLACES = 61;
    public static final int SERVICE_ROUTE = 62;

    /** One more than the largest id: size arrays indexed by header id with it. */
    public static final int ID_COUNT = 63;

    private static final byte[][] NAMES = new byte[ID_COUNT][];
    private static final byte[][] LOWER = new byte[ID_COUNT][];
    private static final byte[] COMPACT = new byte[ID_COUNT];
    private static final boolean[] MULTI_VALUED = new boolean[ID_COUNT];
    private static final byte[] COMPACT_TO_ID = new byte[128];

    private static final int TABLE_SIZE = 256;
    private static final int TABLE_MASK = TABLE_SIZE - 1;
    private static final int[] TABLE_HASH = new int[TABLE_SIZE];
    private static final byte[] TABLE_ID = new byte[TABLE_SIZE];

    /** Names longer than this many bytes are never known: {@link #lookupWords} takes three eight-byte words. */
    public static final int MAX_WORDS_LENGTH = 3 * Long.BYTES;
    /** ORed into a word of token characters, folds ASCII letters to lower case and changes no other token byte. */
    public static final long FOLD_CASE = 0x2020202020202020L;
    private static final byte[] WORDS_ID = new byte[TABLE_SIZE];
    private static final byte[] WORDS_LENGTH = new byte[TABLE_SIZE];
    private static final long[] WORDS_0 = new long[TABLE_SIZE];
    private static final long[] WORDS_1 = new long[TABLE_SIZE];
    private static final long[] WORDS_2 = new long[TABLE_SIZE];
    /** Per slot: 0x20 in every byte of the name that is a letter, so a raw name can be checked exactly. */
    private static final long[] LETTERS_0 = new long[TABLE_SIZE];
    private static final long[] LETTERS_1 = new long[TABLE_SIZE];
    private static final long[] LETTERS_2 = new long[TABLE_SIZE];

    static
    {
        NAMES[UNKNOWN] = new byte[0];
        LOWER[UNKNOWN] = NAMES[UNKNOWN];
        define(VIA, "Via", 'v', true);
        define(FROM, "From", 'f', false);
        define(TO, "To", 't', false);
        define(CALL_ID, "Call-ID", 'i', false);
        define(CSEQ, "CSeq", 0, false);
        define(CONTACT, "Contact", 'm', true);
        define(MAX_FORWARDS, "Max-Forwards", 0, false);
        define(CONTENT_LENGTH, "Content-Length", 'l', false);
        define(CONTENT_TYPE, "Content-Type", 'c', false);
        define(ROUTE, "Route", 0, true);
        define(RECORD_ROUTE, "Record-Route", 0, true);
        define(PATH, "Path", 0, true);
        define(EXPIRES, "Expires", 0, false);
        define(MIN_EXPIRES, "Min-Expires", 0, false);
        define(REQUIRE, "Require", 0, true);
        define(PROXY_REQUIRE, "Proxy-Require", 0, true);
        define(SUPPORTED, "Supported", 'k', true);
        define(UNSUPPORTED, "Unsupported", 0, true);
        define(ALLOW, "Allow", 0, true);
        define(ACCEPT, "Accept", 0, true);
        define(ACCEPT_ENCODING, "Accept-Encoding", 0, true);
        define(ACCEPT_LANGUAGE, "Accept-Language", 0, true);
        define(ALLOW_EVENTS, "Allow-Events", 'u', true);
        define(EVENT, "Event", 'o', false);
        define(CONTENT_ENCODING, "Content-Encoding", 'e', true);
        define(CONTENT_LANGUAGE, "Content-Language", 0, true);
        define(CONTENT_DISPOSITION, "Content-Disposition", 0, false);
        define(SUBJECT, "Subject", 's', false);
        define(AUTHORIZATION, "Authorization", 0, false);
        define(PROXY_AUTHORIZATION, "Proxy-Authorization", 0, false);
        define(WWW_AUTHENTICATE, "WWW-Authenticate", 0, false);
        define(PROXY_AUTHENTICATE, "Proxy-Authenticate", 0, false);
        define(AUTHENTICATION_INFO, "Authentication-Info", 0, false);
        define(USER_AGENT, "User-Agent", 0, false);
        define(SERVER, "Server", 0, false);
        define(DATE, "Date", 0, false);
        define(TIMESTAMP, "Timestamp", 0, false);
        define(REFER_TO, "Refer-To", 'r', false);
        define(REFERRED_BY, "Referred-By", 'b', false);
        define(SESSION_EXPIRES, "Session-Expires", 'x', false);
        define(MIN_SE, "Min-SE", 0, false);
        define(RSEQ, "RSeq", 0, false);
        define(RACK, "RAck", 0, false);
        define(REPLY_TO, "Reply-To", 0, false);
        define(IDENTITY, "Identity", 'y', false);
        define(ACCEPT_CONTACT, "Accept-Contact", 'a', true);
        define(REJECT_CONTACT, "Reject-Contact", 'j', true);
        define(REQUEST_DISPOSITION, "Request-Disposition", 'd', true);
        define(P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0, true);
        define(PRIVACY, "Privacy", 0, false);
        define(WARNING, "Warning", 0, true);
        define(ALERT_INFO, "Alert-Info", 0, true);
        define(CALL_INFO, "Call-Info", 0, true);
        define(ERROR_INFO, "Error-Info", 0, true);
        define(IN_REPLY_TO, "In-Reply-To", 0, true);
        define(RETRY_AFTER, "Retry-After", 0, false);
        define(MIME_VERSION, "MIME-Version", 0, false);
        define(ORGANIZATION, "Organization", 0, false);
        define(PRIORITY, "Priority", 0, false);
        define(SUBSCRIPTION_STATE, "Subscription-State", 0, false);
        define(REPLACES, "Replaces", 0, false);
        define(SERVICE_ROUTE, "Service-Route", 0, true);
    }

    private HeaderName()
    {
    }

    /**
     * One step of the case-insensitive name hash, so a caller scanning the name anyway can hash as it goes and call
     * {@link #lookup(DirectBuffer, int, int, int)}. Start with 0.
     *
     * @param hash so far.
     * @param b    next byte of the name.
     * @return the hash including {@code b}.
     */
    public static int hashStep(final int hash, final byte b)
    {
        return hash * 31 + SipBytes.toLowerCase(b);
    }

    /**
     * @param buffer holding the name.
     * @param offset of the name.
     * @param length of the name, without the colon or whitespace.
     * @return the header id, or {@link #UNKNOWN}.
     */
    public static int lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = 0;
        for (int i = 0; i < length; i++)
        {
            hash = hashStep(hash, buffer.getByte(offset + i));
        }
        return lookup(buffer, offset, length, hash);
    }

    /**
     * @param buffer holding the name.
     * @param offset of the name.
     * @param length of the name, without the colon or whitespace.
     * @param hash   of the name computed with {@link #hashStep(int, byte)}.
     * @return the header id, or {@link #UNKNOWN}.
     */
    public static int lookup(final DirectBuffer buffer, final int offset, final int length, final int hash)
    {
        if (length == 1)
        {
            final byte b = SipBytes.toLowerCase(buffer.getByte(offset));
            return b >= 0 ? COMPACT_TO_ID[b] : UNKNOWN;
        }
        int slot = mix(hash) & TABLE_MASK;
        while (true)
        {
            final int id = TABLE_ID[slot];
            if (id == UNKNOWN)
            {
                return UNKNOWN;
            }
            if (TABLE_HASH[slot] == hash && SipBytes.equalsIgnoreCase(buffer, offset, length, lowerCase(id)))
            {
                return id;
            }
            slot = (slot + 1) & TABLE_MASK;
        }
    }

    /**
     * Look up a name given as words, as a decoder that read it eight bytes at a time has it: byte {@code i} of the
     * name is byte {@code i % 8} (lowest first) of word {@code i / 8}, bytes past the name are zero, and every byte was
     * ORed with {@link #FOLD_CASE}. That fold is a case-insensitive compare only because header names are tokens:
     * within the token characters of RFC 3261 §25.1 it maps exactly the upper-case letters onto others.
     *
     * @param length of the name: 1 to {@link #MAX_WORDS_LENGTH}; longer names are {@link #UNKNOWN}.
     * @param word0  bytes 0 to 7.
     * @param word1  bytes 8 to 15 (0 if the name is shorter).
     * @param word2  bytes 16 to 23 (0 if the name is shorter).
     * @return the header id, or {@link #UNKNOWN}.
     */
    public static int lookupWords(final int length, final long word0, final long word1, final long word2)
    {
        if (length == 1)
        {
            return COMPACT_TO_ID[(int)word0 & 0x7F];
        }
        if (length > MAX_WORDS_LENGTH)
        {
            return UNKNOWN;
        }
        int slot = wordsSlot(length, word0, word1);
        while (true)
        {
            final int id = WORDS_ID[slot];
            if (id == UNKNOWN)
            {
                return UNKNOWN;
            }
            if (WORDS_0[slot] == word0 && WORDS_1[slot] == word1 && WORDS_2[slot] == word2 &&
                WORDS_LENGTH[slot] == length)
            {
                return id;
            }
            slot = (slot + 1) & TABLE_MASK;
        }
    }

    /**
     * Look up a name given as raw words (byte {@code i} of the name is byte {@code i % 8}, lowest first, of word
     * {@code i / 8}; bytes past the name are zero) <em>without</em> knowing that its bytes are token characters: a
     * name is found only if each byte equals the known name's byte, letters in either case. So a decoder can identify
     * the common names from words before, or instead of, checking their bytes one by one.
     *
     * @param length of the name: 1 to {@link #MAX_WORDS_LENGTH}.
     * @param raw0   bytes 0 to 7, as read.
     * @param raw1   bytes 8 to 15 (0 if the name is shorter).
     * @param raw2   bytes 16 to 23 (0 if the name is shorter).
     * @return the header id, or {@link #UNKNOWN} if the name is not a known one (it may still be a valid token).
     */
    public static int lookupExact(final int length, final long raw0, final long raw1, final long raw2)
    {
        if (length == 1)
        {
            final int b = (int)raw0 | 0x20;
            return b >= 'a' && b <= 'z' ? COMPACT_TO_ID[b] : UNKNOWN;
        }
        if (length > MAX_WORDS_LENGTH)
        {
            return UNKNOWN;
        }
        int slot = wordsSlot(length, raw0, raw1);
        while (true)
        {
            final int id = WORDS_ID[slot];
            if (id == UNKNOWN)
            {
                return UNKNOWN;
            }
            // Setting the case bit of the name's letters maps only that letter's two cases onto the lower-case name;
            // every other byte, and the zeros past the name, must be equal as they are.
            if (WORDS_LENGTH[slot] == length &&
                (raw0 | LETTERS_0[slot]) == WORDS_0[slot] &&
                (raw1 | LETTERS_1[slot]) == WORDS_1[slot] &&
                (raw2 | LETTERS_2[slot]) == WORDS_2[slot])
            {
                return id;
            }
            slot = (slot + 1) & TABLE_MASK;
        }
    }

    /**
     * @param id a header id.
     * @return true if the header is a comma-separated list whose values the decoder indexes one by one.
     */
    public static boolean isMultiValued(final int id)
    {
        return id > UNKNOWN && id < ID_COUNT && MULTI_VALUED[id];
    }

    /**
     * @param id a header id.
     * @return the canonical long name as bytes (empty for {@link #UNKNOWN}); callers must not modify it.
     */
    public static byte[] name(final int id)
    {
        return id > UNKNOWN && id < ID_COUNT ? NAMES[id] : NAMES[UNKNOWN];
    }

    /**
     * @param id a header id.
     * @return the compact form's letter in lower case, or 0 if the header has none.
     */
    public static byte compactForm(final int id)
    {
        return id > UNKNOWN && id < ID_COUNT ? COMPACT[id] : 0;
    }

    private static byte[] lowerCase(final int id)
    {
        return LOWER[id];
    }

    /**
     * The slot a name starts probing from, the same for raw and folded words: every byte is folded here, those past
     * the name included.
     */
    private static int wordsSlot(final int length, final long word0, final long word1)
    {
        final long h = ((word0 | FOLD_CASE) + (word1 | FOLD_CASE) * 31 + length) * 0x9E3779B97F4A7C15L;
        return (int)(h >>> 56) & TABLE_MASK;
    }

    private static long letters(final byte[] lowerCase, final int from)
    {
        long word = 0;
        for (int i = Math.min(lowerCase.length, from + Long.BYTES) - 1; i >= from; i--)
        {
            word = (word << 8) | (lowerCase[i] >= 'a' && lowerCase[i] <= 'z' ? 0x20 : 0);
        }
        return word;
    }

    private static long foldedWord(final byte[] lowerCase, final int from)
    {
        long word = 0;
        for (int i = Math.min(lowerCase.length, from + Long.BYTES) - 1; i >= from; i--)
        {
            word = (word << 8) | (lowerCase[i] | 0x20);
        }
        return word;
    }

    private static int mix(final int hash)
    {
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static void define(final int id, final String name, final int compact, final boolean multiValued)
    {
        NAMES[id] = name.getBytes(StandardCharsets.US_ASCII);
        LOWER[id] = name.toLowerCase().getBytes(StandardCharsets.US_ASCII);
        COMPACT[id] = (byte)compact;
        MULTI_VALUED[id] = multiValued;
        if (compact != 0)
        {
            COMPACT_TO_ID[compact] = (byte)id;
        }
        int hash = 0;
        for (final byte b : LOWER[id])
        {
            hash = hashStep(hash, b);
        }
        int slot = mix(hash) & TABLE_MASK;
        while (TABLE_ID[slot] != UNKNOWN)
        {
            slot = (slot + 1) & TABLE_MASK;
        }
        TABLE_HASH[slot] = hash;
        TABLE_ID[slot] = (byte)id;

        final byte[] lower = LOWER[id];
        final long word0 = foldedWord(lower, 0);
        final long word1 = foldedWord(lower, Long.BYTES);
        final long word2 = foldedWord(lower, 2 * Long.BYTES);
        slot = wordsSlot(lower.length, word0, word1);
        while (WORDS_ID[slot] != UNKNOWN)
        {
            slot = (slot + 1) & TABLE_MASK;
        }
        WORDS_ID[slot] = (byte)id;
        WORDS_LENGTH[slot] = (byte)lower.length;
        WORDS_0[slot] = word0;
        WORDS_1[slot] = word1;
        WORDS_2[slot] = word2;
        LETTERS_0[slot] = letters(lower, 0);
        LETTERS_1[slot] = letters(lower, Long.BYTES);
        LETTERS_2[slot] = letters(lower, 2 * Long.BYTES);
    }
}
