package io.corral.engine.auth;

import io.corral.engine.sip.codec.DigestCredentialsDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestResponseTest
{
    /** RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5. */
    private static final String RFC7616_PARAMS = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", " +
        "uri=\"/dir/index.html\", qop=auth, nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", " +
        "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", " +
        "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
    /** RFC 2617 §3.5. */
    private static final String RFC2617_PARAMS = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", " +
        "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, " +
        "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", " +
        "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    private final DigestResponse response = new DigestResponse();
    private final DigestCredentialsDecoder credentials = new DigestCredentialsDecoder();
    private final UnsafeBuffer get = buffer("GET");

    @Test
    void shouldMatchRfc7616ExampleWhenAlgorithmIsSha256()
    {
        final String ha1 = DigestAlgorithm.ha1Hex(
            DigestAlgorithm.SHA_256, "Mufasa", "http-auth@example.org", "Circle of Life".toCharArray());

        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            compute(DigestAlgorithm.SHA_256, ha1, RFC7616_PARAMS + ", algorithm=SHA-256"));
    }

    @Test
    void shouldMatchRfc7616ExampleWhenAlgorithmIsMd5()
    {
        final String ha1 = DigestAlgorithm.ha1Hex(
            DigestAlgorithm.MD5, "Mufasa", "http-auth@example.org", "Circle of Life".toCharArray());

        assertEquals("8ca523f5e9506fed4657c9700eebdbec",
            compute(DigestAlgorithm.MD5, ha1, RFC7616_PARAMS + ", algorithm=MD5"));
    }

    @Test
    void shouldMatchRfc2617ExampleWhenAlgorithmIsAbsent()
    {
        final String ha1 = DigestAlgorithm.ha1Hex(
            DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life".toCharArray());

        assertEquals("939e7578ed9e3c518a452acee763bce9", ha1);
        assertEquals("6629fae49393a05397450978507c4ef1", compute(DigestAlgorithm.MD5, ha1, RFC2617_PARAMS));
        assertTrue(Hex.equalsConstantTime(response.expectedHex(), 32, credentials.buffer(),
            credentials.valueOffset(DigestCredentialsDecoder.RESPONSE),
            credentials.valueLength(DigestCredentialsDecoder.RESPONSE)));
    }

    private String compute(final int algorithm, final String ha1Hex, final String header)
    {
        final UnsafeBuffer value = buffer(header);
        assertTrue(credentials.wrap(value, 0, value.capacity()), credentials.reason());
        final int length = response.compute(
            algorithm, ha1Hex.getBytes(StandardCharsets.US_ASCII), get, 0, 3, credentials);
        return new String(response.expectedHex(), 0, length, StandardCharsets.US_ASCII);
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
