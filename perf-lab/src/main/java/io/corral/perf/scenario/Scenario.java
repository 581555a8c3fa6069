package io.corral.perf.scenario;

import io.corral.perf.gen.Workload;
import io.corral.perf.target.Target;

/**
 * The lab's scenarios, each bounded in time and count.
 */
public enum Scenario
{
    /** Highest sustained calls/s with fewer than 0.1 % failures, by a bounded search. */
    CALLS_MAX("calls-max", Workload.CALLS, Target.Role.PROXY),
    /** A fixed call rate: setup latency and per-request latency percentiles. */
    CALLS_LATENCY("calls-latency", Workload.CALLS, Target.Role.PROXY),
    /** Highest sustained REGISTER/s of unique users with fewer than 0.1 % failures. */
    REGISTER_MAX("register-max", Workload.REGISTER, Target.Role.REGISTRAR),
    /** A burst of re-registrations right after the registrar (re)started. */
    REGISTER_STORM("register-storm", Workload.REGISTER, Target.Role.REGISTRAR),
    /** Twice the target's measured maximum for a while, then half of it: goodput, failures, p99, recovery. */
    OVERLOAD("overload", Workload.CALLS, Target.Role.PROXY),
    /** Calls, REGISTERs and OPTIONS together at a fixed rate. */
    MIXED("mixed", Workload.MIXED, Target.Role.PROXY);

    private final String label;
    private final Workload workload;
    private final Target.Role role;

    Scenario(final String label, final Workload workload, final Target.Role role)
    {
        this.label = label;
        this.workload = workload;
        this.role = role;
    }

    /**
     * @return the name used on the command line and in reports.
     */
    public String label()
    {
        return label;
    }

    public Workload workload()
    {
        return workload;
    }

    public Target.Role role()
    {
        return role;
    }

    /**
     * @param label a scenario's name.
     * @return the scenario.
     */
    public static Scenario of(final String label)
    {
        for (final Scenario scenario : values())
        {
            if (scenario.label.equals(label))
            {
                return scenario;
            }
        }
        final StringBuilder names = new StringBuilder();
        for (final Scenario scenario : values())
        {
            names.append(names.length() == 0 ? "" : ", ").append(scenario.label);
        }
        throw new IllegalArgumentException("unknown scenario '" + label + "': " + names);
    }

    @Override
    public String toString()
    {
        return label;
    }
}
