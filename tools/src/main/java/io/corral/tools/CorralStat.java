package io.corral.tools;

import io.corral.engine.Context;
import io.corral.engine.status.StatusFileReader;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints a live member's counters from its status file (modelled on Aeron's {@code AeronStat}): a header with pid,
 * member id, start time and heartbeat age, then one {@code id: value - label} line per counter. Refreshes every
 * second until interrupted, or prints once with {@code --once}. Exit status 1 if there is no live member.
 */
@Command(name = "corral-stat", mixinStandardHelpOptions = true,
    description = "Print the counters of the member using corral.data.dir (-Dcorral.data.dir=DIR or --config FILE).")
public final class CorralStat implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file, as given to bin/corral.")
    private Path configFile;

    @Option(names = "--once", description = "Print once and exit instead of refreshing.")
    private boolean once;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "1000", description = "Refresh period.")
    private long intervalMs;

    private final PrintStream out;
    private final PrintStream err;

    CorralStat(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * @param args {@code [--once] [--config FILE] [--interval-ms MS]}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new CorralStat(System.out, System.err)).execute(args));
    }

    /**
     * {@inheritDoc}
     */
    public Integer call()
    {
        return ToolContext.run(err, this::watch);
    }

    private int watch()
    {
        final Context context = ToolContext.load(configFile);
        try (StatusFileReader reader = StatusFileReader.openDataDir(context.dataDir()))
        {
            final boolean clearScreen = !once && System.console() != null;
            while (true)
            {
                if (!reader.isMemberAlive())
                {
                    err.println("corral: no live member with data dir " + context.dataDir() +
                        (reader.isReady() ? " (the last one, pid " + reader.pid() + ", has stopped)" : ""));
                    return ToolContext.EXIT_NO_MEMBER;
                }
                if (clearScreen)
                {
                    out.print("\u001b[H\u001b[2J");
                }
                print(reader, context, out);
                if (once)
                {
                    return 0;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs));
            }
        }
    }

    static void print(final StatusFileReader reader, final Context context, final PrintStream out)
    {
        final long nowMs = System.currentTimeMillis();
        out.println("member " + reader.memberId() + ", pid " + reader.pid() + ", started " +
            Instant.ofEpochMilli(reader.startTimeMs()) + ", heartbeat age " + (nowMs - reader.heartbeatMs()) +
            " ms, data " + context.dataDir());
        out.println("======================================================================");
        final CountersReader counters = reader.countersReader();
        counters.forEach((counterId, typeId, keyBuffer, label) -> out.format(
            "%3d: %,20d - %s%n", counterId, counters.getCounterValue(counterId), label));
        out.println("--");
        out.flush();
    }
}
