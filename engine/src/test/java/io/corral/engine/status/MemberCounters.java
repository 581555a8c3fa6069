package io.corral.engine.status;

import io.corral.engine.Member;
import org.agrona.concurrent.status.CountersReader;

/**
 * Counter lookups of system tests: the sum over every counter whose label ends with a suffix, so a test need not
 * know which SIP agent (label prefix {@code SIP agent N: }) handled its traffic.
 */
public final class MemberCounters
{
    private MemberCounters()
    {
    }

    /**
     * @param member      a member in this JVM.
     * @param labelSuffix the end of the counter labels to add up.
     * @return the sum, 0 when no label matches.
     */
    public static long sum(final Member member, final String labelSuffix)
    {
        return sum(member.statusFile().countersManager(), labelSuffix);
    }

    /**
     * @param reader      the counters of a member.
     * @param labelSuffix the end of the counter labels to add up.
     * @return the sum, 0 when no label matches.
     */
    public static long sum(final CountersReader reader, final String labelSuffix)
    {
        final long[] total = {0};
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (label.endsWith(labelSuffix))
            {
                total[0] += reader.getCounterValue(counterId);
            }
        });
        return total[0];
    }
}
