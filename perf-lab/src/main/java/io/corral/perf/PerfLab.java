package io.corral.perf;

import io.corral.engine.config.ValueType;
import io.corral.engine.transport.TransportConfiguration;
import io.corral.perf.report.Report;
import io.corral.perf.scenario.Lab;
import io.corral.perf.scenario.LabOptions;
import io.corral.perf.scenario.Scenario;
import io.corral.perf.target.Target;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/perf-lab}: load scenarios against Corral, Kamailio or the generator itself, side by side, with a report.
 * <pre>
 *   perf-lab run SCENARIO --target corral [options]
 *   perf-lab compare SCENARIO --targets corral,kamailio [options]
 * </pre>
 * Ctrl-C stops the current step and writes the report of what was measured (marked partial).
 */
@Command(name = "perf-lab", mixinStandardHelpOptions = true, subcommands = {PerfLab.Run.class, PerfLab.Compare.class},
    description = "Corral's performance lab: open-loop SIP load, targets side by side, reports with plots.")
public final class PerfLab implements Runnable
{
    @Override
    public void run()
    {
        CommandLine.usage(this, System.out);
    }

    /**
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new PerfLab()).setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            // A target that does not start, an unknown scenario or target: one line, not a stack trace.
            commandLine.getErr().println("perf-lab: " + ex.getMessage());
            return 2;
        }).execute(args));
    }

    /** Options every subcommand takes. */
    static class Common
    {
        @Parameters(index = "0",
            description = "calls-max, calls-latency, register-max, register-storm, overload, mixed")
        String scenario;

        @Option(names = "--duration", description = "seconds of each load step (default: ${DEFAULT-VALUE})")
        int duration = 10;

        @Option(names = "--hold-ms", description = "call hold before BYE in ms (default: ${DEFAULT-VALUE})")
        long holdMs = 1000;

        @Option(names = "--rate", description = "fixed rate of calls-latency, mixed, register-storm, per s " +
            "(default: ${DEFAULT-VALUE})")
        double rate = 2000;

        @Option(names = "--start-rate", description = "first rate of a search (default: ${DEFAULT-VALUE})")
        double startRate = 2000;

        @Option(names = "--max-rate", description = "highest rate a search tries (default: ${DEFAULT-VALUE})")
        double maxRate = 64000;

        @Option(names = "--search-steps", description = "most steps of a search (default: ${DEFAULT-VALUE})")
        int searchSteps = 7;

        @Option(names = "--warmup", description = "seconds of unreported warm-up after each target start, " +
            "and at the rate of each measured step (default: ${DEFAULT-VALUE})")
        int warmup = 5;

        @Option(names = "--overload-seconds", description = "overload window (default: ${DEFAULT-VALUE})")
        int overloadSeconds = 60;

        @Option(names = "--recovery-seconds", description = "window at max/2 after the overload " +
            "(default: ${DEFAULT-VALUE})")
        int recoverySeconds = 30;

        @Option(names = "--max", split = ",", description = "known maximum calls/s per target for overload, " +
            "e.g. corral=9000,kamailio=7000 (default: a short calls-max search first)")
        Map<String, Double> knownMax = new LinkedHashMap<>();

        @Option(names = "--auth", description = "registrar scenarios use MD5 digest")
        boolean auth;

        @Option(names = "--users", description = "users that exist (digest); user numbers wrap here " +
            "(default: ${DEFAULT-VALUE})")
        long users = 100_000;

        @Option(names = "--storm-users", description = "users re-registering in register-storm " +
            "(default: ${DEFAULT-VALUE})")
        long stormUsers = 20_000;

        @Option(names = "--pause", description = "seconds between steps (default: ${DEFAULT-VALUE})")
        int pause = 3;

        @Option(names = "--kamailio-proxy", description = "stateful (tm + rr + dialog) or stateless " +
            "(default: ${DEFAULT-VALUE})")
        String kamailioProxy = "stateful";

        @Option(names = "--max-p99-ms", description = "a search step passes only with its p99 latency (setup or " +
            "REGISTER) below this, in ms; T1 by default, so a target living on retransmissions does not pass " +
            "(default: ${DEFAULT-VALUE})")
        long maxP99Ms = 500;

        @Option(names = "--reference", description = "calls-max: after the searches every target's setup latency " +
            "is measured at 50 %% of this target's maximum (default: the last target)")
        String reference;

        @Option(names = "--corral-profile", description = "extra Corral properties appended to the lab's")
        Path corralProfile;

        @Option(names = "--results", description = "results directory (default: perf-lab/results)")
        Path results;

        @Option(names = "--socket-buffer", description = "UDP receive buffer in bytes every target asks for " +
            "(Corral's corral.sip.socket.rcvbuf.bytes, Kamailio's -b); the kernel grants at most " +
            "net.core.rmem_max, which the lab reports but never changes (default: ${DEFAULT-VALUE})")
        int socketBuffer = Target.DEFAULT_SOCKET_BUFFER_BYTES;

