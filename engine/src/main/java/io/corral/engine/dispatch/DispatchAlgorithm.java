package io.corral.engine.dispatch;

/**
 * How a backend set picks one of its backends. Codes are ints so the select path switches without objects.
 */
public final class DispatchAlgorithm
{
    /** Each backend in turn, in file order. */
    public static final int ROUND_ROBIN = 0;
    /** Smooth weighted round-robin: weights 3 and 1 give 3 of every 4 calls to the first, interleaved. */
    public static final int WEIGHTED = 1;
    /** Rendezvous hash of the Call-ID: retransmissions and re-INVITEs of one call land on one backend. */
    public static final int HASH_CALL_ID = 2;
    /** Rendezvous hash of the From URI user: one caller's calls land on one backend. */
    public static final int HASH_FROM_USER = 3;
    /** OpenSIPS {@code load_balancer} absolute mode: the most free channels ({@code max - used}). */
    public static final int LEAST_LOADED_ABSOLUTE = 4;
    /** OpenSIPS {@code load_balancer} relative mode ({@code r} flag): the most free percentage of {@code max}. */
    public static final int LEAST_LOADED_RELATIVE = 5;

    private static final String[] NAMES = {
        "round-robin", "weighted", "hash-callid", "hash-from-user", "least-loaded-absolute", "least-loaded-relative"};

    private DispatchAlgorithm()
    {
    }

    /**
     * @param name as written in the backends file.
     * @return the code, or -1 for an unknown name.
     */
    public static int parse(final String name)
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param algorithm a code.
     * @return its name in the backends file.
     */
    public static String name(final int algorithm)
    {
        return NAMES[algorithm];
    }

    /**
     * @return every name, comma-separated, for error messages.
     */
    public static String names()
    {
        return String.join(", ", NAMES);
    }

    /**
     * @param algorithm a code.
     * @return true for the two least-loaded modes, which need a resource.
     */
    public static boolean isLeastLoaded(final int algorithm)
    {
        return algorithm == LEAST_LOADED_ABSOLUTE || algorithm == LEAST_LOADED_RELATIVE;
    }

    /**
     * @param algorithm a code.
     * @return true for the two hash modes, whose select needs a key.
     */
    public static boolean isHash(final int algorithm)
    {
        return algorithm == HASH_CALL_ID || algorithm == HASH_FROM_USER;
    }
}
