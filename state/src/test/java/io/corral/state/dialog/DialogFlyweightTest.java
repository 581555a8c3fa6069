package io.corral.state.dialog;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialogFlyweightTest
{
    private final UnsafeBuffer text = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final DialogFlyweight dialog = DialogFixture.newRecord().clear();

    private int put(final String value)
    {
        text.putStringWithoutLengthAscii(0, value);
        return value.length();
    }

    @Test
    void shouldHaveFixedAlignedLengthWhenLaidOut()
    {
        assertEquals(1928, DialogDescriptor.LENGTH);
        assertEquals(0, DialogDescriptor.LENGTH % 8);
        assertEquals(DialogDescriptor.CALLER_LEG_OFFSET + DialogDescriptor.LEG_LENGTH,
            DialogDescriptor.CALLEE_LEG_OFFSET);
    }

    @Test
    void shouldReadBackScalarsWhenWritten()
    {
        dialog.version(0x1234_5678_9ABC_DEF0L).createdMs(1).updatedMs(2).expiryMs(3).key(4, 5)
            .inviteCSeq(0xFFFF_FFF0L).terminationReason(487).state(DialogState.CONFIRMED).ownerMemberId(63)
            .flags(0x8100).cseq(DialogFlyweight.CALLER, 10).cseq(DialogFlyweight.CALLEE, 20);
        assertEquals(0x1234_5678_9ABC_DEF0L, dialog.version());
        assertEquals(1, dialog.createdMs());
        assertEquals(2, dialog.updatedMs());
        assertEquals(3, dialog.expiryMs());
        assertEquals(4, dialog.keyHigh());
        assertEquals(5, dialog.keyLow());
        assertEquals(0xFFFF_FFF0L, dialog.inviteCSeq());
        assertEquals(487, dialog.terminationReason());
        assertEquals(DialogState.CONFIRMED, dialog.state());
        assertEquals(63, dialog.ownerMemberId());
        assertEquals(0x8100, dialog.flags());
        assertEquals(10, dialog.cseq(DialogFlyweight.CALLER));
        assertEquals(20, dialog.cseq(DialogFlyweight.CALLEE));
    }

    @Test
    void shouldReadBackAddressesWhenIpv4AndIpv6AreSet()
    {
        dialog.remoteIpv4(DialogFlyweight.CALLER, DialogDescriptor.TRANSPORT_UDP, 0xC000_0201, 65535);
        assertEquals(DialogDescriptor.ADDRESS_FAMILY_IPV4, dialog.addressFamily(DialogFlyweight.CALLER));
        assertEquals(DialogDescriptor.TRANSPORT_UDP, dialog.transport(DialogFlyweight.CALLER));
        assertEquals(0xC000_0201, dialog.ipv4(DialogFlyweight.CALLER));
        assertEquals(65535, dialog.port(DialogFlyweight.CALLER));
        assertEquals((byte)192, dialog.buffer().getByte(dialog.addressOffset(DialogFlyweight.CALLER)));

        for (int i = 0; i < 16; i++)
        {
            text.putByte(100 + i, (byte)(0x20 + i));
        }
        dialog.remoteIpv6(DialogFlyweight.CALLEE, DialogDescriptor.TRANSPORT_TLS, text, 100, 5061);
        assertEquals(DialogDescriptor.ADDRESS_FAMILY_IPV6, dialog.addressFamily(DialogFlyweight.CALLEE));
        assertEquals(DialogDescriptor.TRANSPORT_TLS, dialog.transport(DialogFlyweight.CALLEE));
        assertEquals(5061, dialog.port(DialogFlyweight.CALLEE));
        assertEquals(0x2F, dialog.buffer().getByte(dialog.addressOffset(DialogFlyweight.CALLEE) + 15));
        assertEquals(0xC000_0201, dialog.ipv4(DialogFlyweight.CALLER));
    }

    @Test
    void shouldTruncateAndFlagWhenTextIsLongerThanItsField()
    {
        assertTrue(dialog.tag(DialogFlyweight.CALLER, text, 0, put("abc")));
        assertFalse(dialog.hasFlag(DialogDescriptor.FLAG_CALLER_TAG_TRUNCATED));
        final String longTag = "t".repeat(70);
        assertFalse(dialog.tag(DialogFlyweight.CALLEE, text, 0, put(longTag)));
        assertTrue(dialog.hasFlag(DialogDescriptor.FLAG_CALLEE_TAG_TRUNCATED));
        assertEquals(70, dialog.tagLength(DialogFlyweight.CALLEE));
        assertEquals(64, dialog.tagStoredLength(DialogFlyweight.CALLEE));
        assertEquals("abc", dialog.tagAsString(DialogFlyweight.CALLER));

        assertFalse(dialog.contact(DialogFlyweight.CALLER, text, 0, put("sip:" + "a".repeat(300))));
        assertTrue(dialog.hasFlag(DialogDescriptor.FLAG_CALLER_CONTACT_TRUNCATED));
        assertTrue(dialog.contact(DialogFlyweight.CALLER, text, 0, put("sip:a@b")));
        assertFalse(dialog.hasFlag(DialogDescriptor.FLAG_CALLER_CONTACT_TRUNCATED));
        assertEquals("sip:a@b", dialog.contactAsString(DialogFlyweight.CALLER));
        assertEquals("abc", dialog.tagAsString(DialogFlyweight.CALLER));
    }

    @Test
    void shouldKeepRoutesInOrderAndFlagWhenRouteSetIsFull()
    {
        assertTrue(dialog.addRoute(text, 0, put("<sip:p1.example.com;lr>")));
        assertTrue(dialog.addRoute(text, 0, put("<sip:p2.example.com;lr>")));
        assertEquals(2, dialog.routeCount());
        assertEquals("<sip:p1.example.com;lr>", dialog.routeAsString(0));
        assertEquals("<sip:p2.example.com;lr>", dialog.routeAsString(1));

        final int big = put("<sip:" + "x".repeat(490) + ";lr>");
        assertTrue(dialog.addRoute(text, 0, big));
        assertFalse(dialog.addRoute(text, 0, big));
        assertTrue(dialog.hasFlag(DialogDescriptor.FLAG_ROUTE_SET_TRUNCATED));
        assertEquals(3, dialog.routeCount());
        assertEquals(2 + 23 + 2 + 23 + 2 + big, dialog.routeSetLength());

        dialog.clearRoutes();
        assertEquals(0, dialog.routeCount());
        assertFalse(dialog.hasFlag(DialogDescriptor.FLAG_ROUTE_SET_TRUNCATED));
    }

    @Test
    void shouldLeaveNeighboursUntouchedWhenWrappedAtAnOffset()
    {
        final UnsafeBuffer shared = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * DialogDescriptor.LENGTH));
        final DialogFlyweight second = new DialogFlyweight().wrap(shared, DialogDescriptor.LENGTH).clear();
        second.callId(text, 0, put("abc@def"));
        second.state(DialogState.EARLY);
        assertEquals("abc@def", second.callIdAsString());
        assertEquals(0, shared.getByte(0));
        assertEquals(0, shared.getByte(2 * DialogDescriptor.LENGTH));
        dialog.copyFrom(second);
        assertEquals("abc@def", dialog.callIdAsString());
        assertEquals(DialogState.EARLY, dialog.state());
    }
}
