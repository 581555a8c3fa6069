package io.corral.engine;

import io.corral.engine.agent.AgentConfiguration;
import io.corral.engine.agent.AgentGroup;
import io.corral.engine.agent.ConductorAgent;
import io.corral.engine.agent.ThreadingMode;
import io.corral.engine.auth.AuthConfiguration;
import io.corral.engine.auth.AuthSettings;
import io.corral.engine.auth.DigestAuthenticator;
import io.corral.engine.auth.MemberSecret;
import io.corral.engine.auth.UsersFile;
import io.corral.engine.auth.UsersFileWatcher;
import io.corral.engine.config.ConfigurationException;
import io.corral.engine.dialog.DialogConfiguration;
import io.corral.engine.dialog.DialogTracker;
import io.corral.engine.dispatch.DispatchContext;
import io.corral.engine.dispatch.DispatchCounters;
import io.corral.engine.dispatch.ReloadResult;
import io.corral.engine.overload.OverloadSettings;
import io.corral.engine.proxy.ProxyConfiguration;
import io.corral.engine.proxy.ProxyContext;
import io.corral.engine.registrar.KeepAliveSettings;
import io.corral.engine.registrar.KnownUsers;
import io.corral.engine.registrar.Location;
import io.corral.engine.registrar.LocationService;
import io.corral.engine.registrar.NatKeepAlive;
import io.corral.engine.registrar.Registrar;
import io.corral.engine.registrar.RegistrarConfiguration;
import io.corral.engine.registrar.RegistrarContext;
import io.corral.engine.sip.SipAgent;
import io.corral.engine.sip.SipCounters;
import io.corral.engine.status.MemberLockedException;
import io.corral.engine.status.StatusCounters;
import io.corral.engine.status.StatusFile;
import io.corral.engine.transport.TransportCounters;
import io.corral.engine.transport.TransportSettings;
import io.corral.state.HybridLogicalClock;
import io.corral.state.StateChangeListener;
import io.corral.state.dialog.DialogStore;
import io.corral.state.registration.RegistrationStore;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.errors.LoggingErrorHandler;
import org.agrona.concurrent.status.CountersManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A Corral member: locks its data dir, creates its status file and runs its agents until closed.
 * {@link #main(String[])} is what {@code bin/corral} runs: it stops cleanly, exit status 0, on SIGTERM or SIGINT.
 */
public final class Member implements AutoCloseable
{
    /** Exit status when start-up fails for a reason other than configuration. */
    public static final int EXIT_FAILURE = 1;

    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: bin/corral [--config FILE] [--print-config] [-Dcorral.key=value ...]",
        "  --config FILE    properties file over the built-in defaults; -Dcorral.* wins over both",
        "  --print-config   print the effective configuration with the source of each value, then exit",
        "  --help           print this help",
        "Every key, its default and meaning: docs/configuration.md");

    private static final long START_TIMEOUT_NS = 30_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(Member.class);

    /** The outcome of the last backends file load, one line, under the data dir: what {@code corral-ctl} shows. */
    public static final String RELOAD_RESULT_FILE = "status/backends-reload";

    private final Context context;
    private final StatusFile statusFile;
    private final CachedEpochClock cachedClock = new CachedEpochClock();
    private final LoggingErrorHandler loggingErrorHandler;
    private final CountedErrorHandler errorHandler;
    private final SipAgent[] sipAgents;
    private final DialogStore[] dialogStores;
    private final RegistrationStore[] registrationStores;
    private final DispatchContext dispatch;
    private final AgentGroup agents;

    private Member(final Context context)
    {
        this.context = context.conclude();
        final ProxyContext proxyContext = ProxyContext.from(context);
        statusFile = StatusFile.create(
            context.dataDir(), context.memberId(), context.countersLength(), context.errorLogLength(),
            context.epochClock());
        final int sipAgentCount = context.config().intValue(SipConfiguration.SIP_AGENTS);
        sipAgents = new SipAgent[sipAgentCount];
        dialogStores = new DialogStore[sipAgentCount];
        registrationStores = new RegistrationStore[sipAgentCount];
        AgentGroup started = null;
        try
        {
            final StatusCounters counters = statusFile.counters();
            loggingErrorHandler = new LoggingErrorHandler(statusFile.errorLog());
            errorHandler = new CountedErrorHandler(loggingErrorHandler, counters.get(StatusCounters.ERRORS_ID));
            final long startTimeMs = context.epochClock().time();
            cachedClock.update(startTimeMs);
            dispatch = DispatchContext.from(
                context.config(), new DispatchCounters(statusFile.countersManager()), context.memberId());
            reloadBackends();
            final ConductorAgent conductor = new ConductorAgent(
                context.epochClock(), cachedClock, counters, startTimeMs, context.conductorIntervalMs());
            final UsersFile users = new UsersFile(AuthSettings.from(context).usersFile()).load();
            final UsersFileWatcher usersWatcher = new UsersFileWatcher(users, context.epochClock(),
                context.config().longValue(AuthConfiguration.USERS_CHECK_INTERVAL_MS), errorHandler,
                statusFile.countersManager().newCounter("Users file reloads", StatusCounters.SYSTEM_COUNTER_TYPE_ID),
                statusFile.countersManager().newCounter(
                    "Users file reload errors (old users kept)", StatusCounters.SYSTEM_COUNTER_TYPE_ID));
            final List<AgentGroup.RoleAgent> roleAgents = new ArrayList<>();
            roleAgents.add(new AgentGroup.RoleAgent(
                AgentConfiguration.ROLE_CONDUCTOR, new CompositeAgent(conductor, usersWatcher)));
            createSipAgents(context, proxyContext, users, roleAgents);
            started = AgentGroup.start(context.threadingMode(), roleAgents, context, errorHandler, null);
            agents = started;
            if (context.threadingMode() != ThreadingMode.INVOKER)
            {
                awaitSipPort();
            }
            counters.get(StatusCounters.MEMBER_STATE_ID).setRelease(StatusCounters.STATE_RUNNING);
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietClose(started);
            closeDialogStores();
            statusFile.close();
            throw ex;
        }
    }

    private void createSipAgents(
        final Context context,
        final ProxyContext proxyContext,
        final UsersFile users,
        final List<AgentGroup.RoleAgent> roleAgents)
    {
        final TransportSettings transportSettings = TransportSettings.from(context.config());
        final List<String> addresses = new ArrayList<>(List.of(context.sipAddress()));
        addresses.addAll(ProxyConfiguration.split(context.config().string(SipConfiguration.SIP_EXTRA_ADDRESSES)));
        final CountersManager countersManager = statusFile.countersManager();
        final long sweepIntervalMs = context.config().longValue(DialogConfiguration.SWEEP_INTERVAL_MS);
        final OverloadSettings overloadSettings = context.overloadSettings();
        final RegistrarContext registrarContext = RegistrarContext.from(context.config(), proxyContext);
        final KeepAliveSettings keepAliveSettings = KeepAliveSettings.from(context.config());
        final AuthSettings authSettings = AuthSettings.from(context);
        final byte[] secret = authSettings.required() ? MemberSecret.loadOrCreate(authSettings.secretFile()) : null;
        final byte[] realm = authSettings.realm().getBytes(StandardCharsets.UTF_8);
        final int[] algorithms = authSettings.algorithms();
        // A user in the users file is known: a request for one with no binding gets 480, for anyone else 404.
        final KnownUsers knownUsers = (buffer, offset, length) ->
        {
            for (final int algorithm : algorithms)
            {
                if (users.users().find(buffer, offset, length, realm, algorithm) >= 0)
                {
                    return true;
                }
            }
            return false;
        };
        final long seed = System.nanoTime() ^ ((long)context.memberId() << 56);
        for (int i = 0; i < sipAgents.length; i++)
        {
            final SipCounters sipCounters = new SipCounters(countersManager, i);
            final DialogTracker tracker = new DialogTracker(StateChangeListener.NO_OP,
                sipCounters.dialogsEarly, sipCounters.dialogsConfirmed, sipCounters.dialogsCreated,
                sipCounters.dialogsTerminated, sipCounters.dialogsExpired, sipCounters.dialogStoreFailures);
            if (i == 0)
            {
                registrationStores[0] = RegistrationStore.open(RegistrarConfiguration
                    .storeContext(context.config(), context.dataDir(), context.memberId())
                    .conclude());
                dialogStores[0] = DialogStore.open(DialogConfiguration
                    .storeContext(context.config(), context.dataDir(), context.memberId())
                    .listener(tracker)
                    .conclude());
                tracker.store(dialogStores[0]);
                final long existing = tracker.countExisting();
                if (existing > 0)
                {
                    LOG.info("{} dialogs found in the map ({} confirmed, {} early){}", existing,
                        sipCounters.dialogsConfirmed.get(), sipCounters.dialogsEarly.get(),
                        dialogStores[0].wasRecovered() ? ", recovered after an unclean stop with " +
                        dialogStores[0].recoveryCorruptions() + " corruptions" : "");
                }
                final int restored = dispatch.calls().restore(dialogStores[0]);
                if (restored > 0)
                {
                    LOG.info("{} backend calls in progress counted from the dialog store", restored);
                }
            }
            else
            {
                registrationStores[i] = registrationStores[0].newWriter(
                    StateChangeListener.NO_OP, new HybridLogicalClock());
                dialogStores[i] = dialogStores[0].newWriter(tracker, new HybridLogicalClock());
                tracker.store(dialogStores[i]);
            }
            tracker.callEndListener(dispatch.calls());
            sipAgents[i] = new SipAgent(i, sipAgents, proxyContext, context.transactionSettings(),
                transportSettings, addresses.toArray(new String[0]), new TransportCounters(countersManager, i),
                sipCounters, tracker,
                new Registrar(registrarContext, registrationStores[i]),
                new LocationService(registrationStores[i], knownUsers),
                new Location(registrationStores[i]),
                secret == null ? null :
                    DigestAuthenticator.create(authSettings, users, secret, context.memberId(), i, seed + i),
                dispatch,
                authSettings.dropWhenLimited(),
                sweepIntervalMs,
                overloadSettings,
                context.epochClock(), seed + i * 0x9E3779B97F4A7C15L);
            sipAgents[i].natKeepAlive(new NatKeepAlive(keepAliveSettings, registrationStores[i], sipAgents[i],
                countersManager, i, sipAgents.length, context.memberId(), seed + i));
            roleAgents.add(new AgentGroup.RoleAgent(AgentConfiguration.ROLE_SIP, sipAgents[i]));
        }
    }

    private void awaitSipPort()
    {
        final long deadlineNs = System.nanoTime() + START_TIMEOUT_NS;
        for (final SipAgent agent : sipAgents)
        {
            while (agent.boundPort() == 0)
            {
                final Throwable failure = sipAgents[0].startFailure();
                if (failure != null)
                {
                    throw new IllegalStateException("cannot open SIP transport on " + context.sipAddress() + ":" +
                        context.sipPort() + ": " + failure.getMessage(), failure);
                }
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("SIP agents did not open their sockets in time");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private void closeDialogStores()
    {
        for (int i = dialogStores.length - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(dialogStores[i]);
            CloseHelper.quietClose(registrationStores[i]);
        }
    }

    /**
     * @return the UDP and TCP port the SIP agents listen on (the configured one, or the one bound for port 0);
     * 0 in invoker mode until the invoker has started the agents.
     */
    public int sipPort()
    {
        return sipAgents[0].boundPort();
    }

    /**
     * Start a member.
     *
     * @param context the configuration; concluded here if it was not.
     * @return the running member.
     * @throws ConfigurationException if the configuration is invalid.
     * @throws MemberLockedException  if another member uses the data dir.
     */
    public static Member launch(final Context context)
    {
        return new Member(context);
    }

    /**
     * @return the concluded configuration.
     */
    public Context context()
    {
        return context;
    }

    /**
     * Read the backends file again (SIGHUP, {@code corral-ctl reload}; also at start) without dropping calls: a bad
     * file is rejected with the line and token at fault and the sets in force stay. The outcome is logged, written
     * to {@link #RELOAD_RESULT_FILE}, then counted. Runs on the caller's thread, never on an agent.
     *
     * @return the outcome.
     */
    public ReloadResult reloadBackends()
    {
        final ReloadResult result = dispatch.dispatcher().reload();
        if (result.isOk())
        {
            LOG.info(result.describe());
        }
        else
        {
            LOG.error(result.describe());
        }
        final Path file = context.dataDir().resolve(RELOAD_RESULT_FILE);
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.writeString(temporary, result.describe() + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot write {}: {}", file, ex.toString());
        }
        // Counted after the file is written: corral-ctl reads the file once the counter moves.
        dispatch.onReloaded(result);
        return result;
    }

    /**
     * @return the routing policy, backends and their load.
     */
    public DispatchContext dispatch()
    {
        return dispatch;
    }

    /**
     * @return the status file: counters and error log.
     */
    public StatusFile statusFile()
    {
        return statusFile;
    }

    /**
     * @return the agents; in {@code invoker} threading mode, drive them through {@code agents().invoker()}.
     */
    public AgentGroup agents()
    {
        return agents;
    }

    /**
     * @return records an error in the status file's error log and counts it; for code outside the agents.
     */
    public CountedErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @return a coarse wall clock the conductor updates every duty cycle.
     */
    public CachedEpochClock cachedClock()
    {
        return cachedClock;
    }

    /**
     * Close the agents, then flush and close the status file. Nothing needed for recovery is removed.
     */
    public void close()
    {
        statusFile.counters().get(StatusCounters.MEMBER_STATE_ID).setRelease(StatusCounters.STATE_CLOSING);
        CloseHelper.close(agents);
        closeDialogStores();
        CloseHelper.closeAll((AutoCloseable)errorHandler, loggingErrorHandler, statusFile);
    }

    /**
     * Run a member until SIGTERM or SIGINT.
     *
     * @param args {@code --config FILE}, {@code --print-config}, {@code --help}.
     */
    public static void main(final String[] args)
    {
        final CountDownLatch shutdown = new CountDownLatch(1);
        // Handle the signals ourselves rather than in a shutdown hook, so a clean stop exits 0, not 128 + signal.
        Signal.handle(new Signal("TERM"), (signal) -> shutdown.countDown());
        Signal.handle(new Signal("INT"), (signal) -> shutdown.countDown());
        // SIGHUP re-reads the backends file on the signal's own thread, off the agents. Handled from the start, so
        // an early one never takes the default action (exit); before the member runs, its start reads the file.
        final AtomicReference<Member> running = new AtomicReference<>();
        Signal.handle(new Signal("HUP"), (signal) ->
        {
            final Member member = running.get();
            if (member != null)
            {
                member.reloadBackends();
            }
        });
        System.exit(run(args, System.out, System.err, shutdown, running));
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err, final CountDownLatch shutdown)
    {
        return run(args, out, err, shutdown, new AtomicReference<>());
    }

    static int run(
        final String[] args,
        final PrintStream out,
        final PrintStream err,
        final CountDownLatch shutdown,
        final AtomicReference<Member> running)
    {
        Path configFile = null;
        boolean printConfig = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--config".equals(arg) && i + 1 < args.length)
            {
                configFile = Paths.get(args[++i]);
            }
            else if (arg.startsWith("--config="))
            {
                configFile = Paths.get(arg.substring("--config=".length()));
            }
            else if ("--print-config".equals(arg))
            {
                printConfig = true;
            }
            else if ("--help".equals(arg) || "-h".equals(arg))
            {
                out.println(USAGE);
                return 0;
            }
            else
            {
                err.println("corral: unknown argument " + arg + " (try --help)");
                return ConfigurationException.EXIT_CODE;
            }
        }

        final Context context;
        try
        {
            context = Context.load(configFile, System.getProperties()).conclude();
        }
        catch (final ConfigurationException ex)
        {
            err.println("corral: " + ex.getMessage());
            return ConfigurationException.EXIT_CODE;
        }
        if (printConfig)
        {
            context.config().print(out);
            return 0;
        }

        final String insecureWarning;
        try
        {
            insecureWarning = AuthConfiguration.checkSecureDefaults(context);
        }
        catch (final ConfigurationException ex)
        {
            err.println("corral: " + ex.getMessage());
            return ConfigurationException.EXIT_CODE;
        }
        if (insecureWarning != null)
        {
            err.println("corral: " + insecureWarning);
        }

        final Member member;
        try
        {
            member = launch(context);
        }
        catch (final MemberLockedException ex)
        {
            err.println("corral: " + ex.getMessage());
            return ConfigurationException.EXIT_CODE;
        }
        catch (final RuntimeException ex)
        {
            err.println("corral: failed to start: " + ex);
            return EXIT_FAILURE;
        }
        running.set(member);
        try (member)
        {
            if (member.statusFile().savedErrorLog() != null)
            {
                out.println(
                    "corral: the previous member's errors were saved to " + member.statusFile().savedErrorLog());
            }
            out.println("corral: member " + context.memberId() + " started, sip " + context.sipAddress() + ":" +
                member.sipPort() + ", data " + context.dataDir() + ", threading " +
                context.config().string(AgentConfiguration.THREADING_MODE));
            awaitUninterruptibly(shutdown);
            out.println("corral: member " + context.memberId() + " stopping");
            running.set(null);
        }
        out.println("corral: member " + context.memberId() + " stopped");
        return 0;
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                latch.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
