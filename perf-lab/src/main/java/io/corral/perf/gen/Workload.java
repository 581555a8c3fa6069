package io.corral.perf.gen;

/**
 * What one operation of the UAC is.
 */
public enum Workload
{
    /** INVITE, 180, 200, ACK, hold, BYE, 200 through the target, route set honoured. */
    CALLS,
    /** REGISTER of a unique user to the target's registrar (with digest when credentials are asked). */
    REGISTER,
    /** OPTIONS through the target to the UAS. */
    OPTIONS,
    /** Six calls, three REGISTERs and one OPTIONS in every ten operations. */
    MIXED;

    /**
     * @param number an operation's number.
     * @return the workload of that operation: this one, or for {@link #MIXED} one of the others by number.
     */
    public Workload of(final long number)
    {
        if (this != MIXED)
        {
            return this;
        }
        final int tenth = (int)(number % 10);
        return tenth < 6 ? CALLS : tenth < 9 ? REGISTER : OPTIONS;
    }
}
