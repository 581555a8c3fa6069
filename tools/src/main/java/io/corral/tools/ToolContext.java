package io.corral.tools;

import io.corral.engine.Context;
import io.corral.engine.config.ConfigurationException;
import io.corral.engine.status.StatusFileException;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every tool shares with the member: the same configuration loading ({@code --config FILE} and
 * {@code -Dcorral.*}), so a tool finds the member's data dir exactly as the member does, and the same one-line
 * error messages.
 */
final class ToolContext
{
    /** Exit status when there is no status file or no live member. */
    static final int EXIT_NO_MEMBER = 1;

    private ToolContext()
    {
    }

    /**
     * @param configFile the file named with {@code --config}, or null.
     * @return the concluded context.
     * @throws ConfigurationException if the configuration is invalid.
     */
    static Context load(final Path configFile)
    {
        return Context.load(configFile, System.getProperties()).conclude();
    }

    /**
     * Run a tool body, turning the expected failures into one line on {@code err} and an exit status.
     *
     * @param err  where to print the failure.
     * @param body the tool.
     * @return the exit status.
     */
    static int run(final PrintStream err, final ToolBody body)
    {
        try
        {
            return body.run();
        }
        catch (final ConfigurationException ex)
        {
            err.println("corral: " + ex.getMessage());
            return ConfigurationException.EXIT_CODE;
        }
        catch (final StatusFileException ex)
        {
            err.println("corral: " + ex.getMessage());
            return EXIT_NO_MEMBER;
        }
    }

    /**
     * A tool's work, returning its exit status.
     */
    @FunctionalInterface
    interface ToolBody
    {
        /**
         * @return the exit status.
         * @throws ConfigurationException if the configuration is invalid.
         * @throws StatusFileException    if the status file cannot be read.
         */
        int run();
    }
}
