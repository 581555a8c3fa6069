package io.corral.engine;

import io.corral.engine.agent.AgentConfiguration;
import io.corral.engine.agent.AgentPlacement;
import io.corral.engine.agent.IdleStrategies;
import io.corral.engine.agent.ThreadingMode;
import io.corral.engine.auth.AuthConfiguration;
import io.corral.engine.config.ConfigKey;
import io.corral.engine.config.ConfigRegistry;
import io.corral.engine.config.ConfigValues;
import io.corral.engine.config.ConfigurationException;
import io.corral.engine.dialog.DialogConfiguration;
import io.corral.engine.dispatch.DispatchConfiguration;
import io.corral.engine.overload.OverloadConfiguration;
import io.corral.engine.overload.OverloadSettings;
import io.corral.engine.proxy.ProxyConfiguration;
import io.corral.engine.registrar.RegistrarConfiguration;
import io.corral.engine.sip.transaction.TransactionConfiguration;
import io.corral.engine.sip.transaction.TransactionLayer;
import io.corral.engine.sip.transaction.TransactionSettings;
import io.corral.engine.status.StatusConfiguration;
import io.corral.engine.transport.TransportConfiguration;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

/**
 * The member's configuration as one object, composed from each module's {@code *Configuration} keys.
 * {@link #load(Path, Properties)} resolves the values, {@link #conclude()} validates every key and parses the values
 * the engine uses; an invalid value stops start-up with a {@link ConfigurationException}.
 */
public final class Context implements AgentPlacement
{
    /** Every key of every module, in the order {@code docs/configuration.md} lists them. */
    public static final ConfigRegistry REGISTRY = new ConfigRegistry(
        MemberConfiguration.KEYS,
        SipConfiguration.KEYS,
        TransportConfiguration.KEYS,
        AgentConfiguration.KEYS,
        StatusConfiguration.KEYS,
        TransactionConfiguration.KEYS,
        OverloadConfiguration.KEYS,
        ProxyConfiguration.KEYS,
        DialogConfiguration.KEYS,
        AuthConfiguration.KEYS,
        RegistrarConfiguration.KEYS,
        DispatchConfiguration.KEYS);

    private final ConfigValues config;
    private boolean concluded;
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private int memberId;
    private String sipAddress;
    private int sipPort;
    private Path dataDir;
    private ThreadingMode threadingMode;
    private long backoffMaxParkNs;
    private long sleepingPeriodNs;
    private long epollWaitMaxNs;
    private long conductorIntervalMs;
    private int countersLength;
    private int errorLogLength;
    private TransactionSettings transactionSettings;
    private OverloadSettings overloadSettings;

    private Context(final ConfigValues config)
    {
        this.config = config;
    }

    /**
     * Resolve the configuration: built-in defaults &lt; {@code configFile} &lt; {@code corral.*} system properties.
     *
     * @param configFile       the properties file named with {@code --config}, or null for none.
     * @param systemProperties usually {@link System#getProperties()}.
     * @return the context, not yet concluded.
     * @throws ConfigurationException if the file is missing or a key is unknown.
     */
    public static Context load(final Path configFile, final Properties systemProperties)
    {
        return new Context(ConfigValues.load(REGISTRY, configFile, systemProperties));
    }

