package io.corral.perf.scenario;

/**
 * A step whose figures are the lab's failure, not the target's (no operation started, not one datagram came back):
 * the run stops here, loudly, rather than let the step pass or fail the search.
 */
public final class LabFault extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, in which step.
     */
    public LabFault(final String message)
    {
        super(message);
    }
}
