package io.corral.engine.auth;

import io.corral.engine.sip.codec.DigestCredentialsDecoder;
import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipBytes;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.SipResponseBuilder;
import io.corral.engine.sip.codec.SipStatus;
import io.corral.engine.sip.codec.SipUriDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Digest authentication of SIP requests (RFC 3261 §22, RFC 7616, RFC 8760) for one realm: MD5 and SHA-256 with
 * qop=auth, nonces signed with the member secret ({@link NonceManager}), nonce-count replay protection, and a failure
 * limit per source address ({@link FailureLimiter}).
 * <p>
 * A failed attempt tells the client nothing: no credentials, an unknown user, a wrong password, a bad or replayed
 * nonce all give {@link #CHALLENGE}, and the response is computed in full even for an unknown user (over a dummy
 * HA1), so the answer and its timing are the same. Failures other than "no credentials for this realm" count towards
 * the source's limit; then {@link #RATE_LIMITED} is returned without looking at the credentials.
 * <p>
 * Usage on a SIP agent, for a request that needs authentication:
 * <pre>
 *   headerId = DigestAuthenticator.credentialsHeader(method);      // AUTHORIZATION for REGISTER
 *   switch (authenticator.check(request, headerId, sourceRemoteId, nowMs))
 *     OK:           proceed; the user is userBuffer()/userOffset()/userLength()
 *     CHALLENGE:    status = authenticator.addChallenge(builder, headerId, false, nowMs); build, send
 *     STALE:        status = authenticator.addChallenge(builder, headerId, true, nowMs);  build, send
 *     RATE_LIMITED: drop, or answer 403 (AuthSettings.dropWhenLimited())
 * </pre>
 * Nothing is allocated per request. One instance per SIP agent; not thread-safe. The users snapshot is re-read from
 * {@link UsersFile#users()} on every check, so a reload on another thread takes effect at the next request.
 */
public final class DigestAuthenticator
{
    /** {@link #check}: the credentials are valid; the user is {@link #userOffset()} / {@link #userLength()}. */
    public static final int OK = 0;
    /** {@link #check}: answer with a challenge ({@link #addChallenge} with stale false). */
    public static final int CHALLENGE = 1;
    /** {@link #check}: right password, old nonce: answer with a challenge with stale=true. */
    public static final int STALE = 2;
    /** {@link #check}: the source has too many failures; credentials were not checked. */
    public static final int RATE_LIMITED = 3;

    private static final int CHALLENGE_FIXED_BYTES = 128;
    private static final int USER_BYTES = 1024;
    private static final byte[] DIGEST_REALM = bytes("Digest realm=\"");
    private static final byte[] NONCE = bytes("\", nonce=\"");
    private static final byte[] ALGORITHM = bytes("\", algorithm=");
    private static final byte[] QOP_AUTH = bytes(", qop=\"auth\"");
    private static final byte[] STALE_TRUE = bytes(", stale=true");
    private static final byte[] AUTH = bytes("auth");
    private static final byte[] WWW_AUTHENTICATE = HeaderName.name(HeaderName.WWW_AUTHENTICATE);
    private static final byte[] PROXY_AUTHENTICATE = HeaderName.name(HeaderName.PROXY_AUTHENTICATE);

    private final byte[] realm;
    private final int[] algorithms;
    private final UsersFile usersFile;
    private final NonceManager nonces;
    private final FailureLimiter limiter;
    private final DigestCredentialsDecoder credentials = new DigestCredentialsDecoder();
    private final DigestResponse response = new DigestResponse();
    private final SipUriDecoder digestUri = new SipUriDecoder();
    private final UnsafeBuffer challengeValue;
    private final UnsafeBuffer nonceValue = new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]);
    private final UnsafeBuffer unquotedUser = new UnsafeBuffer(new byte[USER_BYTES]);
    private final byte[] dummyMd5Ha1 = new byte[2 * DigestAlgorithm.digestBytes(DigestAlgorithm.MD5)];
    private final byte[] dummySha256Ha1 = new byte[2 * DigestAlgorithm.digestBytes(DigestAlgorithm.SHA_256)];
    private DirectBuffer userBuffer;
    private int userOffset;
    private int userLength;
    private int algorithm;

    /**
     * @param realm      the realm challenged and required in credentials.
     * @param algorithms {@link DigestAlgorithm} codes offered, in order (one challenge header each).
     * @param usersFile  the users, loaded.
     * @param nonces     this agent's nonces.
     * @param limiter    this agent's failure limiter.
     * @param seed       seeds the dummy HA1 used for unknown users.
     */
    public DigestAuthenticator(
        final String realm,
        final int[] algorithms,
        final UsersFile usersFile,
        final NonceManager nonces,
        final FailureLimiter limiter,
        final long seed)
    {
        if (algorithms.length == 0)
        {
            throw new IllegalArgumentException("at least one algorithm must be offered");
        }
        for (final int code : algorithms)
        {
            DigestAlgorithm.nameBytes(code);
        }
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
        challengeValue = new UnsafeBuffer(new byte[this.realm.length + CHALLENGE_FIXED_BYTES]);
        this.algorithms = algorithms.clone();
        this.usersFile = usersFile;
        this.nonces = nonces;
        this.limiter = limiter;
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] hexDigits = bytes("0123456789abcdef");
        for (int i = 0; i < dummyMd5Ha1.length; i++)
        {
            dummyMd5Ha1[i] = hexDigits[random.nextInt(16)];
        }
        for (int i = 0; i < dummySha256Ha1.length; i++)
        {
            dummySha256Ha1[i] = hexDigits[random.nextInt(16)];
        }
    }

    /**
     * One authenticator per SIP agent, from the settings.
     *
     * @param settings   the auth settings.
     * @param usersFile  the users, loaded (shared by the agents).
     * @param secret     the member secret ({@link MemberSecret#loadOrCreate}).
     * @param memberId   this member's id.
     * @param agentIndex this SIP agent's index.
     * @param seed       random seed, different per agent and start.
     * @return the authenticator.
     */
    public static DigestAuthenticator create(
        final AuthSettings settings,
        final UsersFile usersFile,
        final byte[] secret,
        final int memberId,
        final int agentIndex,
        final long seed)
    {
        final NonceManager nonces = new NonceManager(secret, settings.realm().getBytes(StandardCharsets.UTF_8),
            memberId, agentIndex, settings.nonceLifetimeMs(), settings.nonceTableSize(), (int)(seed >>> 32));
        final FailureLimiter limiter = new FailureLimiter(
            settings.failureLimit(), settings.failureWindowMs(), FailureLimiter.DEFAULT_CAPACITY);
        return new DigestAuthenticator(settings.realm(), settings.algorithms(), usersFile, nonces, limiter, seed);
    }

    /**
     * @param method a {@link SipMethod} code.
     * @return the header a request of the method carries credentials in: {@link HeaderName#AUTHORIZATION} for
     *     REGISTER (the registrar is the UAS, 401), {@link HeaderName#PROXY_AUTHORIZATION} otherwise (407).
     */
    public static int credentialsHeader(final int method)
    {
        return method == SipMethod.REGISTER ? HeaderName.AUTHORIZATION : HeaderName.PROXY_AUTHORIZATION;
    }

    /**
     * Authenticate a request.
     *
     * @param request        a request decoded {@link SipMessageDecoder#OK}.
     * @param headerId       {@link HeaderName#AUTHORIZATION} or {@link HeaderName#PROXY_AUTHORIZATION}.
     * @param sourceRemoteId the source as a transport remote id (an IPv4 source counts without its port).
     * @param nowMs          wall clock.
     * @return {@link #OK}, {@link #CHALLENGE}, {@link #STALE} or {@link #RATE_LIMITED}.
     */
    public int check(final SipMessageDecoder request, final int headerId, final long sourceRemoteId, final long nowMs)
    {
        userBuffer = null;
        userOffset = 0;
        userLength = 0;
        algorithm = DigestAlgorithm.NONE;
        final long sourceKey = FailureLimiter.sourceKey(sourceRemoteId);
        if (limiter.isLimited(sourceKey, nowMs))
        {
            return RATE_LIMITED;
        }
        if (!findCredentials(request, headerId))
        {
            return CHALLENGE;
        }
        final int outcome = verify(request, nowMs);
        if (outcome == CHALLENGE)
        {
            limiter.onFailure(sourceKey, nowMs);
        }
        return outcome;
    }

    /**
     * Add the challenge headers to the next response of {@code builder}: one {@code WWW-Authenticate} (for
     * {@link HeaderName#AUTHORIZATION}) or {@code Proxy-Authenticate} header per offered algorithm, in offer order,
     * all with the same fresh nonce: {@code Digest realm="R", nonce="N", algorithm=A, qop="auth"[, stale=true]}.
     *
     * @param builder  the response builder of this agent.
     * @param headerId the credentials header checked: {@link HeaderName#AUTHORIZATION} or
     *                 {@link HeaderName#PROXY_AUTHORIZATION}.
     * @param stale    true after {@link #STALE}.
     * @param nowMs    wall clock.
     * @return the status to build: 401 for {@link HeaderName#AUTHORIZATION}, else 407.
     */
    public int addChallenge(
        final SipResponseBuilder builder, final int headerId, final boolean stale, final long nowMs)
    {
        final boolean www = headerId == HeaderName.AUTHORIZATION;
        nonces.issue(nowMs, nonceValue, 0);
        for (final int code : algorithms)
        {
            int length = put(0, DIGEST_REALM);
            length = put(length, realm);
            length = put(length, NONCE);
            challengeValue.putBytes(length, nonceValue, 0, NonceManager.NONCE_LENGTH);
            length += NonceManager.NONCE_LENGTH;
            length = put(length, ALGORITHM);
            length = put(length, DigestAlgorithm.nameBytes(code));
            length = put(length, QOP_AUTH);
            if (stale)
            {
                length = put(length, STALE_TRUE);
            }
            builder.withHeader(www ? WWW_AUTHENTICATE : PROXY_AUTHENTICATE, challengeValue, 0, length);
        }
        return www ? SipStatus.UNAUTHORIZED : SipStatus.PROXY_AUTHENTICATION_REQUIRED;
    }

    /**
     * @return after {@link #OK}: the buffer holding the authenticated user name (the request's, or a copy when
     *     the name had quoted-pairs); null otherwise.
     */
    public DirectBuffer userBuffer()
    {
        return userBuffer;
    }

    /**
     * @return after {@link #OK}: offset of the user name in {@link #userBuffer()}.
     */
    public int userOffset()
    {
        return userOffset;
    }

    /**
     * @return after {@link #OK}: length of the user name; 0 otherwise.
     */
    public int userLength()
    {
        return userLength;
    }

    /**
     * @return after {@link #OK}: the {@link DigestAlgorithm} the credentials used; {@link DigestAlgorithm#NONE}
     *     otherwise.
     */
    public int algorithm()
    {
        return algorithm;
    }

    /**
     * @return this agent's failure limiter.
     */
    public FailureLimiter limiter()
    {
        return limiter;
    }

    private boolean findCredentials(final SipMessageDecoder request, final int headerId)
    {
        final DirectBuffer buffer = request.buffer();
        for (int i = request.firstIndexOf(headerId); i >= 0; i = request.nextIndexOf(headerId, i))
        {
            // Credentials for other realms belong to proxies further on (RFC 3261 §22.3): skip them.
            if (credentials.wrap(buffer, request.valueOffset(i), request.valueLength(i)) && credentials.isDigest() &&
                credentials.has(DigestCredentialsDecoder.REALM) && !credentials.hasQuotedPairs(
                DigestCredentialsDecoder.REALM) && SipBytes.equalsExact(buffer,
                credentials.valueOffset(DigestCredentialsDecoder.REALM),
                credentials.valueLength(DigestCredentialsDecoder.REALM), realm))
            {
                return true;
            }
        }
        return false;
    }

    private int verify(final SipMessageDecoder request, final long nowMs)
    {
        final DirectBuffer buffer = credentials.buffer();
        final int code = credentials.algorithm() == DigestCredentialsDecoder.ALGORITHM_ABSENT ?
            DigestAlgorithm.MD5 : credentials.algorithm();
        if (!isOffered(code) || !isComplete() || credentials.has(DigestCredentialsDecoder.USERHASH) ||
            !SipBytes.equalsIgnoreCase(buffer, credentials.valueOffset(DigestCredentialsDecoder.QOP),
            credentials.valueLength(DigestCredentialsDecoder.QOP), AUTH) ||
            !isRequestUri(request))
        {
            return CHALLENGE;
        }
        final int nonce = nonces.verify(buffer, credentials.valueOffset(DigestCredentialsDecoder.NONCE),
            credentials.valueLength(DigestCredentialsDecoder.NONCE), nowMs);
        if (nonce == NonceManager.INVALID)
        {
            return CHALLENGE;
        }

        resolveUser(buffer);
        final int entry = usersFile.users().find(userBuffer, userOffset, userLength, realm, code);
        // An unknown user costs the same digest work as a known one: the timing tells nothing.
        final byte[] ha1Hex = entry >= 0 ? usersFile.users().ha1Hex(entry) :
            code == DigestAlgorithm.MD5 ? dummyMd5Ha1 : dummySha256Ha1;
        final int expectedLength = response.compute(
            code, ha1Hex, request.buffer(), request.methodOffset(), request.methodLength(), credentials);
        final boolean match = Hex.equalsConstantTime(response.expectedHex(), expectedLength, buffer,
            credentials.valueOffset(DigestCredentialsDecoder.RESPONSE),
            credentials.valueLength(DigestCredentialsDecoder.RESPONSE));
        if (!match || entry < 0)
        {
            userBuffer = null;
            userLength = 0;
            return CHALLENGE;
        }
        if (nonce == NonceManager.STALE)
        {
            userBuffer = null;
            userLength = 0;
            return STALE;
        }
        final long nc = credentials.nonceCount();
        if (!nonces.isFreshCount(nc))
        {
            userBuffer = null;
            userLength = 0;
            return CHALLENGE;
        }
        nonces.acceptCount(nc);
        algorithm = code;
        return OK;
    }

    /**
     * RFC 7616 §3.4.6: the digest-uri must name the request's target. The same bytes match; otherwise both must be
     * SIP or SIPS URIs with the same scheme, user, host (any case) and port, so a client that leaves out or reorders
     * URI parameters is still served while credentials for another target are refused.
     */
    private boolean isRequestUri(final SipMessageDecoder request)
    {
        final DirectBuffer buffer = credentials.buffer();
        final int offset = credentials.valueOffset(DigestCredentialsDecoder.URI);
        final int length = credentials.valueLength(DigestCredentialsDecoder.URI);
        if (SipBytes.rangesEqualExact(
            buffer, offset, length, request.buffer(), request.requestUriOffset(), request.requestUriLength()))
        {
            return true;
        }
        final SipUriDecoder target = request.requestUri();
        return digestUri.wrap(buffer, offset, length) && (target.scheme() == SipUriDecoder.SIP ||
            target.scheme() == SipUriDecoder.SIPS) && digestUri.scheme() == target.scheme() &&
            digestUri.port() == target.port() && digestUri.hasUser() == target.hasUser() &&
            (!target.hasUser() || SipBytes.rangesEqualExact(buffer, digestUri.userOffset(), digestUri.userLength(),
            target.buffer(), target.userOffset(), target.userLength())) &&
            SipBytes.rangesEqualIgnoreCase(buffer, digestUri.hostOffset(), digestUri.hostLength(), target.buffer(),
            target.hostOffset(), target.hostLength());
    }

    private boolean isOffered(final int code)
    {
        for (final int offered : algorithms)
        {
            if (offered == code)
            {
                return true;
            }
        }
        return false;
    }

    private boolean isComplete()
    {
        return credentials.has(DigestCredentialsDecoder.USERNAME) && credentials.has(DigestCredentialsDecoder.URI) &&
            credentials.has(DigestCredentialsDecoder.NONCE) && credentials.has(DigestCredentialsDecoder.RESPONSE) &&
            credentials.has(DigestCredentialsDecoder.QOP) && credentials.has(DigestCredentialsDecoder.NC) &&
            credentials.has(DigestCredentialsDecoder.CNONCE) &&
            !credentials.hasQuotedPairs(DigestCredentialsDecoder.URI) &&
            !credentials.hasQuotedPairs(DigestCredentialsDecoder.NONCE) &&
            !credentials.hasQuotedPairs(DigestCredentialsDecoder.CNONCE) &&
            !credentials.hasQuotedPairs(DigestCredentialsDecoder.QOP) &&
            !credentials.hasQuotedPairs(DigestCredentialsDecoder.RESPONSE) &&
            credentials.valueLength(DigestCredentialsDecoder.USERNAME) <= USER_BYTES;
    }

    private void resolveUser(final DirectBuffer buffer)
    {
        final int offset = credentials.valueOffset(DigestCredentialsDecoder.USERNAME);
        final int length = credentials.valueLength(DigestCredentialsDecoder.USERNAME);
        if (credentials.hasQuotedPairs(DigestCredentialsDecoder.USERNAME))
        {
            userBuffer = unquotedUser;
            userOffset = 0;
            userLength = SipBytes.unquote(buffer, offset, length, unquotedUser, 0);
        }
        else
        {
            userBuffer = buffer;
            userOffset = offset;
            userLength = length;
        }
    }

    private int put(final int offset, final byte[] bytes)
    {
        challengeValue.putBytes(offset, bytes);
        return offset + bytes.length;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
