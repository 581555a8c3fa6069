package io.corral.engine.auth;

import io.corral.engine.sip.codec.DigestCredentialsDecoder;
import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * Computes the expected {@code response} of digest credentials with qop=auth (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1):
 * <pre>
 *   HA2      = H(method ":" digest-uri)
 *   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)      (HA1, HA2 as lower-case hex)
 * </pre>
 * with every parameter taken byte for byte as the client sent it. Reuses its digests and buffers: nothing is
 * allocated per computation. Not thread-safe.
 */
final class DigestResponse
{
    private static final int CHUNK_BYTES = 256;
    private static final int MAX_HEX = 2 * DigestAlgorithm.MAX_DIGEST_BYTES;

    private final MessageDigest md5 = DigestAlgorithm.newDigest(DigestAlgorithm.MD5);
    private final MessageDigest sha256 = DigestAlgorithm.newDigest(DigestAlgorithm.SHA_256);
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private final byte[] digest = new byte[DigestAlgorithm.MAX_DIGEST_BYTES];
    private final byte[] ha2Hex = new byte[MAX_HEX];
    private final byte[] expectedHex = new byte[MAX_HEX];

    /**
     * @param algorithm    {@link DigestAlgorithm#MD5} or {@link DigestAlgorithm#SHA_256}.
     * @param ha1Hex       HA1 as lower-case hex of the algorithm's length.
     * @param method       holding the request method.
     * @param methodOffset of the method.
     * @param methodLength of the method.
     * @param credentials  decoded credentials with uri, nonce, nc, cnonce and qop, none with quoted-pairs.
     * @return the length of the expected response in {@link #expectedHex()}.
     */
    int compute(
        final int algorithm,
        final byte[] ha1Hex,
        final DirectBuffer method,
        final int methodOffset,
        final int methodLength,
        final DigestCredentialsDecoder credentials)
    {
        final MessageDigest md = algorithm == DigestAlgorithm.MD5 ? md5 : sha256;
        final int digestBytes = DigestAlgorithm.digestBytes(algorithm);
        final DirectBuffer values = credentials.buffer();

        update(md, method, methodOffset, methodLength);
        md.update((byte)':');
        update(md, values, credentials, DigestCredentialsDecoder.URI);
        finish(md, digestBytes, ha2Hex);

        md.update(ha1Hex, 0, 2 * digestBytes);
        md.update((byte)':');
        update(md, values, credentials, DigestCredentialsDecoder.NONCE);
        md.update((byte)':');
        update(md, values, credentials, DigestCredentialsDecoder.NC);
        md.update((byte)':');
        update(md, values, credentials, DigestCredentialsDecoder.CNONCE);
        md.update((byte)':');
        update(md, values, credentials, DigestCredentialsDecoder.QOP);
        md.update((byte)':');
        md.update(ha2Hex, 0, 2 * digestBytes);
        finish(md, digestBytes, expectedHex);
        return 2 * digestBytes;
    }

    /**
     * @return the expected response of the last {@link #compute}, lower-case hex; shared, do not modify.
     */
    byte[] expectedHex()
    {
        return expectedHex;
    }

    private void update(
        final MessageDigest md, final DirectBuffer buffer, final DigestCredentialsDecoder credentials, final int param)
    {
        update(md, buffer, credentials.valueOffset(param), credentials.valueLength(param));
    }

    private void update(final MessageDigest md, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int done = 0; done < length; done += CHUNK_BYTES)
        {
            final int n = Math.min(CHUNK_BYTES, length - done);
            buffer.getBytes(offset + done, chunk, 0, n);
            md.update(chunk, 0, n);
        }
    }

    private void finish(final MessageDigest md, final int digestBytes, final byte[] hex)
    {
        try
        {
            md.digest(digest, 0, digestBytes);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("digest output does not fit " + digestBytes + " bytes", ex);
        }
        Hex.encode(digest, digestBytes, hex);
    }
}
