package io.corral.engine.dispatch;

import io.corral.engine.proxy.PeerAddress;

import java.nio.charset.StandardCharsets;

/**
 * One loaded backends file, linked to the {@link Dispatcher}'s stable ids: backends by slot (0..63, kept by URI
 * across reloads), sets by set id, resources by resource id. Immutable once published; a reload publishes a new one.
 * The live state (up/down, used channels, round-robin cursors) lives in the {@link Dispatcher}, keyed by the same
 * ids, so it survives reloads.
 */
public final class BackendSets
{
    static final int SLOTS = BackendsFile.MAX_BACKENDS;
    static final int SET_IDS = BackendsFile.MAX_SETS;
    static final int RESOURCE_IDS = BackendsFile.MAX_RESOURCES;

    final long version;
    final String source;
    final boolean[] present = new boolean[SLOTS];
    final String[] uri = new String[SLOTS];
    final byte[][] uriBytes = new byte[SLOTS][];
    final PeerAddress[] address = new PeerAddress[SLOTS];
    final int[] transport = new int[SLOTS];
    final boolean[] probe = new boolean[SLOTS];
    final int[] slotVersion = new int[SLOTS];
    final long[] hashSeed = new long[SLOTS];
    final int[] maxChannels = new int[SLOTS * RESOURCE_IDS];

    final String[] setName = new String[SET_IDS];
    final int[] algorithm = new int[SET_IDS];
    final int[] setResource = new int[SET_IDS];
    final int[][] members = new int[SET_IDS][];
    final int[][] schedule = new int[SET_IDS][];

    final String[] resourceName = new String[RESOURCE_IDS];
    RoutingPolicy policy;

    BackendSets(final long version, final String source, final RoutingPolicy policy)
    {
        this.version = version;
        this.source = source;
        this.policy = policy;
    }

    BackendSets withPolicy(final RoutingPolicy policy)
    {
        this.policy = policy;
        return this;
    }

    /**
     * @return how many loads came before this one (0 for the first).
     */
    public long version()
    {
        return version;
    }

    /**
     * @return the file this came from, or a description for an empty configuration.
     */
    public String source()
    {
        return source;
    }

    /**
     * @param backend a slot.
     * @return true if the backend is in this file.
     */
    public boolean isPresent(final int backend)
    {
        return backend >= 0 && backend < SLOTS && present[backend];
    }

    /**
     * @param backend a present slot.
     * @return its URI as written.
     */
    public String uri(final int backend)
    {
        return uri[backend];
    }

    /**
     * @param backend a present slot.
     * @return its URI as ASCII bytes (do not modify), e.g. for a probe's Request-URI.
     */
    public byte[] uriBytes(final int backend)
    {
        return uriBytes[backend];
    }

    /**
     * @param backend a present slot.
     * @param dst     receives its IP address and port.
     * @return dst.
     */
    public PeerAddress address(final int backend, final PeerAddress dst)
    {
        return dst.set(address[backend]);
    }

    /**
     * @param backend a present slot.
     * @return its {@code TransportProtocol} code.
     */
    public int transport(final int backend)
    {
        return transport[backend];
    }

    /**
     * @param backend a present slot.
     * @return true if it is probed with OPTIONS.
     */
    public boolean isProbed(final int backend)
    {
        return probe[backend];
    }

    /**
     * @param backend a slot.
     * @return changes whenever the slot is given to another URI; probing state is reset then.
     */
    public int slotVersion(final int backend)
    {
        return slotVersion[backend];
    }

    /**
     * @param backend  a present slot.
     * @param resource a resource id.
     * @return the maximum channels of that resource on that backend, 0 if it does not offer it.
     */
    public int maxChannels(final int backend, final int resource)
    {
        return resource < 0 || resource >= RESOURCE_IDS ? 0 : maxChannels[backend * RESOURCE_IDS + resource];
    }

    /**
     * @param setId a set id.
     * @return true if the set is in this file.
     */
    public boolean hasSet(final int setId)
    {
        return setId >= 0 && setId < SET_IDS && members[setId] != null;
    }

    /**
     * @param name a set name.
     * @return its id, or {@link Dispatcher#NONE}.
     */
    public int setId(final String name)
    {
        for (int i = 0; i < SET_IDS; i++)
        {
            if (members[i] != null && name.equals(setName[i]))
            {
                return i;
            }
        }
        return Dispatcher.NONE;
    }

    /**
     * @param setId a present set id.
     * @return its name.
     */
    public String setName(final int setId)
    {
        return setName[setId];
    }

    /**
     * @param setId a present set id.
     * @return its {@link DispatchAlgorithm} code.
     */
    public int algorithm(final int setId)
    {
        return algorithm[setId];
    }

    /**
     * @param setId a present set id.
     * @return the resource id its selects use by default, or {@link Dispatcher#NONE}.
     */
    public int setResource(final int setId)
    {
        return setResource[setId];
    }

    /**
     * @param setId a present set id.
     * @return its backends' slots in file order (do not modify).
     */
    public int[] members(final int setId)
    {
        return members[setId];
    }

    /**
     * @param name a resource name.
     * @return its id, or {@link Dispatcher#NONE}.
     */
    public int resourceId(final String name)
    {
        for (int i = 0; i < RESOURCE_IDS; i++)
        {
            if (name.equals(resourceName[i]))
            {
                return i;
            }
        }
        return Dispatcher.NONE;
    }

    /**
     * @param resource a resource id.
     * @return its name, or null.
     */
    public String resourceName(final int resource)
    {
        return resource < 0 || resource >= RESOURCE_IDS ? null : resourceName[resource];
    }

    /**
     * @return the routing rules of this file.
     */
    public RoutingPolicy policy()
    {
        return policy;
    }

    /**
     * @return how many backends are present.
     */
    public int backendCount()
    {
        int count = 0;
        for (int i = 0; i < SLOTS; i++)
        {
            count += present[i] ? 1 : 0;
        }
        return count;
    }

    /**
     * @return how many sets are present.
     */
    public int setCount()
    {
        int count = 0;
        for (int i = 0; i < SET_IDS; i++)
        {
            count += members[i] != null ? 1 : 0;
        }
        return count;
    }

    void backend(final int slot, final BackendsFile.Backend backend, final int version)
    {
        present[slot] = true;
        uri[slot] = backend.uri();
        uriBytes[slot] = backend.uri().getBytes(StandardCharsets.US_ASCII);
        address[slot] = new PeerAddress().set(backend.address());
        transport[slot] = backend.transport();
        probe[slot] = backend.probe();
        slotVersion[slot] = version;
        hashSeed[slot] = mix(backend.uri().hashCode() * 0x9E37_79B9_7F4A_7C15L + 0x632B_E59B_D9B4_E019L);
    }

    /**
     * Smooth weighted round-robin (as nginx): each turn every member gains its weight, the richest is picked and
     * pays the total. Weights 3 and 1 give 0,0,1,0: interleaved, exact over every full cycle.
     */
    static int[] smoothSchedule(final int[] weights)
    {
        int total = 0;
        for (final int weight : weights)
        {
            total += weight;
        }
        final int[] schedule = new int[total];
        final int[] current = new int[weights.length];
        for (int turn = 0; turn < total; turn++)
        {
            int best = 0;
            for (int i = 0; i < weights.length; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }
            current[best] -= total;
            schedule[turn] = best;
        }
        return schedule;
    }

    static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return z ^ (z >>> 33);
    }
}
