package io.corral.engine.registrar;

import io.corral.state.registration.RegistrationDescriptor;
import io.corral.state.registration.RegistrationFlyweight;
import io.corral.state.registration.RegistrationStore;
import org.agrona.DirectBuffer;

/**
 * The result of a {@link LocationService} lookup: the current contacts of an address-of-record, highest q first
 * (a contact without q counts as 1.0; ties: the most recently registered first). Each target gives the contact URI
 * (the Request-URI to use), the flow it registered from (transport, source address and port, agent and connection:
 * send there to reach a NATed contact, RFC 5626 §5.3) and its Path (RFC 3327: the Route set to push). Reusable;
 * valid until the next lookup.
 */
public final class Location
{
    private static final int Q_DEFAULT = 1000;

    private final RegistrationFlyweight record;
    private final int[] order;
    private int count;

    /**
     * @param store the registrations whose layout to hold.
     */
    public Location(final RegistrationStore store)
    {
        record = store.newRecord();
        order = new int[store.contactCapacity()];
    }

    RegistrationFlyweight record()
    {
        return record;
    }

    /**
     * Order the live contacts of {@link #record()}.
     */
    void sort(final long nowMs)
    {
        count = 0;
        for (int i = 0, n = record.contactCount(); i < n; i++)
        {
            if (record.expiresMs(i) > nowMs)
            {
                int at = count++;
                while (at > 0 && isBefore(i, order[at - 1]))
                {
                    order[at] = order[at - 1];
                    at--;
                }
                order[at] = i;
            }
        }
    }

    void clear()
    {
        count = 0;
    }

    private boolean isBefore(final int a, final int b)
    {
        final int qa = qOf(a);
        final int qb = qOf(b);
        return qa > qb || (qa == qb && record.registeredMs(a) > record.registeredMs(b));
    }

    private int qOf(final int index)
    {
        final int q = record.q(index);
        return q == RegistrationDescriptor.Q_NONE ? Q_DEFAULT : q;
    }

    /**
     * @return number of targets.
     */
    public int count()
    {
        return count;
    }

    /**
     * @return the buffer holding every text of the targets.
     */
    public DirectBuffer buffer()
    {
        return record.buffer();
    }

    /**
     * @param rank 0 for the first target.
     * @return offset of its contact URI in {@link #buffer()}.
     */
    public int uriOffset(final int rank)
    {
        return record.uriOffset(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return length of its contact URI.
     */
    public int uriLength(final int rank)
    {
        return record.uriLength(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return its q in thousandths, or {@link RegistrationDescriptor#Q_NONE}.
     */
    public int q(final int rank)
    {
        return record.q(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return its expiry, epoch ms.
     */
    public long expiresMs(final int rank)
    {
        return record.expiresMs(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return transport its REGISTER came on ({@code TransportProtocol} code).
     */
    public int transport(final int rank)
    {
        return record.transport(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return address family of its source: {@link RegistrationDescriptor#ADDRESS_FAMILY_IPV4} or {@code _IPV6}.
     */
    public int addressFamily(final int rank)
    {
        return record.addressFamily(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return source IPv4 address, most significant octet first.
     */
    public int ipv4(final int rank)
    {
        return record.ipv4(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return first 64 bits of the source IPv6 address.
     */
    public long ipv6High(final int rank)
    {
        return record.ipv6High(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return last 64 bits of the source IPv6 address.
     */
    public long ipv6Low(final int rank)
    {
        return record.ipv6Low(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return source port.
     */
    public int port(final int rank)
    {
        return record.port(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return the agent (local socket) it registered on.
     */
    public long agentIndex(final int rank)
    {
        return record.agentIndex(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return the connection it registered on, 0 for none.
     */
    public long connectionId(final int rank)
    {
        return record.connectionId(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return true if it is behind a NAT: send to its source, not to its URI.
     */
    public boolean isNat(final int rank)
    {
        return record.isNat(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return offset of its Path in {@link #buffer()}.
     */
    public int pathOffset(final int rank)
    {
        return record.pathOffset(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return length of its Path (comma-separated Path values in order), 0 if none.
     */
    public int pathLength(final int rank)
    {
        return record.pathLength(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return offset of its {@code +sip.instance} in {@link #buffer()}.
     */
    public int instanceOffset(final int rank)
    {
        return record.instanceOffset(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return length of its {@code +sip.instance}, 0 if none.
     */
    public int instanceLength(final int rank)
    {
        return record.instanceLength(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return its reg-id, 0 if none.
     */
    public int regId(final int rank)
    {
        return record.regId(order[rank]);
    }

    /**
     * @param rank of a target.
     * @return its contact URI (tests, tools).
     */
    public String uriAsString(final int rank)
    {
        return record.uriAsString(order[rank]);
    }
}
