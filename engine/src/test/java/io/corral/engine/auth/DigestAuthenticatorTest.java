package io.corral.engine.auth;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.corral.engine.auth.AuthFixtures.INVITE_URI;
import static io.corral.engine.auth.AuthFixtures.OTHER_SOURCE;
import static io.corral.engine.auth.AuthFixtures.REALM;
import static io.corral.engine.auth.AuthFixtures.REGISTER_URI;
import static io.corral.engine.auth.AuthFixtures.SOURCE;
import static io.corral.engine.auth.AuthFixtures.credentials;
import static io.corral.engine.auth.AuthFixtures.withHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestAuthenticatorTest
{
    static final long NOW_MS = 1_800_000_000_000L;
    static final long LIFETIME_MS = 300_000;
    static final int FAILURE_LIMIT = 5;
    static final long WINDOW_MS = 60_000;
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

    @TempDir
    Path tmp;

    private final SipMessageDecoder decoder = new SipMessageDecoder();
    private final SipResponseBuilder builder = new SipResponseBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
    private UsersFile users;
    private DigestAuthenticator authenticator;

    @BeforeEach
    void setUp()
    {
        users = new UsersFile(tmp.resolve("users"));
        for (final int algorithm : new int[]{DigestAlgorithm.SHA_256, DigestAlgorithm.MD5})
        {
            users.put(UsersFile.entry("alice", REALM, algorithm, "wonderland".toCharArray()));
        }
        users.put(UsersFile.entry("carol", "other.example.com", DigestAlgorithm.MD5, "x".toCharArray()));
        users.save();
        users.load();
        authenticator = authenticator(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
    }

    @Test
    void shouldAcceptSha256CredentialsAndExposeUserWhenPasswordIsRight()
    {
        final String nonce = nonce();

        assertEquals(DigestAuthenticator.OK, checkRegister(credentials("SHA-256", "alice", "wonderland",
            "REGISTER", REGISTER_URI, nonce, 1), SOURCE, NOW_MS + 10));
        assertEquals("alice", new String(bytes(authenticator), StandardCharsets.UTF_8));
        assertEquals(DigestAlgorithm.SHA_256, authenticator.algorithm());
    }

    @Test
    void shouldAcceptMd5CredentialsWhenAlgorithmParameterIsAbsent()
    {
        final String header = credentials("MD5", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce(), 1)
            .replace(", algorithm=MD5", "");

        assertEquals(DigestAuthenticator.OK, checkRegister(header, SOURCE, NOW_MS));
        assertEquals(DigestAlgorithm.MD5, authenticator.algorithm());
    }

    @Test
    void shouldAcceptUserNameWithQuotedPairWhenItIsUnquotedToAKnownUser()
    {
        final String header = credentials("MD5", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce(), 1)
            .replace("username=\"alice\"", "username=\"al\\ice\"");

        assertEquals(DigestAuthenticator.OK, checkRegister(header, SOURCE, NOW_MS));
        assertEquals("alice", new String(bytes(authenticator), StandardCharsets.UTF_8));
    }

    @Test
    void shouldChallengeWithOneWwwAuthenticatePerAlgorithmSha256FirstWhenRegisterHasNoCredentials()
    {
        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(null, SOURCE, NOW_MS));
        final String response = challengeResponse("register.sip", null, HeaderName.AUTHORIZATION, false);

        assertTrue(response.startsWith("SIP/2.0 401 Unauthorized\r\n"), response);
        final List<String> challenges = headers(response, "WWW-Authenticate");
        final String nonce = nonceOf(response);
        assertEquals(List.of(
            "Digest realm=\"example.com\", nonce=\"" + nonce + "\", algorithm=SHA-256, qop=\"auth\"",
            "Digest realm=\"example.com\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\""), challenges);
        assertEquals(NonceManager.NONCE_LENGTH, nonce.length());
        assertEquals(0, authenticator.limiter().failures(FailureLimiter.sourceKey(SOURCE)));
    }

    @Test
    void shouldChallengeWith407ProxyAuthenticateWhenInviteHasNoCredentials()
    {
        final int headerId = DigestAuthenticator.credentialsHeader(SipMethod.INVITE);
        AuthFixtures.decode(decoder, withHeader("invite.sip", null));
        assertEquals(DigestAuthenticator.CHALLENGE, authenticator.check(decoder, headerId, SOURCE, NOW_MS));

        final String response = challengeResponse("invite.sip", null, headerId, false);
        assertTrue(response.startsWith("SIP/2.0 407 Proxy Authentication Required\r\n"), response);
        assertEquals(2, headers(response, "Proxy-Authenticate").size());
        assertEquals(0, headers(response, "WWW-Authenticate").size());
    }

    @Test
    void shouldAcceptProxyAuthorizationWhenInviteCredentialsAreRight()
    {
        final String nonce = nonce();
        final String header = "Proxy-Authorization: " +
            credentials("SHA-256", "alice", "wonderland", "INVITE", INVITE_URI, nonce, 1);
        AuthFixtures.decode(decoder, withHeader("invite.sip", header));

        assertEquals(DigestAuthenticator.OK,
            authenticator.check(decoder, HeaderName.PROXY_AUTHORIZATION, SOURCE, NOW_MS));
        assertEquals(DigestAuthenticator.CHALLENGE,
            authenticator.check(decoder, HeaderName.AUTHORIZATION, SOURCE, NOW_MS));
    }

    @Test
    void shouldChallengeAndCountFailureWhenPasswordIsWrong()
    {
        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(credentials("SHA-256", "alice", "wrong",
            "REGISTER", REGISTER_URI, nonce(), 1), SOURCE, NOW_MS));
        assertNull(authenticator.userBuffer());
        assertEquals(0, authenticator.userLength());
        assertEquals(1, authenticator.limiter().failures(FailureLimiter.sourceKey(SOURCE)));
    }

    @Test
    void shouldGiveTheSameChallengeForUnknownUserAsForWrongPassword()
    {
        final String wrongPassword = "Authorization: " +
            credentials("SHA-256", "alice", "wrong", "REGISTER", REGISTER_URI, nonce(), 1);
        final String unknownUser = "Authorization: " +
            credentials("SHA-256", "mallory", "wrong", "REGISTER", REGISTER_URI, nonce(), 1);

        assertEquals(DigestAuthenticator.CHALLENGE,
            check("register.sip", wrongPassword, HeaderName.AUTHORIZATION, SOURCE, NOW_MS));
        final String first = challengeResponse("register.sip", wrongPassword, HeaderName.AUTHORIZATION, false);
        assertEquals(DigestAuthenticator.CHALLENGE,
            check("register.sip", unknownUser, HeaderName.AUTHORIZATION, SOURCE, NOW_MS));
        final String second = challengeResponse("register.sip", unknownUser, HeaderName.AUTHORIZATION, false);

        assertNotEquals(nonceOf(first), nonceOf(second));
        assertEquals(headerNamesAndValues(first), headerNamesAndValues(second));
        assertEquals(2, authenticator.limiter().failures(FailureLimiter.sourceKey(SOURCE)));
    }

    @Test
    void shouldRejectReplayedNonceCountAndAcceptHigherOne()
    {
        final String nonce = nonce();
        final String first = credentials("SHA-256", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce, 1);

        assertEquals(DigestAuthenticator.OK, checkRegister(first, SOURCE, NOW_MS));
        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(first, SOURCE, NOW_MS + 1));
        assertEquals(DigestAuthenticator.OK, checkRegister(
            credentials("SHA-256", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce, 2), SOURCE, NOW_MS + 2));
    }

    @Test
    void shouldNotBurnNonceCountWhenForgedCredentialsUseAHigherCount()
    {
        final String nonce = nonce();

        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(
            credentials("SHA-256", "alice", "guess", "REGISTER", REGISTER_URI, nonce, 9), SOURCE, NOW_MS));
        assertEquals(DigestAuthenticator.OK, checkRegister(
            credentials("SHA-256", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce, 1), SOURCE, NOW_MS));
    }

    @Test
    void shouldAnswerStaleWhenNonceExpiredAndPasswordIsRight()
    {
        final String nonce = nonce();
        final long later = NOW_MS + LIFETIME_MS + 1;

        assertEquals(DigestAuthenticator.STALE, checkRegister(
            credentials("SHA-256", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce, 1), SOURCE, later));
        final String response = challengeResponse("register.sip", null, HeaderName.AUTHORIZATION, true);
        for (final String challenge : headers(response, "WWW-Authenticate"))
        {
            assertTrue(challenge.endsWith(", qop=\"auth\", stale=true"), challenge);
        }
        assertEquals(0, authenticator.limiter().failures(FailureLimiter.sourceKey(SOURCE)));
    }

    @Test
    void shouldChallengeWithoutStaleWhenNonceExpiredAndPasswordIsWrong()
    {
        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(credentials("SHA-256", "alice", "wrong",
            "REGISTER", REGISTER_URI, nonce(), 1), SOURCE, NOW_MS + LIFETIME_MS + 1));
    }

    @Test
    void shouldChallengeWhenNonceIsTampered()
    {
        final String nonce = nonce();
        final char flipped = nonce.charAt(3) == 'A' ? 'B' : 'A';
        final String tampered = nonce.substring(0, 3) + flipped + nonce.substring(4);

        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(credentials("SHA-256", "alice", "wonderland",
            "REGISTER", REGISTER_URI, tampered, 1), SOURCE, NOW_MS));
        assertEquals(1, authenticator.limiter().failures(FailureLimiter.sourceKey(SOURCE)));
    }

    @Test
    void shouldChallengeWhenUriParameterDiffersFromRequestUri()
    {
        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(credentials("SHA-256", "alice", "wonderland",
            "REGISTER", "sip:elsewhere.example.com", nonce(), 1), SOURCE, NOW_MS));
    }

    @Test
    void shouldAcceptUriParameterThatDiffersFromRequestUriOnlyInParametersAndHostCase()
    {
        final String header = credentials("SHA-256", "alice", "wonderland", "INVITE", "sip:bob@EXAMPLE.com;user=phone",
            nonce(), 1);
        AuthFixtures.decode(decoder, withHeader("invite.sip", "Proxy-Authorization: " + header));

        assertEquals(DigestAuthenticator.OK,
            authenticator.check(decoder, HeaderName.PROXY_AUTHORIZATION, SOURCE, NOW_MS));
    }

    @Test
    void shouldChallengeWhenUriParameterNamesAnotherUserOrPort()
    {
        for (final String uri : new String[]{"sip:carol@example.com", "sip:bob@example.com:5070",
            "sips:bob@example.com", "sip:example.com"})
        {
            final String header = credentials("SHA-256", "alice", "wonderland", "INVITE", uri, nonce(), 1);
            AuthFixtures.decode(decoder, withHeader("invite.sip", "Proxy-Authorization: " + header));
            assertEquals(DigestAuthenticator.CHALLENGE,
                authenticator.check(decoder, HeaderName.PROXY_AUTHORIZATION, SOURCE, NOW_MS), uri);
        }
    }

    @Test
    void shouldChallengeWithoutCountingWhenCredentialsAreForAnotherRealm()
    {
        final String header = credentials("MD5", "carol", "x", "REGISTER", REGISTER_URI, nonce(), 1)
            .replace("realm=\"example.com\"", "realm=\"other.example.com\"");

        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(header, SOURCE, NOW_MS));
        assertEquals(0, authenticator.limiter().failures(FailureLimiter.sourceKey(SOURCE)));
    }

    @Test
    void shouldChallengeWhenAlgorithmIsNotOffered()
    {
        authenticator = authenticator(DigestAlgorithm.SHA_256);

        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(credentials("MD5", "alice", "wonderland",
            "REGISTER", REGISTER_URI, nonce(), 1), SOURCE, NOW_MS));
    }

    @Test
    void shouldChallengeWhenQopIsMissing()
    {
        final String header = credentials("MD5", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce(), 1)
            .replace(", qop=auth", "");

        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(header, SOURCE, NOW_MS));
    }

    @Test
    void shouldRateLimitSourceAfterFailuresWhileOtherSourceIsUnaffected()
    {
        for (int i = 0; i < FAILURE_LIMIT; i++)
        {
            assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(credentials("SHA-256", "alice", "guess" + i,
                "REGISTER", REGISTER_URI, nonce(), 1), SOURCE + i, NOW_MS + i));
        }
        final String right = credentials("SHA-256", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce(), 1);

        assertEquals(DigestAuthenticator.RATE_LIMITED, checkRegister(right, SOURCE, NOW_MS + 10));
        assertEquals(DigestAuthenticator.RATE_LIMITED, checkRegister(null, SOURCE + 7, NOW_MS + 10));
        assertEquals(DigestAuthenticator.OK, checkRegister(right, OTHER_SOURCE, NOW_MS + 10));
        assertEquals(FAILURE_LIMIT, authenticator.limiter().failures(FailureLimiter.sourceKey(SOURCE)));
        assertEquals(DigestAuthenticator.OK, checkRegister(credentials("SHA-256", "alice", "wonderland",
            "REGISTER", REGISTER_URI, nonce(NOW_MS + WINDOW_MS), 1), SOURCE, NOW_MS + WINDOW_MS));
    }

    @Test
    void shouldAnswerStaleWhenNonceWasIssuedByAnotherAgent()
    {
        final NonceManager otherAgent = new NonceManager(
            SECRET, REALM.getBytes(StandardCharsets.US_ASCII), 1, 1, LIFETIME_MS, 1024, 0);
        final UnsafeBuffer nonce = new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]);
        otherAgent.issue(NOW_MS, nonce, 0);
        final String foreign = new String(nonce.byteArray(), StandardCharsets.US_ASCII);

        assertEquals(DigestAuthenticator.STALE, checkRegister(credentials("SHA-256", "alice", "wonderland",
            "REGISTER", REGISTER_URI, foreign, 1), SOURCE, NOW_MS));
    }

    @Test
    void shouldSeeUsersAddedByReloadWhenFileChanges()
    {
        final UsersFile editor = new UsersFile(users.file()).load();
        editor.put(UsersFile.entry("dave", REALM, DigestAlgorithm.SHA_256, "pw".toCharArray()));
        editor.save();
        final String header = credentials("SHA-256", "dave", "pw", "REGISTER", REGISTER_URI, nonce(), 1);
        assertEquals(DigestAuthenticator.CHALLENGE, checkRegister(header, SOURCE, NOW_MS));

        users.load();
        assertEquals(DigestAuthenticator.OK, checkRegister(credentials("SHA-256", "dave", "pw", "REGISTER",
            REGISTER_URI, nonce(), 1), SOURCE, NOW_MS));
    }

    private DigestAuthenticator authenticator(final int... algorithms)
    {
        final NonceManager nonces = new NonceManager(
            SECRET, REALM.getBytes(StandardCharsets.US_ASCII), 1, 0, LIFETIME_MS, 1024, 0);
        return new DigestAuthenticator(
            REALM, algorithms, users, nonces, new FailureLimiter(FAILURE_LIMIT, WINDOW_MS, 1024), 42);
    }

    private String nonce()
    {
        return nonce(NOW_MS);
    }

    private String nonce(final long nowMs)
    {
        AuthFixtures.decode(decoder, withHeader("register.sip", null));
        builder.reset();
        authenticator.addChallenge(builder, HeaderName.AUTHORIZATION, false, nowMs);
        final int length = builder.buildResponse(decoder, SipStatus.UNAUTHORIZED, null, null, 0, -1, out, 0);
        return nonceOf(out.getStringWithoutLengthAscii(0, length));
    }

    private int checkRegister(final String credentials, final long source, final long nowMs)
    {
        return check("register.sip", credentials == null ? null : "Authorization: " + credentials,
            HeaderName.AUTHORIZATION, source, nowMs);
    }

    private int check(
        final String fixture, final String headerLine, final int headerId, final long source, final long nowMs)
    {
        AuthFixtures.decode(decoder, withHeader(fixture, headerLine));
        return authenticator.check(decoder, headerId, source, nowMs);
    }

    private String challengeResponse(
        final String fixture, final String headerLine, final int headerId, final boolean stale)
    {
        AuthFixtures.decode(decoder, withHeader(fixture, headerLine));
        final int status = authenticator.addChallenge(builder, headerId, stale, NOW_MS);
        final int length = builder.buildResponse(decoder, status, null, null, 0, -1, out, 0);
        assertTrue(length > 0);
        return out.getStringWithoutLengthAscii(0, length);
    }

    private static byte[] bytes(final DigestAuthenticator authenticator)
    {
        final byte[] user = new byte[authenticator.userLength()];
        authenticator.userBuffer().getBytes(authenticator.userOffset(), user);
        return user;
    }

    private static String nonceOf(final String response)
    {
        final Matcher matcher = NONCE.matcher(response);
        assertTrue(matcher.find(), response);
        return matcher.group(1);
    }

    private static List<String> headers(final String response, final String name)
    {
        final List<String> values = new ArrayList<>();
        for (final String line : response.split("\r\n"))
        {
            if (line.startsWith(name + ": "))
            {
                values.add(line.substring(name.length() + 2));
            }
        }
        return values;
    }

    private static List<String> headerNamesAndValues(final String response)
    {
        final String masked = NONCE.matcher(response).replaceAll("nonce=\"N\"");
        final List<String> lines = new ArrayList<>(Arrays.asList(masked.split("\r\n")));
        assertFalse(lines.isEmpty());
        return lines;
    }
}
