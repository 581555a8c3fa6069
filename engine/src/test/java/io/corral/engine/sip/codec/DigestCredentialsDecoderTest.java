package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.corral.engine.sip.codec.DigestCredentialsDecoder.ALGORITHM;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.CNONCE;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.NONCE;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.OPAQUE;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.QOP;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.REALM;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.RESPONSE;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.STALE;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.URI;
import static io.corral.engine.sip.codec.DigestCredentialsDecoder.USERNAME;
import static io.corral.engine.sip.codec.TestValues.OFFSET;
import static io.corral.engine.sip.codec.TestValues.buffer;
import static io.corral.engine.sip.codec.TestValues.length;
import static io.corral.engine.sip.codec.TestValues.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class DigestCredentialsDecoderTest
{
    private final DigestCredentialsDecoder decoder = new DigestCredentialsDecoder();

    @Test
    void shouldDecodeAllParametersWhenRfc3261AuthorizationIsValid()
    {
        final String value = "Digest username=\"bob\", realm=\"biloxi.com\",\r\n"
            + " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\","
            + " qop=auth, nc=0000000a, cnonce=\"0a4f113b\",\r\n"
            + "\tresponse=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)), decoder::reason);
        assertTrue(decoder.isDigest());
        assertEquals("Digest", string(buffer, decoder.schemeOffset(), decoder.schemeLength()));
        assertEquals("bob", value(buffer, USERNAME));
        assertEquals("biloxi.com", value(buffer, REALM));
        assertEquals("dcd98b7102dd2f0e8b11d0f600bfb0c093", value(buffer, NONCE));
        assertEquals("sip:bob@biloxi.com", value(buffer, URI));
        assertEquals("6629fae49393a05397450978507c4ef1", value(buffer, RESPONSE));
        assertEquals("0a4f113b", value(buffer, CNONCE));
        assertEquals("5ccc069c403ebaf9f0171e9517f40e41", value(buffer, OPAQUE));
        assertEquals("auth", value(buffer, QOP));
        assertFalse(decoder.isQuoted(QOP));
        assertTrue(decoder.isQuoted(USERNAME));
        assertEquals(10L, decoder.nonceCount());
        assertEquals(DigestCredentialsDecoder.ALGORITHM_ABSENT, decoder.algorithm());
        assertFalse(decoder.has(ALGORITHM));
        assertEquals(9, decoder.parameters().count());
    }

    static Stream<Arguments> algorithms()
    {
        return Stream.of(
            arguments("MD5", DigestCredentialsDecoder.ALGORITHM_MD5),
            arguments("md5-sess", DigestCredentialsDecoder.ALGORITHM_MD5_SESS),
            arguments("SHA-256", DigestCredentialsDecoder.ALGORITHM_SHA_256),
            arguments("\"SHA-256-sess\"", DigestCredentialsDecoder.ALGORITHM_SHA_256_SESS),
            arguments("SHA-512-256", DigestCredentialsDecoder.ALGORITHM_SHA_512_256),
            arguments("SHA-512-256-sess", DigestCredentialsDecoder.ALGORITHM_SHA_512_256_SESS),
            arguments("AKAv1-MD5", DigestCredentialsDecoder.ALGORITHM_OTHER));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void shouldMapAlgorithmToCodeWhenPresent(final String algorithm, final int code)
    {
        final String value = "digest realm=\"r\", algorithm=" + algorithm;
        assertTrue(decoder.wrap(buffer(value), OFFSET, length(value)), decoder::reason);
        assertEquals(code, decoder.algorithm());
    }

    @Test
    void shouldDecodeChallengeWhenWwwAuthenticate()
    {
        final String value = "Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", qop=\"auth,auth-int\","
            + " nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5";
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)), decoder::reason);
        assertEquals("auth,auth-int", value(buffer, QOP));
        assertEquals("", value(buffer, OPAQUE));
        assertTrue(decoder.has(OPAQUE));
        assertEquals("FALSE", value(buffer, STALE));
        assertEquals(-1L, decoder.nonceCount());
    }

    @Test
    void shouldFlagQuotedPairsWhenUsernameIsEscaped()
    {
        final String value = "Digest username=\"a\\\"b\\\\c\", realm=\"r\"";
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)), decoder::reason);
        assertTrue(decoder.hasQuotedPairs(USERNAME));
        assertFalse(decoder.hasQuotedPairs(REALM));
        final UnsafeBuffer out = new UnsafeBuffer(new byte[16]);
        final int written = SipBytes.unquote(
            buffer, decoder.valueOffset(USERNAME), decoder.valueLength(USERNAME), out, 0);
        assertEquals("a\"b\\c", out.getStringWithoutLengthAscii(0, written));
    }

    @Test
    void shouldAcceptWithoutParametersWhenSchemeIsNotDigest()
    {
        final String value = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==";
        final UnsafeBuffer buffer = buffer(value);
        assertTrue(decoder.wrap(buffer, OFFSET, length(value)));
        assertFalse(decoder.isDigest());
        assertEquals("Basic", string(buffer, decoder.schemeOffset(), decoder.schemeLength()));
        assertEquals(0, decoder.parameters().count());
    }

    static Stream<Arguments> invalidValues()
    {
        return Stream.of(
            arguments("", DigestCredentialsDecoder.REASON_EMPTY),
            arguments("\"Digest\" username=\"a\"", DigestCredentialsDecoder.REASON_SCHEME),
            arguments("Digest", DigestCredentialsDecoder.REASON_PARAMETER),
            arguments("Digest username=\"bob", DigestCredentialsDecoder.REASON_UNTERMINATED_QUOTE),
            arguments("Digest username=\"bob\\\"", DigestCredentialsDecoder.REASON_UNTERMINATED_QUOTE),
            arguments("Digest username=\"a\", username=\"b\"", DigestCredentialsDecoder.REASON_DUPLICATE),
            arguments("Digest Realm=\"a\", realm=\"b\"", DigestCredentialsDecoder.REASON_DUPLICATE),
            arguments("Digest x=1, X=2", DigestCredentialsDecoder.REASON_DUPLICATE),
            arguments("Digest username=\"a\" realm=\"b\"", DigestCredentialsDecoder.REASON_PARAMETER),
            arguments("Digest username=\"a\",, realm=\"b\"", DigestCredentialsDecoder.REASON_PARAMETER),
            arguments("Digest username", DigestCredentialsDecoder.REASON_PARAMETER),
            arguments("Digest username=", DigestCredentialsDecoder.REASON_PARAMETER),
            arguments("Digest nc=0000001", DigestCredentialsDecoder.REASON_NC),
            arguments("Digest nc=000000001", DigestCredentialsDecoder.REASON_NC),
            arguments("Digest nc=0000000g", DigestCredentialsDecoder.REASON_NC),
            arguments("Digest algorithm=\"MD 5\"", DigestCredentialsDecoder.REASON_ALGORITHM));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void shouldRejectWithReasonWhenMalformed(final String value, final String reason)
    {
        assertFalse(decoder.wrap(buffer(value), OFFSET, length(value)), value);
        assertEquals(reason, decoder.reason(), value);
        assertFalse(decoder.isDigest());
    }

    private String value(final UnsafeBuffer buffer, final int param)
    {
        return string(buffer, decoder.valueOffset(param), decoder.valueLength(param));
    }
}
