package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SipMethodTest
{
    private static int lookup(final String token)
    {
        final byte[] bytes = ("x" + token).getBytes(StandardCharsets.US_ASCII);
        return SipMethod.lookup(new UnsafeBuffer(bytes), 1, bytes.length - 1);
    }

    @Test
    void shouldFindEveryKnownMethodWhenSpelledExactly()
    {
        for (int code = SipMethod.INVITE; code <= SipMethod.UPDATE; code++)
        {
            final String name = new String(SipMethod.name(code), StandardCharsets.US_ASCII);
            assertEquals(code, lookup(name), name);
        }
    }

    @Test
    void shouldReturnUnknownWhenCaseDiffersOrTokenIsOther()
    {
        assertEquals(SipMethod.UNKNOWN, lookup("invite"));
        assertEquals(SipMethod.UNKNOWN, lookup("NEWMETHOD"));
        assertEquals(SipMethod.UNKNOWN, lookup("IN"));
        assertArrayEquals(new byte[0], SipMethod.name(SipMethod.UNKNOWN));
    }
}
