package io.corral.engine.sip.codec;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;

/**
 * ASCII primitives over a {@link DirectBuffer} shared by every SIP decoder: character classes of RFC 3261 §25.1,
 * case-insensitive comparison and bounded number parsing. Nothing here allocates or throws on bad input.
 * <p>
 * <b>Checked and unchecked forms.</b> Each scanner taking a {@link DirectBuffer} checks the range it may read once
 * against the buffer ({@link DirectBuffer#boundsCheck}) and then runs the form taking the buffer's
 * {@code byteArray()} and {@code addressOffset()}, which reads without a check per byte. Decoders that checked their
 * whole input range once call the unchecked forms directly; those must only be given positions inside a range that
 * was checked, since nothing stops them reading outside it. With assertions on (as in the tests and fuzzing, whose
 * inputs sit in arrays sized exactly to them) a read outside a heap buffer's array fails an assertion.
 */
public final class SipBytes
{
    /** Returned by the number parsers when the range is empty, not all digits, or above the limit. */
    public static final long INVALID_NUMBER = -1L;

    private static final long SWAR_ONES = 0x0101010101010101L;
    private static final long SWAR_HIGHS = 0x8080808080808080L;
    private static final long SWAR_LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
    private static final int TOKEN = 1;
    private static final int WORD = 2;
    private static final int PARAM_VALUE = 4;
    /**
     * Character classes by unsigned byte value: 256 entries so a lookup is {@code b & 0xFF} with no sign test and
     * no bounds check, one load and one branch per byte in the scans.
     */
    private static final byte[] CLASSES = new byte[256];

    static
    {
        for (int c = 'a'; c <= 'z'; c++)
        {
            CLASSES[c] = TOKEN;
            CLASSES[c - 32] = TOKEN;
        }
        for (int c = '0'; c <= '9'; c++)
        {
            CLASSES[c] = TOKEN;
        }
        mark("-.!%*_+`'~", TOKEN);
        for (int c = 0; c < CLASSES.length; c++)
        {
            if ((CLASSES[c] & TOKEN) != 0)
            {
                CLASSES[c] |= WORD | PARAM_VALUE;
            }
        }
        mark("()<>:\\\"/[]?{}", WORD);
        mark("[]:", PARAM_VALUE);
    }

    private SipBytes()
    {
    }

    /**
     * @param b a byte.
     * @return true if {@code b} is a token character of RFC 3261 §25.1.
     */
    public static boolean isTokenChar(final byte b)
    {
        return (CLASSES[b & 0xFF] & TOKEN) != 0;
    }

