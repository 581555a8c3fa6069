package io.corral.engine.dispatch;

import io.corral.engine.config.ConfigValues;

/**
 * The live dispatcher of a member, shared by its SIP agents: the {@link Dispatcher} (backend sets, routing rules,
 * load), the {@link BackendCalls} that release loads when dialogs end, the {@link BackendProber} (created by SIP
 * agent 0 once its socket is bound, since probes carry its address), and how calls fork and fail over.
 */
public final class DispatchContext
{
    private final Dispatcher dispatcher;
    private final BackendCalls calls;
    private final DispatchCounters counters;
    private final ProbeSettings probeSettings;
    private final boolean serialForking;
    private final long retryAfterSeconds;
    private volatile BackendProber prober;

    /**
     * @param dispatcher        the backends.
     * @param counters          the dispatcher's counters.
     * @param probeSettings     how to probe, without sent-by (the bound agent completes it).
     * @param serialForking     fork to contacts one q-group at a time rather than all at once.
     * @param retryAfterSeconds Retry-After of the 503 when no backend is available, 0 for none.
     */
    public DispatchContext(
        final Dispatcher dispatcher,
        final DispatchCounters counters,
        final ProbeSettings probeSettings,
        final boolean serialForking,
        final long retryAfterSeconds)
    {
        this.dispatcher = dispatcher;
        this.calls = new BackendCalls(dispatcher);
        this.counters = counters;
        this.probeSettings = probeSettings;
        this.serialForking = serialForking;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * @param config   the member's configuration, validated.
     * @param counters the dispatcher's counters.
     * @param memberId this member's id.
     * @return a context over a dispatcher that has not loaded its file yet.
     */
    public static DispatchContext from(final ConfigValues config, final DispatchCounters counters, final int memberId)
    {
        return new DispatchContext(
            new Dispatcher(DispatchConfiguration.backendsFile(config)),
            counters,
            DispatchConfiguration.probeSettings(config, memberId, "localhost"),
            DispatchConfiguration.isSerialForking(config),
            config.longValue(DispatchConfiguration.RETRY_AFTER_SECONDS));
    }

    /**
     * Count the outcome of a {@link Dispatcher#reload()}: the counter moves last, once the outcome is reported
     * elsewhere, since tools wait on it.
     *
     * @param result the outcome.
     */
    public void onReloaded(final ReloadResult result)
    {
        (result.isOk() ? counters.reloads : counters.reloadsFailed).increment();
    }

    /**
     * @return the backends.
     */
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /**
     * @return releases loads when dialogs end; the dialog trackers' call-end listener.
     */
    public BackendCalls calls()
    {
        return calls;
    }

    /**
     * @return the counters.
     */
    public DispatchCounters counters()
    {
        return counters;
    }

    /**
     * @return the probe settings; sent-by is to be set to the bound address.
     */
    public ProbeSettings probeSettings()
    {
        return probeSettings;
    }

    /**
     * @return true to fork to a user's contacts one q-group at a time (RFC 3261 §16.6), false for all at once.
     */
    public boolean isSerialForking()
    {
        return serialForking;
    }

    /**
     * @return Retry-After seconds of the 503 when no backend is available, 0 for none.
     */
    public long retryAfterSeconds()
    {
        return retryAfterSeconds;
    }

    /**
     * @param prober the prober, once SIP agent 0 has built it.
     */
    public void prober(final BackendProber prober)
    {
        this.prober = prober;
    }

    /**
     * @return the prober, or null before SIP agent 0 bound its socket.
     */
    public BackendProber prober()
    {
        return prober;
    }
}
