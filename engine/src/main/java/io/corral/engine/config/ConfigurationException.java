package io.corral.engine.config;

/**
 * The configuration cannot be used. The message is one line for the operator, without the {@code corral: } prefix;
 * launchers print it and exit with {@link #EXIT_CODE}.
 */
public class ConfigurationException extends RuntimeException
{
    /** Exit status of a launcher that stops on a configuration error. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the key, the value and what is allowed.
     */
    public ConfigurationException(final String message)
    {
        super(message, null, false, false);
    }
}
