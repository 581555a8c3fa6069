package io.corral.engine.config;

import java.util.Objects;

/**
 * One configuration key: its name, built-in default, one-line meaning and value type. Keys are declared as
 * constants in a module's {@code *Configuration} class and registered in a {@link ConfigRegistry}.
 */
public final class ConfigKey
{
    /** Every key starts with this prefix; any system property with it must be a known key. */
    public static final String PREFIX = "corral.";

    private final String name;
    private final String defaultValue;
    private final ValueType type;
    private final String meaning;

    private ConfigKey(final String name, final String defaultValue, final ValueType type, final String meaning)
    {
        this.name = name;
        this.defaultValue = defaultValue;
        this.type = type;
        this.meaning = meaning;
    }

    /**
     * @param name         full name, starting with {@link #PREFIX}.
     * @param defaultValue built-in default, which must itself be valid.
     * @param type         what values are allowed.
     * @param meaning      one line for operators: what the key changes.
     * @return the key.
     */
    public static ConfigKey of(final String name, final String defaultValue, final ValueType type, final String meaning)
    {
        Objects.requireNonNull(defaultValue, "defaultValue");
        if (!name.startsWith(PREFIX))
        {
            throw new IllegalArgumentException("key must start with " + PREFIX + ": " + name);
        }
        if (!type.isValid(defaultValue))
        {
            throw new IllegalArgumentException("invalid default " + name + "=" + defaultValue);
        }
        if (meaning.isEmpty() || meaning.indexOf('\n') >= 0)
        {
            throw new IllegalArgumentException("meaning must be one line: " + name);
        }
        return new ConfigKey(name, defaultValue, type, meaning);
    }

    /**
     * @return full name, e.g. {@code corral.sip.port}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the built-in default as written in a properties file.
     */
    public String defaultValue()
    {
        return defaultValue;
    }

    /**
     * @return what values are allowed.
     */
    public ValueType type()
    {
        return type;
    }

    /**
     * @return one line saying what the key changes.
     */
    public String meaning()
    {
        return meaning;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return name;
    }
}
