package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipParameters;
import io.corral.engine.sip.codec.SipUriDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Carries the member id (1..63) in what this member writes, so that a response or an in-dialog request finds its
 * owner from the packet alone, through any proxy in between (both are opaque to other elements and come back byte
 * for byte).
 * <p>
 * <b>Via branch</b>, 36 characters, letters and digits only (a token that no element re-encodes):
 * <pre>
 *   z9hG4bK  cr  II  LLLLLLLL  C  UUUUUUUUUUUUUUUU
 *   cookie   tag id  loop hash chk unique part
 * </pre>
 * {@code II} is the member id in two hex digits, {@code LLLLLLLL} the RFC 3261 §16.6 item 8 loop-detection hash of
 * the request as received, {@code C} one hex check digit over the id and the hash (so a foreign branch that happens
 * to start with {@code cr} is rejected 15 times in 16 on top of the id range check), and {@code U} 16 hex digits
 * that make the branch unique (random for stateful forwarding, a hash of the received top Via branch for stateless
 * forwarding, §16.11). Hex digits decode in either case.
 * <p>
 * <b>Record-Route URI</b>: the parameter {@code cm=ID} (decimal) on our own URI, e.g.
 * {@code <sip:192.0.2.1:5060;lr;cm=12>}.
 * <p>
 * Decoding is a few byte compares: no allocation.
 */
public final class MemberIdCodec
{
    /** Smallest member id. */
    public static final int MIN_MEMBER_ID = 1;
    /** Largest member id. */
    public static final int MAX_MEMBER_ID = 63;
    /** Length of a branch this codec writes. */
    public static final int BRANCH_LENGTH = 36;
    /** The Record-Route URI parameter carrying the member id. */
    public static final byte[] ROUTE_PARAMETER = bytes("cm");

    private static final byte[] COOKIE = bytes("z9hG4bK");
    private static final byte[] COOKIE_LOWER_CASE = bytes("z9hg4bk");
    private static final byte[] MARKER = bytes("cr");
    private static final byte[] HEX = bytes("0123456789abcdef");
    private static final int ID_AT = 9;
    private static final int HASH_AT = 11;
    private static final int CHECK_AT = 19;
    private static final int UNIQUE_AT = 20;

    private MemberIdCodec()
    {
    }

    /**
     * Write a branch.
     *
     * @param dst      to write into; needs {@link #BRANCH_LENGTH} bytes.
     * @param offset   of the first byte.
     * @param memberId 1..63.
     * @param loopHash the loop-detection hash of the received request.
     * @param unique   the unique part.
     * @return {@link #BRANCH_LENGTH}.
     */
    public static int writeBranch(
        final MutableDirectBuffer dst, final int offset, final int memberId, final int loopHash, final long unique)
    {
        if (memberId < MIN_MEMBER_ID || memberId > MAX_MEMBER_ID)
        {
            throw new IllegalArgumentException("member id out of range: " + memberId);
        }
        dst.putBytes(offset, COOKIE);
        dst.putBytes(offset + COOKIE.length, MARKER);
        writeHex(dst, offset + ID_AT, memberId, 2);
        writeHex(dst, offset + HASH_AT, loopHash & 0xFFFF_FFFFL, 8);
        dst.putByte(offset + CHECK_AT, HEX[check(memberId, loopHash)]);
        writeHex(dst, offset + UNIQUE_AT, unique, 16);
        return BRANCH_LENGTH;
    }

    /**
     * @param buffer holding a branch value.
     * @param offset of the value.
     * @param length of the value.
     * @return the member id it carries, or 0 if it is not a branch written by a member.
     */
    public static int memberIdOfBranch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != BRANCH_LENGTH ||
            !SipBytes.equalsIgnoreCase(buffer, offset, COOKIE.length, COOKIE_LOWER_CASE) ||
            !SipBytes.equalsIgnoreCase(buffer, offset + COOKIE.length, MARKER.length, MARKER))
        {
            return 0;
        }
        final long id = readHex(buffer, offset + ID_AT, 2);
        final long hash = readHex(buffer, offset + HASH_AT, 8);
        final long checkDigit = readHex(buffer, offset + CHECK_AT, 1);
        if (id < MIN_MEMBER_ID || id > MAX_MEMBER_ID || hash < 0 || checkDigit != check((int)id, (int)hash) ||
            !allHex(buffer, offset + UNIQUE_AT, 16))
        {
            return 0;
        }
        return (int)id;
    }

    /**
     * @param buffer holding a branch that {@link #memberIdOfBranch} accepts.
     * @param offset of the value.
     * @return the loop-detection hash it carries.
     */
    public static int loopHashOfBranch(final DirectBuffer buffer, final int offset)
    {
        return (int)readHex(buffer, offset + HASH_AT, 8);
    }

    /**
     * @param uri a wrapped sip/sips URI, e.g. from a Route or Record-Route value.
     * @return the member id of its {@code cm} parameter, or 0 if absent or out of range.
     */
    public static int memberIdOfUri(final SipUriDecoder uri)
    {
        final int index = uri.findParameter(ROUTE_PARAMETER);
        if (index < 0)
        {
            return 0;
        }
        final SipParameters parameters = uri.parameters();
        final int length = parameters.valueLength(index);
        if (length < 1 || length > 2)
        {
            return 0;
        }
        final long id = SipBytes.parseUnsigned(uri.buffer(), parameters.valueOffset(index), length, MAX_MEMBER_ID);
        return id >= MIN_MEMBER_ID ? (int)id : 0;
    }

    private static int check(final int memberId, final int loopHash)
    {
        int check = memberId ^ (memberId >>> 4) ^ 0x5;
        for (int shift = 0; shift < 32; shift += 4)
        {
            check ^= loopHash >>> shift;
        }
        return check & 0xF;
    }

    private static void writeHex(final MutableDirectBuffer dst, final int offset, final long value, final int digits)
    {
        for (int i = 0; i < digits; i++)
        {
            dst.putByte(offset + i, HEX[(int)(value >>> (4 * (digits - 1 - i))) & 0xF]);
        }
    }

    private static long readHex(final DirectBuffer buffer, final int offset, final int digits)
    {
        long value = 0;
        for (int i = 0; i < digits; i++)
        {
            final int nibble = SipBytes.hexValue(buffer.getByte(offset + i));
            if (nibble < 0)
            {
                return -1;
            }
            value = (value << 4) | nibble;
        }
        return value;
    }

    private static boolean allHex(final DirectBuffer buffer, final int offset, final int digits)
    {
        for (int i = 0; i < digits; i++)
        {
            if (SipBytes.hexValue(buffer.getByte(offset + i)) < 0)
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
