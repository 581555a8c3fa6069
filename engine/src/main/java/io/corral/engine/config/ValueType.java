package io.corral.engine.config;

/**
 * The type of a configuration value: which strings are allowed, and how to say so in an error message.
 */
public interface ValueType
{
    /**
     * @param value the raw string, trimmed.
     * @return true if the value is allowed.
     */
    boolean isValid(String value);

    /**
     * @return what is allowed, completing "expected ...", e.g. {@code an integer 1..65535}.
     */
    String expected();
}
