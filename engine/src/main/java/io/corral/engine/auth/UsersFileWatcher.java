package io.corral.engine.auth;

import io.corral.engine.config.ConfigurationException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Picks up {@code bin/corral-user add|remove} in a running member: every {@code corral.auth.users.check.interval.ms}
 * it looks at the users file's modification time, size and identity (the tool replaces the file by an atomic move)
 * and, when any changed, reads it again with {@link UsersFile#load()}, which swaps the users the SIP agents see in
 * one step. A file that does not read keeps the previous users and is reported once to the error handler (the
 * member's error log), naming the file and line; it is read again when it changes. Runs with the conductor: the file
 * system is touched here, never on a SIP agent.
 */
public final class UsersFileWatcher implements Agent
{
    private final UsersFile usersFile;
    private final File file;
    private final EpochClock clock;
    private final long checkIntervalMs;
    private final ErrorHandler errorHandler;
    private final AtomicCounter reloads;
    private final AtomicCounter reloadErrors;
    private long nextCheckMs;
    private Object seen;

    /**
     * @param usersFile       the users file, loaded at start (its current state is taken as seen).
     * @param clock           wall clock.
     * @param checkIntervalMs period of the checks; 0: never.
     * @param errorHandler    told of a file that does not read.
     * @param reloads         counts the reads that replaced the users.
     * @param reloadErrors    counts the reads that failed.
     */
    public UsersFileWatcher(
        final UsersFile usersFile,
        final EpochClock clock,
        final long checkIntervalMs,
        final ErrorHandler errorHandler,
        final AtomicCounter reloads,
        final AtomicCounter reloadErrors)
    {
        this.usersFile = usersFile;
        file = usersFile.file().toFile();
        this.clock = clock;
        this.checkIntervalMs = checkIntervalMs;
        this.errorHandler = errorHandler;
        this.reloads = reloads;
        this.reloadErrors = reloadErrors;
        seen = stateOfFile();
        nextCheckMs = clock.time() + checkIntervalMs;
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        if (checkIntervalMs <= 0)
        {
            return 0;
        }
        final long nowMs = clock.time();
        if (nowMs < nextCheckMs)
        {
            return 0;
        }
        nextCheckMs = nowMs + checkIntervalMs;
        final Object state = stateOfFile();
        if (Objects.equals(state, seen))
        {
            return 0;
        }
        seen = state;
        try
        {
            usersFile.load();
            reloads.incrementRelease();
        }
        catch (final ConfigurationException ex)
        {
            reloadErrors.incrementRelease();
            errorHandler.onError(ex);
        }
        return 1;
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "users-file";
    }

    /**
     * @return what tells one version of the file from another: time, size and file key; null when there is none.
     */
    private Object stateOfFile()
    {
        // The common case of no users file at all: java.io.File answers without the exception (and its stack trace)
        // that Files.readAttributes throws for a missing file, at every check.
        if (!file.exists())
        {
            return null;
        }
        try
        {
            final BasicFileAttributes attributes =
                Files.readAttributes(usersFile.file(), BasicFileAttributes.class);
            return new FileState(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private record FileState(FileTime modified, long size, Object fileKey)
    {
    }
}