    /**
     * Validate every key and parse the values; safe to call more than once.
     *
     * @return this.
     * @throws ConfigurationException naming the first invalid key.
     */
    public Context conclude()
    {
        if (!concluded)
        {
            config.validate();
            memberId = config.intValue(MemberConfiguration.MEMBER_ID);
            dataDir = Paths.get(config.string(MemberConfiguration.DATA_DIR));
            sipAddress = config.string(SipConfiguration.SIP_ADDRESS);
            sipPort = config.intValue(SipConfiguration.SIP_PORT);
            requireAgentPortsApart(config, sipPort);
            threadingMode = ThreadingMode.parse(config.string(AgentConfiguration.THREADING_MODE));
            backoffMaxParkNs = config.longValue(AgentConfiguration.BACKOFF_MAX_PARK_NS);
            sleepingPeriodNs = config.longValue(AgentConfiguration.SLEEPING_PERIOD_NS);
            epollWaitMaxNs = config.longValue(AgentConfiguration.EPOLL_WAIT_MAX_NS);
            conductorIntervalMs = config.longValue(AgentConfiguration.CONDUCTOR_INTERVAL_MS);
            countersLength = config.intValue(StatusConfiguration.COUNTERS_LENGTH);
            errorLogLength = config.intValue(StatusConfiguration.ERROR_LOG_LENGTH);
            transactionSettings = transactionSettings(config);
            overloadSettings = OverloadSettings.from(config);
            concluded = true;
        }
        return this;
    }

    private static void requireAgentPortsApart(final ConfigValues config, final int sipPort)
    {
        final int base = config.intValue(TransportConfiguration.AGENT_PORT_BASE);
        if (base == 0)
        {
            return;
        }
        final int agents = config.intValue(SipConfiguration.SIP_AGENTS);
        final int last = base + agents - 1;
        final String what = TransportConfiguration.AGENT_PORT_BASE.name() + "=" + base + " is invalid: ";
        if (last > 65535)
        {
            throw new ConfigurationException(what + "the ports of " + SipConfiguration.SIP_AGENTS.name() + "=" +
                agents + " agents would end at " + last + ", beyond 65535");
        }
        final int advertisedPort = config.intValue(TransportConfiguration.ADVERTISED_PORT);
        for (final int port : new int[] {sipPort, advertisedPort})
        {
            if (port >= base && port <= last)
            {
                throw new ConfigurationException(what + "its ports " + base + ".." + last + " hold the SIP port " +
                    port);
            }
        }
    }

    /**
     * @return the effective values with their sources.
     */
    public ConfigValues config()
    {
        return config;
    }

    /**
     * @param epochClock the wall clock agents and the status file use; tests inject a manual one.
     * @return this.
     */
    public Context epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    /**
     * @return the wall clock.
     */
    public EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * @return {@code corral.member.id}.
     */
    public int memberId()
    {
        requireConcluded();
        return memberId;
    }

    /**
     * @return {@code corral.sip.address}.
     */
    public String sipAddress()
    {
        requireConcluded();
        return sipAddress;
    }

    /**
     * @return {@code corral.sip.port}.
     */
    public int sipPort()
    {
        requireConcluded();
        return sipPort;
    }

    /**
     * @return {@code corral.data.dir}: every file the member writes lives under it.
     */
    public Path dataDir()
    {
        requireConcluded();
        return dataDir;
    }

    /**
     * @return {@code corral.threading.mode}.
     */
    public ThreadingMode threadingMode()
    {
        requireConcluded();
        return threadingMode;
    }

    /**
     * @return {@code corral.conductor.interval.ms}.
     */
    public long conductorIntervalMs()
    {
        requireConcluded();
        return conductorIntervalMs;
    }

    /**
     * @return {@code corral.status.counters.length}.
     */
    public int countersLength()
    {
        requireConcluded();
        return countersLength;
    }

    /**
     * @return {@code corral.status.error.log.length}.
     */
    public int errorLogLength()
    {
        requireConcluded();
        return errorLogLength;
    }

    /**
     * @return the transaction layer's timers and sizes ({@code corral.transaction.*}).
     */
    public TransactionSettings transactionSettings()
    {
        requireConcluded();
        return transactionSettings;
    }

    /**
     * @return overload control's thresholds.
     */
    public OverloadSettings overloadSettings()
    {
        requireConcluded();
        return overloadSettings;
    }

