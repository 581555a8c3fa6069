package io.corral.engine.status;

/**
 * A status file cannot be read: missing, too short, or of another layout version. The message is one line for the
 * operator.
 */
public class StatusFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line saying what is wrong and with which file.
     */
    public StatusFileException(final String message)
    {
        super(message, null, false, false);
    }
}
