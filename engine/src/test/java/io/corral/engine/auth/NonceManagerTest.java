package io.corral.engine.auth;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonceManagerTest
{
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final long LIFETIME_MS = 300_000;
    private static final byte[] SECRET = "a secret of the farm, 32 bytes!!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REALM = "example.com".getBytes(StandardCharsets.US_ASCII);

    private final NonceManager nonces = new NonceManager(SECRET, REALM, 3, 1, LIFETIME_MS, 4, 100);
    private final UnsafeBuffer nonce = new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]);

    @Test
    void shouldVerifyIssuedNonceWhenFresh()
    {
        assertEquals(NonceManager.NONCE_LENGTH, nonces.issue(NOW_MS, nonce, 0));

        assertTrue(text(nonce).matches("[A-Za-z0-9_-]{32}"), text(nonce));
        assertEquals(NonceManager.VALID, verify(nonce, NOW_MS + LIFETIME_MS));
    }

    @Test
    void shouldIssueDifferentNoncesWhenCalledTwiceInTheSameMillisecond()
    {
        final UnsafeBuffer second = new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]);
        nonces.issue(NOW_MS, nonce, 0);
        nonces.issue(NOW_MS, second, 0);

        assertNotEquals(text(nonce), text(second));
    }

    @Test
    void shouldReportStaleWhenNonceOutlivedItsLifetime()
    {
        nonces.issue(NOW_MS, nonce, 0);

        assertEquals(NonceManager.STALE, verify(nonce, NOW_MS + LIFETIME_MS + 1));
    }

    @Test
    void shouldReportInvalidWhenAnyCharacterIsChanged()
    {
        nonces.issue(NOW_MS, nonce, 0);
        for (int i = 0; i < NonceManager.NONCE_LENGTH; i++)
        {
            final UnsafeBuffer tampered = new UnsafeBuffer(nonce.byteArray().clone());
            tampered.putByte(i, (byte)(tampered.getByte(i) == 'A' ? 'B' : 'A'));
            assertEquals(NonceManager.INVALID, verify(tampered, NOW_MS), "changed at " + i);
        }
    }

    @Test
    void shouldReportInvalidWhenNonceIsTruncatedOrNotBase64Url()
    {
        nonces.issue(NOW_MS, nonce, 0);
        final UnsafeBuffer bad = new UnsafeBuffer(nonce.byteArray().clone());
        bad.putByte(5, (byte)'/');

        assertEquals(NonceManager.INVALID, nonces.verify(nonce, 0, NonceManager.NONCE_LENGTH - 1, NOW_MS));
        assertEquals(NonceManager.INVALID, verify(bad, NOW_MS));
    }

    @Test
    void shouldReportInvalidWhenSecretOrRealmDiffers()
    {
        nonces.issue(NOW_MS, nonce, 0);
        final NonceManager otherSecret = new NonceManager(
            "another secret".getBytes(StandardCharsets.US_ASCII), REALM, 3, 1, LIFETIME_MS, 4, 0);
        final NonceManager otherRealm = new NonceManager(
            SECRET, "example.net".getBytes(StandardCharsets.US_ASCII), 3, 1, LIFETIME_MS, 4, 0);

        assertEquals(NonceManager.INVALID, otherSecret.verify(nonce, 0, NonceManager.NONCE_LENGTH, NOW_MS));
        assertEquals(NonceManager.INVALID, otherRealm.verify(nonce, 0, NonceManager.NONCE_LENGTH, NOW_MS));
    }

    @Test
    void shouldReportStaleWhenSignedByTheSameSecretOnAnotherMemberOrAgent()
    {
        final NonceManager otherMember = new NonceManager(SECRET, REALM, 4, 1, LIFETIME_MS, 4, 100);
        final NonceManager otherAgent = new NonceManager(SECRET, REALM, 3, 0, LIFETIME_MS, 4, 100);
        otherMember.issue(NOW_MS, nonce, 0);
        final UnsafeBuffer fromAgent = new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]);
        otherAgent.issue(NOW_MS, fromAgent, 0);

        assertEquals(NonceManager.STALE, verify(nonce, NOW_MS));
        assertEquals(NonceManager.STALE, verify(fromAgent, NOW_MS));
    }

    @Test
    void shouldReportStaleWhenNewerNoncesPushedItOutOfTheTable()
    {
        nonces.issue(NOW_MS, nonce, 0);
        final UnsafeBuffer newer = new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]);
        for (int i = 0; i < 4; i++)
        {
            nonces.issue(NOW_MS + 1, newer, 0);
        }

        assertEquals(NonceManager.STALE, verify(nonce, NOW_MS + 2));
        assertEquals(NonceManager.VALID, verify(newer, NOW_MS + 2));
    }

    @Test
    void shouldReportStaleWhenMemberRestartedAndReusesTheCounter()
    {
        nonces.issue(NOW_MS, nonce, 0);
        final NonceManager restarted = new NonceManager(SECRET, REALM, 3, 1, LIFETIME_MS, 4, 100);
        restarted.issue(NOW_MS + 5, new UnsafeBuffer(new byte[NonceManager.NONCE_LENGTH]), 0);

        assertEquals(NonceManager.STALE, restarted.verify(nonce, 0, NonceManager.NONCE_LENGTH, NOW_MS + 6));
    }

    @Test
    void shouldAcceptOnlyIncreasingNonceCountsWhenCommitted()
    {
        nonces.issue(NOW_MS, nonce, 0);
        assertEquals(NonceManager.VALID, verify(nonce, NOW_MS));
        assertTrue(nonces.isFreshCount(1));
        assertTrue(nonces.isFreshCount(1), "checking alone must not consume the count");
        nonces.acceptCount(1);

        assertEquals(NonceManager.VALID, verify(nonce, NOW_MS));
        assertFalse(nonces.isFreshCount(1));
        assertFalse(nonces.isFreshCount(0));
        assertTrue(nonces.isFreshCount(5));
        nonces.acceptCount(5);
        assertEquals(NonceManager.VALID, verify(nonce, NOW_MS));
        assertFalse(nonces.isFreshCount(3));
    }

    @Test
    void shouldRefuseCountsWhenLastVerifyFailed()
    {
        nonces.issue(NOW_MS, nonce, 0);
        assertEquals(NonceManager.STALE, verify(nonce, NOW_MS + LIFETIME_MS + 1));

        assertFalse(nonces.isFreshCount(1));
    }

    private int verify(final UnsafeBuffer buffer, final long nowMs)
    {
        return nonces.verify(buffer, 0, NonceManager.NONCE_LENGTH, nowMs);
    }

    private static String text(final UnsafeBuffer buffer)
    {
        return new String(buffer.byteArray(), StandardCharsets.US_ASCII);
    }
}
