package io.corral.engine.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigRegistryTest
{
    private static final ConfigKey PORT = ConfigKey.of("corral.a.port", "1", ValueTypes.integer(1, 9), "Port.");
    private static final ConfigKey PATH = ConfigKey.of("corral.a.path", "x", ValueTypes.nonEmpty(), "Path.");

    @Test
    void shouldMeasureEditDistanceWhenStringsDiffer()
    {
        assertEquals(0, ConfigRegistry.editDistance("port", "port"));
        assertEquals(2, ConfigRegistry.editDistance("prot", "port"));
        assertEquals(1, ConfigRegistry.editDistance("port", "ports"));
        assertEquals(3, ConfigRegistry.editDistance("kitten", "sitting"));
        assertEquals(4, ConfigRegistry.editDistance("", "port"));
    }

    @Test
    void shouldSuggestClosestKeyWhenNameIsMistyped()
    {
        final ConfigRegistry registry = new ConfigRegistry(List.of(PORT, PATH));

        assertEquals(PORT, registry.closest("corral.a.prot"));
        assertEquals(PATH, registry.closest("corral.a.pth"));
        assertEquals(PORT, registry.find("corral.a.port"));
        assertEquals(null, registry.find("corral.a.prot"));
    }

    @Test
    void shouldRejectKeysWhenDuplicatedOrBadlyDeclared()
    {
        assertThrows(IllegalArgumentException.class, () -> new ConfigRegistry(List.of(PORT), List.of(PORT)));
        assertThrows(IllegalArgumentException.class,
            () -> ConfigKey.of("other.port", "1", ValueTypes.integer(1, 9), "Port."));
        assertThrows(IllegalArgumentException.class,
            () -> ConfigKey.of("corral.b.port", "0", ValueTypes.integer(1, 9), "Port."));
        assertThrows(IllegalArgumentException.class,
            () -> ConfigKey.of("corral.b.port", "1", ValueTypes.integer(1, 9), "Two\nlines."));
    }
}