    /**
     * @param role an agent role of {@link AgentConfiguration#ROLES}.
     * @return the idle strategy name for the role: its own key, else {@code corral.idle.strategy}.
     */
    public String idleStrategyName(final String role)
    {
        requireConcluded();
        final String own = config.string(AgentConfiguration.idleStrategyKey(role));
        return own.isEmpty() ? config.string(AgentConfiguration.IDLE_STRATEGY) : own;
    }

    /**
     * {@inheritDoc}
     */
    public IdleStrategy idleStrategy(final String role)
    {
        return IdleStrategies.create(idleStrategyName(role), backoffMaxParkNs, sleepingPeriodNs);
    }

    /**
     * {@inheritDoc}
     */
    public IdleStrategy idleStrategy(final String role, final Agent agent)
    {
        return IdleStrategies.create(
            idleStrategyName(role), agent, role, backoffMaxParkNs, sleepingPeriodNs, epollWaitMaxNs);
    }

    /**
     * {@inheritDoc}
     */
    public int cpu(final String role)
    {
        requireConcluded();
        return config.intValue(AgentConfiguration.cpuKey(role));
    }

    private static TransactionSettings transactionSettings(final ConfigValues config)
    {
        final long t1Ms = config.longValue(TransactionConfiguration.T1_MS);
        final long t2Ms = config.longValue(TransactionConfiguration.T2_MS);
        if (t2Ms < t1Ms)
        {
            throw new ConfigurationException(TransactionConfiguration.T2_MS.name() + "=" + t2Ms +
                " is invalid: expected at least " + TransactionConfiguration.T1_MS.name() + " (" + t1Ms + ")");
        }
        final int capacity = config.intValue(TransactionConfiguration.CAPACITY);
        final int smallSlotBytes = config.intValue(TransactionConfiguration.SMALL_SLOT_BYTES);
        final int slotBytes = config.intValue(TransactionConfiguration.SLOT_BYTES);
        if (smallSlotBytes > slotBytes)
        {
            throw new ConfigurationException(TransactionConfiguration.SMALL_SLOT_BYTES.name() + "=" + smallSlotBytes +
                " is invalid: expected at most " + TransactionConfiguration.SLOT_BYTES.name() + " (" + slotBytes + ")");
        }
        requireSlab(capacity, TransactionConfiguration.SMALL_SLOTS, config, smallSlotBytes);
        requireSlab(capacity, TransactionConfiguration.SLOTS, config, slotBytes);
        return new TransactionSettings()
            .t1Ms(t1Ms)
            .t2Ms(t2Ms)
            .t4Ms(config.longValue(TransactionConfiguration.T4_MS))
            .timerDMs(config.longValue(TransactionConfiguration.TIMER_D_MS))
            .capacity(capacity)
            .lingerBytes(config.intValue(TransactionConfiguration.LINGER_BYTES))
            .lingerEntries(config.intValue(TransactionConfiguration.LINGER_ENTRIES))
            .smallSlotBytes(smallSlotBytes)
            .smallSlots(config.intValue(TransactionConfiguration.SMALL_SLOTS))
            .slotBytes(slotBytes)
            .slots(config.intValue(TransactionConfiguration.SLOTS))
            .largeSlots(config.intValue(TransactionConfiguration.LARGE_SLOTS))
            .tickMs(config.intValue(TransactionConfiguration.TICK_MS));
    }

    private static void requireSlab(
        final int capacity, final ConfigKey slotsKey, final ConfigValues config, final int slotBytes)
    {
        final int slots = config.intValue(slotsKey);
        if (TransactionLayer.slabBytes(capacity, slots, slotBytes) > TransactionLayer.MAX_SLAB_BYTES)
        {
            throw new ConfigurationException(slotsKey.name() + "=" + slots + " is invalid: expected at most " +
                TransactionLayer.MAX_SLAB_BYTES + " bytes of slots (" + slotBytes + " bytes each)");
        }
    }

    private void requireConcluded()
    {
        if (!concluded)
        {
            throw new IllegalStateException("Context.conclude() has not been called");
        }
    }
}
