package io.corral.perf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line describing the machine a report was measured on.
 */
final class Machine
{
    private Machine()
    {
    }

    /**
     * @return {@code net.core.rmem_max}, the most a socket's SO_RCVBUF asks for is granted (SO_RCVBUFFORCE aside),
     * or -1 when it cannot be read (not Linux).
     */
    static long rmemMax()
    {
        // One read into a buffer: Files.readString returned "4" for 4194304 here (a sysctl file reports size 0).
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/core/rmem_max")))
        {
            return Long.parseLong(new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim());
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    static String describe()
    {
        String cpu = "unknown CPU";
        try
        {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        }
        catch (final IOException ignore)
        {
            // keep "unknown CPU"
        }
        String load = "?";
        try
        {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (final IOException ignore)
        {
            // keep "?"
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", " +
            Runtime.getRuntime().maxMemory() / (1 << 20) + " MB heap, " + System.getProperty("os.name") + " " +
            System.getProperty("os.version") + ", Java " + System.getProperty("java.version") +
            ", load average at start " + load;
    }
}