    /**
     * @param b a byte.
     * @return true for SP or HTAB.
     */
    public static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\t';
    }

    /**
     * @param b a byte.
     * @return true for an ASCII digit.
     */
    public static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    /**
     * @param b a byte.
     * @return the byte in lower case if it is an ASCII upper-case letter, else unchanged.
     */
    public static byte toLowerCase(final byte b)
    {
        return b >= 'A' && b <= 'Z' ? (byte)(b + 32) : b;
    }

    /**
     * Compare a range of the buffer with a constant, ignoring ASCII case.
     *
     * @param buffer    to read.
     * @param offset    of the range.
     * @param length    of the range.
     * @param lowerCase the constant, already in lower case.
     * @return true if the range equals the constant ignoring case.
     */
    public static boolean equalsIgnoreCase(
        final DirectBuffer buffer, final int offset, final int length, final byte[] lowerCase)
    {
        if (length != lowerCase.length)
        {
            return false;
        }
        if (length == 0)
        {
            return true;
        }
        buffer.boundsCheck(offset, length);
        return equalsIgnoreCase(buffer.byteArray(), buffer.addressOffset(), offset, length, lowerCase);
    }

    /**
     * Unchecked form of {@link #equalsIgnoreCase(DirectBuffer, int, int, byte[])}: see the class comment.
     *
     * @param array     the buffer's {@code byteArray()}.
     * @param address   the buffer's {@code addressOffset()}.
     * @param offset    of the range, inside a checked range.
     * @param length    of the range.
     * @param lowerCase the constant, already in lower case.
     * @return true if the range equals the constant ignoring case.
     */
    public static boolean equalsIgnoreCase(
        final byte[] array, final long address, final int offset, final int length, final byte[] lowerCase)
    {
        if (length != lowerCase.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (toLowerCase(byteAt(array, address, offset + i)) != lowerCase[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compare a range of the buffer with a constant, byte for byte.
     *
     * @param buffer   to read.
     * @param offset   of the range.
     * @param length   of the range.
     * @param constant to compare with.
     * @return true if the range equals the constant exactly.
     */
    public static boolean equalsExact(
        final DirectBuffer buffer, final int offset, final int length, final byte[] constant)
    {
        if (length != constant.length)
        {
            return false;
        }
        if (length == 0)
        {
            return true;
        }
        buffer.boundsCheck(offset, length);
        return equalsExact(buffer.byteArray(), buffer.addressOffset(), offset, length, constant);
    }

    /**
     * Unchecked form of {@link #equalsExact(DirectBuffer, int, int, byte[])}: see the class comment.
     *
     * @param array    the buffer's {@code byteArray()}.
     * @param address  the buffer's {@code addressOffset()}.
     * @param offset   of the range, inside a checked range.
     * @param length   of the range.
     * @param constant to compare with.
     * @return true if the range equals the constant exactly.
     */
    public static boolean equalsExact(
        final byte[] array, final long address, final int offset, final int length, final byte[] constant)
    {
        if (length != constant.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (byteAt(array, address, offset + i) != constant[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compare two ranges, possibly of different buffers, ignoring ASCII case.
     *
     * @param a       first buffer.
     * @param aOffset first range offset.
     * @param aLength first range length.
     * @param b       second buffer.
     * @param bOffset second range offset.
     * @param bLength second range length.
     * @return true if equal ignoring case.
     */
    public static boolean rangesEqualIgnoreCase(
        final DirectBuffer a, final int aOffset, final int aLength,
        final DirectBuffer b, final int bOffset, final int bLength)
    {
        if (aLength != bLength)
        {
            return false;
        }
        for (int i = 0; i < aLength; i++)
        {
            if (toLowerCase(a.getByte(aOffset + i)) != toLowerCase(b.getByte(bOffset + i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compare two ranges, possibly of different buffers, byte for byte.
     *
     * @param a       first buffer.
     * @param aOffset first range offset.
     * @param aLength first range length.
     * @param b       second buffer.
     * @param bOffset second range offset.
     * @param bLength second range length.
     * @return true if equal.
     */
    public static boolean rangesEqualExact(
        final DirectBuffer a, final int aOffset, final int aLength,
        final DirectBuffer b, final int bOffset, final int bLength)
    {
        if (aLength != bLength)
        {
            return false;
        }
        for (int i = 0; i < aLength; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Parse a run of decimal digits with an upper bound, so that oversized scalars are rejected rather than wrapped.
     *
     * @param buffer   to read.
     * @param offset   of the digits.
     * @param length   of the digits.
     * @param maxValue the largest value accepted.
     * @return the value, or {@link #INVALID_NUMBER} if the range is empty, holds a non-digit or exceeds the bound.
     */
    public static long parseUnsigned(
        final DirectBuffer buffer, final int offset, final int length, final long maxValue)
    {
        if (length <= 0)
        {
            return INVALID_NUMBER;
        }
        buffer.boundsCheck(offset, length);
        return parseUnsigned(buffer.byteArray(), buffer.addressOffset(), offset, length, maxValue);
    }

    /**
     * Unchecked form of {@link #parseUnsigned(DirectBuffer, int, int, long)}: see the class comment.
     *
     * @param array    the buffer's {@code byteArray()}.
     * @param address  the buffer's {@code addressOffset()}.
     * @param offset   of the digits, inside a checked range.
     * @param length   of the digits.
     * @param maxValue the largest value accepted.
     * @return the value, or {@link #INVALID_NUMBER}.
     */
    public static long parseUnsigned(
        final byte[] array, final long address, final int offset, final int length, final long maxValue)
    {
        if (length <= 0)
        {
            return INVALID_NUMBER;
        }
        long value = 0;
        for (int i = 0; i < length; i++)
        {
            final byte b = byteAt(array, address, offset + i);
            if (!isDigit(b))
            {
                return INVALID_NUMBER;
            }
            value = value * 10 + (b - '0');
            if (value > maxValue)
            {
                return INVALID_NUMBER;
            }
        }
        return value;
    }

    /**
     * @param buffer to read.
     * @param offset first position.
     * @param limit  one past the last position.
     * @return the first position at or after {@code offset} that is not SP or HTAB, or {@code limit}.
     */
    public static int skipWhitespace(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset >= limit)
        {
            return offset;
        }
        buffer.boundsCheck(offset, limit - offset);
        return skipWhitespace(buffer.byteArray(), buffer.addressOffset(), offset, limit);
    }

    /**
     * Unchecked form of {@link #skipWhitespace(DirectBuffer, int, int)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  first position.
     * @param limit   one past the last position, inside a checked range.
     * @return the first position at or after {@code offset} that is not SP or HTAB, or {@code limit}.
     */
    public static int skipWhitespace(final byte[] array, final long address, final int offset, final int limit)
    {
        int i = offset;
        while (i < limit && isWhitespace(byteAt(array, address, i)))
        {
            i++;
        }
        return i;
    }

    /**
     * @param buffer to read.
     * @param offset first position.
     * @param limit  one past the last position.
     * @return one past the last position before {@code limit} that is not SP or HTAB, at least {@code offset}.
     */
    public static int trimTrailingWhitespace(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset >= limit)
        {
            return limit;
        }
        buffer.boundsCheck(offset, limit - offset);
        return trimTrailingWhitespace(buffer.byteArray(), buffer.addressOffset(), offset, limit);
    }

    /**
     * Unchecked form of {@link #trimTrailingWhitespace(DirectBuffer, int, int)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  first position.
     * @param limit   one past the last position, inside a checked range.
     * @return one past the last position before {@code limit} that is not SP or HTAB, at least {@code offset}.
     */
    public static int trimTrailingWhitespace(final byte[] array, final long address, final int offset, final int limit)
    {
        int end = limit;
        while (end > offset && isWhitespace(byteAt(array, address, end - 1)))
        {
            end--;
        }
        return end;
    }

    /**
     * @param buffer to read.
     * @param offset first position.
     * @param limit  one past the last position.
     * @param b      the byte to find.
     * @return the first position of {@code b} in the range, or -1.
     */
    public static int indexOf(final DirectBuffer buffer, final int offset, final int limit, final byte b)
    {
        if (offset >= limit)
        {
            return -1;
        }
        buffer.boundsCheck(offset, limit - offset);
        return indexOf(buffer.byteArray(), buffer.addressOffset(), offset, limit, b);
    }

    /**
     * Unchecked form of {@link #indexOf(DirectBuffer, int, int, byte)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  first position.
     * @param limit   one past the last position, inside a checked range.
     * @param b       the byte to find.
     * @return the first position of {@code b} in the range, or -1.
     */
    public static int indexOf(final byte[] array, final long address, final int offset, final int limit, final byte b)
    {
        int i = offset;
        if (limit - offset >= Long.BYTES)
        {
            // Eight bytes per read (SWAR): a zero byte of word ^ pattern is a match. Borrows only flag bytes above
            // a real match, so the lowest flag is the first match.
            final long pattern = SWAR_ONES * (b & 0xFF);
            final int last = limit - Long.BYTES;
            for (; i <= last; i += Long.BYTES)
            {
                final long word = longAt(array, address, i) ^ pattern;
                final long found = (word - SWAR_ONES) & ~word & SWAR_HIGHS;
                if (0 != found)
                {
                    return i + (Long.numberOfTrailingZeros(found) >>> 3);
                }
            }
        }
        for (; i < limit; i++)
        {
            if (byteAt(array, address, i) == b)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param buffer to read.
     * @param offset of the range.
     * @param length of the range.
     * @return true if the range is a non-empty token of RFC 3261 §25.1 (e.g. an option tag of Require/Supported).
     */
    public static boolean isToken(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        buffer.boundsCheck(offset, length);
        return isToken(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #isToken(DirectBuffer, int, int)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the range, inside a checked range.
     * @param length  of the range.
     * @return true if the range is a non-empty token.
     */
    public static boolean isToken(final byte[] array, final long address, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        for (int i = offset, limit = offset + length; i < limit; i++)
        {
            if (!isTokenChar(byteAt(array, address, i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param buffer to read.
     * @param offset of the Call-ID value, trimmed.
     * @param length of the value.
     * @return true if the range is {@code word ["@" word]} of RFC 3261 §25.1, the Call-ID syntax.
     */
    public static boolean isCallId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        buffer.boundsCheck(offset, length);
        return isCallId(buffer.byteArray(), buffer.addressOffset(), offset, length);
    }

    /**
     * Unchecked form of {@link #isCallId(DirectBuffer, int, int)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the Call-ID value, inside a checked range.
     * @param length  of the value.
     * @return true if the range is {@code word ["@" word]}.
     */
    public static boolean isCallId(final byte[] array, final long address, final int offset, final int length)
    {
        if (length <= 0)
        {
            return false;
        }
        int at = -1;
        for (int i = offset, limit = offset + length; i < limit; i++)
        {
            final byte b = byteAt(array, address, i);
            if ((CLASSES[b & 0xFF] & WORD) == 0)
            {
                if (b != '@' || at >= 0 || i == offset || i == limit - 1)
                {
                    return false;
                }
                at = i;
            }
        }
        return true;
    }

    /**
     * One byte of a checked range (see the class comment).
     *
     * @param array   the buffer's {@code byteArray()} (null for off-heap memory).
     * @param address the buffer's {@code addressOffset()}.
     * @param index   of the byte, inside a range the caller checked against the buffer.
     * @return the byte.
     */
    public static byte byteAt(final byte[] array, final long address, final int index)
    {
        assert inArray(array, address + index, 1) : "read outside the array at index " + index;
        return UnsafeApi.getByte(array, address + index);
    }

    /**
     * Eight bytes of a checked range, the one at {@code index} in the lowest bits whatever the platform's order.
     *
     * @param array   the buffer's {@code byteArray()} (null for off-heap memory).
     * @param address the buffer's {@code addressOffset()}.
     * @param index   of the first byte; all eight must be inside a range the caller checked.
     * @return the bytes as a little-endian long.
     */
    public static long longAt(final byte[] array, final long address, final int index)
    {
        assert inArray(array, address + index, Long.BYTES) : "read outside the array at index " + index;
        final long word = UnsafeApi.getLong(array, address + index);
        return BIG_ENDIAN ? Long.reverseBytes(word) : word;
    }

    private static boolean inArray(final byte[] array, final long address, final int count)
    {
        return null == array ||
            (address >= BufferUtil.ARRAY_BASE_OFFSET && address + count <= BufferUtil.ARRAY_BASE_OFFSET + array.length);
    }

    /**
     * Unchecked token scan: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  first position.
     * @param limit   one past the last position, inside a checked range.
     * @return the first position at or after {@code offset} that is not a token character, or {@code limit}.
     */
    public static int scanToken(final byte[] array, final long address, final int offset, final int limit)
    {
        int i = offset;
        while (i < limit && isTokenChar(byteAt(array, address, i)))
        {
            i++;
        }
        return i;
    }

    /**
     * Unchecked scan of a generic-param value that is not quoted: token characters, '[', ']' and ':' so hosts and
     * unbracketed IPv6 addresses pass.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  first position.
     * @param limit   one past the last position, inside a checked range.
     * @return the first position at or after {@code offset} that is not a value character, or {@code limit}.
     */
    public static int scanParamValue(final byte[] array, final long address, final int offset, final int limit)
    {
        int i = offset;
        while (i < limit && (CLASSES[byteAt(array, address, i) & 0xFF] & PARAM_VALUE) != 0)
        {
            i++;
        }
        return i;
    }

    /**
     * @param b a byte.
     * @return the value of a hexadecimal digit (either case), or -1.
     */
    public static int hexValue(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Skip linear whitespace: SP, HTAB, and a folded line break (CRLF followed by SP or HTAB), which a value handed
     * over unfolded by the message decoder may still contain.
     *
     * @param buffer to read.
     * @param offset first position.
     * @param limit  one past the last position.
     * @return the first position at or after {@code offset} that does not start linear whitespace, or {@code limit}.
     */
    public static int skipLws(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset >= limit)
        {
            return offset;
        }
        buffer.boundsCheck(offset, limit - offset);
        return skipLws(buffer.byteArray(), buffer.addressOffset(), offset, limit);
    }

    /**
     * Unchecked form of {@link #skipLws(DirectBuffer, int, int)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  first position.
     * @param limit   one past the last position, inside a checked range.
     * @return the first position at or after {@code offset} that does not start linear whitespace, or {@code limit}.
     */
    public static int skipLws(final byte[] array, final long address, final int offset, final int limit)
    {
        int i = offset;
        while (i < limit)
        {
            final byte b = byteAt(array, address, i);
            if ((b & 0xFF) > ' ')
            {
                // Most calls stop at once, on text: one compare rules out SP, HTAB and CR.
                break;
            }
            if (isWhitespace(b))
            {
                i++;
            }
            else if (b == '\r' && i + 2 < limit &&
                byteAt(array, address, i + 1) == '\n' && isWhitespace(byteAt(array, address, i + 2)))
            {
                i += 3;
            }
            else
            {
                break;
            }
        }
        return i;
    }

    /**
     * @param buffer to read.
     * @param offset first position.
     * @param limit  one past the last position.
     * @return one past the last position before {@code limit} that is not SP, HTAB, CR or LF, at least
     * {@code offset}.
     */
    public static int trimTrailingLws(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset >= limit)
        {
            return limit;
        }
        buffer.boundsCheck(offset, limit - offset);
        return trimTrailingLws(buffer.byteArray(), buffer.addressOffset(), offset, limit);
    }

    /**
     * Unchecked form of {@link #trimTrailingLws(DirectBuffer, int, int)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  first position.
     * @param limit   one past the last position, inside a checked range.
     * @return one past the last position before {@code limit} that is not SP, HTAB, CR or LF, at least
     * {@code offset}.
     */
    public static int trimTrailingLws(final byte[] array, final long address, final int offset, final int limit)
    {
        int end = limit;
        while (end > offset)
        {
            final byte b = byteAt(array, address, end - 1);
            if (!isWhitespace(b) && b != '\r' && b != '\n')
            {
                break;
            }
            end--;
        }
        return end;
    }

    /**
     * Scan a quoted-string of RFC 3261 §25.1 whose opening DQUOTE is at {@code offset}. Quoted-pairs escape any
     * byte but CR and LF; bare control characters other than folded whitespace are rejected.
     *
     * @param buffer to read.
     * @param offset of the opening DQUOTE.
     * @param limit  one past the last position that may be read.
     * @return the position of the closing DQUOTE, or -1 if the string is unterminated or holds a bad character.
     */
    public static int scanQuotedString(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset + 1 >= limit)
        {
            return -1;
        }
        buffer.boundsCheck(offset, limit - offset);
        return scanQuotedString(buffer.byteArray(), buffer.addressOffset(), offset, limit);
    }

    /**
     * Unchecked form of {@link #scanQuotedString(DirectBuffer, int, int)}: see the class comment.
     *
     * @param array   the buffer's {@code byteArray()}.
     * @param address the buffer's {@code addressOffset()}.
     * @param offset  of the opening DQUOTE.
     * @param limit   one past the last position that may be read, inside a checked range.
     * @return the position of the closing DQUOTE, or -1.
     */
    public static int scanQuotedString(final byte[] array, final long address, final int offset, final int limit)
    {
        int i = offset + 1;
        while (i < limit)
        {
            if (i <= limit - Long.BYTES)
            {
                // Eight bytes per read while none is a DQUOTE, a backslash, a control or DEL (exact SWAR flags).
                final long word = longAt(array, address, i);
                final long next = ((word & SWAR_LOW7) + SWAR_ONES) & SWAR_LOW7;
                final long found = ((~(next + SWAR_ONES * (0x80 - 0x21)) & ~word) |
                    matches(word, SWAR_ONES * '"') | matches(word, SWAR_ONES * '\\')) & SWAR_HIGHS;
                if (0 == found)
                {
                    i += Long.BYTES;
                    continue;
                }
                i += Long.numberOfTrailingZeros(found) >>> 3;
            }
            final byte b = byteAt(array, address, i);
            if (b == '"')
            {
                return i;
            }
            if (b == '\\')
            {
                if (i + 1 >= limit)
                {
                    return -1;
                }
                final byte escaped = byteAt(array, address, i + 1);
                if (escaped == '\r' || escaped == '\n')
                {
                    return -1;
                }
                i += 2;
            }
            else if (b == '\r')
            {
                final int next = skipLws(array, address, i, limit);
                if (next == i)
                {
                    return -1;
                }
                i = next;
            }
            else if (b >= 0 && b < 0x20 && b != '\t' || b == 0x7F)
            {
                return -1;
            }
            else
            {
                i++;
            }
        }
        return -1;
    }

    /**
     * Copy the content of a quoted-string with its quoted-pairs resolved, for consumers that need the real value
     * (a digest username, a display name to show).
     *
     * @param buffer      to read.
     * @param offset      of the content, after the opening DQUOTE.
     * @param length      of the content, before the closing DQUOTE.
     * @param destination to write into; it must hold at least {@code length} bytes from {@code destOffset}.
     * @param destOffset  where to write.
     * @return the number of bytes written.
     */
    public static int unquote(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final MutableDirectBuffer destination,
        final int destOffset)
    {
        int written = 0;
        final int limit = offset + length;
        for (int i = offset; i < limit; i++)
        {
            byte b = buffer.getByte(i);
            if (b == '\\' && i + 1 < limit)
            {
                b = buffer.getByte(++i);
            }
            destination.putByte(destOffset + written++, b);
        }
        return written;
    }

    /**
     * @param buffer to read.
     * @param offset of the range.
     * @param length of the range.
     * @return the range as a String, for tools and tests only: never on a hot path.
     */
    public static String toString(final DirectBuffer buffer, final int offset, final int length)
    {
        return length <= 0 ? "" : buffer.getStringWithoutLengthAscii(offset, length);
    }

    /**
     * @return the high bit set in exactly the bytes of {@code word} equal to the byte repeated in {@code pattern}
     * (no carries between bytes; other bits are noise, mask with the high bits).
     */
    private static void mark(final String chars, final int bit)
    {
        for (int i = 0; i < chars.length(); i++)
        {
            CLASSES[chars.charAt(i)] |= bit;
        }
    }

    static long matches(final long word, final long pattern)
    {
        final long diff = word ^ pattern;
        return ~(((diff & SWAR_LOW7) + SWAR_LOW7) | diff);
    }
}
