package io.corral.engine.config;

import io.corral.engine.Context;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigDocsTest
{
    /** Surefire runs in the module folder; the document lives at the repository root. */
    private static final Path DOCS = Paths.get("..", "docs", "configuration.md");

    @Test
    void shouldMatchDocsConfigurationMdWhenRenderedFromTheRegistry() throws IOException
    {
        final String rendered = ConfigDocs.render(Context.REGISTRY);
        if (Boolean.getBoolean("docs.write"))
        {
            Files.writeString(DOCS, rendered, StandardCharsets.UTF_8);
        }
        final String onDisk = Files.exists(DOCS) ? Files.readString(DOCS, StandardCharsets.UTF_8) : "";
        assertEquals(rendered, onDisk, "docs/configuration.md differs from the *Configuration classes; regenerate: " +
            "mvn -B -q -o test -pl engine -am -Dtest=ConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false " +
            "-Ddocs.write=true");
    }

    @Test
    void shouldListEveryKeyWithItsDefaultWhenRendered()
    {
        final String rendered = ConfigDocs.render(Context.REGISTRY);
        for (final ConfigKey key : Context.REGISTRY.keys())
        {
            assertTrue(rendered.contains("| `" + key.name() + "` | "), key.name());
        }
        assertTrue(rendered.contains("| `corral.sip.port` | `5060` | an integer 0..65535 (0 = any free port) |"));
        assertTrue(rendered.contains("| `corral.conductor.idle.strategy` | (empty) |"));
    }
}
