package io.corral.engine.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StunBindingResponderTest
{
    private final StunBindingResponder responder = new StunBindingResponder();
    private final RemoteAddressTable remotes = new RemoteAddressTable(16);

    private static UnsafeBuffer bindingRequest(final int type, final int bodyLength)
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[20 + bodyLength]);
        request.putShort(0, (short)type, ByteOrder.BIG_ENDIAN);
        request.putShort(2, (short)bodyLength, ByteOrder.BIG_ENDIAN);
        request.putInt(4, StunBindingResponder.MAGIC_COOKIE, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 12; i++)
        {
            request.putByte(8 + i, (byte)(i + 1));
        }
        return request;
    }

    @Test
    void shouldTellStunFromSip()
    {
        assertTrue(StunBindingResponder.isStun(bindingRequest(0x0001, 0), 0, 20));
        final UnsafeBuffer sip = new UnsafeBuffer("OPTIONS sip:a@b SIP/2.0\r\n\r\n".getBytes());
        assertFalse(StunBindingResponder.isStun(sip, 0, sip.capacity()));
        final UnsafeBuffer noCookie = bindingRequest(0x0001, 0);
        noCookie.putInt(4, 0x12345678);
        assertFalse(StunBindingResponder.isStun(noCookie, 0, 20), "RFC 3489 STUN without the cookie");
        assertFalse(StunBindingResponder.isStun(bindingRequest(0x0001, 0), 0, 19));
    }

    @Test
    void shouldXorTheIpv6AddressWithCookieAndTransactionId() throws Exception
    {
        final InetAddress address = InetAddress.getByName("2001:db8::1");
        final long remoteId = remotes.intern(new InetSocketAddress(address, 5060));

        final int length = responder.answer(bindingRequest(0x0001, 0), 0, 20, remoteId, remotes);

        assertEquals(44, length);
        final UnsafeBuffer response = (UnsafeBuffer)responder.buffer();
        assertEquals(24, response.getShort(2, ByteOrder.BIG_ENDIAN));
        assertEquals(20, response.getShort(22, ByteOrder.BIG_ENDIAN));
        assertEquals(0x02, response.getByte(25));
        assertEquals(5060, (response.getShort(26, ByteOrder.BIG_ENDIAN) ^ 0x2112) & 0xFFFF);
        final byte[] expected = address.getAddress();
        for (int i = 0; i < 16; i++)
        {
            assertEquals(expected[i], (byte)(response.getByte(28 + i) ^ response.getByte(4 + i)), "byte " + i);
        }
    }

    @Test
    void shouldAnswerNothingWhenNotAWellFormedBindingRequest()
    {
        final long remoteId = RemoteAddressTable.ipv4Id(0x7F000001, 5060);
        assertEquals(0, responder.answer(bindingRequest(0x0111, 0), 0, 20, remoteId, remotes), "an error response");
        assertEquals(0, responder.answer(bindingRequest(0x0001, 8), 0, 20, remoteId, remotes), "length mismatch");
        assertEquals(32, responder.answer(bindingRequest(0x0001, 8), 0, 28, remoteId, remotes), "attributes ignored");
    }
}
