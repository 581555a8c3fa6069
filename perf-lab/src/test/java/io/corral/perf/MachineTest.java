package io.corral.perf;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MachineTest
{
    @Test
    void shouldReadTheWholeRmemMaxValue() throws Exception
    {
        final Path file = Path.of("/proc/sys/net/core/rmem_max");
        assumeTrue(Files.isReadable(file), "not Linux");
        try (BufferedReader reader = Files.newBufferedReader(file))
        {
            assertEquals(Long.parseLong(reader.readLine().trim()), Machine.rmemMax());
        }
    }
}
