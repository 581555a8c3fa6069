package io.corral.engine.sip.transaction;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionOwnershipTest
{
    @Test
    void shouldSpreadCallIdsEvenlyAndStablyWhenFourAgents()
    {
        final TransactionOwnership ownership = new TransactionOwnership(4);
        final int[] perAgent = new int[4];
        for (int i = 0; i < 4000; i++)
        {
            final byte[] callId = ("a84b4c76e66710-" + i + "@pc33.atlanta.com").getBytes(StandardCharsets.US_ASCII);
            final int owner = ownership.ownerOf(new UnsafeBuffer(callId), 0, callId.length);
            assertEquals(owner, ownership.ownerOf(new UnsafeBuffer(callId.clone()), 0, callId.length));
            perAgent[owner]++;
        }
        for (final int n : perAgent)
        {
            assertTrue(n > 850 && n < 1150, "uneven spread: " + n);
        }
    }

    @Test
    void shouldOwnEverythingWhenOneAgentAndRefuseZeroAgents()
    {
        final byte[] callId = "x@y".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, new TransactionOwnership(1).ownerOf(new UnsafeBuffer(callId), 0, callId.length));
        assertThrows(IllegalArgumentException.class, () -> new TransactionOwnership(0));
    }
}
