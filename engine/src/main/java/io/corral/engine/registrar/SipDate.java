package io.corral.engine.registrar;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Writes the SIP Date header value (RFC 3261 §20.17: RFC 1123 form, always GMT), e.g.
 * {@code Sat, 13 Nov 2010 23:29:00 GMT}, without allocating.
 */
public final class SipDate
{
    /** Length of every value written. */
    public static final int LENGTH = 29;

    private static final byte[] DAYS = "ThuFriSatSunMonTueWed".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MONTHS =
        "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(StandardCharsets.US_ASCII);
    private static final long MS_PER_DAY = 86_400_000L;

    private SipDate()
    {
    }

    /**
     * @param dst     to write into; {@link #LENGTH} bytes from {@code offset}.
     * @param offset  of the first byte.
     * @param epochMs the time, ms since 1970-01-01T00:00Z (not before it).
     * @return {@link #LENGTH}.
     */
    public static int write(final MutableDirectBuffer dst, final int offset, final long epochMs)
    {
        final long days = Math.floorDiv(epochMs, MS_PER_DAY);
        final long secondOfDay = Math.floorMod(epochMs, MS_PER_DAY) / 1000;
        // Civil date from days since the epoch (H. Hinnant's days_from_civil, inverted), proleptic Gregorian.
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final int day = (int)(doy - (153 * mp + 2) / 5 + 1);
        final int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        final int year = (int)(yoe + era * 400 + (month <= 2 ? 1 : 0));

        final int weekday = (int)Math.floorMod(days, 7L);
        dst.putBytes(offset, DAYS, weekday * 3, 3);
        dst.putByte(offset + 3, (byte)',');
        dst.putByte(offset + 4, (byte)' ');
        dst.putNaturalPaddedIntAscii(offset + 5, 2, day);
        dst.putByte(offset + 7, (byte)' ');
        dst.putBytes(offset + 8, MONTHS, (month - 1) * 3, 3);
        dst.putByte(offset + 11, (byte)' ');
        dst.putNaturalPaddedIntAscii(offset + 12, 4, year);
        dst.putByte(offset + 16, (byte)' ');
        dst.putNaturalPaddedIntAscii(offset + 17, 2, (int)(secondOfDay / 3600));
        dst.putByte(offset + 19, (byte)':');
        dst.putNaturalPaddedIntAscii(offset + 20, 2, (int)(secondOfDay / 60 % 60));
        dst.putByte(offset + 22, (byte)':');
        dst.putNaturalPaddedIntAscii(offset + 23, 2, (int)(secondOfDay % 60));
        dst.putByte(offset + 25, (byte)' ');
        dst.putByte(offset + 26, (byte)'G');
        dst.putByte(offset + 27, (byte)'M');
        dst.putByte(offset + 28, (byte)'T');
        return LENGTH;
    }
}
