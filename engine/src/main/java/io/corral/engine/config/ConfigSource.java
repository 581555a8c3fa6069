package io.corral.engine.config;

/**
 * Where an effective configuration value came from, lowest precedence first.
 */
public enum ConfigSource
{
    /** The built-in default of the key. */
    DEFAULT("default"),
    /** The properties file named with {@code --config}. */
    FILE("file"),
    /** A {@code -Dcorral.*} system property. */
    SYSTEM_PROPERTY("system property");

    private final String label;

    ConfigSource(final String label)
    {
        this.label = label;
    }

    /**
     * @return how print-config and error messages name the source.
     */
    public String label()
    {
        return label;
    }
}
