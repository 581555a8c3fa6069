package io.corral.engine.status;

import io.corral.engine.Member;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The end-of-test check of every system test: the member's distinct error log (what {@code bin/corral-errors}
 * prints) is empty. Works on a member in this JVM or, through its status file, on one in another process, running
 * or stopped.
 */
public final class MemberErrorLog
{
    private MemberErrorLog()
    {
    }

    /**
     * @param member a member in this JVM.
     */
    public static void assertEmpty(final Member member)
    {
        assertEmpty(member.context().dataDir());
    }

    /**
     * @param dataDir the data dir of a member in any process.
     */
    public static void assertEmpty(final Path dataDir)
    {
        try (StatusFileReader reader = StatusFileReader.openDataDir(dataDir))
        {
            assertEquals("", reader.errorsText(), "the member's error log must be empty");
        }
    }
}
