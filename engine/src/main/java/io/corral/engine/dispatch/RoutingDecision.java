package io.corral.engine.dispatch;

/**
 * What to do with a new out-of-dialog request, from the first matching rule of the {@link RoutingPolicy}. Immutable
 * and built at load time: the policy hands out the same object for every request its rule matches.
 */
public final class RoutingDecision
{
    /**
     * No action: only as a {@link #fallback()}, meaning "as the registrar would": 404/480 for a domain this member
     * serves, plain proxying for another domain.
     */
    public static final int NONE = 0;
    /** The registrar and location service: REGISTER is served, requests for local AORs fork to their contacts. */
    public static final int LOCAL = 1;
    /** A backend set: {@link #setId()} names it for {@link Dispatcher#select}. */
    public static final int SET = 2;
    /** Plain RFC 3261 §16 proxying to the Request-URI / Route. */
    public static final int FORWARD = 3;
    /** Answer {@link #status()} (405 unless configured). */
    public static final int REJECT = 4;

    /** The decision when no rule matches: the registrar for served domains, plain proxying for others. */
    public static final RoutingDecision DEFAULT =
        new RoutingDecision(LOCAL, Dispatcher.NONE, null, NONE, Dispatcher.NONE, null, 0, 0);

    private final int action;
    private final int setId;
    private final String setName;
    private final int fallback;
    private final int fallbackSetId;
    private final String fallbackSetName;
    private final int status;
    private final int line;

    RoutingDecision(
        final int action,
        final int setId,
        final String setName,
        final int fallback,
        final int fallbackSetId,
        final String fallbackSetName,
        final int status,
        final int line)
    {
        this.action = action;
        this.setId = setId;
        this.setName = setName;
        this.fallback = fallback;
        this.fallbackSetId = fallbackSetId;
        this.fallbackSetName = fallbackSetName;
        this.status = status;
        this.line = line;
    }

    /**
     * @return {@link #LOCAL}, {@link #SET}, {@link #FORWARD} or {@link #REJECT}.
     */
    public int action()
    {
        return action;
    }

    /**
     * @return the set id for {@link #SET}, else {@link Dispatcher#NONE}.
     */
    public int setId()
    {
        return setId;
    }

    /**
     * @return the set name for {@link #SET}, else null.
     */
    public String setName()
    {
        return setName;
    }

    /**
     * What to do when the action is {@link #LOCAL} and the Request-URI is not a user the registrar knows (an
     * unknown user of a served domain, or any user of another domain): {@link #SET}, {@link #FORWARD},
     * {@link #REJECT}, or {@link #NONE}: 404 for a served domain, plain proxying for another. A known user with no
     * current binding is answered 480 whatever the fallback.
     *
     * @return the fallback action.
     */
    public int fallback()
    {
        return fallback;
    }

    /**
     * @return the set id when {@link #fallback()} is {@link #SET}, else {@link Dispatcher#NONE}.
     */
    public int fallbackSetId()
    {
        return fallbackSetId;
    }

    /**
     * @return the set name when {@link #fallback()} is {@link #SET}, else null.
     */
    public String fallbackSetName()
    {
        return fallbackSetName;
    }

    /**
     * @return the status to answer for {@link #REJECT} (as action or fallback), else 0.
     */
    public int status()
    {
        return status;
    }

    /**
     * @return the line of the backends file that made this decision, 0 for {@link #DEFAULT}.
     */
    public int line()
    {
        return line;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "RoutingDecision{action=" + action + ", set=" + setName + ", fallback=" + fallback + ", fallbackSet=" +
            fallbackSetName + ", status=" + status + ", line=" + line + '}';
    }
}
