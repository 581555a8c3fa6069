package io.corral.engine.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The exclusive lock a member holds on its data dir for its whole life: an OS file lock on
 * {@code <data dir>/status/corral.lock}, which holds the owner's pid. The OS drops the lock when the process dies,
 * so a crash never leaves a stale lock. The lock lives in its own file, not the status file, because closing any
 * channel on a file drops the process's locks on it, and readers open the status file freely.
 */
public final class MemberLock implements AutoCloseable
{
    /** File name of the lock, beside the status file. */
    public static final String FILE_NAME = "corral.lock";

    private static final Set<Path> HELD_IN_THIS_PROCESS = new HashSet<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private MemberLock(final Path file, final FileChannel channel, final FileLock lock)
    {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param dataDir the member's data dir; its status folder is created if missing.
     * @return the held lock.
     * @throws MemberLockedException if another member holds it.
     */
    public static MemberLock acquire(final Path dataDir)
    {
        final Path file;
        try
        {
            final Path dir = Files.createDirectories(dataDir.resolve(StatusFileDescriptor.STATUS_DIR));
            file = dir.toRealPath().resolve(FILE_NAME);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + dataDir.resolve(StatusFileDescriptor.STATUS_DIR), ex);
        }
        synchronized (HELD_IN_THIS_PROCESS)
        {
            // Opening a second channel in this process and closing it would drop our own OS lock: check first.
            if (HELD_IN_THIS_PROCESS.contains(file))
            {
                throw new MemberLockedException(ProcessHandle.current().pid(), dataDir);
            }
            FileChannel channel = null;
            try
            {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
                final FileLock lock = tryLock(channel);
                if (lock == null)
                {
                    final long pid = readPid(channel);
                    channel.close();
                    throw new MemberLockedException(pid, dataDir);
                }
                final byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(pid), 0);
                channel.force(true);
                HELD_IN_THIS_PROCESS.add(file);
                return new MemberLock(file, channel, lock);
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                throw new UncheckedIOException("cannot lock " + file, ex);
            }
        }
    }

    /**
     * Release the lock; the file stays.
     */
    public void close()
    {
        synchronized (HELD_IN_THIS_PROCESS)
        {
            try
            {
                lock.release();
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot release " + file, ex);
            }
            finally
            {
                HELD_IN_THIS_PROCESS.remove(file);
            }
        }
    }

    private static FileLock tryLock(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null;
        }
    }

    private static long readPid(final FileChannel channel) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        final String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Already failing with the original exception.
            }
        }
    }
}
