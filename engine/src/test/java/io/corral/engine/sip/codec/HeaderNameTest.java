package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderNameTest
{
    private static int lookup(final String name)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(name.getBytes(StandardCharsets.US_ASCII));
        return HeaderName.lookup(buffer, 0, buffer.capacity());
    }

    @Test
    void shouldFindEveryKnownHeaderWhenNameIsInAnyCase()
    {
        for (int id = 1; id < HeaderName.ID_COUNT; id++)
        {
            final String name = new String(HeaderName.name(id), StandardCharsets.US_ASCII);
            assertEquals(id, lookup(name), name);
            assertEquals(id, lookup(name.toLowerCase(Locale.ROOT)), name);
            assertEquals(id, lookup(name.toUpperCase(Locale.ROOT)), name);
            final byte compact = HeaderName.compactForm(id);
            if (compact != 0)
            {
                assertEquals(id, lookup(String.valueOf((char)compact)), name);
                assertEquals(id, lookup(String.valueOf((char)compact).toUpperCase(Locale.ROOT)), name);
            }
        }
    }

    private static int lookupWords(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        final long[] words = new long[3];
        for (int i = 0; i < Math.min(bytes.length, HeaderName.MAX_WORDS_LENGTH); i++)
        {
            words[i / Long.BYTES] |= (long)(bytes[i] | 0x20) << ((i % Long.BYTES) * 8);
        }
        return HeaderName.lookupWords(bytes.length, words[0], words[1], words[2]);
    }

    @Test
    void shouldFindTheSameHeaderFromFoldedWordsAsFromBytesWhenNameIsAToken()
    {
        for (int id = 1; id < HeaderName.ID_COUNT; id++)
        {
            final String name = new String(HeaderName.name(id), StandardCharsets.US_ASCII);
            assertEquals(id, lookupWords(name), name);
            assertEquals(id, lookupWords(name.toLowerCase(Locale.ROOT)), name);
            assertEquals(id, lookupWords(name.toUpperCase(Locale.ROOT)), name);
            final byte compact = HeaderName.compactForm(id);
            if (compact != 0)
            {
                assertEquals(id, lookupWords(String.valueOf((char)compact).toUpperCase(Locale.ROOT)), name);
            }
        }
        for (final String unknown : new String[]{
            "X-Custom", "Vias", "Vi", "z", "Content-Lengths", "Content_Length", "Call-ID.", "P-Asserted-Identity-X",
            "Subscription-State-And-More", "Proxy-Authorization~", "`o", "T~"})
        {
            assertEquals(lookup(unknown), lookupWords(unknown), unknown);
            assertEquals(HeaderName.UNKNOWN, lookupWords(unknown), unknown);
        }
    }

    private static int lookupExact(final byte[] bytes)
    {
        final long[] words = new long[3];
        for (int i = 0; i < bytes.length; i++)
        {
            words[i / Long.BYTES] |= (long)(bytes[i] & 0xFF) << ((i % Long.BYTES) * 8);
        }
        return HeaderName.lookupExact(bytes.length, words[0], words[1], words[2]);
    }

    private static int lookupExact(final String name)
    {
        return lookupExact(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldFindKnownHeaderFromRawWordsWhenNameIsInAnyCase()
    {
        for (int id = 1; id < HeaderName.ID_COUNT; id++)
        {
            final String name = new String(HeaderName.name(id), StandardCharsets.US_ASCII);
            assertEquals(id, lookupExact(name), name);
            assertEquals(id, lookupExact(name.toLowerCase(Locale.ROOT)), name);
            assertEquals(id, lookupExact(name.toUpperCase(Locale.ROOT)), name);
            final byte compact = HeaderName.compactForm(id);
            if (compact != 0)
            {
                assertEquals(id, lookupExact(String.valueOf((char)compact)), name);
                assertEquals(id, lookupExact(String.valueOf((char)compact).toUpperCase(Locale.ROOT)), name);
            }
        }
    }

    @Test
    void shouldNotFindHeaderFromRawWordsWhenAByteOnlyFoldsIntoTheName()
    {
        // Each differs from a known name only in bit 0x20 of a byte that is not a letter there: OR-ing 0x20 into
        // every byte would match, an exact lookup must not.
        assertEquals(HeaderName.UNKNOWN, lookupExact("Call\rID"));
        assertEquals(HeaderName.UNKNOWN, lookupExact("Max\rForwards"));
        assertEquals(HeaderName.UNKNOWN, lookupExact("Content\rLength"));
        assertEquals(HeaderName.UNKNOWN, lookupExact("Subscription\rState"));
        assertEquals(HeaderName.UNKNOWN, lookupExact(new byte[]{(byte)0xE9}));
        assertEquals(HeaderName.UNKNOWN, lookupExact(new byte[]{(byte)0xC6}));
        assertEquals(HeaderName.UNKNOWN, lookupExact("\u0016"));
        assertEquals(HeaderName.UNKNOWN, lookupExact("X-Unknown"));
        assertEquals(HeaderName.UNKNOWN, lookupExact("Via "));
    }

    @Test
    void shouldResolveCompactFormsOfRfc3261AndLaterExtensions()
    {
        assertEquals(HeaderName.CALL_ID, lookup("i"));
        assertEquals(HeaderName.CONTACT, lookup("m"));
        assertEquals(HeaderName.CONTENT_ENCODING, lookup("e"));
        assertEquals(HeaderName.CONTENT_LENGTH, lookup("l"));
        assertEquals(HeaderName.CONTENT_TYPE, lookup("c"));
        assertEquals(HeaderName.FROM, lookup("f"));
        assertEquals(HeaderName.SUBJECT, lookup("s"));
        assertEquals(HeaderName.SUPPORTED, lookup("k"));
        assertEquals(HeaderName.TO, lookup("t"));
        assertEquals(HeaderName.VIA, lookup("v"));
        assertEquals(HeaderName.EVENT, lookup("o"));
        assertEquals(HeaderName.ALLOW_EVENTS, lookup("u"));
        assertEquals(HeaderName.REFER_TO, lookup("r"));
        assertEquals(HeaderName.REFERRED_BY, lookup("b"));
        assertEquals(HeaderName.SESSION_EXPIRES, lookup("x"));
        assertEquals(HeaderName.IDENTITY, lookup("y"));
        assertEquals(HeaderName.ACCEPT_CONTACT, lookup("a"));
        assertEquals(HeaderName.REJECT_CONTACT, lookup("j"));
        assertEquals(HeaderName.REQUEST_DISPOSITION, lookup("d"));
    }

    @Test
    void shouldReturnUnknownWhenNameIsNotDefined()
    {
        assertEquals(HeaderName.UNKNOWN, lookup("X-Custom"));
        assertEquals(HeaderName.UNKNOWN, lookup("C%6Fntact"));
        assertEquals(HeaderName.UNKNOWN, lookup("Vias"));
        assertEquals(HeaderName.UNKNOWN, lookup("z"));
        assertEquals(HeaderName.UNKNOWN, lookup(""));
    }

    @Test
    void shouldSplitOnlyListHeadersWhenAskedForMultipleValues()
    {
        assertTrue(HeaderName.isMultiValued(HeaderName.VIA));
        assertTrue(HeaderName.isMultiValued(HeaderName.CONTACT));
        assertTrue(HeaderName.isMultiValued(HeaderName.RECORD_ROUTE));
        assertTrue(HeaderName.isMultiValued(HeaderName.ALLOW));
        assertFalse(HeaderName.isMultiValued(HeaderName.FROM));
        assertFalse(HeaderName.isMultiValued(HeaderName.AUTHORIZATION));
        assertFalse(HeaderName.isMultiValued(HeaderName.DATE));
        assertFalse(HeaderName.isMultiValued(HeaderName.UNKNOWN));
    }
}
