package io.corral.engine.auth;

import io.corral.engine.sip.codec.HeaderName;
import io.corral.engine.sip.codec.SipMessageDecoder;
import io.corral.engine.sip.codec.SipResponseBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.corral.engine.auth.AuthFixtures.REALM;
import static io.corral.engine.auth.AuthFixtures.REGISTER_URI;
import static io.corral.engine.auth.AuthFixtures.SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestAuthenticatorAllocationTest
{
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final int WARM_UP_ITERATIONS = 60_000;
    private static final int MEASURED_RUNS = 3;
    private static final int PER_RUN = 4_000;

    @TempDir
    Path tmp;

    @Test
    void shouldNotAllocateWhenVerifyingAndChallenging()
    {
        final UsersFile users = new UsersFile(tmp.resolve("users"));
        users.put(UsersFile.entry("alice", REALM, DigestAlgorithm.SHA_256, "wonderland".toCharArray()));
        users.put(UsersFile.entry("alice", REALM, DigestAlgorithm.MD5, "wonderland".toCharArray()));
        final NonceManager nonces = new NonceManager(DigestAuthenticatorTest.SECRET,
            REALM.getBytes(StandardCharsets.US_ASCII), 1, 0, 300_000, 1 << 17, 0);
        final DigestAuthenticator authenticator = new DigestAuthenticator(REALM,
            new int[]{DigestAlgorithm.SHA_256, DigestAlgorithm.MD5}, users, nonces,
            new FailureLimiter(Integer.MAX_VALUE, 60_000, 1024), 7);
        final UnsafeBuffer nonceBuffer = new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]);
        nonces.issue(NOW_MS, nonceBuffer, 0);
        final String nonce = new String(nonceBuffer.byteArray(), StandardCharsets.US_ASCII);

        // Every accepted request needs a higher nc, so the measured requests are built before measuring; the nonce
        // table is large enough that the challenges issued meanwhile do not push this nonce out.
        final int total = 1 + MEASURED_RUNS * PER_RUN;
        final UnsafeBuffer[] accepted = new UnsafeBuffer[total];
        for (int i = 0; i < total; i++)
        {
            accepted[i] = request(AuthFixtures.credentials(
                i % 2 == 0 ? "SHA-256" : "MD5", "alice", "wonderland", "REGISTER", REGISTER_URI, nonce, i + 1));
        }
        final UnsafeBuffer wrong = request(AuthFixtures.credentials(
            "SHA-256", "alice", "wrong", "REGISTER", REGISTER_URI, nonce, 1));
        final UnsafeBuffer unknown = request(AuthFixtures.credentials(
            "MD5", "mallory", "wrong", "REGISTER", REGISTER_URI, nonce, 1));
        final Round round = new Round(authenticator);

        assertEquals(DigestAuthenticator.OK, round.check(accepted[0]));
        for (int i = 0; i < WARM_UP_ITERATIONS; i++)
        {
            // A replay runs the whole verification (digests included) and ends in a challenge.
            assertEquals(DigestAuthenticator.CHALLENGE, round.check(accepted[0]));
            round.challengeAndCheck(i % 2 == 0 ? wrong : unknown);
        }

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(threadId);
        long leastAllocated = Long.MAX_VALUE;
        for (int run = 0; run < MEASURED_RUNS; run++)
        {
            int ok = 0;
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 1 + run * PER_RUN, end = i + PER_RUN; i < end; i++)
            {
                ok += round.check(accepted[i]) == DigestAuthenticator.OK ? 1 : 0;
                round.challengeAndCheck(i % 2 == 0 ? wrong : unknown);
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertEquals(PER_RUN, ok);
            leastAllocated = Math.min(leastAllocated, allocated);
        }
        assertTrue(leastAllocated < 1024, "allocated " + leastAllocated + " bytes over " + PER_RUN + " rounds");
    }

    private static UnsafeBuffer request(final String credentials)
    {
        return new UnsafeBuffer(AuthFixtures.withHeader("register.sip", "Authorization: " + credentials)
            .getBytes(StandardCharsets.US_ASCII));
    }

    private static final class Round
    {
        private final SipMessageDecoder decoder = new SipMessageDecoder();
        private final SipResponseBuilder builder = new SipResponseBuilder();
        private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
        private final DigestAuthenticator authenticator;

        Round(final DigestAuthenticator authenticator)
        {
            this.authenticator = authenticator;
        }

        int check(final UnsafeBuffer request)
        {
            decoder.wrap(request, 0, request.capacity());
            return authenticator.check(decoder, HeaderName.AUTHORIZATION, SOURCE, NOW_MS);
        }

        void challengeAndCheck(final UnsafeBuffer request)
        {
            if (check(request) != DigestAuthenticator.CHALLENGE)
            {
                throw new AssertionError("expected a challenge");
            }
            final int status = authenticator.addChallenge(builder, HeaderName.AUTHORIZATION, false, NOW_MS);
            if (builder.buildResponse(decoder, status, null, null, 0, -1, out, 0) <= 0)
            {
                throw new AssertionError("challenge not built");
            }
        }
    }
}
