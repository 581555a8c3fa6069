package io.corral.perf.report;

import io.corral.perf.gen.GeneratorStats;
import io.corral.perf.scenario.StepResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one lab invocation under {@code <results>/<timestamp>/}: {@code runs.csv} (a line per step, written
 * as each step ends, so an interrupted run keeps what it measured), {@code hdr/*.hlog} (HdrHistogram logs of every
 * step), {@code summary.md} and PNG plots (written by {@link #finish}), and the {@code RESULT} lines on the terminal.
 */
public final class Report
{
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "max"};
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

    private final Path directory;
    private final String command;
    private final String machine;
    private final int machineCores = Runtime.getRuntime().availableProcessors();
    private final Path csv;
    private final List<StepResult> steps = new ArrayList<>();
    private final Map<String, String> targets = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
    private final Map<String, StepResult> overloads = new LinkedHashMap<>();
    private final List<String> faults = new ArrayList<>();
    private int overloadSeconds;

    /**
     * @param resultsRoot where timestamped result directories go.
     * @param command     the command line, for the summary.
     * @param machine     a description of the machine, for the summary.
     * @return a report in a new directory.
     * @throws IOException if the directory cannot be made.
     */
    public static Report create(final Path resultsRoot, final String command, final String machine)
        throws IOException
    {
        final String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
        Path directory = resultsRoot.resolve(stamp);
        for (int i = 2; Files.exists(directory); i++)
        {
            directory = resultsRoot.resolve(stamp + "-" + i);
        }
        Files.createDirectories(directory.resolve("hdr"));
        return new Report(directory, command, machine);
    }

    private Report(final Path directory, final String command, final String machine) throws IOException
    {
        this.directory = directory;
        this.command = command;
        this.machine = machine;
        this.csv = directory.resolve("runs.csv");
        final StringBuilder header = new StringBuilder(
            "target,turn,scenario,phase,offered_per_s,offer_s,achieved_per_s,failure_pct,passed,failed_criteria");
        for (int i = 0; i < GeneratorStats.counterCount(); i++)
        {
            header.append(',').append(GeneratorStats.name(i));
        }
        header.append(",target_cpu_us_per_op,uac_cpu_us_per_op,uas_cpu_us_per_op,uas_retransmissions")
            .append(",rejected_statuses,target_cores,generator_cores");
        for (final String histogram : GeneratorStats.HISTOGRAM_NAMES)
        {
            for (final String p : PERCENTILE_NAMES)
            {
                header.append(',').append(histogram).append('_').append(p).append("_us");
            }
        }
        Files.writeString(csv, header.append('\n'));
    }

    /**
     * @return the report's directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @param name        a target's name.
     * @param description its version and settings.
     */
    public synchronized void target(final String name, final String description)
    {
        targets.put(name, description);
    }

    /**
     * Record a step: a CSV line and an HdrHistogram log, written now.
     *
     * @param step the step.
     * @throws IllegalStateException if the files cannot be written.
     */
    public synchronized void step(final StepResult step)
    {
        steps.add(step);
        final StringBuilder line = new StringBuilder();
        line.append(step.target()).append(',').append(step.turn()).append(',').append(step.scenario()).append(',')
            .append(step.phase()).append(',').append(format(step.offeredRate())).append(',')
            .append(format(step.offerSeconds())).append(',').append(format(step.achievedRate())).append(',')
            .append(String.format(Locale.ROOT, "%.4f", 100 * step.failureRatio())).append(',')
            .append(step.passed()).append(',').append(step.failedCriteria());
        for (int i = 0; i < GeneratorStats.counterCount(); i++)
        {
            line.append(',').append(step.uac().get(i));
        }
        line.append(',').append(cpuPerOp(step, step.targetCpuNs(), ""))
            .append(',').append(cpuPerOp(step, step.uacCpuNs(), ""))
            .append(',').append(cpuPerOp(step, step.uasCpuNs(), ""))
            .append(',').append(step.uas().get(GeneratorStats.RETRANSMISSIONS))
            .append(',').append(step.uac().rejectedStatuses())
            .append(',').append(String.format(Locale.ROOT, "%.3f", step.cores(step.targetCpuNs())))
            .append(',').append(String.format(Locale.ROOT, "%.3f", step.cores(step.uacCpuNs() + step.uasCpuNs())));
        for (final String histogram : GeneratorStats.HISTOGRAM_NAMES)
        {
            for (final double p : PERCENTILES)
            {
                line.append(',').append(step.percentileUs(histogram, p));
            }
        }
        try
        {
            Files.writeString(csv, line.append('\n'), StandardOpenOption.APPEND);
            writeHistogramLog(step);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write the report in " + directory, ex);
        }
    }

    /**
     * @param message a lab fault that stopped the run; the summary opens with it.
     */
    public synchronized void fault(final String message)
    {
        faults.add(message);
    }

    /**
     * @param scenario a scenario's name.
     * @param figure   a figure's name.
     * @param target   a target's name.
     * @param value    its value in this turn (turns are averaged).
     */
    public synchronized void figure(final String scenario, final String figure, final String target,
        final double value)
    {
        figures.computeIfAbsent(scenario + " " + figure, k -> new LinkedHashMap<>())
            .computeIfAbsent(target, k -> new ArrayList<>()).add(value);
    }

    /**
     * @param target          a target's name.
     * @param turn            the turn.
     * @param step            its overload step (plotted as goodput over time).
     * @param overloadSeconds how long the overload lasted.
     * @param shiftSeconds    how late a call is counted after its setup (the hold).
     */
    public synchronized void overload(final String target, final int turn, final StepResult step,
        final int overloadSeconds, final int shiftSeconds)
    {
        overloads.put(target + " turn " + turn, step);
        this.overloadSeconds = overloadSeconds + shiftSeconds;
    }

    /**
     * @param target a target's name.
     * @return the figures of one target: "scenario figure" to the mean over turns.
     */
    public synchronized Map<String, Double> figuresOf(final String target)
    {
        final Map<String, Double> result = new LinkedHashMap<>();
        figures.forEach((name, byTarget) ->
        {
            final List<Double> values = byTarget.get(target);
            if (values != null)
            {
                result.put(name, mean(values));
            }
        });
        return result;
    }

    /**
     * Write the summary and the plots and print the RESULT lines.
     *
     * @param partial true if the run was interrupted.
     * @param out     where RESULT lines go.
     * @return the summary file.
     * @throws IOException if a file cannot be written.
     */
    public synchronized Path finish(final boolean partial, final PrintStream out) throws IOException
    {
        final List<String> plots = plot();
        final List<String> resultLines = resultLines();
        final StringBuilder md = new StringBuilder();
        md.append("# perf-lab report").append(partial ? " (PARTIAL: interrupted)" : "")
            .append(faults.isEmpty() ? "" : " (LAB FAULT: run stopped)").append("\n\n");
        faults.forEach(f -> md.append("**").append(f).append("**\n\n"));
        md.append("- command: `").append(command).append("`\n");
        md.append("- machine: ").append(machine).append('\n');
        md.append("- time: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)).append('\n');
        targets.forEach((name, description) -> md.append("- ").append(name).append(": ").append(description)
            .append('\n'));
        md.append("\n## Figures (mean over turns)\n\n");
        if (!figures.isEmpty())
        {
            final List<String> names = new ArrayList<>(targets.keySet());
            md.append("| scenario | figure |");
            names.forEach(n -> md.append(' ').append(n).append(" |"));
            md.append(names.size() == 2 ? " ratio |\n" : "\n").append("|---|---|");
            names.forEach(n -> md.append("---|"));
            md.append(names.size() == 2 ? "---|\n" : "\n");
            figures.forEach((name, byTarget) ->
            {
                final String[] parts = name.split(" ", 2);
                md.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" |");
                for (final String target : names)
                {
                    final List<Double> values = byTarget.get(target);
                    md.append(' ').append(values == null ? "-" : format(mean(values))).append(" |");
                }
                if (names.size() == 2)
                {
                    md.append(' ').append(ratio(byTarget.get(names.get(0)), byTarget.get(names.get(1)))).append(" |");
                }
                md.append('\n');
            });
        }
        md.append("\n## Steps\n\n| target | turn | scenario | phase | offered/s | achieved/s | failed % | " +
            "setup p50 / p99 / p99.9 ms | register p99 ms | target CPU µs/op | UAC µs/op | UAS µs/op | " +
            "cores: target + generator | pass |\n" +
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        int machineBound = 0;
        for (final StepResult step : steps)
        {
            final boolean bound = step.machineBound(machineCores);
            machineBound += bound ? 1 : 0;
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.0f | %.0f | %.3f | %.2f / %.2f / %.2f | " +
                "%.2f | %s | %s | %s | %.2f + %.2f%s | %s |%n", step.target(), step.turn(), step.scenario(),
                step.phase(), step.offeredRate(), step.achievedRate(), 100 * step.failureRatio(),
                step.percentileUs("setup", 50) / 1000.0, step.percentileUs("setup", 99) / 1000.0,
                step.percentileUs("setup", 99.9) / 1000.0, step.percentileUs("register", 99) / 1000.0,
                cpuPerOp(step, step.targetCpuNs(), "-"), cpuPerOp(step, step.uacCpuNs(), "-"),
                cpuPerOp(step, step.uasCpuNs(), "-"), step.cores(step.targetCpuNs()),
                step.cores(step.uacCpuNs() + step.uasCpuNs()), bound ? " *" : "",
                step.passed() ? "yes" : "no: " + step.failedCriteria()));
        }
        md.append("\nA step passes with fewer than 0.1 % of its operations failed and, in a search, its p99 latency " +
            "under the bound (`--max-p99-ms`); \"no\" says which criterion failed. CPU per operation is per " +
            "successful one (- when none succeeded). Cores are CPU time over the step's wall time, from /proc " +
            "for the target and the generator's own threads.\n");
        if (machineBound > 0)
        {
            md.append(String.format(Locale.ROOT, "\n**%d of %d steps (*) kept %.0f %% or more of this machine's %d " +
                "cores busy between the target and the generator**: their figures are what the machine's CPU allowed " +
                "the two together, not what the target alone can do.\n", machineBound, steps.size(),
                100 * StepResult.MACHINE_BOUND_SHARE, machineCores));
        }
        if (!plots.isEmpty())
        {
            md.append("\n## Plots\n\n");
            plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n\n"));
        }
        md.append("\n## Machine-readable\n\n```\n");
        resultLines.forEach(l -> md.append(l).append('\n'));
        md.append("```\n\nFiles: runs.csv (every step), hdr/*.hlog (HdrHistogram logs, µs), work/ (target configs " +
            "and logs).\n");
        final Path summary = directory.resolve("summary.md");
        Files.writeString(summary, md, StandardCharsets.UTF_8);
        resultLines.forEach(out::println);
        return summary;
    }

    private List<String> resultLines()
    {
        final List<String> lines = new ArrayList<>();
        final List<String> names = new ArrayList<>(targets.keySet());
        figures.forEach((name, byTarget) ->
        {
            final StringBuilder line = new StringBuilder("RESULT ").append(name);
            for (final String target : names)
            {
                final List<Double> values = byTarget.get(target);
                if (values != null)
                {
                    line.append(' ').append(target).append('=').append(format(mean(values)));
                }
            }
            if (names.size() == 2)
            {
                line.append(" ratio=").append(ratio(byTarget.get(names.get(0)), byTarget.get(names.get(1))));
            }
            lines.add(line.toString());
        });
        return lines;
    }

    private List<String> plot() throws IOException
    {
        final List<String> files = new ArrayList<>();
        final Map<String, StepResult> latency = new LinkedHashMap<>();
        final Map<String, List<StepResult>> ladders = new LinkedHashMap<>();
        String ladderScenario = null;
        for (final StepResult step : steps)
        {
            final String label = step.target() + " turn " + step.turn();
            if (step.phase().equals("search"))
            {
                ladders.computeIfAbsent(label, k -> new ArrayList<>()).add(step);
                ladderScenario = ladderScenario == null ? step.scenario() : ladderScenario;
                if (step.passed() && step.histogram("setup").getTotalCount() > 0)
                {
                    final StepResult best = latency.get(label);
                    if (best == null || best.phase().equals("search") && best.offeredRate() < step.offeredRate())
                    {
                        latency.put(label, step);
                    }
                }
            }
            else if (step.phase().equals("fixed") || step.phase().equals("overload") ||
                step.phase().equals("half-ref"))
            {
                latency.put(label, step);
            }
        }
        if (!latency.isEmpty())
        {
            final StepResult any = latency.values().iterator().next();
            Plots.percentiles(directory.resolve("latency-setup.png"), any.scenario() +
                (any.phase().equals("half-ref") ? String.format(Locale.ROOT, " at %.0f/s, half the reference's max",
                any.offeredRate()) : "") + ": setup latency (intended start to 200 OK)", "setup",
                latency);
            addIfWritten(files, "latency-setup.png");
        }
        final Map<String, StepResult> registers = new LinkedHashMap<>();
        for (final StepResult step : steps)
        {
            if (!step.phase().equals("warmup") && step.histogram("register").getTotalCount() > 0 &&
                (step.passed() || !step.phase().equals("search")))
            {
                registers.put(step.target() + " turn " + step.turn(), step);
            }
        }
        if (!registers.isEmpty())
        {
            Plots.percentiles(directory.resolve("latency-register.png"), registers.values().iterator().next()
                .scenario() + ": REGISTER latency (intended start to final 2xx)", "register", registers);
            addIfWritten(files, "latency-register.png");
        }
        if (!ladders.isEmpty())
        {
            Plots.achievedVsOffered(directory.resolve("achieved-vs-offered.png"), ladderScenario +
                ": achieved vs offered (< 0.1 % failures passes)", ladders);
            addIfWritten(files, "achieved-vs-offered.png");
        }
        if (!overloads.isEmpty())
        {
            Plots.goodput(directory.resolve("overload-goodput.png"), "overload: 2 x max offered, then max / 2; " +
                "calls completed per second", overloads, overloadSeconds);
            addIfWritten(files, "overload-goodput.png");
        }
        return files;
    }

    private void addIfWritten(final List<String> files, final String name)
    {
        if (Files.exists(directory.resolve(name)))
        {
            files.add(name);
        }
    }

    private void writeHistogramLog(final StepResult step) throws IOException
    {
        final Path file = directory.resolve("hdr").resolve(String.format(Locale.ROOT, "%s-t%d-%s-%s-%.0f.hlog",
            step.target(), step.turn(), step.scenario(), step.phase(), step.offeredRate()));
        try (PrintStream log = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.US_ASCII))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(log);
            writer.outputComment("perf-lab " + step.target() + " " + step.scenario() + " " + step.phase() + " " +
                format(step.offeredRate()) + "/s; values in microseconds; one tagged histogram per latency");
            writer.outputLogFormatVersion();
            writer.outputLegend();
            final Histogram[] histograms = step.uac().histograms();
            for (int i = 0; i < histograms.length; i++)
            {
                final Histogram h = histograms[i].copy();
                h.setTag(GeneratorStats.HISTOGRAM_NAMES[i]);
                h.setStartTimeStamp(0);
                h.setEndTimeStamp((long)(step.offerSeconds() * 1000));
                writer.outputIntervalHistogram(h);
            }
        }
    }

    private static String cpuPerOp(final StepResult step, final long cpuNs, final String none)
    {
        return step.succeeded() == 0 ? none : format(step.cpuUsPerOp(cpuNs));
    }

    private static double mean(final List<Double> values)
    {
        double sum = 0;
        for (final double v : values)
        {
            sum += v;
        }
        return values.isEmpty() ? 0 : sum / values.size();
    }

    private static String ratio(final List<Double> first, final List<Double> second)
    {
        if (first == null || second == null || mean(second) == 0)
        {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", mean(first) / mean(second));
    }

    static String format(final double value)
    {
        if (Math.abs(value) >= 100 || value == Math.rint(value))
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }
}
