package io.corral.engine.dispatch;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The status-file counters of the dispatcher, shared by the SIP agents (rare events, atomic adds): calls sent to
 * backends, failovers, 503s for want of a backend, probing and reloads. {@code corral-stat} shows them.
 */
public final class DispatchCounters
{
    /** Type id of the dispatcher counters. */
    public static final int DISPATCH_COUNTER_TYPE_ID = 40;

    /** Requests sent to a backend (first tries and failovers). */
    public final AtomicCounter backendRequests;
    /** Failovers to a next backend after 408, 5xx or a timeout. */
    public final AtomicCounter failovers;
    /** Requests answered 503 because no backend of the set was available or every one failed. */
    public final AtomicCounter noBackend;
    /** OPTIONS probes sent. */
    public final AtomicCounter probesSent;
    /** Probes that failed (timeout, send failure, a status not configured alive). */
    public final AtomicCounter probesFailed;
    /** Backends marked down by probing. */
    public final AtomicCounter markedDown;
    /** Backends marked up again by probing. */
    public final AtomicCounter markedUp;
    /** Backends in force that are down now. */
    public final AtomicCounter backendsDown;
    /** Backends files put in force (at start and by reload). */
    public final AtomicCounter reloads;
    /** Reloads rejected for a bad file (the previous sets stayed). */
    public final AtomicCounter reloadsFailed;

    /**
     * @param countersManager of the status file.
     */
    public DispatchCounters(final CountersManager countersManager)
    {
        backendRequests = newCounter(countersManager, "dispatch: requests sent to backends");
        failovers = newCounter(countersManager, "dispatch: failovers to the next backend");
        noBackend = newCounter(countersManager, "dispatch: no backend available (503)");
        probesSent = newCounter(countersManager, "dispatch: probes sent");
        probesFailed = newCounter(countersManager, "dispatch: probes failed");
        markedDown = newCounter(countersManager, "dispatch: backends marked down");
        markedUp = newCounter(countersManager, "dispatch: backends marked up");
        backendsDown = newCounter(countersManager, "dispatch: backends down");
        reloads = newCounter(countersManager, "dispatch: backends file loads");
        reloadsFailed = newCounter(countersManager, "dispatch: backends file loads rejected");
    }

    /**
     * Copy the prober's totals (its own thread keeps them as plain longs).
     *
     * @param prober the prober.
     */
    public void update(final BackendProber prober)
    {
        probesSent.setRelease(prober.probesSent());
        probesFailed.setRelease(prober.probesFailed());
        markedDown.setRelease(prober.markedDownCount());
        markedUp.setRelease(prober.markedUpCount());
        backendsDown.setRelease(prober.backendsDown());
    }

    private static AtomicCounter newCounter(final CountersManager countersManager, final String label)
    {
        return countersManager.newCounter(label, DISPATCH_COUNTER_TYPE_ID);
    }
}
