package io.corral.perf.gen;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CallIdsTest
{
    @Test
    void shouldParseTheNumberBackWhenTheRunMatches()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final SipWriter writer = new SipWriter().wrap(buffer, 3, 64);
        CallIds.write(writer, 1234567, 42);

        assertEquals(1234567, CallIds.parse(buffer, 3, writer.length(), 42));
        assertEquals(CallIds.NONE, CallIds.parse(buffer, 3, writer.length(), 43), "another run's Call-ID");
    }

    @Test
    void shouldRejectForeignCallIds()
    {
        for (final String callId : new String[] {"abc@host", "12@host", "-5-42@x", "99999999999999999999-42@x", ""})
        {
            final byte[] bytes = callId.getBytes(StandardCharsets.US_ASCII);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 1]);
            buffer.putBytes(0, bytes);
            assertEquals(CallIds.NONE, CallIds.parse(buffer, 0, bytes.length, 42), callId);
        }
    }
}
