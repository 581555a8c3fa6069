package io.corral.tools;

import io.corral.engine.Context;
import io.corral.engine.Member;
import io.corral.engine.status.StatusFileReader;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Controls a running member. {@code reload}: sends the member SIGHUP, which makes it re-read its backends file
 * without dropping calls, waits until the member has counted the outcome (the {@code dispatch: backends file
 * loads} or {@code ... rejected} counter moves), and prints the member's one-line outcome: the version and sizes in
 * force, or the file, line and token at fault (the previous sets then stay). Exit status 0 if the file was loaded,
 * 1 if there is no live member, 2 if the file was rejected or the member did not answer in time.
 */
@Command(name = "corral-ctl", mixinStandardHelpOptions = true,
    description = "Control the member using corral.data.dir (-Dcorral.data.dir=DIR or --config FILE).")
public final class CorralCtl implements Callable<Integer>
{
    /** Exit status when the member rejected the file or did not answer. */
    static final int EXIT_REJECTED = 2;

    private static final String LOADS = "dispatch: backends file loads";
    private static final String REJECTED = "dispatch: backends file loads rejected";

    /**
     * Delivers the reload signal to a member's process.
     */
    @FunctionalInterface
    interface Signaller
    {
        /**
         * @param pid the member's process id.
         * @return true if the signal was delivered.
         */
        boolean hangUp(long pid);
    }

    @Parameters(index = "0", paramLabel = "COMMAND", description = "reload: re-read the backends file.")
    private String command;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file, as given to bin/corral.")
    private Path configFile;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
        description = "How long to wait for the member's outcome.")
    private long timeoutMs;

    private final PrintStream out;
    private final PrintStream err;
    private final Signaller signaller;

    CorralCtl(final PrintStream out, final PrintStream err, final Signaller signaller)
    {
        this.out = out;
        this.err = err;
        this.signaller = signaller;
    }

    /**
     * @param args {@code reload [--config FILE] [--timeout-ms MS]}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new CorralCtl(System.out, System.err, CorralCtl::kill)).execute(args));
    }

    /**
     * {@inheritDoc}
     */
    public Integer call()
    {
        if (!"reload".equals(command))
        {
            err.println("corral-ctl: unknown command " + command + " (try --help)");
            return CommandLine.ExitCode.USAGE;
        }
        return ToolContext.run(err, this::reload);
    }

    private int reload()
    {
        final Context context = ToolContext.load(configFile);
        try (StatusFileReader reader = StatusFileReader.openDataDir(context.dataDir()))
        {
            if (!reader.isMemberAlive())
            {
                err.println("corral: no live member with data dir " + context.dataDir());
                return ToolContext.EXIT_NO_MEMBER;
            }
            final CountersReader counters = reader.countersReader();
            final long loads = value(counters, LOADS);
            final long rejected = value(counters, REJECTED);
            if (!signaller.hangUp(reader.pid()))
            {
                err.println("corral-ctl: cannot signal member pid " + reader.pid());
                return EXIT_REJECTED;
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (value(counters, LOADS) == loads && value(counters, REJECTED) == rejected)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    err.println("corral-ctl: member pid " + reader.pid() + " did not report a reload within " +
                        timeoutMs + " ms");
                    return EXIT_REJECTED;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            final boolean loaded = value(counters, LOADS) != loads;
            final String outcome = outcome(context.dataDir());
            (loaded ? out : err).println(outcome);
            return loaded ? 0 : EXIT_REJECTED;
        }
    }

    private static String outcome(final Path dataDir)
    {
        final Path file = dataDir.resolve(Member.RELOAD_RESULT_FILE);
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (final NoSuchFileException ex)
        {
            return "corral-ctl: the member wrote no outcome to " + file;
        }
        catch (final IOException ex)
        {
            return "corral-ctl: cannot read " + file + ": " + ex.getMessage();
        }
    }

    private static long value(final CountersReader counters, final String label)
    {
        final long[] value = {-1};
        counters.forEach((counterId, typeId, keyBuffer, text) ->
        {
            if (text.equals(label))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private static boolean kill(final long pid)
    {
        try
        {
            return new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
