package io.corral.state.registration;

import net.openhft.chronicle.algo.hashing.LongHashFunction;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The normalised address-of-record, key of the registration map; reusable and allocation-free.
 *
 * <p>Normal form (RFC 3261 §10.3 step 5): {@code user@host}, the user part with escaped characters unescaped and
 * compared case-sensitively (§19.1.4), the host lower-cased, and no scheme, port or parameter, so {@code sip:} and
 * {@code sips:} forms of one AOR, and every spelling of its host, reach the same bindings. The map key is a 128-bit
 * hash of that form (two seeded xxHash r39 values); the form itself is stored in the record and
 * {@link #matches(RegistrationFlyweight)} checks it on every lookup, so a hash collision is never confused with
 * another user's bindings.
 */
public final class AddressOfRecord
{
    private static final LongHashFunction HIGH = LongHashFunction.xx_r39(0x636F_7272_616C_2D61L);
    private static final LongHashFunction LOW = LongHashFunction.xx_r39(0x6164_6472_6573_732DL);

    private final byte[] bytes = new byte[RegistrationDescriptor.AOR_CAPACITY];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private int length;
    private long high;
    private long low;

    /**
     * Set from the user and host of a SIP or SIPS URI.
     *
     * @param src        buffer holding the URI.
     * @param userOffset offset of the user part (without password or parameters).
     * @param userLength length of the user part, 0 for none.
     * @param hostOffset offset of the host.
     * @param hostLength length of the host.
     * @return true if set; false if the user has a bad escape or the result is longer than
     * {@link RegistrationDescriptor#AOR_CAPACITY} (the key is then empty).
     */
    public boolean set(
        final DirectBuffer src, final int userOffset, final int userLength, final int hostOffset, final int hostLength)
    {
        length = 0;
        int at = 0;
        for (int i = userOffset, end = userOffset + userLength; i < end; i++)
        {
            byte b = src.getByte(i);
            if (b == '%')
            {
                if (i + 2 >= end)
                {
                    return fail();
                }
                final int hi = hex(src.getByte(i + 1));
                final int lo = hex(src.getByte(i + 2));
                if (hi < 0 || lo < 0)
                {
                    return fail();
                }
                b = (byte)(hi << 4 | lo);
                i += 2;
            }
            if (at == bytes.length)
            {
                return fail();
            }
            bytes[at++] = b;
        }
        if (userLength > 0)
        {
            if (at == bytes.length)
            {
                return fail();
            }
            bytes[at++] = '@';
        }
        for (int i = hostOffset, end = hostOffset + hostLength; i < end; i++)
        {
            if (at == bytes.length)
            {
                return fail();
            }
            final byte b = src.getByte(i);
            bytes[at++] = b >= 'A' && b <= 'Z' ? (byte)(b + ('a' - 'A')) : b;
        }
        length = at;
        hash();
        return true;
    }

    /**
     * Set from an AOR already in normal form (tools, tests, replication).
     *
     * @param aor {@code user@host}, ASCII.
     * @return true if set; false if too long.
     */
    public boolean set(final CharSequence aor)
    {
        if (aor.length() > bytes.length)
        {
            return fail();
        }
        for (int i = 0; i < aor.length(); i++)
        {
            bytes[i] = (byte)aor.charAt(i);
        }
        length = aor.length();
        hash();
        return true;
    }

    /**
     * Set from the AOR stored in a record.
     *
     * @param record a registration.
     * @return true if set.
     */
    public boolean set(final RegistrationFlyweight record)
    {
        final int aorLength = record.aorLength();
        if (aorLength > bytes.length)
        {
            return fail();
        }
        record.buffer().getBytes(record.aorOffset(), bytes, 0, aorLength);
        length = aorLength;
        hash();
        return true;
    }

    /**
     * @return the normal form's bytes (valid up to {@link #length()}).
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return length of the normal form, 0 when not set.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return high 64 bits of the map key.
     */
    public long high()
    {
        return high;
    }

    /**
     * @return low 64 bits of the map key.
     */
    public long low()
    {
        return low;
    }

    /**
     * @param record a stored registration.
     * @return true if it is this AOR's (not a hash collision).
     */
    public boolean matches(final RegistrationFlyweight record)
    {
        if (record.aorLength() != length)
        {
            return false;
        }
        final DirectBuffer stored = record.buffer();
        final int at = record.aorOffset();
        for (int i = 0; i < length; i++)
        {
            if (stored.getByte(at + i) != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return buffer.getStringWithoutLengthAscii(0, length);
    }

    private void hash()
    {
        high = HIGH.hashBytes(bytes, 0, length);
        low = LOW.hashBytes(bytes, 0, length);
    }

    private boolean fail()
    {
        length = 0;
        high = 0;
        low = 0;
        return false;
    }

    private static int hex(final byte b)
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
}
