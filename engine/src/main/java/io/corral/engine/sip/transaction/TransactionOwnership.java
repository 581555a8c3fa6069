package io.corral.engine.sip.transaction;

import org.agrona.DirectBuffer;

/**
 * Which SIP agent of this member owns a Call-ID: its transactions live there, and a packet read by another agent
 * is handed over through the owner's {@link HandoverQueue}. Stable across processes ({@link KeyHasher#mix}), so a
 * farm-level rendezvous hash can later take the same bytes.
 */
public final class TransactionOwnership
{
    private final int agentCount;

    /**
     * @param agentCount SIP agents in this member, at least 1.
     */
    public TransactionOwnership(final int agentCount)
    {
        if (agentCount < 1)
        {
            throw new IllegalArgumentException("agentCount must be at least 1: " + agentCount);
        }
        this.agentCount = agentCount;
    }

    /**
     * @param buffer holding the Call-ID value.
     * @param offset of the value.
     * @param length of the value.
     * @return the owning agent's index, 0 to agentCount - 1.
     */
    public int ownerOf(final DirectBuffer buffer, final int offset, final int length)
    {
        return (int)Long.remainderUnsigned(KeyHasher.mix(buffer, offset, length), agentCount);
    }

    /**
     * @return SIP agents in this member.
     */
    public int agentCount()
    {
        return agentCount;
    }
}
