package io.corral.engine.sip.codec;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SipBytesTest
{
    private static UnsafeBuffer buffer(final String s)
    {
        return new UnsafeBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldParseNumbersUpToTheBoundAndRejectOverflowAndNonDigits()
    {
        assertEquals(4294967295L, SipBytes.parseUnsigned(buffer("4294967295"), 0, 10, 0xFFFF_FFFFL));
        assertEquals(SipBytes.INVALID_NUMBER, SipBytes.parseUnsigned(buffer("4294967296"), 0, 10, 0xFFFF_FFFFL));
        assertEquals(SipBytes.INVALID_NUMBER, SipBytes.parseUnsigned(buffer("99999999999999999999999"), 0, 23, 255));
        assertEquals(SipBytes.INVALID_NUMBER, SipBytes.parseUnsigned(buffer("12a"), 0, 3, 1000));
        assertEquals(SipBytes.INVALID_NUMBER, SipBytes.parseUnsigned(buffer("-1"), 0, 2, 1000));
        assertEquals(SipBytes.INVALID_NUMBER, SipBytes.parseUnsigned(buffer(""), 0, 0, 1000));
    }

    @Test
    void shouldCompareIgnoringCaseWhenNamesDifferInCase()
    {
        final byte[] via = "via".getBytes(StandardCharsets.US_ASCII);
        assertTrue(SipBytes.equalsIgnoreCase(buffer("xVIAx"), 1, 3, via));
        assertFalse(SipBytes.equalsIgnoreCase(buffer("vie"), 0, 3, via));
        assertFalse(SipBytes.equalsExact(buffer("VIA"), 0, 3, via));
        assertTrue(SipBytes.rangesEqualIgnoreCase(buffer("Call-ID"), 0, 7, buffer("call-id"), 0, 7));
    }

    @Test
    void shouldClassifyTokenCharactersPerRfc3261()
    {
        assertTrue(SipBytes.isTokenChar((byte)'~'));
        assertTrue(SipBytes.isTokenChar((byte)'Z'));
        assertFalse(SipBytes.isTokenChar((byte)'"'));
        assertFalse(SipBytes.isTokenChar((byte)' '));
        assertFalse(SipBytes.isTokenChar((byte)0xC3));
    }

    @Test
    void shouldTrimWhitespaceAtBothEnds()
    {
        final UnsafeBuffer b = buffer(" \t ab \t");
        assertEquals(3, SipBytes.skipWhitespace(b, 0, b.capacity()));
        assertEquals(5, SipBytes.trimTrailingWhitespace(b, 3, b.capacity()));
        assertEquals(4, SipBytes.indexOf(b, 0, b.capacity(), (byte)'b'));
        assertEquals(-1, SipBytes.indexOf(b, 0, b.capacity(), (byte)'z'));
    }

    @Test
    void shouldFindFirstMatchAtEveryWordPositionWhenRangeIsLongerThanEightBytes()
    {
        final String text = "abcdefghijklmnopqrstuvwxyz";
        final UnsafeBuffer b = buffer(text);
        for (int from = 0; from < text.length(); from++)
        {
            for (int at = from; at < text.length(); at++)
            {
                assertEquals(at, SipBytes.indexOf(b, from, text.length(), (byte)text.charAt(at)));
                assertEquals(-1, SipBytes.indexOf(b, from, at, (byte)text.charAt(at)));
            }
        }
        // UTF-8 octets (high bit set) are matched too, e.g. the 0xC3 0xA9 of an e-acute.
        final UnsafeBuffer utf8 = buffer("xx..x.xxxxxxxxxxxxxx");
        utf8.putByte(2, (byte)0xC3);
        utf8.putByte(3, (byte)0xA9);
        utf8.putByte(5, (byte)0xC3);
        assertEquals(2, SipBytes.indexOf(utf8, 0, utf8.capacity(), (byte)0xC3));
        assertEquals(3, SipBytes.indexOf(utf8, 0, utf8.capacity(), (byte)0xA9));
        assertEquals(5, SipBytes.indexOf(utf8, 3, utf8.capacity(), (byte)0xC3));
    }

    @Test
    void shouldSkipFoldedLineBreaksWhenSkippingLinearWhitespace()
    {
        final UnsafeBuffer b = buffer(" \r\n\t x\r\ny \r\n");
        assertEquals(5, SipBytes.skipLws(b, 0, b.capacity()));
        assertEquals(6, SipBytes.skipLws(b, 6, b.capacity()));
        assertEquals(9, SipBytes.trimTrailingLws(b, 0, b.capacity()));
        assertEquals(1, SipBytes.skipLws(b, 0, 2));
    }

    @Test
    void shouldFindClosingQuoteWhenQuotedPairsEscapeQuotes()
    {
        final UnsafeBuffer b = buffer("\"a\\\"b\\\\\" rest");
        assertEquals(7, SipBytes.scanQuotedString(b, 0, b.capacity()));
        assertEquals(-1, SipBytes.scanQuotedString(b, 0, 7));
        assertEquals(-1, SipBytes.scanQuotedString(buffer("\"a\\"), 0, 3));
        assertEquals(-1, SipBytes.scanQuotedString(buffer("\"a\r\nb\""), 0, 6));
        assertEquals(6, SipBytes.scanQuotedString(buffer("\"a\r\n b\""), 0, 7));
    }

    @Test
    void shouldRecogniseTokensAndHexDigits()
    {
        assertTrue(SipBytes.isToken(buffer("100rel"), 0, 6));
        assertFalse(SipBytes.isToken(buffer("a b"), 0, 3));
        assertFalse(SipBytes.isToken(buffer(""), 0, 0));
        assertEquals(15, SipBytes.hexValue((byte)'F'));
        assertEquals(10, SipBytes.hexValue((byte)'a'));
        assertEquals(-1, SipBytes.hexValue((byte)'g'));
    }

    @Test
    void shouldAcceptWordsAroundOneAtWhenCallIdIsValid()
    {
        final String intmeth = "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{";
        assertTrue(SipBytes.isCallId(buffer(intmeth), 0, intmeth.length()));
        assertTrue(SipBytes.isCallId(buffer("a84b4c76e66710"), 0, 14));
        assertFalse(SipBytes.isCallId(buffer("a@b@c"), 0, 5));
        assertFalse(SipBytes.isCallId(buffer("@b"), 0, 2));
        assertFalse(SipBytes.isCallId(buffer("a@"), 0, 2));
        assertFalse(SipBytes.isCallId(buffer("a b"), 0, 3));
        assertFalse(SipBytes.isCallId(buffer("a;b"), 0, 3));
        assertFalse(SipBytes.isCallId(buffer(""), 0, 0));
    }

    @Test
    void shouldCheckRangeOnceAndReadUncheckedWhenGivenABuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer("SIP/2.0 ;x".getBytes(StandardCharsets.US_ASCII));
        assertEquals(8, SipBytes.indexOf(buffer, 0, 10, (byte)';'));
        assertEquals(8, SipBytes.indexOf(buffer.byteArray(), buffer.addressOffset(), 0, 10, (byte)';'));
        assertThrows(IndexOutOfBoundsException.class, () -> SipBytes.indexOf(buffer, 0, 11, (byte)'?'));
        assertThrows(IndexOutOfBoundsException.class, () -> SipBytes.skipLws(buffer, 7, 11));
        assertThrows(IndexOutOfBoundsException.class, () -> SipBytes.isToken(buffer, 8, 3));
    }

    @Test
    void shouldFailAnAssertionWhenAnUncheckedReadLeavesTheArray()
    {
        assumeTrue(SipBytes.class.desiredAssertionStatus(), "assertions are off");
        final byte[] array = new byte[8];
        final long address = BufferUtil.ARRAY_BASE_OFFSET;
        assertEquals(0, SipBytes.byteAt(array, address, 7));
        assertEquals(0L, SipBytes.longAt(array, address, 0));
        assertThrows(AssertionError.class, () -> SipBytes.byteAt(array, address, 8));
        assertThrows(AssertionError.class, () -> SipBytes.byteAt(array, address, -1));
        assertThrows(AssertionError.class, () -> SipBytes.longAt(array, address, 1));
    }
}
