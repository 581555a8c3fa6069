package io.corral.engine.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How many bytes wait in the receive queues of some UDP sockets, read from the kernel's socket tables
 * ({@code /proc/net/udp} and {@code /proc/net/udp6}: the {@code rx_queue} column, the memory the queued datagrams
 * hold, against the socket's SO_RCVBUF). Netty has no call for it (SO_MEMINFO, SIOCINQ gives only the next datagram).
 * The tables list every UDP socket of the network namespace, so a read costs more the more sockets the host has:
 * callers sample only when they need to know. The files stay open and are read again from offset 0 into one
 * buffer, which grows only when a table outgrows it.
 * <p>
 * Single-threaded.
 */
public final class UdpReceiveQueues implements AutoCloseable
{
    private static final Path[] TABLES = {Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")};
    private static final int INITIAL_BYTES = 64 * 1024;
    /** Fields of a table line: sl, local_address, rem_address, st, tx_queue:rx_queue, ..., inode is the tenth. */
    private static final int QUEUES_FIELD = 4;
    private static final int INODE_FIELD = 9;

    private final long[] inodes;
    private final FileChannel[] tables = new FileChannel[TABLES.length];
    private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_BYTES);

    /**
     * @param inodes the sockets' inode numbers ({@link #inodeOf(int)}).
     */
    public UdpReceiveQueues(final long[] inodes)
    {
        this.inodes = inodes.clone();
        for (int i = 0; i < TABLES.length; i++)
        {
            try
            {
                tables[i] = FileChannel.open(TABLES[i], StandardOpenOption.READ);
            }
            catch (final IOException | UnsupportedOperationException ex)
            {
                tables[i] = null;
            }
        }
    }

    /**
     * @param fd a socket's file descriptor in this process.
     * @return its inode number, or -1 when {@code /proc/self/fd} does not say.
     */
    public static long inodeOf(final int fd)
    {
        try
        {
            final String link = Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
            return link.startsWith("socket:[") && link.endsWith("]") ?
                Long.parseLong(link.substring("socket:[".length(), link.length() - 1)) : -1;
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * @return the bytes queued in the fullest of the sockets, or -1 when no table could be read or none of the
     * sockets is in them.
     */
    public int maxQueuedBytes()
    {
        int max = -1;
        for (final FileChannel table : tables)
        {
            if (table != null && read(table))
            {
                max = Math.max(max, scan(buffer, inodes));
            }
        }
        return max;
    }

    /**
     * @param text    a socket table, from position 0 to its limit.
     * @param inodes  the sockets wanted.
     * @return the largest {@code rx_queue} of those sockets in the table, -1 when none is there.
     */
    static int scan(final ByteBuffer text, final long[] inodes)
    {
        final int limit = text.limit();
        int max = -1;
        int pos = skipLine(text, 0, limit);
        while (pos < limit)
        {
            int field = 0;
            int rxQueue = -1;
            long inode = -1;
            int at = pos;
            while (at < limit && text.get(at) != '\n')
            {
                while (at < limit && text.get(at) == ' ')
                {
                    at++;
                }
                final int start = at;
                while (at < limit && text.get(at) != ' ' && text.get(at) != '\n')
                {
                    at++;
                }
                if (at > start)
                {
                    if (field == QUEUES_FIELD)
                    {
                        rxQueue = hexAfterColon(text, start, at);
                    }
                    else if (field == INODE_FIELD)
                    {
                        inode = decimal(text, start, at);
                    }
                    field++;
                }
            }
            if (inode >= 0 && rxQueue >= 0 && contains(inodes, inode))
            {
                max = Math.max(max, rxQueue);
            }
            pos = at + 1;
        }
        return max;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        for (final FileChannel table : tables)
        {
            if (table != null)
            {
                try
                {
                    table.close();
                }
                catch (final IOException ignore)
                {
                    // Nothing to release beyond the descriptor.
                }
            }
        }
    }

    private boolean read(final FileChannel table)
    {
        try
        {
            buffer.clear();
            long position = 0;
            while (true)
            {
                final int read = table.read(buffer, position);
                if (read < 0)
                {
                    break;
                }
                position += read;
                if (!buffer.hasRemaining())
                {
                    final ByteBuffer larger = ByteBuffer.allocateDirect(buffer.capacity() * 2);
                    buffer.flip();
                    larger.put(buffer);
                    buffer = larger;
                }
            }
            buffer.flip();
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static int skipLine(final ByteBuffer text, final int from, final int limit)
    {
        int at = from;
        while (at < limit && text.get(at) != '\n')
        {
            at++;
        }
        return at + 1;
    }

    private static int hexAfterColon(final ByteBuffer text, final int from, final int to)
    {
        int at = from;
        while (at < to && text.get(at) != ':')
        {
            at++;
        }
        if (at == to)
        {
            return -1;
        }
        long value = 0;
        for (at++; at < to; at++)
        {
            final int digit = Character.digit(text.get(at), 16);
            if (digit < 0)
            {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return (int)Math.min(Integer.MAX_VALUE, value);
    }

    private static long decimal(final ByteBuffer text, final int from, final int to)
    {
        long value = 0;
        for (int at = from; at < to; at++)
        {
            final int digit = text.get(at) - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static boolean contains(final long[] values, final long value)
    {
        for (final long candidate : values)
        {
            if (candidate == value)
            {
                return true;
            }
        }
        return false;
    }
}
