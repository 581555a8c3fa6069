package io.corral.perf.scenario;

import io.corral.perf.gen.GeneratorRun;
import io.corral.perf.gen.GeneratorStats;
import io.corral.perf.gen.UacSettings;
import io.corral.perf.gen.Workload;
import io.corral.perf.report.Report;
import io.corral.perf.target.CorralTarget;
import io.corral.perf.target.KamailioTarget;
import io.corral.perf.target.Target;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs scenarios against targets, step by step, and hands every step and figure to the {@link Report}. A comparison
 * runs the targets in turns (A B A B ...), each turn starting its target afresh. Every search step after the first
 * starts on a target restarted (and warmed up) for it: what earlier steps left behind (retransmissions, Corral's
 * transactions lingering for 64·T1, Kamailio's wait timers) must not decide whether the next step passes. A step that
 * carried no traffic at all is a lab fault: the run stops with {@link LabFault}.
 */
public final class Lab
{
    private static final InetSocketAddress BIND = new InetSocketAddress("127.0.0.1", 0);
    private static final double SEARCH_PRECISION = 0.1;
    private static final String HALF_REFERENCE = "half-ref";
    private static final double BASE_WARMUP_RATE = 1000;

    /** What runs while a target is up. */
    @FunctionalInterface
    private interface TargetWork
    {
        void run() throws IOException, InterruptedException;
    }

    private final LabOptions options;
    private final Path root;
    private final Report report;
    private final PrintStream out;
    private volatile boolean stopping;
    private volatile GeneratorRun current;
    private Target target;
    private String targetName;
    private Path targetDir;
    private int turn;
    private long userBase;

    /**
     * @param options what to do.
     * @param root    the repository root (bin/, perf-lab/kamailio/).
     * @param report  where results go.
     * @param out     where progress goes.
     */
    public Lab(final LabOptions options, final Path root, final Report report, final PrintStream out)
    {
        this.options = options;
        this.root = root;
        this.report = report;
        this.out = out;
    }

    /**
     * Run a scenario against each target in turns.
     *
     * @param scenario what to run.
     * @param targets  target names, in order.
     * @throws IOException          if a target cannot be started or the report written.
     * @throws InterruptedException if interrupted.
     */
    public void compare(final Scenario scenario, final List<String> targets) throws IOException, InterruptedException
    {
        for (int t = 1; t <= options.turns() && !stopping; t++)
        {
            for (final String name : targets)
            {
                if (stopping)
                {
                    break;
                }
                withTarget(scenario, name, t, () -> run(scenario));
            }
        }
        if (scenario == Scenario.CALLS_MAX && !stopping)
        {
            halfReference(targets);
        }
    }

    /**
     * Stop at once (Ctrl-C): the current step ends, nothing further starts; the report keeps what was measured.
     */
    public void stop()
    {
        stopping = true;
        final GeneratorRun run = current;
        if (run != null)
        {
            run.stop();
        }
    }

    /**
     * @return true once {@link #stop()} was called.
     */
    public boolean isStopping()
    {
        return stopping;
    }

    private void withTarget(final Scenario scenario, final String name, final int turn, final TargetWork work)
        throws IOException, InterruptedException
    {
        this.turn = turn;
        this.targetName = name;
        this.targetDir = report.directory().resolve("work").resolve(name + "-" + turn);
        Files.createDirectories(targetDir);
        target = Target.of(name, root);
        if (target instanceof CorralTarget corral)
        {
            corral.extraProfile(options.corralProfile()).socketBufferBytes(options.socketBufferBytes());
        }
        if (target instanceof KamailioTarget kamailio)
        {
            kamailio.stateless(options.kamailioStateless()).socketBufferBytes(options.socketBufferBytes());
        }
        out.printf("%n== %s, %s, turn %d%n", scenario, name, turn);
        try
        {
            startTarget(scenario);
            report.target(name, target.description());
            work.run();
        }
        finally
        {
            target.close();
        }
    }

    private void run(final Scenario scenario) throws IOException, InterruptedException
    {
        switch (scenario)
        {
            case CALLS_MAX:
            case REGISTER_MAX:
                search(scenario, options.stepSeconds());
                break;
            case CALLS_LATENCY:
            case MIXED:
                fixed(scenario);
                break;
            case REGISTER_STORM:
                storm();
                break;
            default:
                overload();
                break;
        }
    }

    /**
     * The latency criterion: every target's setup latency at 50 % of the reference target's maximum found by
     * the searches (the mean over turns), in turns again.
     */
    private void halfReference(final List<String> targets) throws IOException, InterruptedException
    {
        final String reference = options.reference() != null ? options.reference() : targets.get(targets.size() - 1);
        final Double max = report.figuresOf(reference).get(Scenario.CALLS_MAX.label() + " cps");
        if (max == null || max <= 0)
        {
            out.println("   no maximum found for " + reference + ": no latency step at half of it");
            return;
        }
        final double rate = Math.max(1, Math.round(max / 2));
        out.printf("%n== calls-max: setup latency of every target at %.0f calls/s, 50 %% of %s's maximum%n", rate,
            reference);
        for (int t = 1; t <= options.turns() && !stopping; t++)
        {
            for (final String name : targets)
            {
                if (stopping)
                {
                    break;
                }
                withTarget(Scenario.CALLS_MAX, name, t, () -> halfReferenceStep(rate));
            }
        }
    }

    private void halfReferenceStep(final double rate) throws InterruptedException
    {
        warmUpToStep(Scenario.CALLS_MAX, rate);
        final StepResult result = step(Scenario.CALLS_MAX, HALF_REFERENCE, Workload.CALLS, rate,
            (long)(rate * options.stepSeconds()), 0);
        if (result.stopped())
        {
            return;
        }
        final String label = Scenario.CALLS_MAX.label();
        report.figure(label, "half_ref_cps", targetName, rate);
        report.figure(label, "setup_p50_ms_at_half_ref", targetName, result.percentileUs("setup", 50) / 1000.0);
        report.figure(label, "setup_p99_ms_at_half_ref", targetName, result.percentileUs("setup", 99) / 1000.0);
        report.figure(label, "failures_pct_at_half_ref", targetName, 100 * result.failureRatio());
    }

    private void startTarget(final Scenario scenario) throws IOException, InterruptedException
    {
        target.start(scenario.role(), options.auth() && scenario.role() == Target.Role.REGISTRAR, options.users(),
            targetDir);
        warmUp(scenario, baseWarmupRate());
    }

    /**
     * An unreported warm-up at the rate of the step that follows, so the step measures the target's steady state:
     * a JVM that met 1,000/s only compiles again (and its slower cycles back up the socket) when the rate jumps.
     * Every target gets the same, so Kamailio, which needs none, loses nothing by it.
     */
    private void warmUp(final Scenario scenario, final double rate) throws InterruptedException
    {
        if (options.warmupSeconds() > 0 && target.address() != null && !stopping)
        {
            step(scenario, "warmup", scenario.role() == Target.Role.REGISTRAR ? Workload.REGISTER : Workload.CALLS,
                rate, (long)(rate * options.warmupSeconds()), 0);
            pause();
        }
    }

    /**
     * Warm a fresh target up to a step's rate through half of it: a JVM that jumps from 1,000/s straight to a rate
     * near its maximum compiles while the load is full, falls behind and sheds, and the step after starts in that
     * state (2026-12-03: 15–50 % of the full-rate warm-ups answered 503).
     */
    private void warmUpToStep(final Scenario scenario, final double rate) throws InterruptedException
    {
        if (rate / 2 > baseWarmupRate())
        {
            warmUp(scenario, rate / 2);
        }
        if (rate > baseWarmupRate())
        {
            warmUp(scenario, rate);
        }
    }

    /**
     * @return the rate of the warm-up after every (re)start of a target.
     */
    private double baseWarmupRate()
    {
        return Math.min(options.rate(), BASE_WARMUP_RATE);
    }

    private double search(final Scenario scenario, final int seconds) throws IOException, InterruptedException
    {
        final RateSearch search = new RateSearch(options.startRate(), options.maxRate(), options.searchSteps(),
            SEARCH_PRECISION);
        StepResult best = null;
        for (double rate = search.nextRate(); rate > 0 && !stopping; rate = search.nextRate())
        {
            warmUpToStep(scenario, rate);
            final StepResult result = step(scenario, "search", scenario.workload(), rate, (long)(rate * seconds), 0);
            if (result.stopped())
            {
                break;
            }
            search.record(rate, result.passed());
            if (result.passed())
            {
                best = result;
            }
            if (search.nextRate() > 0 && !stopping)
            {
                out.println("   restarting " + targetName + ": the next step starts on a fresh target");
                startTarget(scenario);
            }
        }
        final String unit = scenario == Scenario.REGISTER_MAX ? "rps" : "cps";
        final String perOp = scenario == Scenario.REGISTER_MAX ? "cpu_us_per_register" : "cpu_us_per_call";
        report.figure(scenario.label(), unit, targetName, search.best());
        if (best != null)
        {
            report.figure(scenario.label(), perOp, targetName, best.cpuUsPerOp(best.targetCpuNs()));
            report.figure(scenario.label(), "generator_" + perOp, targetName,
                best.cpuUsPerOp(best.uacCpuNs() + best.uasCpuNs()));
            final String histogram = scenario == Scenario.REGISTER_MAX ? "register" : "setup";
            report.figure(scenario.label(), histogram + "_p99_us_at_max", targetName,
                best.percentileUs(histogram, 99));
        }
        return search.best();
    }

    private void fixed(final Scenario scenario) throws InterruptedException
    {
        warmUpToStep(scenario, options.rate());
        final StepResult result = step(scenario, "fixed", scenario.workload(), options.rate(),
            (long)(options.rate() * options.stepSeconds()), 0);
        final String label = scenario.label();
        report.figure(label, "achieved_per_s", targetName, result.achievedRate());
        report.figure(label, "failures_pct", targetName, 100 * result.failureRatio());
        report.figure(label, "cpu_us_per_op", targetName, result.cpuUsPerOp(result.targetCpuNs()));
        final String[] histograms = scenario == Scenario.MIXED ?
            new String[] {"setup", "register", "options"} : new String[] {"setup", "invite", "bye"};
        for (final String histogram : histograms)
        {
            report.figure(label, histogram + "_p50_us", targetName, result.percentileUs(histogram, 50));
            report.figure(label, histogram + "_p99_us", targetName, result.percentileUs(histogram, 99));
        }
        report.figure(label, "setup_p999_us", targetName, result.percentileUs("setup", 99.9));
    }

    private void storm() throws InterruptedException
    {
        final long users = options.stormUsers();
        final StepResult result = step(Scenario.REGISTER_STORM, "storm", Workload.REGISTER, options.rate(), users, 0);
        final String label = Scenario.REGISTER_STORM.label();
        report.figure(label, "registered", targetName, result.succeeded());
        report.figure(label, "failures_pct", targetName, 100 * result.failureRatio());
        report.figure(label, "register_p99_us", targetName, result.percentileUs("register", 99));
        report.figure(label, "cpu_us_per_register", targetName, result.cpuUsPerOp(result.targetCpuNs()));
    }

    private void overload() throws IOException, InterruptedException
    {
        Double max = options.knownMax().get(targetName);
        if (max == null)
        {
            out.println("   no --max for " + targetName + ": a short calls-max search first");
            max = search(Scenario.CALLS_MAX, Math.min(options.stepSeconds(), 5));
            if (max <= 0 || stopping)
            {
                return;
            }
            startTarget(Scenario.OVERLOAD);
        }
        final double overloadRate = 2 * max;
        final double recoveryRate = max / 2;
        warmUpToStep(Scenario.OVERLOAD, max);
        final StepResult result = step(Scenario.OVERLOAD, "overload", Workload.CALLS, overloadRate,
            (long)(overloadRate * options.overloadSeconds()), (long)(recoveryRate * options.recoverySeconds()));
        // Goodput: calls due to start during the overload that completed, per second of overload.
        final long[] byStart = result.uac().succeededByStartSecond();
        long sum = 0;
        for (int s = 0; s < options.overloadSeconds() && s < byStart.length; s++)
        {
            sum += byStart[s];
        }
        final double goodput = (double)sum / options.overloadSeconds();
        // Recovery reads calls completed per second; a call completes a hold after its setup: shift by the hold.
        final long[] good = result.uac().succeededPerSecond();
        final int shift = (int)Math.ceil(options.holdMs() / 1000.0);
        final int overloadEnd = options.overloadSeconds() + shift;
        final String label = Scenario.OVERLOAD.label();
        report.figure(label, "max_cps", targetName, max);
        report.figure(label, "goodput_cps", targetName, goodput);
        report.figure(label, "goodput_pct_of_max", targetName, 100 * goodput / max);
        report.figure(label, "failures_pct", targetName, 100 * result.failureRatio());
        report.figure(label, "setup_p99_us", targetName, result.percentileUs("setup", 99));
        report.figure(label, "recovery_s", targetName, recoverySeconds(good, overloadEnd,
            overloadEnd + options.recoverySeconds(), 0.9 * recoveryRate));
        report.overload(targetName, turn, result, options.overloadSeconds(), shift);
    }

    /**
     * @param goodPerSecond successful operations in each second.
     * @param from          the second the overload ended.
     * @param to            the end of the recovery window.
     * @param threshold     goodput per second that counts as recovered.
     * @return seconds from {@code from} until goodput stays at or above the threshold to the end of the window, or
     * the whole window when it never does.
     */
    static double recoverySeconds(final long[] goodPerSecond, final int from, final int to, final double threshold)
    {
        final int end = Math.min(to, goodPerSecond.length);
        int recovered = end;
        for (int s = end - 1; s >= from; s--)
        {
            if (goodPerSecond[s] < threshold)
            {
                break;
            }
            recovered = s;
        }
        return recovered - from;
    }

    private StepResult step(final Scenario scenario, final String phase, final Workload workload, final double rate,
        final long count, final long tailCount) throws InterruptedException
    {
        final InetSocketAddress address = target.address();
        final String domain = address == null ? "127.0.0.1" :
            scenario.role() == Target.Role.REGISTRAR ? address.getHostString() :
            address.getHostString() + ":" + address.getPort();
        final UacSettings settings = new UacSettings(workload, rate, count, rate / 4, tailCount, options.holdMs(),
            500, 4000, address, null, domain, Target.PASSWORD, userBase, Math.max(1, options.users()),
            ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
        if (scenario == Scenario.OVERLOAD)
        {
            // The tail (recovery window) runs at a quarter of the overload rate: half the maximum.
            out.printf("   %s: %.0f/s for %d s, then %.0f/s for %d s%n", phase, rate, options.overloadSeconds(),
                rate / 4, options.recoverySeconds());
        }
        if (workload == Workload.REGISTER && !phase.equals("storm"))
        {
            userBase += count;
        }
        final boolean challenge = options.auth() && address == null && workload != Workload.CALLS;
        final GeneratorRun run = new GeneratorRun(settings, options.drainMs(), BIND, challenge);
        current = run;
        final long cpuBefore = target.cpuNs();
        final long wallBefore = System.nanoTime();
        final String tag = String.format("   [%s %s %s %.0f/s]", targetName, scenario, phase, rate);
        final long[] last = new long[2];
        run.run(address == null, (elapsedS, due, stats) ->
        {
            final long started = stats.get(GeneratorStats.STARTED);
            final long succeeded = stats.get(GeneratorStats.SUCCEEDED);
            out.printf("%s %5.0f s  offered %6d/s  achieved %6d/s  failed %d  started %d of %d due%n", tag,
                elapsedS, started - last[0], succeeded - last[1], stats.get(GeneratorStats.FAILED), started, due);
            last[0] = started;
            last[1] = succeeded;
        }, uas -> { });
        current = null;
        final long cpuAfter = target.cpuNs();
        final long wallNs = System.nanoTime() - wallBefore;
        final String latency = workload == Workload.REGISTER ? "register" : "setup";
        final StepResult result = new StepResult(targetName, turn, scenario.label(), phase, rate,
            settings.offerSeconds(), run.uacStats(), run.uasStats(), Math.max(0, cpuAfter - cpuBefore),
            run.uacCpuNs(), run.uasCpuNs(), wallNs, run.wasStopped(), latency,
            phase.equals("search") ? options.maxP99Ms() * 1000 : 0);
        out.printf("%s done: %d started, %d ok, %d failed (%.3f %%), achieved %.0f/s, p99 %d us, " +
            "cpu us/op target %.1f uac %.1f uas %.1f -> %s%n", tag, result.started(), result.succeeded(),
            result.failed(), 100 * result.failureRatio(), result.achievedRate(), result.percentileUs(latency, 99),
            result.cpuUsPerOp(result.targetCpuNs()), result.cpuUsPerOp(result.uacCpuNs()),
            result.cpuUsPerOp(result.uasCpuNs()), result.passed() ? "pass" : "FAIL: " + result.failedCriteria());
        if (!result.uac().rejectedStatuses().isEmpty())
        {
            out.println("   rejected with: " + result.uac().rejectedStatuses());
        }
        if (!target.isAlive())
        {
            out.println("   " + targetName + " is no longer running: see " + targetDir);
        }
        report.step(result);
        final String fault = result.labFault();
        if (!fault.isEmpty())
        {
            final String message = String.format("LAB FAULT in %s %s %s step at %.0f/s: %s (see %s)", targetName,
                scenario, phase, rate, fault, targetDir);
            report.fault(message);
            throw new LabFault(message);
        }
        return result;
    }

    private void pause() throws InterruptedException
    {
        if (options.pauseSeconds() > 0 && !stopping)
        {
            Thread.sleep(options.pauseSeconds() * 1000L);
        }
    }
}
