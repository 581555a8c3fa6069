package io.corral.engine.sipp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one sipp run: exit code, the cumulative counters of the last {@code -trace_stat} row, the screen
 * output, the error log and the message log. sipp's exit codes: 0 all calls succeeded, 1 at least one failed,
 * 97 stopped by an internal command, 99 normal exit without calls, 255 (-1) fatal error or {@code -timeout_error}
 * reached, 254 (-2) cannot bind its socket.
 */
public final class SippResult
{
    private static final String RECEIVED = " message received ";

    private final String name;
    private final List<String> command;
    private final int exitCode;
    private final boolean timedOut;
    private final Map<String, String> stats;
    private final String stdout;
    private final String stderr;
    private final Path messageLog;
    private final String errorLog;

    private SippResult(
        final String name,
        final List<String> command,
        final int exitCode,
        final boolean timedOut,
        final Map<String, String> stats,
        final String stdout,
        final String stderr,
        final Path messageLog,
        final String errorLog)
    {
        this.name = name;
        this.command = command;
        this.exitCode = exitCode;
        this.timedOut = timedOut;
        this.stats = stats;
        this.stdout = stdout;
        this.stderr = stderr;
        this.messageLog = messageLog;
        this.errorLog = errorLog;
    }

    static SippResult read(
        final String name,
        final List<String> command,
        final int exitCode,
        final boolean timedOut,
        final Path stdout,
        final Path stderr,
        final Path messageLog,
        final Path errorLog,
        final Path statFile)
    {
        return new SippResult(name, command, exitCode, timedOut, parseStats(readIfExists(statFile)),
            readIfExists(stdout), readIfExists(stderr), messageLog, readIfExists(errorLog));
    }

    /**
     * The header of {@code -trace_stat} names each column; the last row holds the final counters. Fields are
     * separated by ';' (a date field holds tabs, never ';').
     */
    static Map<String, String> parseStats(final String csv)
    {
        final String[] lines = csv.split("\n");
        if (lines.length < 2)
        {
            return Collections.emptyMap();
        }
        final String[] header = lines[0].split(";", -1);
        String last = "";
        for (int i = lines.length - 1; i > 0; i--)
        {
            if (!lines[i].isBlank())
            {
                last = lines[i];
                break;
            }
        }
        final String[] values = last.split(";", -1);
        final Map<String, String> stats = new HashMap<>();
        for (int i = 0; i < header.length && i < values.length; i++)
        {
            if (!header[i].isEmpty())
            {
                stats.put(header[i], values[i]);
            }
        }
        return Collections.unmodifiableMap(stats);
    }

    /**
     * Counts the messages received whose start line begins with {@code startLinePrefix} in a {@code -trace_msg}
     * log: each entry is a dashed separator line with a timestamp, a line such as
     * {@code UDP message received [514] bytes :} or {@code UDP message sent (313 bytes):}, an empty line, then
     * the message with CRLF line ends.
     */
    static int countReceived(final String log, final String startLinePrefix)
    {
        int count = 0;
        final String[] lines = log.split("\n");
        for (int i = 0; i < lines.length; i++)
        {
            if (lines[i].contains(RECEIVED) && !lines[i].startsWith("-"))
            {
                int j = i + 1;
                while (j < lines.length && lines[j].strip().isEmpty())
                {
                    j++;
                }
                if (j < lines.length && lines[j].startsWith(startLinePrefix))
                {
                    count++;
                }
                i = j;
            }
        }
        return count;
    }

    /**
     * sipp's exit code.
     *
     * @return the code.
     */
    public int exitCode()
    {
        return exitCode;
    }

    /**
     * Whether the harness had to kill sipp because it outlived the wait.
     *
     * @return true when killed.
     */
    public boolean timedOut()
    {
        return timedOut;
    }

    /**
     * {@code SuccessfulCall(C)} of the final statistics row.
     *
     * @return the count, -1 when sipp wrote no statistics.
     */
    public long successfulCalls()
    {
        return stat("SuccessfulCall(C)");
    }

    /**
     * {@code FailedCall(C)} of the final statistics row.
     *
     * @return the count, -1 when sipp wrote no statistics.
     */
    public long failedCalls()
    {
        return stat("FailedCall(C)");
    }

    /**
     * {@code Retransmissions(C)} of the final statistics row: messages sipp sent again.
     *
     * @return the count, -1 when sipp wrote no statistics.
     */
    public long retransmissions()
    {
        return stat("Retransmissions(C)");
    }

    /**
     * Any cumulative numeric column of the final statistics row, e.g. {@code FailedTimeoutOnRecv(C)}.
     *
     * @param column the column name as in the CSV header.
     * @return its value, -1 when absent or not a number.
     */
    public long stat(final String column)
    {
        final String value = stats.get(column);
        if (value == null)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(value.strip());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * The messages received whose start line starts with a prefix, e.g. {@code "INVITE "} or {@code "SIP/2.0 487"}.
     *
     * @param startLinePrefix the prefix.
     * @return how many were received (retransmissions included).
     */
    public int count(final String startLinePrefix)
    {
        return countReceived(messageLogText(), startLinePrefix);
    }

    /**
     * The {@code -trace_msg} file.
     *
     * @return its path.
     */
    public Path messageLog()
    {
        return messageLog;
    }

    /**
     * The {@code -trace_msg} file's text.
     *
     * @return the text, empty when sipp wrote none.
     */
    public String messageLogText()
    {
        return readIfExists(messageLog);
    }

    /**
     * The {@code -trace_err} log (unexpected messages, aborted calls, timeouts).
     *
     * @return its text, empty when sipp logged nothing.
     */
    public String errorLog()
    {
        return errorLog;
    }

    /**
     * sipp's standard output (its screens).
     *
     * @return the text.
     */
    public String stdout()
    {
        return stdout;
    }

    /**
     * sipp's standard error (fatal errors).
     *
     * @return the text.
     */
    public String stderr()
    {
        return stderr;
    }

    /**
     * A summary for assertion messages: name, command line, exit code, counters, stderr and the error log's head.
     *
     * @return the summary.
     */
    @Override
    public String toString()
    {
        final String errors = errorLog.length() > 2000 ? errorLog.substring(0, 2000) + "..." : errorLog;
        return name + " exit=" + exitCode + (timedOut ? " (killed)" : "")
            + " successful=" + successfulCalls() + " failed=" + failedCalls()
            + " retransmissions=" + retransmissions()
            + "\ncommand: " + String.join(" ", command)
            + "\nstderr: " + stderr.strip()
            + "\nerrors: " + errors.strip();
    }

    private static String readIfExists(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
