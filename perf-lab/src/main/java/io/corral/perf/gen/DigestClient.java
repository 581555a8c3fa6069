package io.corral.perf.gen;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Answers an MD5 digest challenge (RFC 2617 / RFC 3261 §22) for REGISTER: finds realm, nonce, opaque and qop in a
 * WWW-Authenticate or Proxy-Authenticate value and writes the Authorization value. Every user has the same
 * password, so the lab can create any number of users.
 */
final class DigestClient
{
    private static final byte[] REALM = "realm".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE = "nonce".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPAQUE = "opaque".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QOP = "qop".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALGORITHM = "algorithm".getBytes(StandardCharsets.US_ASCII);
    private static final int MD5_BYTES = 16;
    private static final int MAX_VALUE = 256;

    private final MessageDigest md5;
    private final byte[] password;
    private final byte[] scratch = new byte[1024];
    private final byte[] ha1 = new byte[MD5_BYTES * 2];
    private final byte[] ha2 = new byte[MD5_BYTES * 2];
    private final byte[] response = new byte[MD5_BYTES * 2];
    private final byte[] digest = new byte[MD5_BYTES];
    private final byte[] realm = new byte[MAX_VALUE];
    private final byte[] nonce = new byte[MAX_VALUE];
    private final byte[] opaque = new byte[MAX_VALUE];
    private int realmLength;
    private int nonceLength;
    private int opaqueLength = -1;
    private boolean qopAuth;

