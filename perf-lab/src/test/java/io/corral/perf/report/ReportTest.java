package io.corral.perf.report;

import io.corral.perf.gen.GeneratorStats;
import io.corral.perf.scenario.StepResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ReportTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteCsvSummaryPlotsAndResultLinesWhenTwoTargetsRan() throws IOException
    {
        final Report report = Report.create(dir, "perf-lab compare calls-max", "test machine");
        report.target("corral", "corral test");
        report.target("kamailio", "kamailio test");
        report.step(step("corral", "search", 1000, 1000, 0));
        report.step(step("corral", "search", 2000, 1990, 10));
        report.step(step("kamailio", "search", 1000, 999, 1));
        report.figure("calls-max", "cps", "corral", 1000);
        report.figure("calls-max", "cps", "kamailio", 500);
        final StepResult overload = step("corral", "overload", 4000, 1500, 100);
        report.step(overload);
        report.overload("corral", 1, overload, 2, 1);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Path summary = report.finish(false, new PrintStream(out, true, StandardCharsets.UTF_8));

        final List<String> csv = Files.readAllLines(report.directory().resolve("runs.csv"));
        assertEquals(5, csv.size(), "a header and a line per step");
        assertTrue(csv.get(2).startsWith("corral,1,calls-max,search,2000,"), csv.get(2));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(
            "RESULT calls-max cps corral=1000 kamailio=500 ratio=2.00"), out.toString(StandardCharsets.UTF_8));
        final String md = Files.readString(summary);
        assertTrue(md.contains("| calls-max | cps | 1000 | 500 | 2.00 |"), md);
        assertTrue(md.contains("| no: failures 0.500 % >= 0.1 % (10 timeouts) |"), "which criterion failed: " + md);
        assertTrue(csv.get(2).contains(",false,failures 0.500 % >= 0.1 % (10 timeouts),"), csv.get(2));
        for (final String png : List.of("latency-setup.png", "achieved-vs-offered.png", "overload-goodput.png"))
        {
            final Path file = report.directory().resolve(png);
            assertTrue(Files.size(file) > 10_000, png + " written");
            assertTrue(md.contains("](" + png + ")"), png + " linked");
        }
        try (var logs = Files.list(report.directory().resolve("hdr")))
        {
            assertEquals(4, logs.count(), "an HdrHistogram log per step");
        }
    }

    @Test
    void shouldOpenTheSummaryWithALabFault() throws IOException
    {
        final Report report = Report.create(dir, "perf-lab run calls-max", "test machine");
        report.target("corral", "corral test");
        final StepResult silent = new StepResult("corral", 1, "calls-max", "search", 7500, 1, new GeneratorStats(2),
            new GeneratorStats(2), 0, 0, 0, 1_000_000_000, false, "setup", 500_000);
        report.step(silent);
        report.fault("LAB FAULT in corral calls-max search step at 7500/s: " + silent.labFault());

        final String md = Files.readString(report.finish(false, new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)));

        assertTrue(md.startsWith("# perf-lab report (LAB FAULT: run stopped)\n\n**LAB FAULT in corral calls-max " +
            "search step at 7500/s: the generator started no operation at 7500/s**"), md);
        assertTrue(md.contains("| - | - | - | 0.00 + 0.00 | no: nothing started |"),
            "no CPU per operation without one: " + md);
    }

    @Test
    void shouldMarkTheStepsThatKeptTheWholeMachineBusyAndSaySo() throws IOException
    {
        final Report report = Report.create(dir, "perf-lab run overload", "test machine");
        report.target("corral", "corral test");
        final int cores = Runtime.getRuntime().availableProcessors();
        final long wallNs = 10_000_000_000L;
        final StepResult calm = step("corral", "warmup", 1000, 1000, 0);
        final StepResult busy = new StepResult("corral", 1, "overload", "overload", 2000, 10, calm.uac(), calm.uas(),
            (long)(0.6 * cores * wallNs), (long)(0.3 * cores * wallNs), (long)(0.05 * cores * wallNs), wallNs, false,
            "setup", 0);
        assertFalse(calm.machineBound(cores));
        assertTrue(busy.machineBound(cores), "95 % of the cores");
        assertEquals(0.6 * cores, busy.cores(busy.targetCpuNs()), 1e-9);
        report.step(calm);
        report.step(busy);

        final String md = Files.readString(report.finish(false, new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)));

        assertTrue(md.contains(String.format(Locale.ROOT, "| %.2f + %.2f * |", 0.6 * cores, 0.35 * cores)),
            md);
        assertTrue(md.contains("**1 of 2 steps (*) kept 90 % or more of this machine's " + cores + " cores busy"), md);
        final List<String> csv = Files.readAllLines(report.directory().resolve("runs.csv"));
        final List<String> header = List.of(csv.get(0).split(","));
        final String[] row = csv.get(2).split(",", -1);
        assertEquals(0.6 * cores, Double.parseDouble(row[header.indexOf("target_cores")]), 1e-3);
        assertEquals(0.35 * cores, Double.parseDouble(row[header.indexOf("generator_cores")]), 1e-3);
    }

    private static StepResult step(
        final String target, final String phase, final double rate, final long succeeded, final long failed)
    {
        final GeneratorStats uac = new GeneratorStats(10);
        final GeneratorStats uas = new GeneratorStats(10);
        for (long i = 0; i < succeeded + failed; i++)
        {
            uac.onStarted((int)(i % 3));
            if (i < succeeded)
            {
                uac.recordLatencyNs(0, 200_000 + i * 1000);
                uac.onSucceeded((int)(i % 4));
            }
            else
            {
                uac.onFailed(GeneratorStats.TIMEOUTS, 2);
            }
        }
        return new StepResult(target, 1, "calls-max", phase, rate, 1, uac, uas, 1_000_000, 2_000_000, 3_000_000,
            1_000_000_000, false, "setup", 0);
    }
}
