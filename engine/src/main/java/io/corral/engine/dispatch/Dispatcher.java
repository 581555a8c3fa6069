package io.corral.engine.dispatch;

import io.corral.engine.proxy.PeerAddress;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Picks a backend of a set for a new call, and holds the live state of the backends: up or down (written by the
 * {@link BackendProber}), channels in use per resource ({@link #onCallStarted} / {@link #onCallEnded}) and the
 * round-robin cursors. The configuration is a {@link BackendSets} snapshot, replaced whole by {@link #reload()}.
 * <p>
 * Ids are stable across reloads: a backend keeps its slot (0..63) as long as its URI is in the file, a set and a
 * resource keep their ids by name, so counts and up/down state carry over, and an id held by a call in progress
 * still means the same backend when the call ends. A removed backend's slot is reused only once its calls ended.
 * <p>
 * Thread-safe: any SIP agent may select and count, the conductor probes and reloads. {@link #select} and
 * {@link #next} allocate nothing and take no lock; counts are atomic and checked against the maximum.
 * <p>
 * With several SIP agents ({@code corral.sip.agents}) one dispatcher is shared by all of them, lock-free: a call is
 * counted by a compare-and-set against the maximum on the shared array, so two agents can never both take a
 * backend's last channel and no agent ever waits. Owning the counts in one agent would need a hand-over (and a
 * round trip) per call start and end for three quarters of the calls; a contended CAS on a 64-slot array costs
 * less than that queueing, and the least-loaded choice of every agent sees every other agent's calls at once.
 */
public final class Dispatcher
{
    /** No backend, set or resource. */
    public static final int NONE = -1;
    /** As a resource argument: the set's own {@code resource=} (none for a set without one). */
    public static final int SET_RESOURCE = -1;
    /** As a resource argument: no resource filter. */
    public static final int NO_RESOURCE = -2;

    private static final int SLOTS = BackendSets.SLOTS;
    private static final int RESOURCES = BackendSets.RESOURCE_IDS;
    private static final long FNV_OFFSET = 0xCBF2_9CE4_8422_2325L;
    private static final long FNV_PRIME = 0x0000_0100_0000_01B3L;

    private final Path file;
    private final BackendsFile.HostResolver resolver;
    private final AtomicIntegerArray up = new AtomicIntegerArray(SLOTS);
    private final AtomicIntegerArray used = new AtomicIntegerArray(SLOTS * RESOURCES);
    private final AtomicLongArray cursors = new AtomicLongArray(BackendSets.SET_IDS);
    private final String[] slotUri = new String[SLOTS];
    private final AtomicLongArray slotIpv4Port = new AtomicLongArray(SLOTS);
    private final int[] slotVersion = new int[SLOTS];
    private final String[] resourceNames = new String[RESOURCES];
    private final String[] setNames = new String[BackendSets.SET_IDS];
    private volatile BackendSets current;

    /**
     * A dispatcher with no backends until {@link #reload()}.
     *
     * @param file     the backends file, or null for none (no sets, default routing).
     * @param resolver resolves backend host names at load time.
     */
    public Dispatcher(final Path file, final BackendsFile.HostResolver resolver)
    {
        this.file = file;
        this.resolver = resolver;
        current = new BackendSets(0, "no backends file", RoutingPolicy.EMPTY);
    }

    /**
     * @param file the backends file, or null for none.
     */
    public Dispatcher(final Path file)
    {
        this(file, BackendsFile.HostResolver.SYSTEM);
    }

    /**
     * Read the backends file again and put it in force; on any error keep the sets in force.
     *
     * @return what happened, with the error line if the file is bad.
     */
    public synchronized ReloadResult reload()
    {
        if (file == null)
        {
            return apply("no backends file", new BackendsFile.Result(null, List.of(), List.of(), List.of(), List.of()));
        }
        return apply(file.toString(), BackendsFile.parse(file, resolver));
    }

    /**
     * Put parsed content in force (what {@link #reload()} does after parsing).
     *
     * @param source the file name, for messages.
     * @param parsed the parse result.
     * @return what happened.
     */
    public synchronized ReloadResult apply(final String source, final BackendsFile.Result parsed)
    {
        final BackendSets previous = current;
        if (!parsed.isOk())
        {
            return result(parsed.error(), previous);
        }
        final String[] newSlotUri = slotUri.clone();
        final int[] newSlotVersion = slotVersion.clone();
        final List<BackendsFile.Backend> backends = parsed.backends();
        final int[] slotOf = new int[backends.size()];
        final boolean[] taken = new boolean[SLOTS];
        Arrays.fill(slotOf, NONE);
        for (int b = 0; b < backends.size(); b++)
        {
            final int slot = indexOf(newSlotUri, backends.get(b).uri());
            if (slot >= 0)
            {
                slotOf[b] = slot;
                taken[slot] = true;
            }
        }
        for (int b = 0; b < backends.size(); b++)
        {
            if (slotOf[b] == NONE)
            {
                final int slot = freeSlot(newSlotUri, taken);
                if (slot < 0)
                {
                    return result(source + ":" + backends.get(b).line() + ": bad token 'uri=" +
                        backends.get(b).uri() + "': no free backend slot (removed backends still carry calls)",
                        previous);
                }
                slotOf[b] = slot;
                taken[slot] = true;
                newSlotUri[slot] = backends.get(b).uri();
                newSlotVersion[slot]++;
            }
        }
        final String[] newResources = resourceNames.clone();
        final String error = assignResources(source, parsed, newResources);
        if (error != null)
        {
            return result(error, previous);
        }
        final String[] newSetNames = setNames.clone();
        assignSets(parsed.sets(), newSetNames);

        final BackendSets sets = build(source, parsed, previous.version() + 1, slotOf, newSlotVersion,
            newResources, newSetNames);
        for (int b = 0; b < backends.size(); b++)
        {
            final int slot = slotOf[b];
            if (newSlotVersion[slot] != slotVersion[slot] || !backends.get(b).probe())
            {
                up.set(slot, 1);
            }
        }
        for (int b = 0; b < backends.size(); b++)
        {
            final PeerAddress address = backends.get(b).address();
            slotIpv4Port.set(slotOf[b],
                address.family() == PeerAddress.IPV4 ? ipv4Port(address.ipv4(), address.port()) : 0);
        }
        System.arraycopy(newSlotUri, 0, slotUri, 0, SLOTS);
        System.arraycopy(newSlotVersion, 0, slotVersion, 0, SLOTS);
        System.arraycopy(newResources, 0, resourceNames, 0, RESOURCES);
        System.arraycopy(newSetNames, 0, setNames, 0, setNames.length);
        current = sets;
        return result(null, sets);
    }

    /**
     * @return the sets in force.
     */
    public BackendSets current()
    {
        return current;
    }

    /**
     * @return the routing rules in force.
     */
    public RoutingPolicy policy()
    {
        return current.policy();
    }

    /**
     * Pick a backend for a new call.
     *
     * @param setId    a set id ({@link RoutingDecision#setId()} or {@link #setId(String)}).
     * @param resource a resource id, {@link #SET_RESOURCE} or {@link #NO_RESOURCE}: only backends offering it below
     *                 their maximum are chosen.
     * @param key      the hash key for hash sets (Call-ID or From user bytes; see {@link #hashKeyOf(int)}), or null.
     * @param offset   of the key.
     * @param length   of the key.
     * @return a backend slot that is up, or {@link #NONE} (the agent answers 503 with Retry-After).
     */
    public int select(final int setId, final int resource, final DirectBuffer key, final int offset, final int length)
    {
        return choose(setId, resource, key, offset, length, 0L);
    }

    /**
     * Serial failover: pick another backend after a 408, 5xx or timeout from the ones tried.
     *
     * @param setId        a set id.
     * @param resource     a resource id, {@link #SET_RESOURCE} or {@link #NO_RESOURCE}.
     * @param excludedMask bit {@code 1L << slot} set for every backend already tried.
     * @return a backend slot, or {@link #NONE} when no other is available.
     */
    public int next(final int setId, final int resource, final long excludedMask)
    {
        return choose(setId, resource, null, 0, 0, excludedMask);
    }

    /**
     * Serial failover keeping the hash order of hash sets (the next-highest rendezvous score).
     *
     * @param setId        a set id.
     * @param resource     a resource id, {@link #SET_RESOURCE} or {@link #NO_RESOURCE}.
     * @param key          the hash key, or null.
     * @param offset       of the key.
     * @param length       of the key.
     * @param excludedMask bit {@code 1L << slot} set for every backend already tried.
     * @return a backend slot, or {@link #NONE}.
     */
    public int next(
        final int setId,
        final int resource,
        final DirectBuffer key,
        final int offset,
        final int length,
        final long excludedMask)
    {
        return choose(setId, resource, key, offset, length, excludedMask);
    }

    /**
     * Count a call on a backend: call it when the INVITE is sent to the backend (as OpenSIPS counts at selection),
     * so a burst of calls spreads before the first is answered.
     *
     * @param backend  a slot.
     * @param resource a resource id ({@link #resourceOf(int)} for a set's own).
     * @return false, counting nothing, if the backend does not offer the resource or is at its maximum: pick
     *         another ({@link #next}) and do not call {@link #onCallEnded} for this one.
     */
    public boolean onCallStarted(final int backend, final int resource)
    {
        final BackendSets sets = current;
        if (!sets.isPresent(backend) || resource < 0 || resource >= RESOURCES)
        {
            return false;
        }
        final int max = sets.maxChannels(backend, resource);
        final int index = backend * RESOURCES + resource;
        while (true)
        {
            final int count = used.get(index);
            if (count >= max)
            {
                return false;
            }
            if (used.compareAndSet(index, count, count + 1))
            {
                return true;
            }
        }
    }

    /**
     * Count a call found in the dialog store at start-up, without the maximum check (a maximum lowered since the
     * call began must not lose it): the count then drains as such calls end.
     *
     * @param backend  a slot ({@link #backendId(String)} from the URI the dialog recorded).
     * @param resource a resource id ({@link #resourceId(String)}).
     * @return false if the ids are out of range.
     */
    public boolean onCallRestored(final int backend, final int resource)
    {
        if (backend < 0 || backend >= SLOTS || resource < 0 || resource >= RESOURCES)
        {
            return false;
        }
        used.incrementAndGet(backend * RESOURCES + resource);
        return true;
    }

    /**
     * Release a call counted by {@link #onCallStarted}: a failed INVITE (non-2xx final, timeout, failover to the
     * next backend) or an ended dialog.
     *
     * @param backend  the slot it was counted on.
     * @param resource the resource id it was counted on.
     */
    public void onCallEnded(final int backend, final int resource)
    {
        if (backend < 0 || backend >= SLOTS || resource < 0 || resource >= RESOURCES)
        {
            return;
        }
        final int index = backend * RESOURCES + resource;
        while (true)
        {
            final int count = used.get(index);
            if (count <= 0 || used.compareAndSet(index, count, count - 1))
            {
                return;
            }
        }
    }

    /**
     * @param backend  a slot.
     * @param resource a resource id.
     * @return channels in use.
     */
    public int used(final int backend, final int resource)
    {
        return backend < 0 || backend >= SLOTS || resource < 0 || resource >= RESOURCES ? 0 :
            used.get(backend * RESOURCES + resource);
    }

    /**
     * @param backend a slot.
     * @return true unless probing marked it down.
     */
    public boolean isUp(final int backend)
    {
        return backend >= 0 && backend < SLOTS && up.get(backend) != 0;
    }

    /**
     * Mark a backend up or down (the prober does; an operator command may).
     *
     * @param backend a slot.
     * @param isUp    the new state.
     * @return true if the state changed.
     */
    public boolean markUp(final int backend, final boolean isUp)
    {
        return backend >= 0 && backend < SLOTS && up.getAndSet(backend, isUp ? 1 : 0) != (isUp ? 1 : 0);
    }

    /**
     * @param name a set name.
     * @return its id in the sets in force, or {@link #NONE}.
     */
    public int setId(final String name)
    {
        return current.setId(name);
    }

    /**
     * @param uri a backend URI as written in the backends file.
     * @return its slot in the sets in force, or {@link #NONE}.
     */
    public int backendId(final String uri)
    {
        final BackendSets sets = current;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (sets.isPresent(slot) && uri.equals(sets.uri(slot)))
            {
                return slot;
            }
        }
        return NONE;
    }

    /**
     * The backend a call went to, from the address its dialog recorded: also a backend removed by a reload whose
     * calls are still counted, so they drain. Prefers a slot with calls of the resource when addresses repeat.
     *
     * @param ipv4     the IPv4 address the INVITE was sent to.
     * @param port     its port.
     * @param resource the resource the call was counted on.
     * @return the slot, or {@link #NONE}.
     */
    public int backendAt(final int ipv4, final int port, final int resource)
    {
        final long wanted = ipv4Port(ipv4, port);
        int found = NONE;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (slotIpv4Port.get(slot) == wanted)
            {
                if (used(slot, resource) > 0)
                {
                    return slot;
                }
                found = found == NONE ? slot : found;
            }
        }
        return found;
    }

    /**
     * @param name a resource name.
     * @return its id, or {@link #NONE}.
     */
    public int resourceId(final String name)
    {
        return current.resourceId(name);
    }

    /**
     * @param setId a set id.
     * @return the set's own resource id (what {@link #SET_RESOURCE} stands for), or {@link #NONE}.
     */
    public int resourceOf(final int setId)
    {
        final BackendSets sets = current;
        return sets.hasSet(setId) ? sets.setResource(setId) : NONE;
    }

    /**
     * @param setId a set id.
     * @return {@link DispatchAlgorithm#HASH_CALL_ID} or {@link DispatchAlgorithm#HASH_FROM_USER} when selects need
     *         that key, else {@link #NONE}.
     */
    public int hashKeyOf(final int setId)
    {
        final BackendSets sets = current;
        return sets.hasSet(setId) && DispatchAlgorithm.isHash(sets.algorithm(setId)) ? sets.algorithm(setId) : NONE;
    }

    /**
     * @param backend a slot of the sets in force.
     * @param dst     receives the backend's IP address and port.
     * @return false, leaving dst alone, if there is no such backend.
     */
    public boolean address(final int backend, final PeerAddress dst)
    {
        final BackendSets sets = current;
        if (!sets.isPresent(backend))
        {
            return false;
        }
        sets.address(backend, dst);
        return true;
    }

    /**
     * @param backend a slot of the sets in force.
     * @return its {@code TransportProtocol} code, or {@code TransportProtocol.NONE} if there is no such backend.
     */
    public int transport(final int backend)
    {
        final BackendSets sets = current;
        return sets.isPresent(backend) ? sets.transport(backend) : 0;
    }

    private int choose(
        final int setId,
        final int resource,
        final DirectBuffer key,
        final int offset,
        final int length,
        final long excludedMask)
    {
        final BackendSets sets = current;
        if (!sets.hasSet(setId))
        {
            return NONE;
        }
        final int res = resource == SET_RESOURCE ? sets.setResource(setId) : resource;
        switch (sets.algorithm(setId))
        {
            case DispatchAlgorithm.HASH_CALL_ID:
            case DispatchAlgorithm.HASH_FROM_USER:
                return rendezvous(sets, setId, res, key, offset, length, excludedMask);
            case DispatchAlgorithm.LEAST_LOADED_ABSOLUTE:
                return leastLoaded(sets, setId, res, excludedMask, false);
            case DispatchAlgorithm.LEAST_LOADED_RELATIVE:
                return leastLoaded(sets, setId, res, excludedMask, true);
            default:
                return roundRobin(sets, setId, res, excludedMask);
        }
    }

    private int roundRobin(final BackendSets sets, final int setId, final int resource, final long excludedMask)
    {
        final int[] members = sets.members[setId];
        final int[] schedule = sets.schedule[setId];
        final int start = (int)Long.remainderUnsigned(cursors.getAndIncrement(setId), schedule.length);
        for (int i = 0; i < schedule.length; i++)
        {
            final int slot = members[schedule[(start + i) % schedule.length]];
            if (isEligible(sets, slot, resource, excludedMask))
            {
                return slot;
            }
        }
        return NONE;
    }

    /**
     * Highest random weight of (key, backend): a backend going down moves only its own keys, and failover walks
     * the same order for every retransmission of a call.
     */
    private int rendezvous(
        final BackendSets sets,
        final int setId,
        final int resource,
        final DirectBuffer key,
        final int offset,
        final int length,
        final long excludedMask)
    {
        long hash = FNV_OFFSET;
        for (int i = 0; key != null && i < length; i++)
        {
            hash = (hash ^ (key.getByte(offset + i) & 0xFF)) * FNV_PRIME;
        }
        int best = NONE;
        long bestScore = 0;
        for (final int slot : sets.members[setId])
        {
            if (isEligible(sets, slot, resource, excludedMask))
            {
                final long score = BackendSets.mix(hash ^ sets.hashSeed[slot]);
                if (best == NONE || Long.compareUnsigned(score, bestScore) > 0)
                {
                    best = slot;
                    bestScore = score;
                }
            }
        }
        return best;
    }

    /**
     * OpenSIPS {@code load_balancer}: availability is {@code max - used} (absolute) or
     * {@code 100 - 100 * used / max} in integer percent (relative); the highest wins, ties go to the first in file
     * order, and a backend with no availability left is never chosen.
     */
    private int leastLoaded(
        final BackendSets sets, final int setId, final int resource, final long excludedMask, final boolean relative)
    {
        if (resource < 0)
        {
            return NONE;
        }
        int best = NONE;
        long bestAvailable = 0;
        for (final int slot : sets.members[setId])
        {
            if (isEligible(sets, slot, resource, excludedMask))
            {
                final long max = sets.maxChannels[slot * RESOURCES + resource];
                final long inUse = used.get(slot * RESOURCES + resource);
                final long available = relative ? 100 - (100 * inUse / max) : max - inUse;
                if (available > bestAvailable)
                {
                    best = slot;
                    bestAvailable = available;
                }
            }
        }
        return best;
    }

    private boolean isEligible(final BackendSets sets, final int slot, final int resource, final long excludedMask)
    {
        if ((excludedMask & (1L << slot)) != 0 || up.get(slot) == 0)
        {
            return false;
        }
        if (resource < 0)
        {
            return true;
        }
        final int max = sets.maxChannels[slot * RESOURCES + resource];
        return max > 0 && used.get(slot * RESOURCES + resource) < max;
    }

    private BackendSets build(
        final String source,
        final BackendsFile.Result parsed,
        final long version,
        final int[] slotOf,
        final int[] versions,
        final String[] resources,
        final String[] setIds)
    {
        final BackendSets sets = new BackendSets(version, source, RoutingPolicy.EMPTY);
        System.arraycopy(resources, 0, sets.resourceName, 0, RESOURCES);
        final List<BackendsFile.Backend> backends = parsed.backends();
        for (int b = 0; b < backends.size(); b++)
        {
            final int slot = slotOf[b];
            sets.backend(slot, backends.get(b), versions[slot]);
            for (final Map.Entry<String, Integer> entry : backends.get(b).resources().entrySet())
            {
                sets.maxChannels[slot * RESOURCES + indexOf(resources, entry.getKey())] = entry.getValue();
            }
        }
        for (final BackendsFile.BackendSet set : parsed.sets())
        {
            final int id = indexOf(setIds, set.name());
            int count = 0;
            for (final BackendsFile.Member member : parsed.members())
            {
                count += member.set().equals(set.name()) ? 1 : 0;
            }
            final int[] members = new int[count];
            final int[] weights = new int[count];
            int i = 0;
            for (final BackendsFile.Member member : parsed.members())
            {
                if (member.set().equals(set.name()))
                {
                    members[i] = slotOf[indexOfBackend(backends, member.uri())];
                    weights[i++] = set.algorithm() == DispatchAlgorithm.WEIGHTED ? member.weight() : 1;
                }
            }
            sets.setName[id] = set.name();
            sets.algorithm[id] = set.algorithm();
            sets.setResource[id] = set.resource() == null ? NONE : indexOf(resources, set.resource());
            sets.members[id] = members;
            sets.schedule[id] = BackendSets.smoothSchedule(weights);
        }
        return sets.withPolicy(RoutingPolicy.of(parsed.routes(), sets));
    }

    private String assignResources(final String source, final BackendsFile.Result parsed, final String[] names)
    {
        final boolean[] taken = new boolean[RESOURCES];
        final List<String> wanted = new ArrayList<>();
        for (final BackendsFile.BackendSet set : parsed.sets())
        {
            if (set.resource() != null && !wanted.contains(set.resource()))
            {
                wanted.add(set.resource());
            }
        }
        for (final BackendsFile.Backend backend : parsed.backends())
        {
            for (final String name : backend.resources().keySet())
            {
                if (!wanted.contains(name))
                {
                    wanted.add(name);
                }
            }
        }
        for (final String name : wanted)
        {
            final int id = indexOf(names, name);
            if (id >= 0)
            {
                taken[id] = true;
            }
        }
        for (final String name : wanted)
        {
            if (indexOf(names, name) < 0)
            {
                int free = NONE;
                for (int r = 0; r < RESOURCES && free == NONE; r++)
                {
                    if (!taken[r] && (names[r] == null || isResourceIdle(r)))
                    {
                        free = r;
                    }
                }
                if (free == NONE)
                {
                    return source + ": bad token 'resources=" + name + "': no free resource id (removed resources " +
                        "still carry calls)";
                }
                names[free] = name;
                taken[free] = true;
            }
        }
        return null;
    }

    private static void assignSets(final List<BackendsFile.BackendSet> sets, final String[] names)
    {
        final boolean[] taken = new boolean[names.length];
        for (final BackendsFile.BackendSet set : sets)
        {
            final int id = indexOf(names, set.name());
            if (id >= 0)
            {
                taken[id] = true;
            }
        }
        for (final BackendsFile.BackendSet set : sets)
        {
            if (indexOf(names, set.name()) < 0)
            {
                // An id never used first, so a decision made just before a reload cannot land on another set.
                int free = freeId(names, taken, true);
                if (free == NONE)
                {
                    free = freeId(names, taken, false);
                }
                names[free] = set.name();
                taken[free] = true;
            }
        }
    }

    private static int freeId(final String[] names, final boolean[] taken, final boolean neverUsed)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (!taken[i] && (!neverUsed || names[i] == null))
            {
                return i;
            }
        }
        return NONE;
    }

    private int freeSlot(final String[] uris, final boolean[] taken)
    {
        for (int s = 0; s < SLOTS; s++)
        {
            if (uris[s] == null && !taken[s])
            {
                return s;
            }
        }
        for (int s = 0; s < SLOTS; s++)
        {
            if (!taken[s] && isSlotIdle(s))
            {
                return s;
            }
        }
        return NONE;
    }

    private boolean isSlotIdle(final int slot)
    {
        for (int r = 0; r < RESOURCES; r++)
        {
            if (used.get(slot * RESOURCES + r) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private boolean isResourceIdle(final int resource)
    {
        for (int s = 0; s < SLOTS; s++)
        {
            if (used.get(s * RESOURCES + resource) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static long ipv4Port(final int ipv4, final int port)
    {
        return 1L << 48 | (ipv4 & 0xFFFF_FFFFL) << 16 | (port & 0xFFFF);
    }

    private static int indexOfBackend(final List<BackendsFile.Backend> backends, final String uri)
    {
        for (int b = 0; b < backends.size(); b++)
        {
            if (backends.get(b).uri().equals(uri))
            {
                return b;
            }
        }
        return NONE;
    }

    private static int indexOf(final String[] names, final String name)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (name.equals(names[i]))
            {
                return i;
            }
        }
        return NONE;
    }

    private static ReloadResult result(final String error, final BackendSets sets)
    {
        return new ReloadResult(error, sets.version(), sets.backendCount(), sets.setCount(),
            sets.policy().ruleCount());
    }
}
