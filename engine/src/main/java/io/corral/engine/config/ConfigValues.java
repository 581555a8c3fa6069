package io.corral.engine.config;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The effective configuration: for every key of a {@link ConfigRegistry}, its value and where it came from.
 * Precedence, lowest first: built-in defaults, the properties file named with {@code --config}, {@code -Dcorral.*}
 * system properties.
 */
public final class ConfigValues
{
    /** How the command-line option naming a properties file is spelled in messages. */
    public static final String CONFIG_OPTION = "--config";

    private final ConfigRegistry registry;
    private final Path configFile;
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, ConfigSource> sources = new HashMap<>();

    private ConfigValues(final ConfigRegistry registry, final Path configFile)
    {
        this.registry = registry;
        this.configFile = configFile;
    }

    /**
     * Resolve every key. Stops at the first unknown key; values are checked by {@link #validate()}.
     *
     * @param registry         the keys this process knows.
     * @param configFile       the properties file named with {@code --config}, or null for none.
     * @param systemProperties the JVM's system properties; only {@code corral.*} ones are read.
     * @return the effective configuration.
     * @throws ConfigurationException if the file is missing or unreadable, or a key is unknown.
     */
    public static ConfigValues load(
        final ConfigRegistry registry, final Path configFile, final Properties systemProperties)
    {
        final ConfigValues config = new ConfigValues(registry, configFile == null ? null : configFile.toAbsolutePath());
        for (final ConfigKey key : registry.keys())
        {
            config.put(key.name(), key.defaultValue(), ConfigSource.DEFAULT);
        }
        if (configFile != null)
        {
            final Properties file = readFile(config.configFile);
            for (final String name : new TreeSet<>(file.stringPropertyNames()))
            {
                config.put(name, file.getProperty(name), ConfigSource.FILE);
            }
        }
        for (final String name : new TreeSet<>(systemProperties.stringPropertyNames()))
        {
            if (name.startsWith(ConfigKey.PREFIX))
            {
                config.put(name, systemProperties.getProperty(name), ConfigSource.SYSTEM_PROPERTY);
            }
        }
        return config;
    }

    /**
     * Check every value against its key's type, in declaration order.
     *
     * @throws ConfigurationException naming the first invalid key, its value, its source and what is allowed.
     */
    public void validate()
    {
        for (final ConfigKey key : registry.keys())
        {
            final String value = values.get(key.name());
            if (!key.type().isValid(value))
            {
                throw invalid(key);
            }
        }
    }

    /**
     * @param key a registered key.
     * @return the effective value, trimmed.
     */
    public String string(final ConfigKey key)
    {
        return values.get(key.name());
    }

    /**
     * @param key a registered key of an integer type.
     * @return the effective value.
     * @throws ConfigurationException if the value is not a valid integer for the key.
     */
    public long longValue(final ConfigKey key)
    {
        final String value = string(key);
        final Long parsed = ValueTypes.parseLong(value);
        if (parsed == null || !key.type().isValid(value))
        {
            throw invalid(key);
        }
        return parsed;
    }

    /**
     * @param key a registered key of an integer type whose range fits an int.
     * @return the effective value.
     */
    public int intValue(final ConfigKey key)
    {
        return Math.toIntExact(longValue(key));
    }

    /**
     * @param key a registered key.
     * @return where the effective value came from.
     */
    public ConfigSource source(final ConfigKey key)
    {
        return sources.get(key.name());
    }

    /**
     * Print one line per key, {@code key=value (source)}, in declaration order.
     *
     * @param out where to print.
     */
    public void print(final PrintStream out)
    {
        for (final ConfigKey key : registry.keys())
        {
            out.println(key.name() + "=" + string(key) + " (" + describe(source(key)) + ")");
        }
    }

    private ConfigurationException invalid(final ConfigKey key)
    {
        return new ConfigurationException("invalid configuration: " + key.name() + "=" + string(key) +
            " (from " + describe(source(key)) + "): expected " + key.type().expected());
    }

    private void put(final String name, final String rawValue, final ConfigSource source)
    {
        if (registry.find(name) == null)
        {
            final ConfigKey closest = registry.closest(name);
            throw new ConfigurationException("unknown configuration key " + name + " (from " + describe(source) +
                "): did you mean " + closest.name() + "?");
        }
        values.put(name, rawValue.trim());
        sources.put(name, source);
    }

    private String describe(final ConfigSource source)
    {
        return source == ConfigSource.FILE ? source.label() + " " + configFile : source.label();
    }

    private static Properties readFile(final Path file)
    {
        if (!Files.exists(file))
        {
            throw new ConfigurationException("config file not found: " + file + " (" + CONFIG_OPTION + ")");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new ConfigurationException(
                "config file not readable: " + file + " (" + CONFIG_OPTION + "): " + ex.getMessage());
        }
        return properties;
    }
}
