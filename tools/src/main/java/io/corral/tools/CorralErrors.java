package io.corral.tools;

import io.corral.engine.Context;
import io.corral.engine.status.StatusFileReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Prints each distinct error in a member's error log with its count and first and last time (modelled on Aeron's
 * {@code ErrorStat}); prints nothing and exits 0 when there are none. Works on a live or a stopped member; exit
 * status 1 if there is no status file.
 */
@Command(name = "corral-errors", mixinStandardHelpOptions = true,
    description = "Print the distinct errors of the member using corral.data.dir (-Dcorral.data.dir=DIR).")
public final class CorralErrors implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file, as given to bin/corral.")
    private Path configFile;

    private final PrintStream out;
    private final PrintStream err;

    CorralErrors(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * @param args {@code [--config FILE]}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new CorralErrors(System.out, System.err)).execute(args));
    }

    /**
     * {@inheritDoc}
     */
    public Integer call()
    {
        return ToolContext.run(err, this::print);
    }

    private int print()
    {
        final Context context = ToolContext.load(configFile);
        try (StatusFileReader reader = StatusFileReader.openDataDir(context.dataDir()))
        {
            out.print(reader.errorsText());
            out.flush();
            return 0;
        }
    }
}
