package io.corral.engine.agent;

import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ValueType;
import io.corral.engine.config.ValueTypes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keys that place agents on threads: threading mode, idle strategy and CPU per agent role, conductor timers.
 * Each role in {@link #ROLES} has {@code corral.<role>.idle.strategy} and {@code corral.<role>.cpu}.
 */
public final class AgentConfiguration
{
    /** Role of the {@link ConductorAgent}. */
    public static final String ROLE_CONDUCTOR = "conductor";

    /** Role of the SIP agents (transport, transactions, proxy); every SIP agent thread shares its keys. */
    public static final String ROLE_SIP = "sip";

    /** Role of the one thread that runs every agent in {@link ThreadingMode#SHARED}. */
    public static final String ROLE_SHARED = "shared";

    /** Every role with its own idle strategy and CPU keys. */
    public static final List<String> ROLES = List.of(ROLE_CONDUCTOR, ROLE_SIP, ROLE_SHARED);

    /** How agents map to threads. */
    public static final ConfigKey THREADING_MODE = ConfigKey.of(
        "corral.threading.mode", "shared", ValueTypes.oneOf("dedicated", "shared", "invoker"),
        "How agents map to threads: one thread per agent, all agents on one thread, or driven by the caller (tests).");

    /** Idle strategy of every role that does not name its own. */
    public static final ConfigKey IDLE_STRATEGY = ConfigKey.of(
        "corral.idle.strategy", IdleStrategies.BACKOFF, ValueTypes.oneOf(IdleStrategies.NAMES),
        "Idle strategy of every agent role without its own corral.ROLE.idle.strategy.");

    /** Longest park of the backoff idle strategy. */
    public static final ConfigKey BACKOFF_MAX_PARK_NS = ConfigKey.of(
        "corral.idle.backoff.max.park.ns", "1000000", ValueTypes.integer(1000, 1_000_000_000),
        "Longest park of the backoff idle strategy (it spins, then yields, then parks doubling up to this).");

    /** Park period of the sleeping idle strategy. */
    public static final ConfigKey SLEEPING_PERIOD_NS = ConfigKey.of(
        "corral.idle.sleeping.period.ns", "1000000", ValueTypes.integer(1000, 1_000_000_000),
        "Park period of the sleeping idle strategy.");

    /** Longest single wait of the epoll-wait idle strategy. */
    public static final ConfigKey EPOLL_WAIT_MAX_NS = ConfigKey.of(
        "corral.idle.epoll.wait.max.ns", "10000000", ValueTypes.integer(1000, 1_000_000_000),
        "Longest single epoll_wait of the epoll-wait idle strategy (a SIP agent blocks in its socket's epoll_wait " +
        "when idle; one with transactions waits at most a timer tick; a hand-over from another agent wakes it). " +
        "Agents that cannot block back off instead: the conductor, threading mode shared, the NIO transport, " +
        "corral.sip.extra.addresses.");

    /** Period of the conductor's housekeeping timers. */
    public static final ConfigKey CONDUCTOR_INTERVAL_MS = ConfigKey.of(
        "corral.conductor.interval.ms", "100", ValueTypes.integer(1, 60_000),
        "Period of the conductor's housekeeping timers (uptime counter and later issues' periodic work).");

    /** Every key of this class, in documentation order. */
    public static final List<ConfigKey> KEYS;

    private static final List<ConfigKey> IDLE_STRATEGY_KEYS = new ArrayList<>();
    private static final List<ConfigKey> CPU_KEYS = new ArrayList<>();

    static
    {
        final ValueType roleIdle = ValueTypes.oneOfOrEmpty(IDLE_STRATEGY.name(), IdleStrategies.NAMES);
        final ValueType cpu = ValueTypes.integer(-1, 1023, " (-1 = not pinned)");
        final List<ConfigKey> keys = new ArrayList<>(List.of(THREADING_MODE, IDLE_STRATEGY));
        for (final String role : ROLES)
        {
            final String thread = ROLE_SHARED.equals(role) ? "the shared thread (threading mode shared)" :
                "the " + role + " agent's thread (threading mode dedicated)";
            IDLE_STRATEGY_KEYS.add(ConfigKey.of(
                "corral." + role + ".idle.strategy", "", roleIdle, "Idle strategy of " + thread + "."));
            CPU_KEYS.add(ConfigKey.of(
                "corral." + role + ".cpu", "-1", cpu,
                "CPU to pin " + thread + " to; a warning if it cannot be pinned."));
        }
        keys.addAll(IDLE_STRATEGY_KEYS);
        keys.addAll(CPU_KEYS);
        keys.addAll(List.of(BACKOFF_MAX_PARK_NS, SLEEPING_PERIOD_NS, EPOLL_WAIT_MAX_NS, CONDUCTOR_INTERVAL_MS));
        KEYS = Collections.unmodifiableList(keys);
    }

    private AgentConfiguration()
    {
    }

    /**
     * @param role one of {@link #ROLES}.
     * @return the key {@code corral.<role>.idle.strategy}.
     */
    public static ConfigKey idleStrategyKey(final String role)
    {
        return IDLE_STRATEGY_KEYS.get(roleIndex(role));
    }

    /**
     * @param role one of {@link #ROLES}.
     * @return the key {@code corral.<role>.cpu}.
     */
    public static ConfigKey cpuKey(final String role)
    {
        return CPU_KEYS.get(roleIndex(role));
    }

    private static int roleIndex(final String role)
    {
        final int index = ROLES.indexOf(role);
        if (index < 0)
        {
            throw new IllegalArgumentException("unknown agent role " + role);
        }
        return index;
    }
}
