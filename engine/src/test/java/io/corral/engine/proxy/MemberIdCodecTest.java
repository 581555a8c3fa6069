package io.corral.engine.proxy;

import io.corral.engine.sip.codec.SipUriDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemberIdCodecTest
{
    @Test
    void shouldRoundTripEveryMemberIdWhenBranchWritten()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
        for (int id = 1; id <= 63; id++)
        {
            final int hash = id * 0x9E3779B1;
            final int length = MemberIdCodec.writeBranch(buffer, 0, id, hash, -id * 0x1234567L);
            assertEquals(MemberIdCodec.BRANCH_LENGTH, length);
            final String branch = buffer.getStringWithoutLengthAscii(0, length);
            assertTrue(branch.startsWith("z9hG4bKcr"), branch);
            assertTrue(branch.chars().allMatch(Character::isLetterOrDigit), branch);
            assertEquals(id, MemberIdCodec.memberIdOfBranch(buffer, 0, length));
            assertEquals(hash, MemberIdCodec.loopHashOfBranch(buffer, 0));
            final UnsafeBuffer upper = ProxyFixtures.buffer(branch.substring(0, 7) + branch.substring(7).toUpperCase());
            assertEquals(id, MemberIdCodec.memberIdOfBranch(upper, 0, length));
        }
    }

    @Test
    void shouldRejectForeignBranchesWhenDecoding()
    {
        final String[] foreign = {
            "z9hG4bK776asdhds",
            "z9hG4bKnashds8",
            "",
            "z9hG4bKcr00123456780abcdef0123456789",
            "z9hG4bKcr40123456780abcdef0123456789",
            "z9hG4bKcr01zz3456780abcdef0123456789",
            "z9hG4bKcr0112345678-0abcdef012345678",
            "z9hG4bKcr011234567800abcdef012345678x",
            "x9hG4bKcr011234567800abcdef0123456789"};
        for (final String branch : foreign)
        {
            final UnsafeBuffer buffer = ProxyFixtures.buffer(branch);
            assertEquals(0, MemberIdCodec.memberIdOfBranch(buffer, 0, branch.length()), branch);
        }
    }

    @Test
    void shouldRejectMostBranchesWithWrongCheckDigit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
        MemberIdCodec.writeBranch(buffer, 0, 7, 0xCAFEBABE, 42);
        final byte check = buffer.getByte(19);
        int accepted = 0;
        for (final byte digit : "0123456789abcdef".getBytes())
        {
            buffer.putByte(19, digit);
            accepted += MemberIdCodec.memberIdOfBranch(buffer, 0, MemberIdCodec.BRANCH_LENGTH) == 7 ? 1 : 0;
        }
        buffer.putByte(19, check);
        assertEquals(1, accepted);
    }

    @Test
    void shouldDecodeMemberIdWhenRouteUriCarriesIt()
    {
        final SipUriDecoder uri = new SipUriDecoder();
        for (int id = 1; id <= 63; id++)
        {
            final String text = "sip:192.0.2.1:5060;transport=tcp;lr;cm=" + id;
            assertTrue(uri.wrap(ProxyFixtures.buffer(text), 0, text.length()));
            assertEquals(id, MemberIdCodec.memberIdOfUri(uri));
        }
        for (final String text : new String[]{"sip:192.0.2.1;lr", "sip:192.0.2.1;lr;cm=0", "sip:192.0.2.1;cm=64",
            "sip:192.0.2.1;cm=x", "sip:192.0.2.1;cm"})
        {
            assertTrue(uri.wrap(ProxyFixtures.buffer(text), 0, text.length()));
            assertEquals(0, MemberIdCodec.memberIdOfUri(uri), text);
        }
    }

    @Test
    void shouldThrowWhenMemberIdOutOfRange()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MemberIdCodec.BRANCH_LENGTH]);
        assertThrows(IllegalArgumentException.class, () -> MemberIdCodec.writeBranch(buffer, 0, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MemberIdCodec.writeBranch(buffer, 0, 64, 1, 1));
    }
}
