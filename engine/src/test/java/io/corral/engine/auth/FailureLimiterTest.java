package io.corral.engine.auth;

import io.corral.engine.transport.RemoteAddressTable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureLimiterTest
{
    private static final long NOW_MS = 1_000_000;
    private final FailureLimiter limiter = new FailureLimiter(2, 1000, 16);

    @Test
    void shouldCountAnIpv4SourceAcrossPortsButKeepOtherIdsApart()
    {
        final long a = RemoteAddressTable.ipv4Id(0x0A000001, 5060);

        assertEquals(FailureLimiter.sourceKey(a), FailureLimiter.sourceKey(RemoteAddressTable.ipv4Id(0x0A000001, 1)));
        assertNotEquals(FailureLimiter.sourceKey(a),
            FailureLimiter.sourceKey(RemoteAddressTable.ipv4Id(0x0A000002, 1)));
        final long ipv6 = 0x4000_0000_0000_0007L;
        assertEquals(ipv6, FailureLimiter.sourceKey(ipv6));
    }

    @Test
    void shouldLimitUntilTheWindowOfTheFirstFailureEnds()
    {
        limiter.onFailure(7, NOW_MS);
        assertFalse(limiter.isLimited(7, NOW_MS));
        limiter.onFailure(7, NOW_MS + 500);

        assertTrue(limiter.isLimited(7, NOW_MS + 999));
        assertFalse(limiter.isLimited(8, NOW_MS + 999));
        assertFalse(limiter.isLimited(7, NOW_MS + 1000));
        limiter.onFailure(7, NOW_MS + 1000);
        assertEquals(1, limiter.failures(7));
        assertFalse(limiter.isLimited(7, NOW_MS + 1000));
    }

    @Test
    void shouldStayBoundedAndKeepCountingWhenManySourcesFail()
    {
        for (long source = 1; source <= 1000; source++)
        {
            limiter.onFailure(source, NOW_MS);
            limiter.onFailure(source, NOW_MS);
            assertTrue(limiter.isLimited(source, NOW_MS), "source " + source);
        }
        assertFalse(limiter.isLimited(FailureLimiter.sourceKey(RemoteAddressTable.NO_REMOTE), NOW_MS));
    }
}
