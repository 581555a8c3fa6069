package io.corral.perf.gen;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestClientTest
{
    @Test
    void shouldAnswerAnMd5ChallengeWithQopAuth() throws NoSuchAlgorithmException
    {
        final DigestClient client = new DigestClient("pw");
        final String challenge = "Digest realm=\"lab\", nonce=\"abc123\", qop=\"auth\", opaque=\"xyz\", algorithm=MD5";
        assertTrue(client.wrapChallenge(buffer(challenge), 0, challenge.length()));

        final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        final SipWriter writer = new SipWriter().wrap(out, 0, 512);
        client.writeAuthorization(writer, 7, "REGISTER", "sip:127.0.0.1");
        final String value = out.getStringWithoutLengthAscii(0, writer.length());

        final String ha1 = md5("u7:lab:pw");
        final String ha2 = md5("REGISTER:sip:127.0.0.1");
        final String expected = md5(ha1 + ":abc123:00000001:7:auth:" + ha2);
        assertTrue(value.startsWith("Digest username=\"u7\", realm=\"lab\", nonce=\"abc123\", uri=\"sip:127.0.0.1\""),
            value);
        assertTrue(value.contains("response=\"" + expected + "\""), value);
        assertTrue(value.contains("qop=auth, nc=00000001, cnonce=\"7\""), value);
        assertTrue(value.endsWith("opaque=\"xyz\""), value);
    }

    @Test
    void shouldAnswerWithoutQopWhenNoneIsOffered() throws NoSuchAlgorithmException
    {
        final DigestClient client = new DigestClient("pw");
        final String challenge = "Digest realm=\"r\",nonce=\"n\"";
        assertTrue(client.wrapChallenge(buffer(challenge), 0, challenge.length()));

        final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        final SipWriter writer = new SipWriter().wrap(out, 0, 512);
        client.writeAuthorization(writer, 1, "REGISTER", "sip:d");
        final String value = out.getStringWithoutLengthAscii(0, writer.length());

        final String expected = md5(md5("u1:r:pw") + ":n:" + md5("REGISTER:sip:d"));
        assertTrue(value.contains("response=\"" + expected + "\""), value);
        assertFalse(value.contains("qop"), value);
    }

    @Test
    void shouldRefuseOtherAlgorithms()
    {
        final DigestClient client = new DigestClient("pw");
        final String challenge = "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256";

        assertFalse(client.wrapChallenge(buffer(challenge), 0, challenge.length()));
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String md5(final String text) throws NoSuchAlgorithmException
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
