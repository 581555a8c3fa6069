package io.corral.perf;

import java.io.IOException;
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