        LabOptions options(final int turns)
        {
            if (!kamailioProxy.equals("stateful") && !kamailioProxy.equals("stateless"))
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--kamailio-proxy must be stateful or stateless: " + kamailioProxy);
            }
            if (corralProfile != null && !Files.isReadable(corralProfile))
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--corral-profile file not readable: " + corralProfile);
            }
            if (maxP99Ms < 1)
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--max-p99-ms must be at least 1: " + maxP99Ms);
            }
            // The member's own key decides what it accepts: a size it would refuse to start with is refused here.
            final ValueType bufferType = TransportConfiguration.SOCKET_RCVBUF_BYTES.type();
            if (!bufferType.isValid(Integer.toString(socketBuffer)))
            {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--socket-buffer must be " + bufferType.expected() + ": " + socketBuffer);
            }
            return new LabOptions(duration, holdMs, rate, startRate, maxRate, searchSteps, warmup, overloadSeconds,
                recoverySeconds, knownMax, auth, users, stormUsers, turns, pause,
                kamailioProxy.equals("stateless"), corralProfile, maxP99Ms, reference, socketBuffer);
        }

        int execute(final String commandLine, final List<String> targets, final int turns) throws Exception
        {
            final Scenario parsed = Scenario.of(scenario);
            for (final String target : targets)
            {
                if (!List.of("self", "corral", "kamailio").contains(target))
                {
                    throw new IllegalArgumentException("unknown target '" + target + "': self, corral or kamailio");
                }
            }
            if (reference != null && !targets.contains(reference))
            {
                throw new IllegalArgumentException("--reference " + reference + " is not one of the targets " +
                    targets);
            }
            final LabOptions options = options(turns);
            final Path root = root();
            final long rmemMax = Machine.rmemMax();
            final boolean capped = rmemMax >= 0 && rmemMax < socketBuffer;
            final String described = String.format(Locale.ROOT,
                "%s (steps of %d s, search p99 bound %d ms, UDP receive buffers %d B%s)", commandLine, duration,
                maxP99Ms, socketBuffer, capped ? " asked, at most " + rmemMax + " B granted (net.core.rmem_max)" : "");
            final Report report = Report.create(results != null ? results : root.resolve("perf-lab/results"),
                described, Machine.describe());
            final PrintStream out = System.out;
            out.println("perf-lab: " + described + "\nmachine: " + Machine.describe() + "\nresults: " +
                report.directory());
            if (capped)
            {
                out.printf(Locale.ROOT, "perf-lab: warning: --socket-buffer %d is above net.core.rmem_max %d; the " +
                    "kernel grants every target %d at most (as root: sysctl -w net.core.rmem_max=%d)%n",
                    socketBuffer, rmemMax, rmemMax, socketBuffer);
            }
            final Lab lab = new Lab(options, root, report, out);
            final CountDownLatch finished = new CountDownLatch(1);
            final Thread hook = new Thread(() ->
            {
                lab.stop();
                try
                {
                    finished.await(60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ignore)
                {
                    Thread.currentThread().interrupt();
                }
            }, "perf-lab-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try
            {
                lab.compare(parsed, targets);
            }
            finally
            {
                try
                {
                    out.println("report: " + report.finish(lab.isStopping(), out));
                }
                finally
                {
                    finished.countDown();
                }
            }
            return lab.isStopping() ? 130 : 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario against one target.")
    static final class Run extends Common implements Callable<Integer>
    {
        @Option(names = "--target", required = true, description = "self, corral or kamailio")
        String target;

        @Override
        public Integer call() throws Exception
        {
            return execute("perf-lab run " + scenario + " --target " + target, List.of(target), 1);
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run a scenario against several targets in turns (A B A B ...) and report ratios.")
    static final class Compare extends Common implements Callable<Integer>
    {
        @Option(names = "--targets", split = ",", description = "targets in order (default: corral,kamailio)")
        List<String> targets = List.of("corral", "kamailio");

        @Option(names = "--turns", description = "turns per target (default: ${DEFAULT-VALUE})")
        int turns = 1;

        @Override
        public Integer call() throws Exception
        {
            return execute("perf-lab compare " + scenario + " --targets " + String.join(",", targets) +
                " --turns " + turns, targets, turns);
        }
    }

    /**
     * @return the repository the lab runs from: {@code -Dcorral.home} or the current directory, or the nearest parent
     * holding {@code perf-lab/kamailio}.
     * @throws IOException if there is none.
     */
    public static Path root() throws IOException
    {
        final String home = System.getProperty("corral.home");
        Path dir = Path.of(home != null ? home : ".").toAbsolutePath().normalize();
        while (dir != null && !Files.isDirectory(dir.resolve("perf-lab/kamailio")))
        {
            dir = dir.getParent();
        }
        if (dir == null)
        {
            throw new IOException("cannot find the Corral repository (perf-lab/kamailio) from " +
                (home != null ? home : "the current directory") + "; set -Dcorral.home");
        }
        return dir;
    }
}