    DigestClient(final String password)
    {
        try
        {
            md5 = MessageDigest.getInstance("MD5");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("MD5 is missing from this JVM", ex);
        }
        this.password = password.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param buffer holding a challenge value ({@code Digest realm="...", nonce="...", ...}).
     * @param offset its first byte.
     * @param length its length.
     * @return true if it is an MD5 challenge (no algorithm, or MD5) with a realm and a nonce.
     */
    boolean wrapChallenge(final DirectBuffer buffer, final int offset, final int length)
    {
        final int algorithmAt = find(buffer, offset, length, ALGORITHM);
        if (algorithmAt >= 0)
        {
            final int end = valueEnd(buffer, algorithmAt, offset + length);
            final int start = buffer.getByte(algorithmAt) == '"' ? algorithmAt + 1 : algorithmAt;
            if (end - start != 3 || (buffer.getByte(start) | 0x20) != 'm')
            {
                return false;
            }
        }
        realmLength = copyValue(buffer, offset, length, REALM, realm);
        nonceLength = copyValue(buffer, offset, length, NONCE, nonce);
        opaqueLength = copyValue(buffer, offset, length, OPAQUE, opaque);
        qopAuth = find(buffer, offset, length, QOP) >= 0;
        return realmLength >= 0 && nonceLength >= 0;
    }

    /**
     * Write {@code Digest username=..., response=...} for the challenge last wrapped.
     *
     * @param writer where the value goes.
     * @param number the user's number: the user is {@code u<number>}; the number is also the cnonce.
     * @param method the request's method.
     * @param uri    the request's Request-URI.
     */
    void writeAuthorization(
        final SipWriter writer, final long number, final String method, final String uri)
    {
        int n = put("u", 0);
        n = putNumber(number, n);
        scratch[n++] = ':';
        System.arraycopy(realm, 0, scratch, n, realmLength);
        n += realmLength;
        scratch[n++] = ':';
        System.arraycopy(password, 0, scratch, n, password.length);
        n += password.length;
        hash(n, ha1);

        n = put(method, 0);
        scratch[n++] = ':';
        n = put(uri, n);
        hash(n, ha2);

        n = 0;
        System.arraycopy(ha1, 0, scratch, n, ha1.length);
        n += ha1.length;
        scratch[n++] = ':';
        System.arraycopy(nonce, 0, scratch, n, nonceLength);
        n += nonceLength;
        scratch[n++] = ':';
        if (qopAuth)
        {
            n = put("00000001:", n);
            n = putNumber(number, n);
            n = put(":auth:", n);
        }
        System.arraycopy(ha2, 0, scratch, n, ha2.length);
        n += ha2.length;
        hash(n, response);

        writer.ascii("Digest username=\"u").number(number).ascii("\", realm=\"").bytes(realm, realmLength)
            .ascii("\", nonce=\"").bytes(nonce, nonceLength).ascii("\", uri=\"").ascii(uri)
            .ascii("\", response=\"").bytes(response, response.length).ascii("\", algorithm=MD5");
        if (qopAuth)
        {
            writer.ascii(", qop=auth, nc=00000001, cnonce=\"").number(number).ascii("\"");
        }
        if (opaqueLength >= 0)
        {
            writer.ascii(", opaque=\"").bytes(opaque, opaqueLength).ascii("\"");
        }
    }

    private void hash(final int length, final byte[] hexOut)
    {
        md5.update(scratch, 0, length);
        try
        {
            md5.digest(digest, 0, MD5_BYTES);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        for (int i = 0; i < MD5_BYTES; i++)
        {
            hexOut[i * 2] = (byte)Character.forDigit((digest[i] >> 4) & 0xF, 16);
            hexOut[i * 2 + 1] = (byte)Character.forDigit(digest[i] & 0xF, 16);
        }
    }

    private int put(final String text, final int at)
    {
        for (int i = 0; i < text.length(); i++)
        {
            scratch[at + i] = (byte)text.charAt(i);
        }
        return at + text.length();
    }

    private int putNumber(final long value, final int at)
    {
        int digits = 1;
        for (long v = value / 10; v > 0; v /= 10)
        {
            digits++;
        }
        long v = value;
        for (int i = at + digits - 1; i >= at; i--)
        {
            scratch[i] = (byte)('0' + (v % 10));
            v /= 10;
        }
        return at + digits;
    }

    private static int copyValue(
        final DirectBuffer buffer, final int offset, final int length, final byte[] name, final byte[] out)
    {
        final int at = find(buffer, offset, length, name);
        if (at < 0)
        {
            return -1;
        }
        final int start = buffer.getByte(at) == '"' ? at + 1 : at;
        final int end = valueEnd(buffer, at, offset + length);
        final int valueLength = Math.min(out.length, end - start);
        buffer.getBytes(start, out, 0, valueLength);
        return valueLength;
    }

    private static int valueEnd(final DirectBuffer buffer, final int at, final int limit)
    {
        if (buffer.getByte(at) == '"')
        {
            int i = at + 1;
            while (i < limit && buffer.getByte(i) != '"')
            {
                i++;
            }
            return i;
        }
        int i = at;
        while (i < limit && buffer.getByte(i) != ',' && buffer.getByte(i) != ' ' && buffer.getByte(i) != '\t')
        {
            i++;
        }
        return i;
    }

    /**
     * @return offset of the value of parameter {@code name} (after '=' and optional spaces), or -1.
     */
    private static int find(final DirectBuffer buffer, final int offset, final int length, final byte[] name)
    {
        final int limit = offset + length;
        boolean quoted = false;
        for (int i = offset; i < limit; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '"')
            {
                quoted = !quoted;
                continue;
            }
            if (quoted || !isStart(buffer, i, offset) || i + name.length >= limit)
            {
                continue;
            }
            boolean match = true;
            for (int j = 0; j < name.length && match; j++)
            {
                match = (buffer.getByte(i + j) | 0x20) == name[j];
            }
            if (!match)
            {
                continue;
            }
            int k = i + name.length;
            while (k < limit && buffer.getByte(k) == ' ')
            {
                k++;
            }
            if (k < limit && buffer.getByte(k) == '=')
            {
                k++;
                while (k < limit && buffer.getByte(k) == ' ')
                {
                    k++;
                }
                return k < limit ? k : -1;
            }
        }
        return -1;
    }

    private static boolean isStart(final DirectBuffer buffer, final int i, final int offset)
    {
        if (i == offset)
        {
            return true;
        }
        final byte before = buffer.getByte(i - 1);
        return before == ' ' || before == ',' || before == '\t';
    }
}
