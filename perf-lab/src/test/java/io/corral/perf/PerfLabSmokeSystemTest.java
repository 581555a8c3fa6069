package io.corral.perf;

import io.corral.perf.report.Report;
import io.corral.perf.scenario.Lab;
import io.corral.perf.scenario.LabOptions;
import io.corral.perf.scenario.Scenario;
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
 * The lab's CI smoke: a few seconds of calls through a Corral member started from the built distribution
 * (bin/corral), then the report.
 */
@Timeout(120)
class PerfLabSmokeSystemTest
{
    @TempDir
    Path results;

    @Test
    void shouldCountCallsThroughCorralAndWriteTheReport() throws Exception
    {
        final Path root = PerfLab.root();
        assumeTrue(Files.exists(root.resolve("engine/target/corral-engine.jar")), "engine distribution not built");
        final LabOptions options = new LabOptions(3, 100, 200, 200, 400, 1, 0, 0, 0, Map.of(), false, 1000, 100, 1, 0,
            false, null, 500, null, 1 << 20);
        final Report report = Report.create(results, "smoke", "test");
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8);

        new Lab(options, root, report, out).compare(Scenario.CALLS_LATENCY, List.of("corral"));
        report.finish(false, out);

        final String text = progress.toString(StandardCharsets.UTF_8);
        final List<String> csv = Files.readAllLines(report.directory().resolve("runs.csv"));
        assertEquals(2, csv.size(), text);
        final String[] header = csv.get(0).split(",");
        final String[] row = csv.get(1).split(",");
        assertEquals("corral", row[0]);
        assertTrue(Long.parseLong(row[List.of(header).indexOf("succeeded")]) >= 500, "calls counted: " + csv.get(1));
        assertTrue(Long.parseLong(row[List.of(header).indexOf("established")]) >= 500, csv.get(1));
        assertTrue(text.contains("RESULT calls-latency achieved_per_s corral="), text);
        final String summary = Files.readString(report.directory().resolve("summary.md"));
        assertTrue(summary.contains("| calls-latency | setup_p99_us |"), summary);
        assertTrue(Files.size(report.directory().resolve("latency-setup.png")) > 10_000, "plot written");
        try (var logs = Files.list(report.directory().resolve("hdr")))
        {
            assertEquals(1, logs.count(), "HdrHistogram log written");
        }
        assertTrue(Files.notExists(report.directory().resolve("work/corral-1/corral-data")), "member data deleted");
        assertTrue(Files.readAllLines(report.directory().resolve("work/corral-1/corral.properties"))
            .contains("corral.sip.socket.rcvbuf.bytes=1048576"), "the lab's receive buffer reaches the member");
        assertTrue(summary.contains("rcvbuf 1048576"), summary);
        try (var gcLogs = Files.list(report.directory().resolve("work/corral-1")))
        {
            final List<Path> logs = gcLogs.filter(p -> p.getFileName().toString().startsWith("corral-gc-")).toList();
            assertEquals(1, logs.size(), "one GC log per member start: " + logs);
            assertTrue(Files.readString(logs.get(0)).contains("Using G1"), "the member's GC log: " + logs.get(0));
        }
    }
}
