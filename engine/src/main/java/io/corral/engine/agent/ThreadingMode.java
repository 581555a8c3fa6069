package io.corral.engine.agent;

import java.util.Locale;

/**
 * How a member's agents map to threads (Aeron's {@code ThreadingMode}).
 */
public enum ThreadingMode
{
    /** One thread per agent, each with its role's idle strategy and CPU: production on dedicated cores. */
    DEDICATED,
    /** Every agent in one {@code CompositeAgent} on one thread: small machines and system tests. */
    SHARED,
    /** No thread: the caller drives every agent's duty cycle through an {@code AgentInvoker} (unit tests). */
    INVOKER;

    /**
     * @param value a configuration value, e.g. {@code shared}.
     * @return the mode.
     */
    public static ThreadingMode parse(final String value)
    {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
