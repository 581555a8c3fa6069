package io.corral.perf.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of processes from {@code /proc/PID/stat} (utime + stime, all threads), the only figure that is right in
 * this kind of VM: system-wide CPU figures are not (shared/PEERS.md).
 */
public final class ProcessCpu
{
    /** Clock ticks per second of /proc figures; USER_HZ is 100 on every Linux architecture the lab runs on. */
    static final long TICKS_PER_S = 100;
    private static final int UTIME_AFTER_PAREN = 11;

    private ProcessCpu()
    {
    }

    /**
     * @param pid a process id.
     * @return its CPU time (user + system, all threads) in ns, or 0 when it is gone or unreadable.
     */
    public static long cpuNs(final long pid)
    {
        try
        {
            return parseStatCpuNs(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }

    /**
     * @param process a process.
     * @return CPU time in ns of it and all its descendants alive now (Kamailio's workers are child processes).
     */
    public static long treeCpuNs(final ProcessHandle process)
    {
        long total = cpuNs(process.pid());
        for (final ProcessHandle child : (Iterable<ProcessHandle>)process.descendants()::iterator)
        {
            total += cpuNs(child.pid());
        }
        return total;
    }

    /**
     * @param stat the content of a {@code /proc/PID/stat} file.
     * @return utime + stime in ns.
     */
    static long parseStatCpuNs(final String stat)
    {
        // The command name may hold spaces and parentheses: fields are counted after the last ')'.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        final long ticks = Long.parseLong(fields[UTIME_AFTER_PAREN]) + Long.parseLong(fields[UTIME_AFTER_PAREN + 1]);
        return ticks * (1_000_000_000L / TICKS_PER_S);
    }
}
