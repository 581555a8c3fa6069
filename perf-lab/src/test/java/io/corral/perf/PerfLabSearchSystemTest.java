package io.corral.perf;

import io.corral.perf.report.Report;
import io.corral.perf.scenario.Lab;
import io.corral.perf.scenario.LabOptions;
import io.corral.perf.scenario.Scenario;
import io.corral.perf.target.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The calls-max step fault of 2026-12-02 in miniature: a search step must not inherit what the previous step left in
 * the target. There a 7,500 calls/s step got 503 for every call because the 6,000 and 7,000 steps before it had
 * filled Corral's transaction table with transactions lingering for 64·T1. Here a 1,024-record table holds one step
 * of ~200 calls but not two: both steps pass only when each starts on a fresh target. Then the half-reference
 * latency step runs.
 */
@Timeout(180)
class PerfLabSearchSystemTest
{
    @TempDir
    Path results;

    @Test
    void shouldStartEverySearchStepOnAFreshTargetAndMeasureLatencyAtHalfTheReferenceMaximum() throws Exception
    {
        final Path root = PerfLab.root();
        assumeTrue(Files.exists(root.resolve("engine/target/corral-engine.jar")), "engine distribution not built");
        final Path profile = results.resolve("small-table.properties");
        Files.writeString(profile, "corral.transaction.capacity=1024\n");
        // Two search steps of 4 s: 50/s, then 52/s (the cap), 200 and 208 calls of ~3 lingering records each. A
        // cold member on a busy CI machine: the p99 bound is loose, the table is what this test is about.
        final LabOptions options = new LabOptions(4, 100, 50, 50, 52, 3, 0, 0, 0, Map.of(), false, 1000, 100, 1, 0,
            false, profile, 10_000, null, Target.DEFAULT_SOCKET_BUFFER_BYTES);
        final Report report = Report.create(results, "search", "test");
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8);

        new Lab(options, root, report, out).compare(Scenario.CALLS_MAX, List.of("corral"));
        report.finish(false, out);

        final String text = progress.toString(StandardCharsets.UTF_8);
        final List<String> csv = Files.readAllLines(report.directory().resolve("runs.csv"));
        assertEquals(4, csv.size(), "header, two search steps, the half-reference step: " + text);
        assertTrue(csv.get(1).startsWith("corral,1,calls-max,search,50,4,50,0.0000,true,,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("corral,1,calls-max,search,52,4,52,0.0000,true,,"),
            "the second step is not shed for the first one's transactions: " + csv.get(2));
        assertTrue(csv.get(3).startsWith("corral,1,calls-max,half-ref,26,"), csv.get(3));
        assertTrue(text.contains("RESULT calls-max cps corral=52\n"), text);
        assertTrue(text.contains("RESULT calls-max half_ref_cps corral=26\n"), text);
        assertTrue(text.contains("RESULT calls-max setup_p99_ms_at_half_ref corral="), text);
        final String log = Files.readString(report.directory().resolve("work/corral-1/corral.log"));
        assertEquals(3, log.split("member 1 started", -1).length - 1, "a start per search step and one for the " +
            "latency step: " + log);
    }
}
