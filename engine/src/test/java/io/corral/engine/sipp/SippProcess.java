package io.corral.engine.sipp;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running sipp started by {@link Sipp#start()}. {@link #destroy()} is idempotent and must run in a
 * {@code finally} or {@code @AfterEach}: SIGTERM (sipp then ends its run and writes its final statistics),
 * SIGKILL if it is still alive 3 s later.
 */
public final class SippProcess
{
    private static final long TERM_GRACE_MS = 3_000;

    private final String name;
    private final InetSocketAddress local;
    private final boolean tcp;
    private final List<String> command;
    private final Process process;
    private final Duration hardLimit;
    private final Path stdout;
    private final Path stderr;
    private final Path messageLog;
    private final Path errorLog;
    private final Path statFile;

    SippProcess(
        final String name,
        final InetSocketAddress local,
        final boolean tcp,
        final List<String> command,
        final Process process,
        final Duration hardLimit,
        final Path stdout,
        final Path stderr,
        final Path messageLog,
        final Path errorLog,
        final Path statFile)
    {
        this.name = name;
        this.local = local;
        this.tcp = tcp;
        this.command = List.copyOf(command);
        this.process = process;
        this.hardLimit = hardLimit;
        this.stdout = stdout;
        this.stderr = stderr;
        this.messageLog = messageLog;
        this.errorLog = errorLog;
        this.statFile = statFile;
    }

    /**
     * The command line, for failure messages.
     *
     * @return the arguments, binary first.
     */
    public List<String> command()
    {
        return command;
    }

    /**
     * Waits until sipp has bound its local port (so that a peer started next is not refused), probing with a
     * bind of the same port every 10 ms; fails if sipp exits or the limit passes first.
     *
     * @param limit the longest wait.
     * @return this.
     */
    public SippProcess awaitBound(final Duration limit)
    {
        final long deadlineNs = System.nanoTime() + limit.toNanos();
        while (!isBound())
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before binding "
                    + local + ": " + String.join(" ", command));
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException(name + " did not bind " + local + " within " + limit);
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        return this;
    }

    private boolean isBound()
    {
        final InetAddress address = local.getAddress();
        try
        {
            if (tcp)
            {
                new ServerSocket(local.getPort(), 1, address).close();
            }
            else
            {
                new DatagramSocket(local).close();
            }
            return false;
        }
        catch (final BindException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Whether sipp still runs.
     *
     * @return true while alive.
     */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * The operating system process id.
     *
     * @return the pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Waits for sipp to exit by itself, at most {@code limit} (capped by the run's own timeout plus 5 s); a sipp
     * still alive then is destroyed and its result has {@link SippResult#timedOut()} set.
     *
     * @param limit the longest wait.
     * @return the result, read from the statistics file and the logs.
     */
    public SippResult await(final Duration limit)
    {
        final Duration wait = limit.compareTo(hardLimit) < 0 ? limit : hardLimit;
        boolean exited;
        try
        {
            exited = process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited)
        {
            destroy();
        }
        return SippResult.read(name, command, process.exitValue(), !exited, stdout, stderr, messageLog, errorLog,
            statFile);
    }

    /**
     * Stops sipp: SIGTERM, then SIGKILL after 3 s; returns once it has exited. Safe to call more than once.
     */
    public void destroy()
    {
        if (!process.isAlive())
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(TERM_GRACE_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor();
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops sipp with SIGTERM (it ends its run and writes its statistics) and returns its result.
     *
     * @return the result.
     */
    public SippResult stop()
    {
        destroy();
        return SippResult.read(name, command, process.exitValue(), false, stdout, stderr, messageLog, errorLog,
            statFile);
    }
}
