package io.corral.engine.sip.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagGeneratorTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldWriteDistinctAlphanumericTagsWhenCalledRepeatedly()
    {
        final TagGenerator tags = new TagGenerator(7);
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(TagGenerator.TAG_LENGTH, tags.writeTag(buffer, 3));
            final String tag = SipBytes.toString(buffer, 3, TagGenerator.TAG_LENGTH);
            assertTrue(tag.matches("[0-9a-zA-Z]{10}"), tag);
            seen.add(tag);
        }
        assertEquals(10_000, seen.size());
    }

    @Test
    void shouldStartBranchWithMagicCookieWhenBranchIsWritten()
    {
        final TagGenerator tags = new TagGenerator(7);

        assertEquals(TagGenerator.BRANCH_LENGTH, tags.writeBranch(buffer, 0));

        final String branch = SipBytes.toString(buffer, 0, TagGenerator.BRANCH_LENGTH);
        assertTrue(branch.matches("z9hG4bK[0-9a-zA-Z]{16}"), branch);
    }

    @Test
    void shouldDifferWhenSeedsDiffer()
    {
        new TagGenerator(1).writeTag(buffer, 0);
        new TagGenerator(2).writeTag(buffer, 20);

        assertNotEquals(SipBytes.toString(buffer, 0, 10), SipBytes.toString(buffer, 20, 10));
    }
}
